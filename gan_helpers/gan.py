"""``GAN`` and ``ConditionalGAN``: two-player training as a ``keras.Model``.

``fit`` drives the training, so progress bars, history, callbacks (``BackupAndRestore``,
``TerminateOnNaN``...) and ``tf.distribute`` come from Keras. Each ``train_step`` makes
``d_steps`` discriminator updates and one generator update; each network is updated only with
the gradients of its own loss, by its own optimizer.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from . import losses

_DEFAULT_GP_WEIGHT = 10.0

DEFAULT_BATCH_SIZE = 32
"""Batch size of the default MNIST recipe (see ``benchmarks/time_to_quality.py``)."""
DEFAULT_D_LEARNING_RATE = 5e-4
"""Adam learning rate of the discriminator in the default MNIST recipe."""
DEFAULT_G_LEARNING_RATE = 5e-4
"""Adam learning rate of the generator in the default MNIST recipe."""
DEFAULT_LABEL_SMOOTHING = 0.1
"""One-sided label smoothing of the default MNIST recipe: ``GAN(..., label_smoothing=...)``."""
DEFAULT_BETA_1 = 0.5
"""Adam's beta_1 for GANs (0.5, as in DCGAN): less momentum for a moving target."""


def default_optimizers(
    d_learning_rate: float = DEFAULT_D_LEARNING_RATE,
    g_learning_rate: float = DEFAULT_G_LEARNING_RATE,
    beta_1: float = DEFAULT_BETA_1,
) -> tuple[keras.optimizers.Optimizer, keras.optimizers.Optimizer]:
    """The default recipe's two optimizers: ``(d_optimizer, g_optimizer)``, Adam each.

    Args:
        d_learning_rate: the discriminator's learning rate.
        g_learning_rate: the generator's learning rate.
        beta_1: Adam's first-moment decay for both.

    Returns:
        Two new ``keras.optimizers.Adam`` objects, ready for ``GAN.compile``.

    Raises:
        ValueError: for a non-positive learning rate or a ``beta_1`` outside [0, 1).
    """
    for name, value in (("d_learning_rate", d_learning_rate), ("g_learning_rate", g_learning_rate)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError(f"{name} must be a positive number, got {value!r}; e.g. 2e-4.")
    if isinstance(beta_1, bool) or not isinstance(beta_1, (int, float)) or not 0 <= beta_1 < 1:
        raise ValueError(f"beta_1 must be a number in [0, 1), got {beta_1!r}; e.g. 0.5.")
    return (
        keras.optimizers.Adam(d_learning_rate, beta_1=beta_1),
        keras.optimizers.Adam(g_learning_rate, beta_1=beta_1),
    )


def _check_model(model, name: str) -> keras.Model:
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"{name} must be a keras.Model, got {type(model).__name__}; build one with "
            f"gan_helpers.models (e.g. build_{name}())."
        )
    return model


def _count(value, name: str, example: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}; e.g. {name}={example}.")
    return int(value)


def _seed_generator(seed) -> keras.random.SeedGenerator:
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise TypeError(f"seed must be an int or None, got {seed!r}; e.g. seed=42.")
    return keras.random.SeedGenerator(None if seed is None else int(seed))


def _replica_count() -> int:
    return tf.distribute.get_strategy().num_replicas_in_sync


