import gan_helpers as gh
from gan_helpers import evaluate_digits, mode_stats

import json
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import tensorflow as tf


def _adam(rate=1e-3):
    return keras.optimizers.Adam(rate, beta_1=0.5)


def _ring_gan(seed=0, pack=1, loss="non_saturating", **kwargs):
    keras.utils.set_random_seed(seed)
    generator = gh.build_mlp_generator(hidden=64, n_layers=3)
    discriminator = gh.build_mlp_discriminator(hidden=64, n_layers=3, pack=pack)
    gan = gh.GAN(generator, discriminator, pack=pack, loss=loss, seed=seed, **kwargs)
    gan.compile(d_optimizer=_adam(), g_optimizer=_adam())
    return gan


def _ring_dataset(n=4000, batch=100):
    points = gh.ring_mixture().sample(n, seed=0)
    return tf.data.Dataset.from_tensor_slices(points).shuffle(n, seed=0).batch(batch)


def _weights(model):
    return [w.numpy().copy() for w in model.trainable_variables]


def test_one_step_moves_both_networks_only_with_their_own_optimizer():
    gan = _ring_gan()
    g_before, d_before = _weights(gan.generator), _weights(gan.discriminator)
    gan.fit(_ring_dataset(n=100), epochs=1, verbose=0)
    g_after, d_after = _weights(gan.generator), _weights(gan.discriminator)
    assert all(not np.allclose(a, b) for a, b in zip(g_before, g_after, strict=True))
    assert all(not np.allclose(a, b) for a, b in zip(d_before, d_after, strict=True))
    assert int(gan.d_optimizer.iterations.numpy()) == 1
    assert int(gan.g_optimizer.iterations.numpy()) == 1


def test_critic_steps_update_the_discriminator_more_often():
    gan = _ring_gan(loss="wasserstein", d_steps=3)
    history = gan.fit(_ring_dataset(n=200), epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations.numpy()) == 6
    assert int(gan.g_optimizer.iterations.numpy()) == 2
    # accuracy means nothing for a critic: it reports the real-minus-fake score gap instead
    assert set(history.history) == {"d_loss", "g_loss", "gap", "gp"}
    assert np.isfinite(history.history["gp"][0])
    assert history.history["gap"][0] == pytest.approx(-history.history["d_loss"][0], abs=1e-6)


def test_seeded_ring_run_learns_and_repeats():
    ring = gh.ring_mixture()
    gan = _ring_gan(seed=3)
    before = mode_stats(gan.generate(2500, seed=1), ring)
    history = gan.fit(_ring_dataset(n=20000), epochs=2, verbose=0).history
    after = mode_stats(gan.generate(2500, seed=1), ring)
    assert before["modes"] <= 1 and after["modes"] >= 4
    assert after["high_quality"] > before["high_quality"] + 0.004
    again = _ring_gan(seed=3).fit(_ring_dataset(n=20000), epochs=2, verbose=0).history
    assert again["d_loss"] == pytest.approx(history["d_loss"], rel=1e-5)
    assert again["g_loss"] == pytest.approx(history["g_loss"], rel=1e-5)


