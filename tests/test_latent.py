"""Tests for gan_helpers.latent: interpolation, truncation and inversion."""

from gan_helpers.latent import invert, lerp, slerp, truncated_latent

import keras
import numpy as np
import pytest
from keras import layers

LATENT_DIM = 8


@pytest.fixture(scope="module")
def tiny_generator() -> keras.Model:
    """z (8,) -> a 28x28x1 image in [-1, 1]: one hidden layer, so inversion runs fast."""
    keras.utils.set_random_seed(3)
    z = keras.Input((LATENT_DIM,))
    hidden = layers.Dense(64, activation="tanh")(z)
    pixels = layers.Dense(28 * 28, activation="tanh")(hidden)
    return keras.Model(z, layers.Reshape((28, 28, 1))(pixels))


def test_lerp_hits_both_ends_and_the_midpoint():
    z_a, z_b = np.array([1.0, 2.0]), np.array([3.0, -2.0])
    path = lerp(z_a, z_b, [0.0, 0.5, 1.0])
    assert path.shape == (3, 2) and path.dtype == np.float32
    np.testing.assert_allclose(path, [[1, 2], [2, 0], [3, -2]])
    np.testing.assert_allclose(lerp(z_a, z_b, 0.25), [1.5, 1.0])


def test_slerp_keeps_the_norm_of_gaussian_codes_where_lerp_loses_it():
    rng = np.random.default_rng(0)
    d = 64
    z_a, z_b = rng.standard_normal((2, 500, d))
    t = np.linspace(0, 1, 11)
    spherical = slerp(z_a, z_b, t)
    linear = lerp(z_a, z_b, t)
    assert spherical.shape == linear.shape == (11, 500, d)
    np.testing.assert_allclose(spherical[0], z_a, atol=1e-5)
    np.testing.assert_allclose(spherical[-1], z_b, atol=1e-5)
    norms = np.linalg.norm(spherical, axis=-1)
    low = np.minimum(np.linalg.norm(z_a, axis=-1), np.linalg.norm(z_b, axis=-1))
    high = np.maximum(np.linalg.norm(z_a, axis=-1), np.linalg.norm(z_b, axis=-1))
    assert np.all(norms >= low - 1e-4) and np.all(norms <= high + 1e-4)
    midpoint = np.linalg.norm(linear[5], axis=-1).mean()
    assert abs(midpoint - np.sqrt(d / 2)) < 0.3  # about sqrt(d/2) = 5.66
    assert abs(norms[5].mean() - np.sqrt(d)) < 0.3  # about sqrt(d) = 8


def test_slerp_follows_the_quarter_circle_and_handles_parallel_codes():
    path = slerp(np.array([1.0, 0.0]), np.array([0.0, 1.0]), [0.5])
    np.testing.assert_allclose(path[0], [np.sqrt(0.5), np.sqrt(0.5)], atol=1e-6)
    parallel = slerp(np.array([1.0, 1.0]), np.array([2.0, 2.0]), 0.5)
    np.testing.assert_allclose(parallel, [1.5, 1.5], atol=1e-6)


@pytest.mark.parametrize("function", [lerp, slerp])
def test_interpolation_rejects_bad_input(function):
    with pytest.raises(ValueError, match="z_a and z_b must have the same shape"):
        function(np.zeros(3) + 1, np.ones(4), 0.5)
    with pytest.raises(TypeError, match="z_a must be a latent vector"):
        function("abc", np.ones(4), 0.5)
    with pytest.raises(ValueError, match=r"z_b must have shape \(latent_dim,\)"):
        function(np.ones(2), np.ones((1, 2, 3)), 0.5)
    with pytest.raises(TypeError, match="t must be a number"):
        function(np.ones(2), np.ones(2), "half")
    with pytest.raises(ValueError, match="t must be a finite number"):
        function(np.ones(2), np.ones(2), [np.nan])
    with pytest.raises(ValueError, match="z_a contains NaN"):
        function(np.array([np.nan, 1.0]), np.ones(2), 0.5)


def test_slerp_rejects_a_zero_code():
    with pytest.raises(ValueError, match="use lerp"):
        slerp(np.zeros(3), np.ones(3), 0.5)


