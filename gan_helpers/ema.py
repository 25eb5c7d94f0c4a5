"""An exponential moving average (EMA) of the generator's weights, with batch norm done right.

A GAN's generator never settles: each step moves it toward what the current discriminator
likes, so its weights wander around a good solution. Their running average sits closer to
that solution and draws cleaner, more stable samples (Yazici et al., 2019). The average is
cheap: one extra copy of the weights, updated after every step.

Batch norm needs care. Its moving mean and variance are statistics of the *raw* generator's
activations; averaged weights produce other activations, so after swapping the averaged
weights in, :func:`recompute_batch_norm_statistics` measures them again from fresh samples.

Use :class:`GeneratorEMA` as a ``fit`` callback of a ``gan_helpers.GAN``; when ``fit`` ends it
writes the averaged weights into ``gan.generator`` and recomputes its batch-norm statistics.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from . import checks

__all__ = ["GeneratorEMA", "recompute_batch_norm_statistics"]


def _batch_norm_layers(model) -> list:
    found = []
    for layer in getattr(model, "layers", []):
        if isinstance(layer, keras.layers.BatchNormalization):
            found.append(layer)
        found.extend(_batch_norm_layers(layer))
    return found


def _generator_inputs(generator: keras.Model, n: int, n_classes: int, rng) -> list:
    latent_dim = int(generator.inputs[0].shape[-1])
    z = rng.standard_normal((n, latent_dim)).astype(np.float32)
    if len(generator.inputs) == 1:
        return z
    labels = rng.integers(0, n_classes, size=n).astype(np.int32)
    return [z, labels]


def recompute_batch_norm_statistics(
    generator: keras.Model,
    n_batches: int = 8,
    batch_size: int = 500,
    n_classes: int = 10,
    seed: int = 0,
) -> int:
    """Set every batch-norm layer's moving mean and variance to those of fresh samples.

    Runs ``n_batches`` forward passes in training mode on random latent vectors (and random
    labels for a conditional generator) and makes each moving statistic the plain average over
    those batches. Weights are not changed.

    Args:
        generator: a Keras generator taking ``z`` (or ``[z, label]``).
        n_batches: forward passes to average over.
        batch_size: latent vectors per pass.
        n_classes: labels are drawn from ``[0, n_classes)`` for a two-input generator.
        seed: seed of the latent vectors (and labels).

    Returns:
        The number of batch-norm layers updated (0 if the generator has none).

    Raises:
        TypeError, ValueError: for a generator that is not a Keras model, or bad counts.

    Example:
        >>> recompute_batch_norm_statistics(gan.generator)
        3
    """
    generator = checks.keras_model(generator, "generator", "gan_helpers.build_generator()")
    n_batches = checks.positive_int(n_batches, "n_batches", 8)
    batch_size = checks.positive_int(batch_size, "batch_size", 500)
    n_classes = checks.positive_int(n_classes, "n_classes", 10)
    seed = checks.seed(seed)
    layers = _batch_norm_layers(generator)
    if not layers:
        return 0
    rng = np.random.default_rng(seed)
    saved = [layer.momentum for layer in layers]
    try:
        for index in range(n_batches):
            for layer in layers:
                # moving = momentum * moving + (1 - momentum) * batch: a running plain mean.
                layer.momentum = index / (index + 1)
            generator(_generator_inputs(generator, batch_size, n_classes, rng), training=True)
    finally:
        for layer, momentum in zip(layers, saved, strict=True):
            layer.momentum = momentum
    return len(layers)


class GeneratorEMA(keras.callbacks.Callback):
    """Keep an exponential moving average of ``model.generator``'s weights during ``fit``.

    After each training step: ``average = d * average + (1 - d) * weights`` with
    ``d = min(decay, (1 + t) / (10 + t))`` at step ``t``, so early steps do not dominate a
    short run. With ``steps_per_execution=k`` Keras calls back every ``k`` steps; the update
    then uses ``d ** k``. At the end of ``fit`` (if ``apply_at_end``), the average replaces the
    generator's trainable weights and batch-norm statistics are recomputed for it.

    The average lives in this callback, not in the model: a run resumed by
    ``BackupAndRestore`` starts a new average.

    Args:
        decay: the average's decay per step, in [0, 1) (0.999 remembers about 1,000 steps).
        apply_at_end: write the average into the generator when ``fit`` returns.
        bn_batches: forward passes used to recompute batch-norm statistics (see
            :func:`recompute_batch_norm_statistics`).

    Raises:
        TypeError, ValueError: for a decay outside [0, 1) or a bad ``bn_batches``; at the start
            of ``fit``, if the model has no ``generator``.

    Example:
        >>> ema = GeneratorEMA(decay=0.999)
        >>> gan.fit(dataset, epochs=40, callbacks=[ema])  # gan.generator now holds the average
    """

    def __init__(self, decay: float = 0.999, apply_at_end: bool = True, bn_batches: int = 8):
        super().__init__()
        self.decay = checks.number_in_range(decay, "decay", 0.0, 1.0, 0.999, high_inclusive=False)
        if not isinstance(apply_at_end, bool):
            raise TypeError(
                f"apply_at_end must be True or False, got {checks.describe(apply_at_end)}."
            )
        self.apply_at_end = apply_at_end
        self.bn_batches = checks.positive_int(bn_batches, "bn_batches", 8)
        self.average = None
        self._steps_seen = None
        self._update = None

    def _generator(self) -> keras.Model:
        generator = getattr(self.model, "generator", None)
        if not isinstance(generator, keras.Model):
            raise TypeError(
                "GeneratorEMA needs a model with a `generator` attribute (a gan_helpers.GAN), "
                f"got {type(self.model).__name__}; pass it in GAN.fit(callbacks=[...])."
            )
        return generator

    def on_train_begin(self, logs=None):
        weights = self._generator().trainable_variables
        self.average = [
            tf.Variable(w, trainable=False, name=f"ema_{i}") for i, w in enumerate(weights)
        ]
        self._steps_seen = tf.Variable(0, dtype="int64", trainable=False)
        self._iterations = self.model.g_optimizer.iterations
        self._steps_seen.assign(tf.cast(self._iterations, "int64"))

        @tf.function
        def update():
            now = tf.cast(self._iterations, "int64")
            elapsed = tf.cast(now - self._steps_seen, "float32")
            step = tf.cast(now, "float32")
            decay = tf.minimum(self.decay, (1.0 + step) / (10.0 + step)) ** elapsed
            for average, weight in zip(self.average, weights, strict=True):
                average.assign(decay * average + (1.0 - decay) * weight)
            self._steps_seen.assign(now)

        self._update = update

    def on_train_batch_end(self, batch, logs=None):
        self._update()

    def on_train_end(self, logs=None):
        if self.apply_at_end:
            self.apply()

    def apply(self) -> None:
        """Write the average into the generator and recompute its batch-norm statistics.

        Raises:
            RuntimeError: if called before ``fit`` has started (there is no average yet).
        """
        if self.average is None:
            raise RuntimeError(
                "GeneratorEMA has no average yet: pass it to fit(callbacks=[...]) and train first."
            )
        generator = self._generator()
        for weight, average in zip(generator.trainable_variables, self.average, strict=True):
            weight.assign(average)
        recompute_batch_norm_statistics(generator, n_batches=self.bn_batches)