class GAN(keras.Model):
    """A generator and a discriminator trained against each other with ``fit``.

    Args:
        generator: maps ``z`` of shape ``(latent_dim,)`` to a sample.
        discriminator: maps a sample (or ``pack`` samples joined) to one logit.
        loss: ``"non_saturating"`` (default), ``"minimax"`` or ``"wasserstein"``.
        label_smoothing: one-sided smoothing of the real targets (e.g. 0.1), not for Wasserstein.
        d_steps: discriminator (critic) updates per generator update (5 is usual for WGAN-GP).
        gp_weight: weight of the gradient penalty; default 10 for ``"wasserstein"``, 0 otherwise.
        pack: PacGAN packing: the discriminator judges ``pack`` samples at once, concatenated
            along the last axis (its input must be ``pack`` times wider).
        seed: seed of the model's random-number stream (noise and interpolation weights).
        augment: a layer applied to real and fake samples before the discriminator, in both
            players' steps (e.g. ``gan_helpers.DiffAugment()``); None (default) for none.

    Example:
        >>> gan = GAN(build_generator(), build_discriminator())
        >>> gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        ...             g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
        >>> gan.fit(make_dataset(images), epochs=5)
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        loss: str = "non_saturating",
        label_smoothing: float = 0.0,
        d_steps: int = 1,
        gp_weight: float | None = None,
        pack: int = 1,
        seed: int | None = None,
        augment: keras.layers.Layer | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if augment is not None and not callable(augment):
            raise TypeError(
                f"augment must be a callable layer or None, got {augment!r}; pass e.g. "
                "augment=gan_helpers.DiffAugment()."
            )
        self.augment = augment
        self.generator = _check_model(generator, "generator")
        self.discriminator = _check_model(discriminator, "discriminator")
        self.loss_kind = losses.check_loss_kind(loss)
        self.label_smoothing = losses.check_label_smoothing(label_smoothing, self.loss_kind)
        self.d_steps = _count(d_steps, "d_steps", 1)
        self.pack = _count(pack, "pack", 1)
        if gp_weight is None:
            gp_weight = _DEFAULT_GP_WEIGHT if self.loss_kind == "wasserstein" else 0.0
        if not isinstance(gp_weight, (int, float)) or gp_weight < 0:
            raise ValueError(f"gp_weight must be a number >= 0, got {gp_weight!r}; e.g. 10.")
        self.gp_weight = float(gp_weight)
        self.seed_generator = _seed_generator(seed)
        self.latent_dim = self._check_shapes()
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_accuracy_tracker = keras.metrics.Mean(name="d_acc")
        self.gp_tracker = keras.metrics.Mean(name="gp") if self.gp_weight else None
        self.built = True

    # ----- shapes -------------------------------------------------------------------------
    def _check_shapes(self) -> int:
        z_input = self.generator.inputs[0]
        latent_dim = z_input.shape[-1]
        if len(z_input.shape) != 2 or latent_dim is None:
            raise ValueError(
                f"generator must take a flat latent vector (batch, latent_dim), got input shape "
                f"{tuple(z_input.shape)}."
            )
        sample_shape = tuple(self.generator.outputs[0].shape[1:])
        packed = self._packed_shape(sample_shape)
        d_input = tuple(self.discriminator.inputs[0].shape[1:])
        if d_input != packed:
            hint = f" (pack={self.pack} joins {self.pack} samples)" if self.pack > 1 else ""
            raise ValueError(
                f"discriminator input shape {d_input} does not match the generator's samples "
                f"{sample_shape}{hint}: expected {packed}. Build the discriminator for that shape."
            )
        logit_shape = tuple(self.discriminator.outputs[0].shape[1:])
        if logit_shape != (1,):
            raise ValueError(
                f"discriminator must return one logit per input (shape (batch, 1)), got "
                f"(batch, {', '.join(map(str, logit_shape))}); end it with Dense(1) and no sigmoid."
            )
        return int(latent_dim)

    def _packed_shape(self, sample_shape: tuple) -> tuple:
        return (*sample_shape[:-1], sample_shape[-1] * self.pack)

    def _pack(self, samples):
        """Join ``pack`` consecutive samples along the last axis (drops a ragged tail)."""
        if self.pack == 1:
            return samples
        usable = (ops.shape(samples)[0] // self.pack) * self.pack
        samples = samples[:usable]
        sample_shape = tuple(samples.shape[1:])
        grouped = ops.reshape(samples, (-1, self.pack, *sample_shape))
        last = len(sample_shape) + 1
        order = (0, *range(2, last), 1, last)
        grouped = ops.transpose(grouped, order)
        return ops.reshape(grouped, (-1, *self._packed_shape(sample_shape)))

    # ----- Keras plumbing -----------------------------------------------------------------
    @property
    def metrics(self):
        trackers = [self.d_loss_tracker, self.g_loss_tracker, self.d_accuracy_tracker]
        return trackers + ([self.gp_tracker] if self.gp_tracker is not None else [])

    def compile(self, d_optimizer=None, g_optimizer=None, **kwargs):
        """Set the two optimizers and build their state.

        Both optimizers are built here, before ``fit``: Keras' ``BackupAndRestore`` only builds
        ``model.optimizer``, and restoring into unbuilt optimizers would silently drop their
        moments and step counts.

        Args:
            d_optimizer: a ``keras.optimizers.Optimizer`` for the discriminator.
            g_optimizer: a ``keras.optimizers.Optimizer`` for the generator (not the same object).

        Raises:
            TypeError: if an optimizer is missing or not a Keras optimizer.
            ValueError: if the same optimizer object is passed twice.
        """
        for name, optimizer in (("d_optimizer", d_optimizer), ("g_optimizer", g_optimizer)):
            if not isinstance(optimizer, keras.optimizers.Optimizer):
                raise TypeError(
                    f"{name} must be a keras.optimizers.Optimizer, got {optimizer!r}; pass e.g. "
                    f"{name}=keras.optimizers.Adam(2e-4, beta_1=0.5)."
                )
        if d_optimizer is g_optimizer:
            raise ValueError(
                "d_optimizer and g_optimizer must be two different objects: each keeps its own "
                "moments for its own network's weights."
            )
        kwargs.setdefault("optimizer", None)
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

    def call(self, inputs, training=False):
        """Generate samples from latent vectors (the generator's forward pass)."""
        return self.generator(inputs, training=training)

    # ----- training -----------------------------------------------------------------------
    def _split_batch(self, data):
        if isinstance(data, (tuple, list)):
            return data[0], (data[1] if len(data) > 1 else None)
        return data, None

    def _sample_latent(self, batch_size):
        return keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)

    def _generate(self, z, labels, training):
        return self.generator(z, training=training)

    def _augmented(self, samples, training):
        if self.augment is None:
            return samples
        return self.augment(samples, training=training)

    def _critic(self, samples, labels, training=True):
        return self.discriminator(self._pack(self._augmented(samples, training)), training=training)

    def train_step(self, data):
        real, labels = self._split_batch(data)
        batch_size = ops.shape(real)[0]
        replicas = _replica_count()
        for _ in range(self.d_steps):
            z = self._sample_latent(batch_size)
            with tf.GradientTape() as tape:
                fake = self._generate(z, labels, training=True)
                real_logits = self._critic(real, labels)
                fake_logits = self._critic(fake, labels)
                d_loss = losses.discriminator_loss(
                    real_logits, fake_logits, self.loss_kind, self.label_smoothing
                )
                total = d_loss
                if self.gp_weight:
                    penalty = losses.gradient_penalty(
                        lambda x, training=True: self._critic(x, labels, training),
                        real,
                        fake,
                        seed=self.seed_generator,
                    )
                    total = d_loss + self.gp_weight * penalty
                scaled = total / replicas
            weights = self.discriminator.trainable_variables
            self.d_optimizer.apply(tape.gradient(scaled, weights), weights)

        z = self._sample_latent(batch_size)
        with tf.GradientTape() as tape:
            fake = self._generate(z, labels, training=True)
            g_logits = self._critic(fake, labels)
            g_loss = losses.generator_loss(g_logits, self.loss_kind)
            scaled = g_loss / replicas
        weights = self.generator.trainable_variables
        self.g_optimizer.apply(tape.gradient(scaled, weights), weights)

        correct = ops.concatenate(
            [ops.cast(real_logits > 0, "float32"), ops.cast(fake_logits < 0, "float32")], axis=0
        )
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_accuracy_tracker.update_state(ops.mean(correct))
        if self.gp_tracker is not None:
            self.gp_tracker.update_state(penalty)
        return {metric.name: metric.result() for metric in self.metrics}

    # ----- sampling -----------------------------------------------------------------------
    def _latent(self, n: int, seed) -> np.ndarray:
        n = _count(n, "n", 64)
        if seed is None:
            return keras.random.normal((n, self.latent_dim), seed=self.seed_generator)
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"seed must be an int or None, got {seed!r}; e.g. seed=0.")
        return (
            np.random.default_rng(int(seed))
            .standard_normal((n, self.latent_dim))
            .astype(np.float32)
        )

    def generate(self, n: int, seed: int | None = None, batch_size: int = 500) -> np.ndarray:
        """Draw ``n`` samples (inference mode) as a NumPy array.

        Args:
            n: number of samples.
            seed: an int gives the same latent vectors every time; None draws fresh ones.
            batch_size: samples per forward pass (bounds memory).

        Raises:
            ValueError, TypeError: for a non-positive ``n`` or ``batch_size``, or a bad seed.
        """
        z = self._latent(n, seed)
        return self._run_generator([z], batch_size)

    def _run_generator(self, inputs: list, batch_size: int = 500) -> np.ndarray:
        batch_size = _count(batch_size, "batch_size", 500)
        n = int(inputs[0].shape[0])
        chunks = []
        for start in range(0, n, batch_size):
            part = [ops.convert_to_tensor(x[start : start + batch_size]) for x in inputs]
            part = part[0] if len(part) == 1 else part
            chunks.append(ops.convert_to_numpy(self.generator(part, training=False)))
        return np.concatenate(chunks, axis=0)


