"""GAN losses on discriminator logits, declared once each in a registry.

With ``D(x) = sigmoid(l)`` for a logit ``l``, the cross-entropy terms are written with
``softplus`` so they never take the log of 0:

- ``-log D(x) = softplus(-l)``
- ``-log(1 - D(x)) = softplus(l)``

Every loss kind is one :class:`LossKind` entry in :data:`LOSSES`: its discriminator loss, its
generator loss, whether one-sided label smoothing applies, its default gradient-penalty weight,
and what the progress bar reports about the discriminator. ``GAN(loss=...)`` looks the name up
there, so a new loss is a new entry (:func:`register_loss`), not a new branch in the trainer.

Built-in kinds:

- ``"minimax"``: the original value function. D minimizes
  ``-log D(x) - log(1 - D(G(z)))``; G minimizes ``log(1 - D(G(z))) = -softplus(l_fake)``,
  whose gradient vanishes when D confidently rejects the fakes.
- ``"non_saturating"``: same D loss; G minimizes ``-log D(G(z)) = softplus(-l_fake)``.
- ``"wasserstein"``: the critic minimizes ``mean(l_fake) - mean(l_real)``; G minimizes
  ``-mean(l_fake)``. Use it with :func:`gradient_penalty`.
- ``"hinge"``: D minimizes ``mean(relu(1 - l_real)) + mean(relu(1 + l_fake))``; G minimizes
  ``-mean(l_fake)``.
- ``"least_squares"``: D minimizes ``mean((l_real - 1)^2) + mean(l_fake^2)``, each halved; G
  minimizes ``mean((l_fake - 1)^2) / 2`` (LSGAN with targets 0 and 1).

Regularizers that combine with any kind: :func:`gradient_penalty` (WGAN-GP, on interpolates)
and :func:`r1_penalty` (on real data).

All losses return the mean over the batch as a scalar tensor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from . import checks

__all__ = [
    "LOSSES",
    "LOSS_KINDS",
    "LossKind",
    "check_label_smoothing",
    "check_loss_kind",
    "discriminator_loss",
    "generator_loss",
    "get_loss",
    "gradient_penalty",
    "r1_penalty",
    "register_loss",
]


@dataclass(frozen=True)
class LossKind:
    """One GAN loss: what each player minimizes, and how training reports it.

    Attributes:
        name: the name ``GAN(loss=...)`` accepts.
        d_loss: ``d_loss(real_logits, fake_logits, real_target)`` -> scalar, where
            ``real_target`` is 1 minus the label smoothing (1.0 when smoothing does not apply).
        g_loss: ``g_loss(fake_logits)`` -> scalar.
        label_smoothing: True when one-sided label smoothing has a meaning for this loss.
        default_gp_weight: the gradient-penalty weight ``GAN`` uses when none is given.
        report: ``"accuracy"`` (share of real logits > 0 and fake logits < 0, reported as
            ``d_acc``) or ``"critic_gap"`` (mean real score minus mean fake score, reported as
            ``gap``: an estimate of the Wasserstein distance for a 1-Lipschitz critic).
        description: one line for tables and error messages.
    """

    name: str
    d_loss: Callable
    g_loss: Callable
    label_smoothing: bool
    default_gp_weight: float
    report: str
    description: str


LOSSES: dict[str, LossKind] = {}
"""The registry: loss name -> :class:`LossKind`. Add entries with :func:`register_loss`."""


def register_loss(kind: LossKind, replace: bool = False) -> LossKind:
    """Add a loss to :data:`LOSSES` so ``GAN(loss=kind.name)`` can train with it.

    Args:
        kind: the :class:`LossKind` to add.
        replace: allow replacing an existing entry of the same name.

    Returns:
        ``kind``.

    Raises:
        TypeError: ``kind`` is not a LossKind, or its losses are not callable.
        ValueError: the name is taken (and ``replace`` is False), or ``report`` is unknown.

    Example:
        >>> register_loss(LossKind("my_hinge", d_fn, g_fn, False, 0.0, "accuracy", "..."))
    """
    if not isinstance(kind, LossKind):
        raise TypeError(
            f"kind must be a gan_helpers.losses.LossKind, got {checks.describe(kind)}; build "
            "one with LossKind(name, d_loss, g_loss, label_smoothing, default_gp_weight, "
            "report, description)."
        )
    if not callable(kind.d_loss) or not callable(kind.g_loss):
        raise TypeError(
            f"kind.d_loss and kind.g_loss must be callables taking logits, got "
            f"{checks.describe(kind.d_loss)} and {checks.describe(kind.g_loss)}; pass functions "
            "such as d_loss(real_logits, fake_logits, real_target) and g_loss(fake_logits)."
        )
    checks.choice(kind.report, "kind.report", ("accuracy", "critic_gap"))
    if kind.name in LOSSES and not replace:
        raise ValueError(
            f"a loss named {kind.name!r} is already registered; pick another name or pass "
            "replace=True."
        )
    LOSSES[kind.name] = kind
    return kind


def _cross_entropy_d_loss(real_logits, fake_logits, real_target):
    # Cross-entropy with target t on logit l: t * softplus(-l) + (1 - t) * softplus(l).
    real_term = real_target * ops.softplus(-real_logits) + (1.0 - real_target) * ops.softplus(
        real_logits
    )
    return ops.mean(real_term) + ops.mean(ops.softplus(fake_logits))


def _minimax_g_loss(fake_logits):
    return -ops.mean(ops.softplus(fake_logits))


def _non_saturating_g_loss(fake_logits):
    return ops.mean(ops.softplus(-fake_logits))


def _wasserstein_d_loss(real_logits, fake_logits, real_target):
    return ops.mean(fake_logits) - ops.mean(real_logits)


def _raise_score_g_loss(fake_logits):
    return -ops.mean(fake_logits)


def _hinge_d_loss(real_logits, fake_logits, real_target):
    return ops.mean(ops.relu(1.0 - real_logits)) + ops.mean(ops.relu(1.0 + fake_logits))


def _least_squares_d_loss(real_logits, fake_logits, real_target):
    real_term = ops.mean(ops.square(real_logits - real_target))
    return 0.5 * real_term + 0.5 * ops.mean(ops.square(fake_logits))


def _least_squares_g_loss(fake_logits):
    return 0.5 * ops.mean(ops.square(fake_logits - 1.0))


# name, D loss, G loss, label smoothing applies, default GP weight, report, description
_BUILT_IN = (
    ("minimax", _cross_entropy_d_loss, _minimax_g_loss, True, 0.0, "accuracy",
     "original value function; G's gradient vanishes when D wins"),
    ("non_saturating", _cross_entropy_d_loss, _non_saturating_g_loss, True, 0.0, "accuracy",
     "same D loss; G maximizes log D(G(z))"),
    ("wasserstein", _wasserstein_d_loss, _raise_score_g_loss, False, 10.0, "critic_gap",
     "critic scores; needs a Lipschitz constraint (gradient penalty)"),
    ("hinge", _hinge_d_loss, _raise_score_g_loss, False, 0.0, "accuracy",
     "margin loss for D; G raises D's score of its samples"),
    ("least_squares", _least_squares_d_loss, _least_squares_g_loss, True, 0.0, "accuracy",
     "squared error to targets 1 (real) and 0 (fake); LSGAN"),
)  # fmt: skip
for _entry in _BUILT_IN:
    register_loss(LossKind(*_entry))

LOSS_KINDS = tuple(LOSSES)
"""Names of the built-in losses (the registry may hold more: see :data:`LOSSES`)."""


def check_loss_kind(kind) -> str:
    """Return ``kind`` if it names a registered loss, else raise a ValueError listing them."""
    if not isinstance(kind, str) or kind not in LOSSES:
        raise ValueError(
            f"loss must be one of {', '.join(repr(name) for name in LOSSES)}; got "
            f"{checks.describe(kind)}. Register new ones with gan_helpers.register_loss."
        )
    return kind


def get_loss(kind) -> LossKind:
    """The :class:`LossKind` registered under the name ``kind``.

    Raises:
        ValueError: unknown name (the message lists the known ones).
    """
    return LOSSES[check_loss_kind(kind)]


def check_label_smoothing(label_smoothing, kind: str = "non_saturating") -> float:
    """Return ``label_smoothing`` as a float if it is valid for loss ``kind``, else raise."""
    value = checks.number_in_range(
        label_smoothing, "label_smoothing", 0.0, 1.0, 0.1, high_inclusive=False
    )
    if value and not get_loss(kind).label_smoothing:
        raise ValueError(
            f"label_smoothing has no meaning for the {kind!r} loss (its targets are not "
            "probabilities); use label_smoothing=0."
        )
    return value


def _check_logits(logits, name: str):
    """Logits as a float tensor of shape (n,) or (n, 1); cheap enough for graph mode."""
    if isinstance(logits, (str, bytes, dict)) or logits is None:
        raise TypeError(f"{name} must be a float tensor of logits, got {checks.describe(logits)}.")
    if isinstance(logits, (list, tuple)):
        logits = np.asarray(logits)
        if logits.dtype.kind not in "f":
            raise TypeError(
                f"{name} must hold float logits, got a list of {logits.dtype}; pass e.g. "
                f"np.asarray({name}, dtype='float32')."
            )
    tensor = ops.convert_to_tensor(logits)
    if not keras.backend.is_float_dtype(tensor.dtype):
        raise TypeError(
            f"{name} must be float logits (the discriminator's raw outputs), got dtype "
            f"{tensor.dtype}; cast with ops.cast({name}, 'float32')."
        )
    rank = len(tensor.shape)
    if rank not in (1, 2) or (rank == 2 and tensor.shape[-1] not in (1, None)):
        raise ValueError(
            f"{name} must have shape (n,) or (n, 1): one logit per sample, got "
            f"{tuple(tensor.shape)}; make the discriminator end in Dense(1), or reshape with "
            f"ops.reshape({name}, (-1, 1))."
        )
    return tensor


def discriminator_loss(
    real_logits, fake_logits, kind: str = "non_saturating", label_smoothing: float = 0.0
):
    """The discriminator's (or critic's) loss.

    Args:
        real_logits: logits on real data, shape ``(n, 1)`` or ``(n,)``, float.
        fake_logits: logits on generated data, same form.
        kind: a registered loss name (see :data:`LOSSES`).
        label_smoothing: one-sided smoothing: real targets become ``1 - label_smoothing``
            (fakes stay 0), for losses where that has a meaning.

    Returns:
        A scalar tensor.

    Raises:
        TypeError: logits that are not floats.
        ValueError: unknown ``kind``, bad ``label_smoothing``, smoothing a loss that has no
            targets, or logits of the wrong shape.

    Example:
        >>> discriminator_loss(np.array([2.0]), np.array([-2.0]))  # both right: small loss
    """
    loss = get_loss(kind)
    label_smoothing = check_label_smoothing(label_smoothing, kind)
    real_logits = _check_logits(real_logits, "real_logits")
    fake_logits = ops.cast(_check_logits(fake_logits, "fake_logits"), real_logits.dtype)
    return loss.d_loss(real_logits, fake_logits, 1.0 - label_smoothing)


def generator_loss(fake_logits, kind: str = "non_saturating"):
    """The generator's loss on the discriminator's logits for its samples.

    Args:
        fake_logits: logits on generated data, shape ``(n, 1)`` or ``(n,)``, float.
        kind: a registered loss name.

    Returns:
        A scalar tensor.

    Raises:
        TypeError, ValueError: as :func:`discriminator_loss`.

    Example:
        >>> generator_loss(np.array([-5.0]), "minimax")  # about -0.0067: almost no gradient
    """
    loss = get_loss(kind)
    return loss.g_loss(_check_logits(fake_logits, "fake_logits"))


def _check_critic(critic):
    if not callable(critic):
        raise TypeError(
            f"critic must be a callable (e.g. the discriminator model), got "
            f"{checks.describe(critic)}; pass the model itself, e.g. critic=gan.discriminator."
        )


def _check_batch(values, name: str):
    if isinstance(values, (str, bytes, dict)) or values is None:
        raise TypeError(
            f"{name} must be a float tensor or array, got {checks.describe(values)}; pass a "
            "batch of samples such as np.zeros((n, 2), 'float32')."
        )
    tensor = ops.convert_to_tensor(values)
    if not keras.backend.is_float_dtype(tensor.dtype):
        raise TypeError(
            f"{name} must hold floats, got dtype {tensor.dtype}; cast with "
            f"ops.cast({name}, 'float32') (images: gan_helpers.scale_images)."
        )
    if len(tensor.shape) < 2:
        raise ValueError(
            f"{name} must be a batch (n, ...) of samples, got shape {tuple(tensor.shape)}; "
            f"add the batch axis, e.g. {name}[None] for one sample."
        )
    return tensor


def _input_gradients(tape, scores, inputs):
    """The gradient of the critic's scores with respect to its inputs, or a clear error."""
    gradients = tape.gradient(scores, inputs)
    if gradients is None:
        raise ValueError(
            "critic's scores do not depend on its input (the gradient with respect to the "
            "samples is None); pass a critic that computes its scores from the samples it is "
            "called with, e.g. the discriminator model."
        )
    return gradients