def test_packing_and_partial_batches():
    gan = _ring_gan(pack=4)
    points = gh.ring_mixture().sample(110, seed=0)  # batches of 50, 50, 10
    history = gan.fit(tf.data.Dataset.from_tensor_slices(points).batch(50), epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
    assert gh.pack_samples(tf.constant(points[:10]), 4).shape == (2, 8)
    packed = gh.pack_samples(tf.constant(np.arange(8, dtype="float32").reshape(4, 2)), 4).numpy()
    np.testing.assert_array_equal(packed, [[0, 1, 2, 3, 4, 5, 6, 7]])


def test_generate_is_seeded_and_shaped():
    gan = _ring_gan()
    first = gan.generate(7, seed=5)
    assert first.shape == (7, 2) and first.dtype == np.float32
    np.testing.assert_array_equal(first, gan.generate(7, seed=5, batch_size=3))
    assert not np.array_equal(first, gan.generate(7, seed=6))


def test_short_mnist_run_improves_evaluate_digits():
    (x_train, _), _ = gh.load_mnist("sample")
    images = gh.scale_images(x_train)
    keras.utils.set_random_seed(0)
    gan = gh.GAN(gh.build_generator(width=16), gh.build_discriminator(width=16), seed=0)
    gan.compile(d_optimizer=_adam(1e-3), g_optimizer=_adam(1e-3))
    before = evaluate_digits(gan.generate(500, seed=0))
    gan.fit(gh.make_dataset(images, 64, seed=0), epochs=5, verbose=0)
    after = evaluate_digits(gan.generate(500, seed=0))
    assert after.frechet < 0.8 * before.frechet
    assert after.confident_share > before.confident_share
    assert after.digits_present > before.digits_present


def test_generator_saves_and_loads_as_keras_file(tmp_path):
    gan = _ring_gan()
    path = tmp_path / "generator.keras"
    gan.generator.save(path)
    loaded = keras.models.load_model(path)
    z = np.random.default_rng(0).normal(size=(5, 2)).astype("float32")
    np.testing.assert_allclose(loaded(z).numpy(), gan.generator(z).numpy(), rtol=1e-6)


def test_conditional_gan_trains_and_generates_requested_labels():
    (x_train, y_train), _ = gh.load_mnist("sample")
    images, labels = gh.scale_images(x_train[:256]), y_train[:256]
    gan = gh.ConditionalGAN(
        gh.build_conditional_generator(latent_dim=16, width=4),
        gh.build_conditional_discriminator(width=4),
        seed=0,
    )
    gan.compile(d_optimizer=_adam(), g_optimizer=_adam())
    d_before = _weights(gan.discriminator)
    gan.fit(gh.make_dataset(images, 64, labels=labels), epochs=1, verbose=0)
    assert not np.allclose(d_before[0], _weights(gan.discriminator)[0])
    samples = gan.generate(labels=[7, 7, 1], seed=0)
    assert samples.shape == (3, 28, 28, 1)
    np.testing.assert_array_equal(samples, gan.generate(labels=[7, 7, 1], seed=0))
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 10\)"):
        gan.generate(labels=[10])
    with pytest.raises(ValueError, match="labels must be a non-empty 1-D array of ints"):
        gan.generate(labels=[[1, 2]])
    with pytest.raises(ValueError, match=r"\(images, labels\)"):
        gan.fit(gh.make_dataset(images, 64), epochs=1, verbose=0)


def test_gan_argument_errors():
    generator, discriminator = gh.build_mlp_generator(), gh.build_mlp_discriminator()
    with pytest.raises(TypeError, match="generator must be a keras.Model"):
        gh.GAN(lambda z: z, discriminator)
    with pytest.raises(ValueError, match="loss must be one of"):
        gh.GAN(generator, discriminator, loss="hinge_loss")
    with pytest.raises(ValueError, match="d_steps must be a positive int"):
        gh.GAN(generator, discriminator, d_steps=0)
    with pytest.raises(ValueError, match="label_smoothing"):
        gh.GAN(generator, discriminator, label_smoothing=-0.1)
    with pytest.raises(ValueError, match="gp_weight"):
        gh.GAN(generator, discriminator, gp_weight=-1)
    with pytest.raises(TypeError, match="seed must be a non-negative int"):
        gh.GAN(generator, discriminator, seed="0")
    with pytest.raises(ValueError, match=r"expected \(4,\)"):
        gh.GAN(generator, discriminator, pack=2)
    with pytest.raises(ValueError, match="does not match"):
        gh.GAN(gh.build_generator(latent_dim=4, width=2), discriminator)
    sigmoid_d = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="one logit"):
        gh.GAN(generator, sigmoid_d)
    gan = gh.GAN(generator, discriminator)
    with pytest.raises(TypeError, match="d_optimizer must be a keras.optimizers.Optimizer"):
        gan.compile(d_optimizer="adam", g_optimizer=_adam())
    shared = _adam()
    with pytest.raises(ValueError, match="two different objects"):
        gan.compile(d_optimizer=shared, g_optimizer=shared)
    with pytest.raises(ValueError, match="n must be a positive int"):
        gan.generate(0)
    with pytest.raises(TypeError, match="seed must be a non-negative int or None"):
        gan.generate(3, seed=1.5)


