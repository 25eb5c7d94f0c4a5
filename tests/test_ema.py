import gan_helpers as gh
from gan_helpers.ema import GeneratorEMA, recompute_batch_norm_statistics

import types

import keras
import numpy as np
import pytest
import tensorflow as tf


def _holder(generator, iterations=1000):
    """The two things GeneratorEMA reads from a GAN: its generator and its step counter."""
    optimizer = types.SimpleNamespace(iterations=tf.Variable(iterations, dtype="int64"))
    return types.SimpleNamespace(generator=generator, g_optimizer=optimizer)


def _set_all(model, value):
    for weight in model.trainable_variables:
        weight.assign(tf.fill(weight.shape, value))


def test_average_follows_the_decay_per_step_and_per_execution():
    generator = gh.build_generator(width=2)
    holder = _holder(generator)
    ema = GeneratorEMA(decay=0.5, apply_at_end=False)
    ema.set_model(holder)
    _set_all(generator, 1.0)
    ema.on_train_begin()
    _set_all(generator, 3.0)
    holder.g_optimizer.iterations.assign(1001)  # one step: 0.5 * 1 + 0.5 * 3
    ema.on_train_batch_end(0)
    np.testing.assert_allclose(ema.average[0].numpy(), 2.0)
    _set_all(generator, 6.0)
    holder.g_optimizer.iterations.assign(1003)  # two steps at once: decay 0.5 ** 2
    ema.on_train_batch_end(1)
    np.testing.assert_allclose(ema.average[0].numpy(), 0.25 * 2.0 + 0.75 * 6.0)


def test_early_steps_use_a_smaller_decay():
    generator = gh.build_generator(width=2)
    holder = _holder(generator, iterations=0)
    ema = GeneratorEMA(decay=0.999, apply_at_end=False)
    ema.set_model(holder)
    _set_all(generator, 0.0)
    ema.on_train_begin()
    _set_all(generator, 1.0)
    holder.g_optimizer.iterations.assign(1)  # decay min(0.999, 2 / 11)
    ema.on_train_batch_end(0)
    np.testing.assert_allclose(ema.average[0].numpy(), 1 - 2 / 11, rtol=1e-6)


def test_recomputed_statistics_match_those_of_a_large_batch():
    keras.utils.set_random_seed(0)
    generator = gh.build_generator(width=4)
    batch_norm = generator.get_layer("project_bn")
    batch_norm.moving_mean.assign(tf.fill(batch_norm.moving_mean.shape, 5.0))
    batch_norm.moving_variance.assign(tf.fill(batch_norm.moving_variance.shape, 9.0))
    assert recompute_batch_norm_statistics(generator, n_batches=4, batch_size=1000) == 3
    # The same latent vectors as the function draws (seed 0, four batches of 1,000).
    z = np.random.default_rng(0).standard_normal((4000, 64)).astype("float32")
    projected = generator.get_layer("project")(z).numpy().reshape(4, 1000, -1)
    expected_mean = projected.mean(axis=1).mean(axis=0)
    expected_variance = projected.var(axis=1).mean(axis=0)
    np.testing.assert_allclose(batch_norm.moving_mean.numpy(), expected_mean, atol=1e-5)
    np.testing.assert_allclose(batch_norm.moving_variance.numpy(), expected_variance, rtol=1e-3)
    assert batch_norm.momentum == gh.models.BN_MOMENTUM  # restored


def test_conditional_generator_and_models_without_batch_norm():
    generator = gh.build_conditional_generator(width=2)
    assert recompute_batch_norm_statistics(generator, n_batches=2, batch_size=20) == 3
    mlp = gh.build_mlp_generator(batch_norm=False)
    assert recompute_batch_norm_statistics(mlp) == 0


def test_fit_writes_the_average_into_the_generator():
    keras.utils.set_random_seed(0)
    gan = gh.GAN(gh.build_generator(width=4), gh.build_discriminator(width=4), seed=0)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    images = np.random.default_rng(0).uniform(-1, 1, (96, 28, 28, 1)).astype("float32")
    ema = GeneratorEMA(decay=0.9, bn_batches=2)
    gan.fit(gh.make_dataset(images, batch_size=32, seed=0), epochs=2, verbose=0, callbacks=[ema])
    for weight, average in zip(gan.generator.trainable_variables, ema.average, strict=True):
        np.testing.assert_array_equal(weight.numpy(), average.numpy())
    assert np.isfinite(gan.generate(4, seed=0)).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"decay": 1.0}, ValueError, "decay"),
        ({"decay": "high"}, TypeError, "decay"),
        ({"bn_batches": 0}, ValueError, "bn_batches"),
        ({"apply_at_end": 1}, TypeError, "apply_at_end"),
    ],
)
def test_bad_callback_arguments_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        GeneratorEMA(**kwargs)


def test_apply_before_fit_and_models_without_generator_are_refused():
    with pytest.raises(RuntimeError, match="train first"):
        GeneratorEMA().apply()
    ema = GeneratorEMA()
    ema.set_model(gh.build_generator(width=2))
    with pytest.raises(TypeError, match="generator"):
        ema.on_train_begin()


def test_recompute_refuses_bad_arguments():
    with pytest.raises(TypeError, match="generator"):
        recompute_batch_norm_statistics("generator")
    with pytest.raises(ValueError, match="n_batches"):
        recompute_batch_norm_statistics(gh.build_generator(width=2), n_batches=0)