def test_truncation_shrinks_the_spread_and_keeps_directions():
    full = truncated_latent(4000, 16, psi=1.0, seed=1)
    half = truncated_latent(4000, 16, psi=0.5, seed=1)
    assert full.shape == (4000, 16) and half.dtype == np.float32
    assert abs(full.std() - 1.0) < 0.03 and abs(half.std() - 0.5) < 0.02
    np.testing.assert_allclose(half, 0.5 * full, rtol=1e-6)
    np.testing.assert_array_equal(np.argmax(half[:, :10], 1), np.argmax(full[:, :10], 1))
    assert not truncated_latent(5, 16, psi=0.0, seed=1).any()


def test_truncation_at_zero_gives_one_code_even_for_an_argmax():
    """psi = 0 once gave -0.0 entries, and TensorFlow's argmax ranks +0.0 above -0.0, so a
    class-coded generator drew a different digit from each "identical" center code."""
    import tensorflow as tf

    centers = truncated_latent(50, 16, psi=0.0, seed=4)
    assert not np.signbit(centers).any()
    assert len(np.unique(tf.argmax(centers[:, :10], axis=1).numpy())) == 1


def test_truncation_rejects_bad_input():
    with pytest.raises(ValueError, match=r"psi must be a number in \[0.0, 1.0\]"):
        truncated_latent(4, 16, psi=1.5)
    with pytest.raises(TypeError, match="n must be a positive int"):
        truncated_latent(4.0, 16, psi=0.5)
    with pytest.raises(ValueError, match="latent_dim must be a positive int"):
        truncated_latent(4, 0, psi=0.5)


def test_invert_recovers_generated_images(tiny_generator):
    z_true = np.random.default_rng(5).standard_normal((16, LATENT_DIM)).astype("float32")
    targets = np.asarray(tiny_generator(z_true))
    others = np.asarray(tiny_generator(z_true[::-1]))
    random_pair_error = np.mean((targets - others) ** 2)
    codes, errors = invert(tiny_generator, targets, steps=300, restarts=3, seed=0)
    assert codes.shape == (16, LATENT_DIM) and errors.shape == (16,)
    recomputed = np.mean((np.asarray(tiny_generator(codes)) - targets) ** 2, axis=(1, 2, 3))
    np.testing.assert_allclose(errors, recomputed, rtol=1e-3, atol=1e-7)
    assert np.mean(errors <= 0.05 * random_pair_error) >= 0.9


def test_invert_keeps_the_best_restart_and_uses_given_starts(tiny_generator):
    z_true = np.random.default_rng(6).standard_normal((4, LATENT_DIM)).astype("float32")
    targets = np.asarray(tiny_generator(z_true))
    starts = np.stack([z_true + 3.0, z_true], axis=1)  # the second start is the answer
    codes, errors = invert(tiny_generator, targets, steps=1, restarts=2, initial=starts)
    assert np.all(errors < 1e-3)
    np.testing.assert_allclose(codes, z_true, atol=0.1)
    one, _ = invert(tiny_generator, targets, steps=5, restarts=2, seed=1)
    two, _ = invert(tiny_generator, targets, steps=5, restarts=2, seed=1, batch_size=3)
    np.testing.assert_allclose(one, two, atol=1e-5)


def test_invert_rejects_bad_input(tiny_generator):
    image = np.zeros((2, 28, 28, 1), "float32")
    with pytest.raises(TypeError, match="generator must be a keras.Model"):
        invert("generator", image)
    with pytest.raises(TypeError, match="images must be float32"):
        invert(tiny_generator, np.zeros((2, 28, 28, 1), "uint8"))
    with pytest.raises(ValueError, match="images has no channel axis"):
        invert(tiny_generator, np.zeros((2, 28, 28), "float32"))
    with pytest.raises(ValueError, match=r"images must lie in \[-1, 1\]"):
        invert(tiny_generator, image + 5)
    with pytest.raises(ValueError, match="steps must be a positive int"):
        invert(tiny_generator, image, steps=0)
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        invert(tiny_generator, image, learning_rate=-1.0)
    with pytest.raises(ValueError, match=r"initial must be finite codes of shape"):
        invert(tiny_generator, image, restarts=2, initial=np.zeros((2, 3, LATENT_DIM)))
    z = keras.Input((LATENT_DIM,))
    label = keras.Input((), dtype="int32")
    conditional = keras.Model([z, label], layers.Reshape((28, 28, 1))(layers.Dense(784)(z)))
    with pytest.raises(ValueError, match="one flat latent input"):
        invert(conditional, image)