def test_stop_on_nan_raises_and_keeps_the_backup(tmp_path):
    gan = _ring_gan()
    backup = tmp_path / "backup"

    class PoisonAfterFirstEpoch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            for weight in gan.discriminator.trainable_variables:
                weight.assign(tf.fill(weight.shape, float("nan")))

    callbacks = [
        keras.callbacks.BackupAndRestore(str(backup)),
        PoisonAfterFirstEpoch(),
        gh.StopOnNaN(),
    ]
    with pytest.raises(gh.TrainingDiverged, match="d_loss became nan at epoch 2, batch 1"):
        gan.fit(_ring_dataset(n=200), epochs=3, verbose=0, callbacks=callbacks)
    assert any(backup.rglob("*.weights.h5")), "the backup from epoch 1 must survive"


RESUME_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import keras, tensorflow as tf
    import gan_helpers as gh

    backup, epochs, crash_after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    keras.utils.set_random_seed(0)
    gan = gh.GAN(gh.build_mlp_generator(hidden=16), gh.build_mlp_discriminator(hidden=16), seed=0)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    points = gh.ring_mixture().sample(200, seed=0)
    dataset = tf.data.Dataset.from_tensor_slices(points).batch(50)
    seen = []

    def moments(optimizer):
        return sum(float(abs(v.numpy()).sum()) for v in optimizer.variables[2:])

    class Crash(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            seen.append([epoch + 1, int(gan.d_optimizer.iterations),
                         int(gan.g_optimizer.iterations),
                         moments(gan.d_optimizer), moments(gan.g_optimizer)])

        def on_epoch_end(self, epoch, logs=None):
            if epoch + 1 == crash_after:
                print(json.dumps(seen))
                sys.stdout.flush()
                import os
                os._exit(17)

    # Crash runs before BackupAndRestore in each epoch's end, so epoch 3 is never saved.
    restore = keras.callbacks.BackupAndRestore(backup)
    gan.fit(dataset, epochs=epochs, verbose=0, callbacks=[Crash(), restore])
    seen.append(["end", int(gan.d_optimizer.iterations), int(gan.g_optimizer.iterations)])
    print(json.dumps(seen))
    """
)


def test_killed_run_resumes_at_the_next_epoch_with_optimizer_state(tmp_path):
    script = tmp_path / "resume.py"
    script.write_text(RESUME_SCRIPT)
    backup = str(tmp_path / "backup")

    def run(crash_after):
        return subprocess.run(
            [sys.executable, str(script), backup, "4", str(crash_after)],
            capture_output=True,
            text=True,
            timeout=300,
        )

    # The process dies at the end of epoch 3, before that epoch's backup is written (like a
    # machine losing power), so the last backup is the one from the end of epoch 2.
    first = run(crash_after=3)
    assert first.returncode == 17, first.stderr[-3000:]
    crashed = json.loads(first.stdout.strip().splitlines()[-1])
    assert [row[0] for row in crashed] == [1, 2, 3]
    second = run(crash_after=0)
    assert second.returncode == 0, second.stderr[-3000:]
    resumed = json.loads(second.stdout.strip().splitlines()[-1])
    assert [row[0] for row in resumed] == [3, 4, "end"]
    # At the start of epoch 3 the restored run has the same optimizer state as the original:
    # 8 steps each (2 epochs of 4 batches) and the same Adam moments, not a fresh optimizer.
    assert resumed[0][1:3] == crashed[2][1:3] == [8, 8]
    assert resumed[0][3:] == pytest.approx(crashed[2][3:], rel=1e-6)
    assert resumed[0][3] > 0 and resumed[0][4] > 0
    assert resumed[-1][1:] == [16, 16]


MIRRORED_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    import keras
    import gan_helpers as gh

    def build():
        keras.utils.set_random_seed(0)
        gen = gh.build_mlp_generator(hidden=16, batch_norm=False)
        disc = gh.build_mlp_discriminator(hidden=16)
        gan = gh.GAN(gen, disc, seed=0)
        gan.compile(d_optimizer=keras.optimizers.SGD(0.1), g_optimizer=keras.optimizers.SGD(0.1))
        return gan

    points = gh.ring_mixture().sample(64, seed=0)
    dataset = tf.data.Dataset.from_tensor_slices(points).batch(64)
    # Same latent vectors on every replica and device, so only the loss scaling can differ.
    gh.GAN.draw_latent = lambda self, n: tf.ones((n, self.latent_dim))
    single = build()
    single.fit(dataset, epochs=1, verbose=0)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    assert strategy.num_replicas_in_sync == 2
    with strategy.scope():
        mirrored = build()
    mirrored.fit(dataset, epochs=1, verbose=0)
    worst = 0.0
    for a, b in zip(single.trainable_variables, mirrored.trainable_variables):
        worst = max(worst, float(np.max(np.abs(a.numpy() - b.numpy()))))
    moved = max(float(np.max(np.abs(v.numpy()))) for v in single.discriminator.trainable_variables)
    print(worst, moved)
    """
)


