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
        discriminator_loss(REAL, FAKE, "hinge_loss")
    with pytest.raises(ValueError, match="loss must be one of"):
        generator_loss(FAKE, "bce")
    with pytest.raises(ValueError, match="label_smoothing must be a number in"):
        discriminator_loss(REAL, FAKE, label_smoothing=1.0)
    with pytest.raises(ValueError, match="no meaning for the 'wasserstein' loss"):
        discriminator_loss(REAL, FAKE, "wasserstein", label_smoothing=0.1)


def test_gradient_penalty_of_a_linear_critic_is_exact():
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    critic.layers[0].set_weights([np.array([[3.0], [4.0]], np.float32)])  # gradient norm 5
    real = np.random.default_rng(0).normal(size=(8, 2)).astype(np.float32)
    fake = np.zeros((8, 2), np.float32)
    assert float(gradient_penalty(critic, real, fake, seed=1)) == pytest.approx(16.0, rel=1e-4)


def test_gradient_penalty_is_finite_for_a_zero_gradient():
    penalty, kernel_gradient = _at_zero_gradient(gradient_penalty)
    assert penalty == pytest.approx(1.0, abs=1e-5)
    assert np.all(np.isfinite(kernel_gradient))


def test_gradient_penalty_epsilon_error():
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="epsilon must be a positive number"):
        gradient_penalty(critic, np.ones((2, 2)), np.ones((2, 2)), epsilon=0)


def test_hinge_and_least_squares_match_hand_computed_values():
    # hinge: mean(relu(1 - [2, -1])) = (0 + 2) / 2; mean(relu(1 + [0.5, -3])) = (1.5 + 0) / 2
    assert float(discriminator_loss(REAL, FAKE, "hinge")) == pytest.approx(1.0 + 0.75)
    assert float(generator_loss(FAKE, "hinge")) == pytest.approx(1.25)
    # least squares: 0.5 * mean((l - 1)^2) on real + 0.5 * mean(l^2) on fake
    real_term = 0.5 * np.mean((REAL.ravel() - 1.0) ** 2)
    fake_term = 0.5 * np.mean(FAKE.ravel() ** 2)
    got = float(discriminator_loss(REAL, FAKE, "least_squares"))
    assert got == pytest.approx(real_term + fake_term, rel=1e-6)
    smoothed = 0.5 * np.mean((REAL.ravel() - 0.9) ** 2) + fake_term
    got = float(discriminator_loss(REAL, FAKE, "least_squares", label_smoothing=0.1))
    assert got == pytest.approx(smoothed, rel=1e-6)
    expected_g = 0.5 * np.mean((FAKE.ravel() - 1.0) ** 2)
    assert float(generator_loss(FAKE, "least_squares")) == pytest.approx(expected_g, rel=1e-6)


def test_registry_entries_declare_their_reporting_and_defaults():
    from gan_helpers import LOSSES, get_loss

    assert set(LOSSES) >= {"minimax", "non_saturating", "wasserstein", "hinge", "least_squares"}
    assert get_loss("wasserstein").report == "critic_gap"
    assert get_loss("wasserstein").default_gp_weight == 10.0
    assert not get_loss("hinge").label_smoothing
    assert get_loss("non_saturating").report == "accuracy"


def test_register_loss_adds_a_trainable_kind_and_refuses_duplicates():
    from gan_helpers import LOSSES, LossKind, register_loss

    from keras import ops

    kind = LossKind(
        "test_relativistic",
        lambda real, fake, target: ops.mean(ops.softplus(-(real - ops.mean(fake)))),
        lambda fake: -ops.mean(fake),
        label_smoothing=False,
        default_gp_weight=0.0,
        report="accuracy",
        description="test entry",
    )
    try:
        register_loss(kind)
        assert float(discriminator_loss(REAL, FAKE, "test_relativistic")) > 0
        with pytest.raises(ValueError, match="already registered"):
            register_loss(kind)
    finally:
        LOSSES.pop("test_relativistic", None)
    with pytest.raises(TypeError, match="LossKind"):
        register_loss("hinge")


@pytest.mark.parametrize(
    ("real", "fake", "error", "match"),
    [
        ("abc", FAKE, TypeError, "real_logits must be a float tensor"),
        (REAL, [1, 2], TypeError, "fake_logits must hold float logits"),
        (REAL.astype(np.int32), FAKE, TypeError, "real_logits must be float logits"),
        (np.zeros((2, 3), np.float32), FAKE, ValueError, r"real_logits must have shape \(n,\)"),
        (REAL, None, TypeError, "fake_logits must be a float tensor"),
    ],
)
def test_losses_reject_bad_logits(real, fake, error, match):
    with pytest.raises(error, match=match):
        discriminator_loss(real, fake)