def gradient_penalty(critic, real, fake, seed=None, epsilon: float = 1e-12, alpha=None):
    """WGAN-GP penalty: ``mean((||grad critic(x_hat)|| - 1)^2)`` on random interpolates.

    ``x_hat = a * real + (1 - a) * fake`` with ``a ~ U(0, 1)`` drawn once per sample. The norm
    is ``sqrt(sum(g^2) + epsilon)``: without ``epsilon``, a zero gradient would give
    ``sqrt(0)``, whose derivative is infinite, and the update would turn into NaN.

    Args:
        critic: a callable (the discriminator) returning one score per sample.
        real, fake: batches of the same shape.
        seed: an int or a ``keras.random.SeedGenerator`` for the interpolation weights.
        epsilon: the small constant inside the square root (positive).
        alpha: the interpolation weights themselves, one per sample (shape ``(n,)``, in
            [0, 1]); None (default) draws them from ``seed``. ``GAN`` passes its own draws
            (``GAN.draw_interpolation_weights``) so that replicas under ``tf.distribute``
            use different weights.

    Returns:
        A scalar tensor.

    Raises:
        TypeError: ``critic`` not callable, or non-float batches.
        ValueError: batches of different shapes, a non-positive ``epsilon``, or a critic whose
            scores do not depend on its input.

    Example:
        >>> penalty = gradient_penalty(discriminator, real_images, fake_images, seed=0)
    """
    _check_critic(critic)
    checks.positive_number(epsilon, "epsilon", 1e-12)
    real = _check_batch(real, "real")
    fake = ops.cast(_check_batch(fake, "fake"), real.dtype)
    if real.shape.is_fully_defined() and fake.shape.is_fully_defined():
        if tuple(real.shape) != tuple(fake.shape):
            raise ValueError(
                f"real and fake must have the same shape to be interpolated, got "
                f"{tuple(real.shape)} and {tuple(fake.shape)}; generate as many fakes as there "
                "are real samples (e.g. batch = ops.shape(real)[0])."
            )
    batch = ops.shape(real)[0]
    mix_shape = (batch,) + (1,) * (len(real.shape) - 1)
    if alpha is None:
        alpha = keras.random.uniform(mix_shape, seed=seed, dtype=real.dtype)
    else:
        alpha = ops.convert_to_tensor(alpha, dtype=real.dtype)
        if len(alpha.shape) != 1:
            raise ValueError(
                f"alpha must hold one interpolation weight per sample, shape (n,), got shape "
                f"{tuple(alpha.shape)}; e.g. alpha=keras.random.uniform((n,))."
            )
        alpha = ops.reshape(alpha, mix_shape)
    interpolates = alpha * real + (1 - alpha) * fake
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates, training=True)
    gradients = _input_gradients(tape, scores, interpolates)
    squared = ops.sum(ops.square(gradients), axis=list(range(1, len(real.shape))))
    norms = ops.sqrt(squared + epsilon)
    return ops.mean(ops.square(norms - 1.0))


def r1_penalty(critic, real):
    """R1 penalty (Mescheder et al. 2018): ``mean(||grad critic(x_real)||^2)``.

    It pushes the discriminator's gradient on real data to zero, which makes training converge
    near the equilibrium; the usual loss term is ``gamma / 2`` times this value.

    Args:
        critic: a callable (the discriminator) returning one logit per sample.
        real: a batch of real samples ``(n, ...)``, float.

    Returns:
        A scalar tensor.

    Raises:
        TypeError: ``critic`` not callable, or a non-float batch.
        ValueError: ``real`` is not a batch, or the critic's scores do not depend on it.

    Example:
        >>> d_total = d_loss + 5.0 * r1_penalty(discriminator, real_images)
    """
    _check_critic(critic)
    real = _check_batch(real, "real")
    with tf.GradientTape() as tape:
        tape.watch(real)
        scores = critic(real, training=True)
    gradients = _input_gradients(tape, scores, real)
    return ops.mean(ops.sum(ops.square(gradients), axis=list(range(1, len(real.shape)))))