def test_mirrored_strategy_step_matches_single_device(tmp_path):
    """Two replicas with half the batch each must give the weights of one device."""
    script = tmp_path / "mirrored.py"
    script.write_text(MIRRORED_SCRIPT)
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    worst, _ = map(float, result.stdout.split()[-2:])
    assert worst < 1e-5


def test_inference_samples_keep_up_with_training_after_a_short_run():
    """Batch-norm moving averages must not lag far behind a fast-changing generator."""
    (x_train, _), _ = gh.load_mnist("sample")
    images = gh.scale_images(x_train[:2048])
    keras.utils.set_random_seed(4)
    gan = gh.GAN(gh.build_generator(), gh.build_discriminator(), seed=4)
    gan.compile(d_optimizer=_adam(5e-4), g_optimizer=_adam(5e-4))
    gan.fit(gh.make_dataset(images, 64, seed=0), epochs=4, verbose=0)
    z = np.random.default_rng(0).standard_normal((256, gan.latent_dim)).astype("float32")
    inference = gan.generator(z, training=False).numpy()
    training = gan.generator(z, training=True).numpy()
    assert abs(np.mean(inference < -0.9) - np.mean(training < -0.9)) < 0.1


def test_pack_samples_and_sample_latent_are_public_and_checked():
    assert gh.pack_samples(np.zeros((6, 2), "float32"), 2).shape == (3, 4)
    same = gh.pack_samples(np.ones((3, 2), "float32"), 1)
    assert same.shape == (3, 2)
    with pytest.raises(ValueError, match="pack must be a positive int"):
        gh.pack_samples(np.zeros((6, 2), "float32"), 0)
    with pytest.raises(ValueError, match="samples must be a batch"):
        gh.pack_samples(np.zeros(6, "float32"), 2)
    z = gh.sample_latent(5, 64, seed=3)
    assert z.shape == (5, 64) and z.dtype == np.float32
    np.testing.assert_array_equal(z, gh.sample_latent(5, 64, seed=3))
    assert not np.array_equal(z, gh.sample_latent(5, 64, seed=4))
    with pytest.raises(ValueError, match="latent_dim must be a positive int"):
        gh.sample_latent(5, 0)
    with pytest.raises(TypeError, match="seed must be a non-negative int"):
        gh.sample_latent(5, 8, seed=1.5)


def test_gan_generate_with_a_seed_uses_sample_latent():
    gan = _ring_gan()
    z = gh.sample_latent(4, gan.latent_dim, seed=9)
    expected = gan.generator(z, training=False).numpy()
    np.testing.assert_allclose(gan.generate(4, seed=9), expected, atol=1e-6)


def test_fit_refuses_to_start_without_compile_or_with_bad_epochs():
    generator, discriminator = gh.build_mlp_generator(), gh.build_mlp_discriminator()
    gan = gh.GAN(generator, discriminator)
    with pytest.raises(ValueError, match=r"fit needs the two optimizers first: call GAN.compile"):
        gan.fit(_ring_dataset(n=100), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="train_step needs the two optimizers"):
        gan.train_step(tf.constant(gh.ring_mixture().sample(8, seed=0)))
    gan = _ring_gan()
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        gan.fit(_ring_dataset(n=100), epochs=0, verbose=0)


@pytest.mark.parametrize(
    ("images", "error", "match"),
    [
        (np.full((64, 28, 28, 1), 255.0, np.float32), ValueError, "pixels in 0..255"),
        (np.zeros((64, 28, 28), np.float32), ValueError, "no channel axis"),
        (np.full((64, 28, 28, 1), np.nan, np.float32), ValueError, "NaN"),
        (np.zeros((64, 28, 28, 1), np.uint8), TypeError, "scale_images"),
        (np.zeros((64, 32, 32, 1), np.float32), ValueError, r"shape \(28, 28, 1\)"),
    ],
)
def test_fit_rejects_images_the_networks_cannot_use(images, error, match):
    gan = gh.GAN(gh.build_generator(width=2), gh.build_discriminator(width=2), seed=0)
    gan.compile(*gh.default_optimizers())
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(32)
    with pytest.raises(error, match=match):
        gan.fit(dataset, epochs=1, verbose=0)