def test_generator_loss_rejects_bad_logits():
    with pytest.raises(ValueError, match="fake_logits must have shape"):
        generator_loss(np.zeros((2, 2, 2), np.float32))
    with pytest.raises(ValueError, match="loss must be one of"):
        generator_loss(FAKE, 3)


def test_gradient_penalty_rejects_mismatched_or_bad_batches():
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="same shape"):
        gradient_penalty(critic, np.zeros((4, 2), np.float32), np.zeros((3, 2), np.float32))
    with pytest.raises(TypeError, match="critic must be a callable"):
        gradient_penalty("critic", np.zeros((4, 2), np.float32), np.zeros((4, 2), np.float32))
    with pytest.raises(TypeError, match="real must hold floats"):
        gradient_penalty(critic, np.zeros((4, 2), np.int32), np.zeros((4, 2), np.float32))
    with pytest.raises(ValueError, match="real must be a batch"):
        gradient_penalty(critic, np.zeros(4, np.float32), np.zeros(4, np.float32))


def test_r1_penalty_of_a_linear_critic_is_its_squared_weight_norm():
    from gan_helpers import r1_penalty

    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    critic.layers[0].kernel.assign(np.array([[3.0], [4.0]], np.float32))
    real = np.random.default_rng(0).standard_normal((5, 2)).astype(np.float32)
    assert float(r1_penalty(critic, real)) == pytest.approx(25.0, rel=1e-5)


# ----- the WGAN-GP bugs well-known implementations shipped ----------------------------------
# Each check below runs on the package's gradient_penalty and on a buggy copy of it; a check is
# only useful if it passes on the first and fails on the second. "Weight" is the interpolation
# weight a in a * real + (1 - a) * fake; "constant" is the small number inside the square root.


def _penalty_with(alpha_fn, epsilon: float | None):
    """A gradient penalty whose interpolation weights come from ``alpha_fn(batch, dims)``."""
    import tensorflow as tf
    from keras import ops

    def penalty(critic, real, fake, seed=None):
        real = ops.convert_to_tensor(real)
        fake = ops.convert_to_tensor(fake)
        alpha = alpha_fn(real.shape[0], len(real.shape))
        interpolates = alpha * real + (1 - alpha) * fake
        with tf.GradientTape() as tape:
            tape.watch(interpolates)
            scores = critic(interpolates, training=True)
        squared = ops.sum(ops.square(tape.gradient(scores, interpolates)), axis=1)
        norms = ops.sqrt(squared) if epsilon is None else ops.sqrt(squared + epsilon)
        return ops.mean(ops.square(norms - 1.0))

    return penalty


def _normal_alpha(batch, dims):
    return keras.random.normal((batch,) + (1,) * (dims - 1), seed=0)


def _one_alpha_per_batch(batch, dims):
    return keras.random.uniform((1,) * dims, seed=0) * np.ones((batch,) + (1,) * (dims - 1))


def _one_alpha_per_coordinate(batch, dims):
    return keras.random.uniform((batch, 2), seed=0)  # the shape of the 2-D samples themselves


def _uniform_alpha(batch, dims):
    return keras.random.uniform((batch,) + (1,) * (dims - 1), seed=0)


BUGGY_PENALTIES = {
    "normal weight": _penalty_with(_normal_alpha, 1e-12),
    "one weight per batch": _penalty_with(_one_alpha_per_batch, 1e-12),
    "one weight per coordinate": _penalty_with(_one_alpha_per_coordinate, 1e-12),
    "no constant in the sqrt": _penalty_with(_uniform_alpha, None),
}


def _interpolation_weights(penalty) -> np.ndarray:
    """The weights a penalty used, one column per coordinate, read back from its critic's input.

    Real samples are all (1, 3) and fakes (0, 0), so an interpolate is (a, 3 a) when both
    coordinates share the weight a; the columns returned are (a, a) then.
    """
    from keras import ops

    seen = []

    def recording_critic(points, training=True):
        seen.append(points)
        return ops.sum(points, axis=1, keepdims=True)

    n = 4000
    real = np.tile(np.array([[1.0, 3.0]], np.float32), (n, 1))
    fake = np.zeros((n, 2), np.float32)
    penalty(recording_critic, real, fake, seed=0)
    return ops.convert_to_numpy(seen[0]) / np.array([1.0, 3.0], np.float32)


