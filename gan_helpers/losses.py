"""GAN losses on discriminator logits.

With ``D(x) = sigmoid(l)`` for a logit ``l``, the cross-entropy terms are written with
``softplus`` so they never take the log of 0:

- ``-log D(x) = softplus(-l)``
- ``-log(1 - D(x)) = softplus(l)``

Kinds (``LOSS_KINDS``):

- ``"minimax"``: the original value function. D minimizes
  ``-log D(x) - log(1 - D(G(z)))``; G minimizes ``log(1 - D(G(z))) = -softplus(l_fake)``,
  whose gradient vanishes when D confidently rejects the fakes.
- ``"non_saturating"``: same D loss; G minimizes ``-log D(G(z)) = softplus(-l_fake)``.
- ``"wasserstein"``: the critic minimizes ``mean(l_fake) - mean(l_real)``; G minimizes
  ``-mean(l_fake)``. Use it with :func:`gradient_penalty`.

All functions return the mean over the batch as a scalar tensor.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

LOSS_KINDS = ("minimax", "non_saturating", "wasserstein")


def check_loss_kind(kind) -> str:
    """Return ``kind`` if it names a known loss, else raise a ValueError listing them."""
    if kind not in LOSS_KINDS:
        raise ValueError(f"loss must be one of {LOSS_KINDS}, got {kind!r}.")
    return kind


def check_label_smoothing(label_smoothing, kind: str = "non_saturating") -> float:
    """Return ``label_smoothing`` as a float if it is valid for loss ``kind``, else raise."""
    if (
        isinstance(label_smoothing, bool)
        or not isinstance(label_smoothing, (int, float))
        or not 0 <= label_smoothing < 1
    ):
        raise ValueError(
            f"label_smoothing must be a number in [0, 1), got {label_smoothing!r}; "
            "0.1 is a common choice (real labels become 0.9)."
        )
    if kind == "wasserstein" and label_smoothing:
        raise ValueError(
            "label_smoothing has no meaning for the Wasserstein critic (it outputs scores, "
            "not probabilities); use label_smoothing=0."
        )
    return float(label_smoothing)


def discriminator_loss(
    real_logits, fake_logits, kind: str = "non_saturating", label_smoothing: float = 0.0
):
    """The discriminator's (or critic's) loss.

    Args:
        real_logits: logits on real data, shape ``(n, 1)`` or ``(n,)``.
        fake_logits: logits on generated data.
        kind: one of ``LOSS_KINDS``.
        label_smoothing: one-sided smoothing: real targets become ``1 - label_smoothing``
            (fakes stay 0). Not defined for ``"wasserstein"``.

    Returns:
        A scalar tensor.

    Raises:
        ValueError: unknown ``kind``, bad ``label_smoothing``, or smoothing with Wasserstein.
    """
    kind = check_loss_kind(kind)
    label_smoothing = check_label_smoothing(label_smoothing, kind)
    if kind == "wasserstein":
        return ops.mean(fake_logits) - ops.mean(real_logits)
    real_target = 1.0 - label_smoothing
    # Cross-entropy with target t on logit l: t * softplus(-l) + (1 - t) * softplus(l).
    real_term = real_target * ops.softplus(-real_logits) + (1 - real_target) * ops.softplus(
        real_logits
    )
    return ops.mean(real_term) + ops.mean(ops.softplus(fake_logits))


def generator_loss(fake_logits, kind: str = "non_saturating"):
    """The generator's loss on the discriminator's logits for its samples.

    Raises:
        ValueError: unknown ``kind``.
    """
    kind = check_loss_kind(kind)
    if kind == "minimax":
        return -ops.mean(ops.softplus(fake_logits))
    if kind == "non_saturating":
        return ops.mean(ops.softplus(-fake_logits))
    return -ops.mean(fake_logits)


def gradient_penalty(critic, real, fake, seed=None, epsilon: float = 1e-12):
    """WGAN-GP penalty: ``mean((||grad critic(x_hat)|| - 1)^2)`` on random interpolates.

    ``x_hat = a * real + (1 - a) * fake`` with ``a ~ U(0, 1)`` per sample. The norm is
    ``sqrt(sum(g^2) + epsilon)``: without ``epsilon``, a zero gradient would give
    ``sqrt(0)``, whose derivative is infinite, and the update would turn into NaN.

    Args:
        critic: a callable (the discriminator) returning one score per sample.
        real, fake: batches of the same shape.
        seed: an int or a ``keras.random.SeedGenerator`` for the interpolation weights.
        epsilon: the small constant inside the square root (positive).

    Returns:
        A scalar tensor.

    Raises:
        ValueError: for a non-positive ``epsilon``.
    """
    if not isinstance(epsilon, (int, float)) or epsilon <= 0:
        raise ValueError(f"epsilon must be a positive number, got {epsilon!r}; e.g. 1e-12.")
    real = ops.convert_to_tensor(real)
    fake = ops.cast(ops.convert_to_tensor(fake), real.dtype)
    batch = ops.shape(real)[0]
    mix_shape = (batch,) + (1,) * (len(real.shape) - 1)
    alpha = keras.random.uniform(mix_shape, seed=seed, dtype=real.dtype)
    interpolates = alpha * real + (1 - alpha) * fake
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates, training=True)
    gradients = tape.gradient(scores, interpolates)
    squared = ops.sum(ops.square(gradients), axis=list(range(1, len(real.shape))))
    norms = ops.sqrt(squared + epsilon)
    return ops.mean(ops.square(norms - 1.0))