def test_conditional_gan_checks_labels_and_class_counts():
    generator = gh.build_conditional_generator(width=2)
    discriminator = gh.build_conditional_discriminator(width=2)
    with pytest.raises(ValueError, match="embeds 10 labels but n_classes=5"):
        gh.ConditionalGAN(generator, discriminator, n_classes=5)
    cgan = gh.ConditionalGAN(generator, discriminator, seed=0)
    cgan.compile(*gh.default_optimizers())
    images = np.zeros((32, 28, 28, 1), np.float32)
    labels = np.full(32, 12, np.int32)
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(16)
    with pytest.raises(ValueError, match=r"the training labels must lie in \[0, 10\)"):
        cgan.fit(dataset, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="n=5 disagrees with the 3 labels"):
        cgan.generate(n=5, labels=[1, 2, 3])
    assert cgan.generate(n=3, labels=[1, 2, 3]).shape == (3, 28, 28, 1)


def test_r1_weight_trains_and_reports_the_penalty():
    gan = _ring_gan(r1_weight=1.0)
    history = gan.fit(_ring_dataset(n=200), epochs=1, verbose=0)
    assert np.isfinite(history.history["r1"][0]) and history.history["r1"][0] >= 0


@pytest.mark.parametrize("loss", ["hinge", "least_squares"])
def test_new_losses_train_through_gan(loss):
    gan = _ring_gan(loss=loss)
    history = gan.fit(_ring_dataset(n=200), epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0]) and "d_acc" in history.history


def _coded_pair(n_classes=10):
    return gh.build_generator(n_classes=n_classes), gh.build_discriminator(n_classes=n_classes)


def test_auxiliary_classifier_gan_learns_classes_and_codes():
    (x_train, y_train), _ = gh.load_mnist("sample")
    images, labels = gh.scale_images(x_train[:1024]), y_train[:1024]
    gan = gh.AuxiliaryClassifierGAN(*_coded_pair(), seed=0)
    gan.compile(*gh.default_optimizers())
    dataset = gh.make_dataset(images, batch_size=32, labels=labels, seed=0)
    history = gan.fit(dataset, epochs=4, verbose=0).history
    assert set(history) >= {"d_loss", "g_loss", "d_acc", "real_class_acc", "code_acc"}
    # The discriminator learns the real labels, and the generator learns to draw its codes.
    assert history["real_class_acc"][0] < history["real_class_acc"][-1]
    assert history["real_class_acc"][-1] > 0.8
    assert history["code_acc"][-1] > 0.5
    sevens = gan.generate_classes([7] * 4, seed=0)
    assert sevens.shape == (4, 28, 28, 1) and np.all(np.abs(sevens) <= 1)
    assert gan.generate(6, seed=0).shape == (6, 28, 28, 1)


@pytest.mark.parametrize(
    ("networks", "kwargs", "message"),
    [
        (lambda: (gh.build_generator(), gh.build_discriminator(n_classes=10)), {}, "ClassCode"),
        (lambda: (gh.build_generator(n_classes=10), gh.build_discriminator()), {}, "class logits"),
        (
            lambda: (gh.build_generator(n_classes=10), gh.build_discriminator(n_classes=5)),
            {},
            "same n_classes",
        ),
        (_coded_pair, {"pack": 2}, "pack"),
        (_coded_pair, {"class_weight": -1.0}, "class_weight"),
    ],
)
def test_auxiliary_classifier_gan_rejects_networks_that_do_not_fit(networks, kwargs, message):
    with pytest.raises(ValueError, match=message):
        gh.AuxiliaryClassifierGAN(*networks(), **kwargs)


def test_auxiliary_classifier_gan_needs_labelled_batches():
    gan = gh.AuxiliaryClassifierGAN(*_coded_pair(), seed=0)
    gan.compile(*gh.default_optimizers())
    images = np.zeros((64, 28, 28, 1), np.float32)
    with pytest.raises(ValueError, match="labels"):
        gan.fit(gh.make_dataset(images, batch_size=32), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="labels"):
        gan.fit(gh.make_dataset(images, batch_size=32, labels=np.full(64, 12)), verbose=0)