class ConditionalGAN(GAN):
    """A GAN whose networks also see a class label: ``G([z, label])``, ``D([sample, label])``.

    Train it on ``(images, labels)`` batches (``make_dataset(images, labels=labels)``); the
    fakes in each step are asked for the same labels as the real batch.

    Args:
        generator: takes ``[z, label]``.
        discriminator: takes ``[sample, label]``.
        n_classes: number of labels (10 for digits).
        Other arguments as :class:`GAN` (``pack`` is not supported).
    """

    def __init__(self, generator, discriminator, n_classes: int = 10, **kwargs):
        if kwargs.get("pack", 1) != 1:
            raise ValueError("ConditionalGAN does not support pack > 1; use pack=1.")
        self.n_classes = _count(n_classes, "n_classes", 10)
        _check_model(generator, "generator")
        _check_model(discriminator, "discriminator")
        for name, model in (("generator", generator), ("discriminator", discriminator)):
            if len(model.inputs) != 2:
                raise ValueError(
                    f"{name} of a ConditionalGAN must take two inputs (the data and a label), "
                    f"got {len(model.inputs)}; use build_conditional_{name}()."
                )
        super().__init__(generator, discriminator, **kwargs)

    def _split_batch(self, data):
        if not isinstance(data, (tuple, list)) or len(data) < 2:
            raise ValueError(
                "ConditionalGAN trains on (images, labels) batches; build the dataset with "
                "make_dataset(images, labels=labels)."
            )
        return data[0], data[1]

    def _generate(self, z, labels, training):
        return self.generator([z, labels], training=training)

    def _critic(self, samples, labels, training=True):
        return self.discriminator([self._augmented(samples, training), labels], training=training)

    def generate(
        self, n: int = 10, seed: int | None = None, labels=None, batch_size: int = 500
    ) -> np.ndarray:
        """Draw samples for the given labels (default: ``n`` samples cycling through 0..9).

        Args:
            n: number of samples when ``labels`` is None.
            seed: as :meth:`GAN.generate`.
            labels: integer labels in ``[0, n_classes)``, one per sample.

        Raises:
            ValueError: labels outside ``[0, n_classes)`` or not a 1-D integer array.
        """
        if labels is None:
            labels = np.arange(_count(n, "n", 10)) % self.n_classes
        labels = np.asarray(labels)
        if labels.ndim != 1 or labels.size == 0 or labels.dtype.kind not in "iu":
            raise ValueError(
                f"labels must be a non-empty 1-D array of ints, got shape {labels.shape}, "
                f"dtype {labels.dtype}; e.g. labels=[7, 7, 7]."
            )
        if labels.min() < 0 or labels.max() >= self.n_classes:
            raise ValueError(
                f"labels must lie in [0, {self.n_classes}), got values from {labels.min()} to "
                f"{labels.max()}."
            )
        z = self._latent(len(labels), seed)
        return self._run_generator([z, labels.astype(np.int32)], batch_size)
