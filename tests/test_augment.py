import gan_helpers as gh
from gan_helpers.augment import DiffAugment, cutout, translate

import keras
import numpy as np
import pytest
import tensorflow as tf


def _dot_images(n=16, row=14, col=14):
    """Black 28x28 images with one white pixel at (row, col)."""
    images = -np.ones((n, 28, 28, 1), np.float32)
    images[:, row, col, 0] = 1.0
    return images


def _dot_positions(images):
    flat = np.asarray(images)[..., 0].reshape(len(images), -1)
    return np.stack(np.unravel_index(flat.argmax(axis=1), (28, 28)), axis=1)


def test_translate_moves_each_image_by_at_most_max_shift_and_keeps_values():
    shifted = translate(_dot_images(64), max_shift=3, seed=0).numpy()
    offsets = _dot_positions(shifted) - 14
    assert shifted.shape == (64, 28, 28, 1)
    assert np.abs(offsets).max() <= 3
    assert len({tuple(o) for o in offsets}) > 5  # shifts differ between images
    assert np.allclose(np.sort(np.unique(shifted)), [-1.0, 1.0])
    assert np.all((shifted == 1.0).sum(axis=(1, 2, 3)) == 1)  # the dot is never lost


def test_translate_fills_the_border_with_background():
    white = np.ones((32, 28, 28, 1), np.float32)
    shifted = translate(white, max_shift=2, seed=1).numpy()
    black_per_image = (shifted == -1.0).sum(axis=(1, 2, 3))
    assert black_per_image.max() > 0
    assert black_per_image.max() <= 28 * 28 - 26 * 26  # at most 2 rows and 2 columns


def test_translate_is_seeded_and_zero_shift_is_the_identity():
    images = _dot_images(8)
    np.testing.assert_array_equal(translate(images, 3, seed=5), translate(images, 3, seed=5))
    np.testing.assert_array_equal(translate(images, 0, seed=5), images)


def test_cutout_erases_one_square_of_at_most_size_squared_pixels():
    white = np.ones((64, 28, 28, 1), np.float32)
    erased = cutout(white, size=14, seed=0).numpy()
    counts = (erased == -1.0).sum(axis=(1, 2, 3))
    assert counts.max() <= 14 * 14
    assert counts.min() >= 7 * 7  # the center lies in the image, so a quarter stays inside
    assert np.all((erased == 1.0) | (erased == -1.0))
    np.testing.assert_array_equal(cutout(white, 0, seed=0), white)


def test_gradients_flow_through_the_augmentation():
    images = tf.Variable(np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype("float32"))
    layer = DiffAugment(seed=0)
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(layer(images, training=True))
    gradient = tape.gradient(total, images).numpy()
    assert set(np.unique(gradient)) <= {0.0, 1.0}
    assert gradient.sum() > 0.25 * gradient.size  # most pixels survive shift and cutout


def test_layer_is_the_identity_outside_training_and_at_probability_zero():
    images = _dot_images(4)
    np.testing.assert_array_equal(DiffAugment(seed=0)(images), images)
    layer = DiffAugment(probability=0.0, seed=0)
    np.testing.assert_array_equal(layer(images, training=True), images)
    assert not np.array_equal(DiffAugment(seed=0)(images, training=True), images)


def test_layer_config_round_trips():
    layer = DiffAugment(max_shift=2, cutout_size=8, probability=0.5, seed=3)
    clone = DiffAugment.from_config(layer.get_config())
    assert (clone.max_shift, clone.cutout_size, clone.probability, clone.seed) == (2, 8, 0.5, 3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"max_shift": -1}, ValueError, "max_shift"),
        ({"max_shift": 2.5}, TypeError, "max_shift"),
        ({"cutout_size": -2}, ValueError, "cutout_size"),
        ({"probability": 1.5}, ValueError, "probability"),
        ({"seed": "a"}, TypeError, "seed"),
    ],
)
def test_bad_layer_arguments_are_refused_with_their_name(kwargs, error, match):
    with pytest.raises(error, match=match):
        DiffAugment(**kwargs)


def test_a_batch_without_channel_axis_is_refused():
    with pytest.raises(ValueError, match="channel axis"):
        translate(np.zeros((2, 28, 28), np.float32), 3)


def test_gan_refuses_a_non_callable_augment():
    with pytest.raises(TypeError, match="augment"):
        gh.GAN(gh.build_generator(), gh.build_discriminator(), augment="translation")


def test_gan_with_augmentation_trains_and_augments_both_players_inputs():
    keras.utils.set_random_seed(0)
    seen = []

    class Recording(DiffAugment):
        def call(self, inputs, training=False):
            seen.append(training)
            return super().call(inputs, training=training)

    gan = gh.GAN(
        gh.build_generator(width=4), gh.build_discriminator(width=4), augment=Recording(seed=0)
    )
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    images = np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)).astype("float32")
    history = gan.fit(gh.make_dataset(images, batch_size=32, seed=0), epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][-1])
    assert seen.count(True) == 3  # traced once: real and fake in D's step, fake in G's step
