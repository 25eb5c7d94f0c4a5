from gan_helpers import discriminator_loss, generator_loss, gradient_penalty

import math

import keras
import numpy as np
import pytest


def _bce(probability: float, target: float) -> float:
    return -(target * math.log(probability) + (1 - target) * math.log(1 - probability))


def _sigmoid(logit: float) -> float:
    return 1 / (1 + math.exp(-logit))


REAL = np.array([[2.0], [-1.0]], np.float32)
FAKE = np.array([[0.5], [-3.0]], np.float32)


def test_discriminator_loss_matches_hand_computed_cross_entropy():
    expected = np.mean([_bce(_sigmoid(v), 1.0) for v in REAL.ravel()]) + np.mean(
        [_bce(_sigmoid(v), 0.0) for v in FAKE.ravel()]
    )
    for kind in ("minimax", "non_saturating"):
        got = float(discriminator_loss(REAL, FAKE, kind))
        assert got == pytest.approx(expected, rel=1e-5)


def test_one_sided_label_smoothing_only_moves_real_targets():
    expected = np.mean([_bce(_sigmoid(v), 0.9) for v in REAL.ravel()]) + np.mean(
        [_bce(_sigmoid(v), 0.0) for v in FAKE.ravel()]
    )
    got = float(discriminator_loss(REAL, FAKE, label_smoothing=0.1))
    assert got == pytest.approx(expected, rel=1e-5)


def test_generator_losses_match_hand_computed_values():
    minimax = np.mean([math.log(1 - _sigmoid(v)) for v in FAKE.ravel()])
    non_saturating = np.mean([-math.log(_sigmoid(v)) for v in FAKE.ravel()])
    assert float(generator_loss(FAKE, "minimax")) == pytest.approx(minimax, rel=1e-5)
    assert float(generator_loss(FAKE, "non_saturating")) == pytest.approx(non_saturating, rel=1e-5)
    assert float(generator_loss(FAKE, "wasserstein")) == pytest.approx(1.25)


def test_wasserstein_critic_loss():
    assert float(discriminator_loss(REAL, FAKE, "wasserstein")) == pytest.approx(-1.25 - 0.5)


def test_losses_stay_finite_for_confident_logits():
    huge = np.array([[200.0], [-200.0]], np.float32)
    for kind in ("minimax", "non_saturating"):
        assert np.isfinite(float(discriminator_loss(huge, -huge, kind)))
        assert np.isfinite(float(generator_loss(huge, kind)))


def test_loss_errors():
    with pytest.raises(ValueError, match="loss must be one of"):
        discriminator_loss(REAL, FAKE, "hinge")
    with pytest.raises(ValueError, match="loss must be one of"):
        generator_loss(FAKE, "bce")
    with pytest.raises(ValueError, match="label_smoothing must be a number in"):
        discriminator_loss(REAL, FAKE, label_smoothing=1.0)
    with pytest.raises(ValueError, match="Wasserstein"):
        discriminator_loss(REAL, FAKE, "wasserstein", label_smoothing=0.1)


def test_gradient_penalty_of_a_linear_critic_is_exact():
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    critic.layers[0].set_weights([np.array([[3.0], [4.0]], np.float32)])  # gradient norm 5
    real = np.random.default_rng(0).normal(size=(8, 2)).astype(np.float32)
    fake = np.zeros((8, 2), np.float32)
    assert float(gradient_penalty(critic, real, fake, seed=1)) == pytest.approx(16.0, rel=1e-4)


def test_gradient_penalty_is_finite_for_a_zero_gradient():
    import tensorflow as tf

    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    critic.layers[0].set_weights([np.zeros((2, 1), np.float32), np.zeros(1, np.float32)])
    points = np.ones((4, 2), np.float32)
    with tf.GradientTape() as tape:
        penalty = gradient_penalty(critic, points, points, seed=0)
    kernel_gradient = tape.gradient(penalty, critic.layers[0].kernel)
    assert float(penalty) == pytest.approx(1.0, abs=1e-5)
    assert np.all(np.isfinite(kernel_gradient.numpy()))


def test_gradient_penalty_epsilon_error():
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="epsilon must be a positive number"):
        gradient_penalty(critic, np.ones((2, 2)), np.ones((2, 2)), epsilon=0)