def _uniform_per_sample(weights: np.ndarray) -> bool:
    shared = np.allclose(weights[:, 0], weights[:, 1], atol=1e-5)  # one weight per sample
    weights = weights[:, 0]
    inside = weights.min() >= 0 and weights.max() <= 1
    uniform = abs(weights.mean() - 0.5) < 0.03 and abs(weights.var() - 1 / 12) < 0.01
    return bool(shared and inside and uniform and len(np.unique(weights)) > len(weights) // 2)


def _at_zero_gradient(penalty) -> tuple[float, np.ndarray]:
    """``penalty`` of a critic whose gradient is 0 everywhere, and its gradient on the kernel."""
    import tensorflow as tf

    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    critic.layers[0].set_weights([np.zeros((2, 1), np.float32), np.zeros(1, np.float32)])
    points = np.ones((4, 2), np.float32)
    with tf.GradientTape() as tape:
        value = penalty(critic, points, points, seed=0)
    return float(value), np.asarray(tape.gradient(value, critic.layers[0].kernel))


def _finite_at_zero_gradient(penalty) -> bool:
    value, gradient = _at_zero_gradient(penalty)
    return bool(np.isfinite(value) and np.all(np.isfinite(gradient)))


def test_gradient_penalty_draws_one_uniform_weight_per_sample():
    assert _uniform_per_sample(_interpolation_weights(gradient_penalty))


@pytest.mark.parametrize(
    "bug", ["normal weight", "one weight per batch", "one weight per coordinate"]
)
def test_the_interpolation_check_catches_the_buggy_variants(bug):
    assert not _uniform_per_sample(_interpolation_weights(BUGGY_PENALTIES[bug]))


def test_gradient_penalty_and_its_gradient_are_finite_at_a_zero_critic_gradient():
    assert _finite_at_zero_gradient(gradient_penalty)


def test_the_zero_gradient_check_catches_a_sqrt_without_epsilon():
    assert not _finite_at_zero_gradient(BUGGY_PENALTIES["no constant in the sqrt"])


def test_the_correct_variant_passes_both_checks():
    correct = _penalty_with(_uniform_alpha, 1e-12)
    assert _uniform_per_sample(_interpolation_weights(correct))
    assert _finite_at_zero_gradient(correct)


def test_error_messages_suggest_a_fix():
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match=r"ops.reshape\(real_logits, \(-1, 1\)\)"):
        discriminator_loss(np.zeros((2, 3), np.float32), FAKE)
    with pytest.raises(TypeError, match=r"cast with ops.cast\(real, 'float32'\)"):
        gradient_penalty(critic, np.zeros((4, 2), np.int32), np.zeros((4, 2), np.float32))
    with pytest.raises(ValueError, match=r"add the batch axis"):
        gradient_penalty(critic, np.zeros(4, np.float32), np.zeros(4, np.float32))
    with pytest.raises(ValueError, match="generate as many fakes"):
        gradient_penalty(critic, np.zeros((4, 2), np.float32), np.zeros((3, 2), np.float32))
    with pytest.raises(TypeError, match="critic=gan.discriminator"):
        gradient_penalty(None, np.zeros((4, 2), np.float32), np.zeros((4, 2), np.float32))


def test_register_loss_names_the_non_callable_it_received():
    from gan_helpers import LossKind, register_loss

    kind = LossKind("not_callable", "hinge", lambda fake: fake, False, 0.0, "accuracy", "x")
    with pytest.raises(TypeError, match=r"got 'hinge' \(str\) and"):
        register_loss(kind)


def test_penalties_reject_a_critic_that_ignores_its_input():
    from gan_helpers import r1_penalty

    from keras import ops

    def constant_critic(points, training=True):
        return ops.ones((4, 1))

    points = np.ones((4, 2), np.float32)
    with pytest.raises(ValueError, match="do not depend on its input"):
        gradient_penalty(constant_critic, points, points, seed=0)
    with pytest.raises(ValueError, match="do not depend on its input"):
        r1_penalty(constant_critic, points)


def test_gradient_penalty_uses_given_interpolation_weights():
    real = np.ones((3, 2), np.float32)
    fake = np.zeros((3, 2), np.float32)

    def critic(x, training=True):
        return keras.ops.sum(x**2, axis=1, keepdims=True)  # gradient 2x: norm 2 * sqrt(2) * a

    alpha = np.array([0.0, 0.5, 1.0], np.float32)
    norms = np.sqrt(8 * alpha**2 + 1e-12)
    expected = np.mean((norms - 1) ** 2)
    assert float(gradient_penalty(critic, real, fake, alpha=alpha)) == pytest.approx(expected)
    with pytest.raises(ValueError, match="alpha must hold one interpolation weight per sample"):
        gradient_penalty(critic, real, fake, alpha=np.zeros((3, 1), np.float32))