def test_generate_samples_is_seeded_chunked_and_in_inference_mode():
    generator = gh.build_mlp_generator(latent_dim=3, hidden=8, n_layers=1, batch_norm=True)
    first = gh.generate_samples(generator, 7, seed=4, batch_size=3)
    assert first.shape == (7, 2) and first.dtype == np.float32
    np.testing.assert_allclose(first, gh.generate_samples(generator, 7, seed=4), rtol=1e-6)
    z = gh.sample_latent(7, 3, seed=4)
    np.testing.assert_allclose(first, generator(z, training=False).numpy(), rtol=1e-6)
    assert not np.allclose(first, gh.generate_samples(generator, 7, seed=5))


def test_generate_samples_rejects_bad_input():
    generator = gh.build_mlp_generator(latent_dim=3, hidden=8, n_layers=1)
    with pytest.raises(TypeError, match="generator"):
        gh.generate_samples("not a model", 4)
    with pytest.raises(ValueError, match="n"):
        gh.generate_samples(generator, 0)
    with pytest.raises(ValueError, match="batch_size"):
        gh.generate_samples(generator, 4, batch_size=-1)
    conditional = gh.build_conditional_generator(latent_dim=8)
    with pytest.raises(ValueError, match="one input"):
        gh.generate_samples(conditional, 4)


def _info_pair(n_continuous=2):
    return (
        gh.build_generator(n_classes=10),
        gh.build_discriminator(n_classes=10, n_continuous=n_continuous),
    )


def test_info_gan_makes_its_codes_recoverable_without_labels():
    (x_train, _), _ = gh.load_mnist("sample")
    gan = gh.InfoGAN(*_info_pair(), seed=0)
    gan.compile(*gh.default_optimizers())
    dataset = gh.make_dataset(gh.scale_images(x_train[:1024]), batch_size=32, seed=0)
    history = gan.fit(dataset, epochs=4, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "d_acc", "code_acc", "code_mse"}
    # Q starts at chance (1 in 10; squared error about 1 for standard normal codes), and the
    # two networks together make both kinds of code recoverable from the images.
    assert history["code_acc"][0] < 0.6 < history["code_acc"][-1]
    assert history["code_mse"][-1] < 0.8 * history["code_mse"][0]
    assert gan.n_continuous == 2 and gan.generate(5, seed=0).shape == (5, 28, 28, 1)
    z = gh.latent_for_classes([3, 4], seed=0)
    np.testing.assert_array_equal(gan.continuous_codes(z), z[:, 10:12])


def test_info_gan_ignores_labels_and_trains_without_continuous_codes():
    gan = gh.InfoGAN(*_info_pair(n_continuous=0), seed=0)
    gan.compile(*gh.default_optimizers())
    images = np.zeros((64, 28, 28, 1), np.float32)
    history = gan.fit(gh.make_dataset(images, batch_size=32, labels=np.full(64, 12)), verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "d_acc", "code_acc"}


@pytest.mark.parametrize(
    ("networks", "kwargs", "error", "message"),
    [
        (lambda: (gh.build_generator(), _info_pair()[1]), {}, ValueError, "ClassCode"),
        (
            lambda: (gh.build_generator(n_classes=10), gh.build_discriminator()),
            {},
            ValueError,
            r"\[logit, class logits\] or \[logit, class logits, code estimates\]",
        ),
        (
            lambda: _info_pair(n_continuous=54),
            {},
            ValueError,
            "only 54 entries after its 10-way class code",
        ),
        (_info_pair, {"class_weight": 1.0}, TypeError, "takes info_weight"),
        (_info_pair, {"info_weight": 0.0}, ValueError, "info_weight"),
        (_info_pair, {"continuous_weight": -1.0}, ValueError, "continuous_weight"),
        (_info_pair, {"pack": 2}, ValueError, "InfoGAN does not support packing"),
    ],
)
def test_info_gan_rejects_networks_and_weights_that_do_not_fit(networks, kwargs, error, message):
    with pytest.raises(error, match=message):
        gh.InfoGAN(*networks(), **kwargs)
