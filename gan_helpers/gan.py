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

from . import checks, losses
from .models import ClassCode, latent_classes, latent_for_classes
from .recipe import MNIST_RECIPE

DEFAULT_BATCH_SIZE = MNIST_RECIPE.batch_size
"""Batch size of the default MNIST recipe (``MNIST_RECIPE.batch_size``)."""
DEFAULT_D_LEARNING_RATE = MNIST_RECIPE.d_learning_rate
"""Adam learning rate of the discriminator in the default MNIST recipe."""
DEFAULT_G_LEARNING_RATE = MNIST_RECIPE.g_learning_rate
"""Adam learning rate of the generator in the default MNIST recipe."""
DEFAULT_LABEL_SMOOTHING = MNIST_RECIPE.label_smoothing
"""One-sided label smoothing of the default MNIST recipe: ``GAN(..., label_smoothing=...)``."""
DEFAULT_BETA_1 = MNIST_RECIPE.beta_1
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
        TypeError: a learning rate or ``beta_1`` that is not a number.
        ValueError: a non-positive learning rate or a ``beta_1`` outside [0, 1).

    Example:
        >>> d_optimizer, g_optimizer = default_optimizers()
    """
    d_learning_rate = checks.positive_number(d_learning_rate, "d_learning_rate", 2e-4)
    g_learning_rate = checks.positive_number(g_learning_rate, "g_learning_rate", 2e-4)
    beta_1 = checks.number_in_range(beta_1, "beta_1", 0.0, 1.0, 0.5, high_inclusive=False)
    return (
        keras.optimizers.Adam(d_learning_rate, beta_1=beta_1),
        keras.optimizers.Adam(g_learning_rate, beta_1=beta_1),
    )


def sample_latent(n: int, latent_dim: int, seed: int | None = None) -> np.ndarray:
    """Draw ``n`` latent vectors ``z ~ N(0, I)`` of size ``latent_dim`` as float32 NumPy.

    The same ``seed`` gives the same vectors on every machine (NumPy's PCG64), which is what
    fixed snapshot grids and comparisons between runs need.

    Args:
        n: number of vectors.
        latent_dim: size of each vector (the generator's input size).
        seed: an int for repeatable vectors; None for fresh ones.

    Returns:
        float32 array of shape ``(n, latent_dim)``.

    Raises:
        TypeError, ValueError: a non-positive ``n`` or ``latent_dim``, or a bad ``seed``.

    Example:
        >>> z = sample_latent(16, 64, seed=0)
    """
    n = checks.positive_int(n, "n", 64)
    latent_dim = checks.positive_int(latent_dim, "latent_dim", 64)
    seed = checks.seed(seed)
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype(np.float32)


def generate_samples(generator, n: int, seed: int | None = 1, batch_size: int = 500) -> np.ndarray:
    """``n`` samples of a bare generator model in inference mode, as float32 NumPy.

    The latent vectors are ``sample_latent(n, latent_dim, seed)``, so the same ``seed`` gives
    every generator of one latent size the same inputs: a fair way to compare two generators.
    Runs ``batch_size`` vectors per call (bounded memory, no ``predict`` retracing).

    Args:
        generator: a Keras model with one input ``(latent_dim,)`` (e.g. from
            ``build_generator`` or ``load_pretrained_generator``).
        n: number of samples.
        seed: seed of the latent vectors (None: fresh ones).
        batch_size: vectors per forward pass.

    Returns:
        float32 array ``(n, *sample_shape)``.

    Raises:
        TypeError: if ``generator`` is not a Keras model.
        ValueError: for a generator with more than one input (a conditional generator: use
            ``ConditionalGAN.generate``), or a non-positive ``n`` or ``batch_size``.

    Example:
        >>> images = generate_samples(load_pretrained_generator(), 1000, seed=1)
    """
    generator = checks.keras_model(
        generator, "generator", "gan_helpers.load_pretrained_generator()"
    )
    if len(generator.inputs) != 1:
        raise ValueError(
            f"generator must have one input (the latent vector), got {len(generator.inputs)} "
            "inputs; for a conditional generator use ConditionalGAN.generate(n, labels)."
        )
    n = checks.positive_int(n, "n", 1000)
    batch_size = checks.positive_int(batch_size, "batch_size", 500)
    z = sample_latent(n, int(generator.inputs[0].shape[-1]), seed)
    return generate_in_chunks(generator, [z], batch_size)


def generate_in_chunks(generator, inputs: list, batch_size: int = 500) -> np.ndarray:
    """``generator(inputs, training=False)`` run ``batch_size`` rows at a time, as NumPy.

    Bounds memory for large ``n`` and avoids ``predict``'s retracing. ``inputs`` is a list of
    arrays with the same number of rows: ``[z]``, or ``[z, labels]`` for a conditional
    generator. Used by :func:`generate_samples`, :meth:`GAN.generate` and
    :func:`gan_helpers.label_accuracy`; arguments are checked by those callers.
    """
    n = int(inputs[0].shape[0])
    chunks = []
    for start in range(0, n, batch_size):
        part = [ops.convert_to_tensor(x[start : start + batch_size]) for x in inputs]
        part = part[0] if len(part) == 1 else part
        chunks.append(ops.convert_to_numpy(generator(part, training=False)))
    return np.concatenate(chunks, axis=0)


def pack_samples(samples, pack: int):
    """PacGAN packing: join groups of ``pack`` consecutive samples along the last axis.

    ``(n, ..., c)`` becomes ``(n // pack, ..., c * pack)``; a ragged tail of fewer than
    ``pack`` samples is dropped. The discriminator of a packed GAN judges each group at once.

    Args:
        samples: a batch (tensor or array), ``n >= pack``.
        pack: samples per group (1 returns ``samples`` unchanged).

    Returns:
        A tensor (or ``samples`` itself when ``pack == 1``).

    Raises:
        TypeError, ValueError: a bad ``pack``, or ``samples`` without a batch axis.

    Example:
        >>> pack_samples(np.zeros((6, 2), "float32"), 2).shape   # (3, 4)
    """
    pack = checks.positive_int(pack, "pack", 2)
    if pack == 1:
        return samples
    if isinstance(samples, (str, bytes, dict)) or samples is None:
        raise TypeError(f"samples must be a batch array or tensor, got {checks.describe(samples)}.")
    samples = ops.convert_to_tensor(samples)
    if len(samples.shape) < 2:
        raise ValueError(
            f"samples must be a batch (n, ..., features), got shape {tuple(samples.shape)}."
        )
    usable = (ops.shape(samples)[0] // pack) * pack
    samples = samples[:usable]
    sample_shape = tuple(samples.shape[1:])
    grouped = ops.reshape(samples, (-1, pack, *sample_shape))
    last = len(sample_shape) + 1
    order = (0, *range(2, last), 1, last)
    grouped = ops.transpose(grouped, order)
    return ops.reshape(grouped, (-1, *sample_shape[:-1], sample_shape[-1] * pack))


def _replica_count() -> int:
    return tf.distribute.get_strategy().num_replicas_in_sync


class GAN(keras.Model):
    """A generator and a discriminator trained against each other with ``fit``.

    Args:
        generator: maps ``z`` of shape ``(latent_dim,)`` to a sample.
        discriminator: maps a sample (or ``pack`` samples joined) to one logit.
        loss: a registered loss name (``gan_helpers.LOSSES``): ``"non_saturating"`` (default),
            ``"minimax"``, ``"wasserstein"``, ``"hinge"``, ``"least_squares"``...
        label_smoothing: one-sided smoothing of the real targets. None (default) means the
            recipe's value (``MNIST_RECIPE.label_smoothing``, 0.1) for losses where smoothing
            has a meaning, and 0 for the others.
        d_steps: discriminator (critic) updates per generator update (5 is usual for WGAN-GP).
        gp_weight: weight of the gradient penalty on interpolates; None means the loss's
            default (10 for ``"wasserstein"``, 0 otherwise).
        r1_weight: weight ``gamma / 2`` of the R1 penalty on real data (0 disables it).
        pack: PacGAN packing: the discriminator judges ``pack`` samples at once, concatenated
            along the last axis (its input must be ``pack`` times wider).
        seed: seed of the model's random-number stream (noise and interpolation weights).
        augment: a layer applied to real and fake samples before the discriminator, in both
            players' steps (e.g. ``gan_helpers.DiffAugment()``); None (default) for none.

    Raises:
        TypeError, ValueError: networks that are not Keras models or do not fit together
            (latent input, sample shape, one logit), an unknown loss, or bad numbers.

    Example:
        >>> gan = GAN(build_generator(), build_discriminator(), seed=0)
        >>> gan.compile(*default_optimizers())
        >>> gan.fit(make_dataset(images), epochs=5)
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        loss: str = "non_saturating",
        label_smoothing: float | None = None,
        d_steps: int = 1,
        gp_weight: float | None = None,
        r1_weight: float = 0.0,
        pack: int = 1,
        seed: int | None = None,
        augment: keras.layers.Layer | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if augment is not None and not callable(augment):
            raise TypeError(
                f"augment must be a callable layer or None, got {checks.describe(augment)}; "
                "pass e.g. augment=gan_helpers.DiffAugment()."
            )
        self.augment = augment
        self.generator = checks.keras_model(generator, "generator", "gan_helpers.build_generator()")
        self.discriminator = checks.keras_model(
            discriminator, "discriminator", "gan_helpers.build_discriminator()"
        )
        self.loss_kind = losses.check_loss_kind(loss)
        self.loss_spec = losses.get_loss(loss)
        if label_smoothing is None:
            label_smoothing = MNIST_RECIPE.label_smoothing if self.loss_spec.label_smoothing else 0
        self.label_smoothing = losses.check_label_smoothing(label_smoothing, self.loss_kind)
        self.d_steps = checks.positive_int(d_steps, "d_steps", 1)
        self.pack = checks.positive_int(pack, "pack", 2)
        if gp_weight is None:
            gp_weight = self.loss_spec.default_gp_weight
        self.gp_weight = checks.number_in_range(gp_weight, "gp_weight", 0.0, np.inf, 10.0)
        self.r1_weight = checks.number_in_range(r1_weight, "r1_weight", 0.0, np.inf, 5.0)
        self.seed_generator = keras.random.SeedGenerator(checks.seed(seed))
        self.latent_dim = self._check_shapes()
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        report_name = "d_acc" if self.loss_spec.report == "accuracy" else "gap"
        self.d_report_tracker = keras.metrics.Mean(name=report_name)
        self.gp_tracker = keras.metrics.Mean(name="gp") if self.gp_weight else None
        self.r1_tracker = keras.metrics.Mean(name="r1") if self.r1_weight else None
        self.built = True

    # ----- shapes -------------------------------------------------------------------------
    def _check_shapes(self) -> int:
        z_input = self.generator.inputs[0]
        latent_dim = z_input.shape[-1]
        if len(z_input.shape) != 2 or latent_dim is None:
            raise ValueError(
                f"generator must take a flat latent vector (batch, latent_dim), got input shape "
                f"{tuple(z_input.shape)}; build it with gan_helpers.build_generator()."
            )
        sample_shape = tuple(self.generator.outputs[0].shape[1:])
        packed = (*sample_shape[:-1], sample_shape[-1] * self.pack)
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

    @property
    def sample_shape(self) -> tuple:
        """Shape of one generated sample, e.g. ``(28, 28, 1)``."""
        return tuple(self.generator.outputs[0].shape[1:])

    # ----- Keras plumbing -----------------------------------------------------------------
    @property
    def metrics(self):
        trackers = [self.d_loss_tracker, self.g_loss_tracker, self.d_report_tracker]
        optional = [self.gp_tracker, self.r1_tracker]
        return trackers + [tracker for tracker in optional if tracker is not None]

    def compile(self, d_optimizer=None, g_optimizer=None, **kwargs):
        """Set the two optimizers and build their state.

        Both optimizers are built here, before ``fit``: Keras' ``BackupAndRestore`` only builds
        ``model.optimizer``, and restoring into unbuilt optimizers would drop their moments and
        step counts (Keras warns about the variables it could not restore).

        Args:
            d_optimizer: a ``keras.optimizers.Optimizer`` for the discriminator.
            g_optimizer: a ``keras.optimizers.Optimizer`` for the generator (not the same object).
            **kwargs: passed to ``keras.Model.compile`` (e.g. ``steps_per_execution=8``).

        Raises:
            TypeError: if an optimizer is missing or not a Keras optimizer.
            ValueError: if the same optimizer object is passed twice.

        Example:
            >>> gan.compile(*default_optimizers(), steps_per_execution=8)
        """
        for name, optimizer in (("d_optimizer", d_optimizer), ("g_optimizer", g_optimizer)):
            if not isinstance(optimizer, keras.optimizers.Optimizer):
                raise TypeError(
                    f"{name} must be a keras.optimizers.Optimizer, got "
                    f"{checks.describe(optimizer)}; pass e.g. "
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

    def _require_compiled(self, caller: str) -> None:
        if getattr(self, "d_optimizer", None) is None or getattr(self, "g_optimizer", None) is None:
            raise ValueError(
                f"{caller} needs the two optimizers first: call "
                f"{type(self).__name__}.compile(d_optimizer=..., g_optimizer=...), e.g. "
                "gan.compile(*gan_helpers.default_optimizers())."
            )

    def fit(self, x=None, *args, epochs: int = 1, **kwargs):
        """``keras.Model.fit`` after checking the model is compiled and the data fits it.

        The first batch is checked (float images in [-1, 1] of the generator's sample shape,
        finite, with integer labels in range for a conditional GAN) so a wrong dataset fails
        at once with a clear message instead of training on garbage. Everything else is Keras'
        ``fit``: progress bar, history, callbacks.

        Raises:
            ValueError: not compiled, ``epochs`` not positive, or data that does not fit.
            TypeError: data of the wrong kind.
        """
        self._require_compiled("fit")
        epochs = checks.positive_int(epochs, "epochs", 5)
        self._check_first_batch(x)
        kwargs.setdefault("shuffle", not isinstance(x, tf.data.Dataset))
        return super().fit(x, *args, epochs=epochs, **kwargs)

    def _check_first_batch(self, data) -> None:
        if data is None:
            raise ValueError(
                "fit needs training data: pass gan_helpers.make_dataset(images) or an array of "
                "images in [-1, 1]."
            )
        if isinstance(data, tf.data.Dataset):
            for batch in data.take(1):
                data = batch
        real, labels = self._split_batch(data)
        if self.sample_shape == (28, 28, 1) or len(self.sample_shape) == 3:
            checks.images(real, "the training images", shape=self.sample_shape)
        else:
            array = checks.float_matrix(np.asarray(real).reshape(len(real), -1), "training data")
            if array.shape[1:] != (int(np.prod(self.sample_shape)),):
                raise ValueError(
                    f"training data must be samples of shape {self.sample_shape}, got "
                    f"{tuple(np.shape(real)[1:])}."
                )
        self._check_labels(labels)

    def _check_labels(self, labels) -> None:
        """Unconditional GANs ignore labels."""

    def call(self, inputs, training=False):
        """Generate samples from latent vectors (the generator's forward pass)."""
        return self.generator(inputs, training=training)

    # ----- training -----------------------------------------------------------------------
    _trains_on_labels = False  # True where every batch must be (images, labels)

    def _split_batch(self, data):
        if isinstance(data, (tuple, list)) and len(data) > 1:
            return data[0], data[1]
        if self._trains_on_labels:
            raise ValueError(
                f"{type(self).__name__} trains on (images, labels) batches; build the dataset "
                "with make_dataset(images, labels=labels)."
            )
        return (data[0] if isinstance(data, (tuple, list)) else data), None

    def _replica_rows(self, draw, batch_size):
        """This replica's rows of one draw for the global batch (all rows off a strategy).

        Under ``tf.distribute`` the seed stream's state is mirrored, so every replica would
        draw the same numbers. Instead each replica draws the global batch (``batch_size``
        times the number of replicas) and keeps its own slice: replicas get different rows,
        and together exactly the rows one device draws for the same global batch.
        """
        context = tf.distribute.get_replica_context()
        replicas = 1 if context is None else context.num_replicas_in_sync
        if replicas == 1:
            return draw(batch_size)
        everything = draw(batch_size * replicas)
        start = tf.cast(context.replica_id_in_sync_group, "int32") * tf.cast(batch_size, "int32")
        return everything[start : start + batch_size]

    def draw_latent(self, batch_size):
        """Latent vectors for one training step, from the model's seeded stream (in-graph).

        Under ``tf.distribute`` each replica gets its own rows of one global draw, so the
        replicas together train on the noise one device would draw for the same global batch.
        Override it to change the noise a subclass trains with (e.g. uniform noise, or
        constant vectors in a test that compares devices).
        """
        return self._replica_rows(
            lambda n: keras.random.normal((n, self.latent_dim), seed=self.seed_generator),
            batch_size,
        )

    def draw_interpolation_weights(self, batch_size):
        """One uniform weight per sample for the gradient penalty's interpolates (in-graph).

        Drawn like :meth:`draw_latent`: each replica gets its own rows of one global draw.
        """
        return self._replica_rows(
            lambda n: keras.random.uniform((n,), seed=self.seed_generator), batch_size
        )

    def _generate(self, z, labels, training):
        return self.generator(z, training=training)

    def _augmented(self, samples, training):
        if self.augment is None:
            return samples
        return self.augment(samples, training=training)

    def _critic(self, samples, labels, training=True):
        samples = self._augmented(samples, training)
        return self.discriminator(pack_samples(samples, self.pack), training=training)

    def _discriminator_report(self, real_logits, fake_logits):
        if self.loss_spec.report == "accuracy":
            correct = ops.concatenate(
                [ops.cast(real_logits > 0, "float32"), ops.cast(fake_logits < 0, "float32")],
                axis=0,
            )
            return ops.mean(correct)
        return ops.mean(real_logits) - ops.mean(fake_logits)

    def train_step(self, data):
        """One training step: ``d_steps`` discriminator updates, then one generator update.

        Called by ``fit`` for every batch (inside a compiled ``tf.function``). Each
        discriminator update draws fresh noise, generates fakes in training mode, and
        minimizes the loss kind's discriminator loss (plus the gradient penalty and R1 terms
        when their weights are non-zero) with ``d_optimizer``, on the discriminator's weights
        only. The generator update draws new noise and minimizes the generator loss with
        ``g_optimizer`` on the generator's weights only. The batch size comes from the data, so
        a smaller last batch is fine; under ``tf.distribute`` each replica's loss is divided
        by the number of replicas so the summed gradients match single-device training.

        Args:
            data: a batch of real samples, or ``(samples, labels)`` for a conditional GAN.

        Returns:
            ``{"d_loss", "g_loss", "d_acc" or "gap", ["gp"], ["r1"]}``: running means over the
            epoch, shown by the progress bar. ``d_acc`` is the share of real logits > 0 and fake
            logits < 0; for the Wasserstein loss ``gap`` is the mean real minus mean fake score.

        Raises:
            ValueError: if the model was not compiled.

        Subclasses whose discriminator has more heads than the logit (an auxiliary classifier,
        InfoGAN's Q) keep this step and fill in the hooks below it: ``_judge`` (the logit and
        the other heads), ``_d_extra_loss``, ``_g_extra_loss`` and ``_track_heads``.
        """
        real, labels, batch_size, replicas = self._start_step(data)

        def critic(x, training=True):
            return self._critic(x, labels, training)

        for _ in range(self.d_steps):
            z = self.draw_latent(batch_size)
            with tf.GradientTape() as tape:
                fake = self._generate(z, labels, training=True)
                real_logits, real_heads = self._judge(real, labels)
                fake_logits, fake_heads = self._judge(fake, labels)
                d_loss = self.loss_spec.d_loss(real_logits, fake_logits, 1.0 - self.label_smoothing)
                total = d_loss + self._d_extra_loss(z, labels, real_heads, fake_heads)
                total, penalties = self._add_penalties(total, critic, real, fake, batch_size)
                scaled = total / replicas  # inside the tape, so its gradient is recorded
            self._descend(self.d_optimizer, self.discriminator, tape, scaled)

        z = self.draw_latent(batch_size)
        with tf.GradientTape() as tape:
            fake = self._generate(z, labels, training=True)
            g_logits, g_heads = self._judge(fake, labels)
            g_loss = self.loss_spec.g_loss(g_logits)
            scaled = (g_loss + self._g_extra_loss(z, g_heads)) / replicas
        self._descend(self.g_optimizer, self.generator, tape, scaled)

        self._track(d_loss, g_loss, real_logits, fake_logits, penalties)
        self._track_heads(z, labels, real_heads, g_heads)
        return {metric.name: metric.result() for metric in self.metrics}

    # ----- hooks for discriminators with more heads than the logit ----------------------
    def _judge(self, samples, labels):
        """The discriminator's logit for ``samples`` and its other heads (None here)."""
        return self._critic(samples, labels), None

    def _d_extra_loss(self, z, labels, real_heads, fake_heads):
        """A term the discriminator adds to its loss (none here)."""
        return 0.0

    def _g_extra_loss(self, z, fake_heads):
        """A term the generator adds to its loss (none here)."""
        return 0.0

    def _track_heads(self, z, labels, real_heads, fake_heads) -> None:
        """Update metrics of the other heads (none here)."""

    def _start_step(self, data):
        """After checking ``compile``: the batch's samples, labels, size and replica count."""
        self._require_compiled("train_step")
        real, labels = self._split_batch(data)
        return real, labels, ops.shape(real)[0], _replica_count()

    def _add_penalties(self, total, critic, real, fake, batch_size):
        """``total`` plus the weighted gradient penalty and R1 terms whose weight is not 0.

        Returns ``(total, (penalty, r1))`` with None for a term that is off.
        """
        penalty = r1 = None
        if self.gp_weight:
            alpha = self.draw_interpolation_weights(batch_size)
            penalty = losses.gradient_penalty(critic, real, fake, alpha=alpha)
            total = total + self.gp_weight * penalty
        if self.r1_weight:
            r1 = losses.r1_penalty(critic, real)
            total = total + self.r1_weight * r1
        return total, (penalty, r1)

    @staticmethod
    def _descend(optimizer, network, tape, scaled_loss) -> None:
        """One ``optimizer`` step on ``network``'s trainable weights only."""
        weights = network.trainable_variables
        optimizer.apply(tape.gradient(scaled_loss, weights), weights)

    def _track(self, d_loss, g_loss, real_logits, fake_logits, penalties) -> None:
        """Update the loss, report and penalty trackers with this step's values."""
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_report_tracker.update_state(self._discriminator_report(real_logits, fake_logits))
        for tracker, value in zip((self.gp_tracker, self.r1_tracker), penalties, strict=True):
            if tracker is not None:
                tracker.update_state(value)

    # ----- sampling -----------------------------------------------------------------------
    def _latent(self, n: int, seed) -> np.ndarray:
        n = checks.positive_int(n, "n", 64)
        if seed is None:
            return keras.random.normal((n, self.latent_dim), seed=self.seed_generator)
        return sample_latent(n, self.latent_dim, seed)

    def generate(self, n: int, seed: int | None = None, batch_size: int = 500) -> np.ndarray:
        """Draw ``n`` samples (inference mode) as a NumPy array.

        Args:
            n: number of samples.
            seed: an int gives the same latent vectors every time (``sample_latent(n,
                latent_dim, seed)``); None draws fresh ones from the model's stream.
            batch_size: samples per forward pass (bounds memory).

        Returns:
            float32 array ``(n, *sample_shape)``.

        Raises:
            ValueError, TypeError: for a non-positive ``n`` or ``batch_size``, or a bad seed.

        Example:
            >>> images = gan.generate(64, seed=0)
        """
        z = self._latent(n, seed)
        return self._run_generator([z], batch_size)

    def _run_generator(self, inputs: list, batch_size: int = 500) -> np.ndarray:
        batch_size = checks.positive_int(batch_size, "batch_size", 500)
        return generate_in_chunks(self.generator, inputs, batch_size)


def _embedding_classes(model: keras.Model) -> list[int]:
    """``input_dim`` of every Embedding layer in ``model`` (how many labels it can take)."""
    return [layer.input_dim for layer in model.layers if isinstance(layer, keras.layers.Embedding)]


class ConditionalGAN(GAN):
    """A GAN whose networks also see a class label: ``G([z, label])``, ``D([sample, label])``.

    Train it on ``(images, labels)`` batches (``make_dataset(images, labels=labels)``); the
    fakes in each step are asked for the same labels as the real batch.

    Args:
        generator: takes ``[z, label]``.
        discriminator: takes ``[sample, label]``.
        n_classes: number of labels (10 for digits); must match the networks' label
            embeddings.
        Other arguments as :class:`GAN` (``pack`` is not supported).

    Raises:
        TypeError, ValueError: as :class:`GAN`, networks without a label input, or networks
            built for another number of classes.

    Example:
        >>> cgan = ConditionalGAN(build_conditional_generator(),
        ...                       build_projection_discriminator(), seed=0)
    """

    _trains_on_labels = True

    def __init__(self, generator, discriminator, n_classes: int = 10, **kwargs):
        if kwargs.get("pack", 1) != 1:
            raise ValueError(
                f"ConditionalGAN does not support packing, got pack={kwargs['pack']!r}; use pack=1."
            )
        self.n_classes = checks.positive_int(n_classes, "n_classes", 10)
        checks.keras_model(generator, "generator", "gan_helpers.build_conditional_generator()")
        checks.keras_model(
            discriminator, "discriminator", "gan_helpers.build_conditional_discriminator()"
        )
        for name, model in (("generator", generator), ("discriminator", discriminator)):
            if len(model.inputs) != 2:
                raise ValueError(
                    f"{name} of a ConditionalGAN must take two inputs (the data and a label), "
                    f"got {len(model.inputs)}; use build_conditional_{name}()."
                )
            for classes in _embedding_classes(model):
                if classes != self.n_classes:
                    raise ValueError(
                        f"{name} embeds {classes} labels but n_classes={self.n_classes}; build "
                        f"both networks with n_classes={self.n_classes} (or pass "
                        f"n_classes={classes})."
                    )
        super().__init__(generator, discriminator, **kwargs)

    def _check_labels(self, labels) -> None:
        self._labels_array(labels, "the training labels")

    def _labels_array(self, labels, name: str) -> np.ndarray:
        if isinstance(labels, (str, bytes, dict)) or labels is None:
            raise TypeError(f"{name} must be integer labels, got {checks.describe(labels)}.")
        array = np.asarray(labels)
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim != 1 or array.size == 0 or array.dtype.kind not in "iu":
            raise ValueError(
                f"{name} must be a non-empty 1-D array of ints, got shape {array.shape}, "
                f"dtype {array.dtype}; e.g. labels=[7, 7, 7]."
            )
        if array.min() < 0 or array.max() >= self.n_classes:
            raise ValueError(
                f"{name} must lie in [0, {self.n_classes}), got values from {array.min()} to "
                f"{array.max()}."
            )
        return array

    def _generate(self, z, labels, training):
        return self.generator([z, labels], training=training)

    def _critic(self, samples, labels, training=True):
        return self.discriminator([self._augmented(samples, training), labels], training=training)

    def generate(
        self, n: int | None = None, seed: int | None = None, labels=None, batch_size: int = 500
    ) -> np.ndarray:
        """Draw samples for the given labels (default: ``n`` samples cycling through 0..9).

        Args:
            n: number of samples when ``labels`` is None (default 10); with ``labels``, leave
                it out or make it equal to ``len(labels)``.
            seed: as :meth:`GAN.generate`.
            labels: integer labels in ``[0, n_classes)``, one per sample.
            batch_size: samples per forward pass.

        Returns:
            float32 array ``(len(labels), *sample_shape)``.

        Raises:
            ValueError: labels outside ``[0, n_classes)``, not a 1-D integer array, or ``n``
                that disagrees with ``len(labels)``.

        Example:
            >>> sevens = cgan.generate(labels=[7] * 8, seed=0)
        """
        if labels is None:
            n = 10 if n is None else checks.positive_int(n, "n", 10)
            labels = np.arange(n) % self.n_classes
        labels = self._labels_array(labels, "labels")
        if n is not None and checks.positive_int(n, "n", len(labels)) != len(labels):
            raise ValueError(
                f"n={n} disagrees with the {len(labels)} labels given; pass only labels (one "
                "sample per label) or an n equal to len(labels)."
            )
        z = self._latent(len(labels), seed)
        return self._run_generator([z, labels.astype(np.int32)], batch_size)


def _class_code_layers(model: keras.Model) -> list:
    return [layer for layer in model.layers if isinstance(layer, ClassCode)]


class AuxiliaryClassifierGAN(GAN):
    """An unconditional generator whose class code is taught by a classifying discriminator.

    The generator is ``build_generator(n_classes=10)``: it maps Gaussian noise ``z`` to an
    image, and the argmax of ``z``'s first ``n_classes`` entries (:func:`latent_classes`) is a
    class code it reads. The discriminator is ``build_discriminator(n_classes=10)``: besides
    the real-versus-fake logit it returns class logits (an auxiliary classifier, Odena et al.
    2017, "AC-GAN"). Each step adds two cross-entropy terms, weighted by ``class_weight``:

    - discriminator: classify the real images by their labels;
    - generator: make the discriminator classify each fake as the class its ``z`` chose.

    So the labels teach the generator to draw one digit per code instead of morphing digits
    into each other between regions of the latent space, while sampling needs no label:
    ``generate`` draws plain Gaussian ``z`` like :class:`GAN`.

    Train it on ``(images, labels)`` batches (``make_dataset(images, labels=labels)``).

    Args:
        generator: a generator with a :class:`ClassCode` layer (``build_generator(n_classes=...)``).
        discriminator: returns ``[logit, class logits]`` (``build_discriminator(n_classes=...)``).
        class_weight: weight of the two classification terms (positive).
        Other arguments as :class:`GAN` (``pack`` is not supported).

    Returns:
        A model whose ``train_step`` also reports ``real_class_acc`` (share of real images the
        discriminator classifies correctly) and ``code_acc`` (share of fakes classified as
        their code).

    Raises:
        TypeError, ValueError: as :class:`GAN`, a generator without a class code, a
            discriminator without a class head, or networks built for different class counts.

    Example:
        >>> acgan = AuxiliaryClassifierGAN(build_generator(n_classes=10),
        ...                                build_discriminator(n_classes=10), seed=0)
        >>> acgan.compile(*default_optimizers())
        >>> acgan.fit(make_dataset(images, labels=labels), epochs=5)
    """

    _trains_on_labels = True
    _head_counts = (2,)
    _heads_wanted = "[logit, class logits]"
    _discriminator_example = "gan_helpers.build_discriminator(n_classes=10)"

    def __init__(self, generator, discriminator, class_weight: float = 1.0, **kwargs):
        kind = type(self).__name__
        if kwargs.get("pack", 1) != 1:
            raise ValueError(
                f"{kind} does not support packing, got pack={kwargs['pack']!r}; use pack=1."
            )
        checks.keras_model(generator, "generator", "gan_helpers.build_generator(n_classes=10)")
        checks.keras_model(discriminator, "discriminator", self._discriminator_example)
        codes = _class_code_layers(generator)
        if len(codes) != 1:
            raise ValueError(
                f"generator of an {kind} must read a class code from z (one ClassCode layer), "
                f"found {len(codes)}; build it with gan_helpers.build_generator(n_classes=10)."
            )
        outputs = discriminator.outputs
        if len(outputs) not in self._head_counts or len(outputs[1].shape) != 2:
            raise ValueError(
                f"discriminator of an {kind} must return {self._heads_wanted}, got "
                f"{len(outputs)} output(s); build it with {self._discriminator_example}."
            )
        self.n_classes = codes[0].n_classes
        if outputs[1].shape[-1] != self.n_classes:
            raise ValueError(
                f"discriminator returns {outputs[1].shape[-1]} class logits but the generator's "
                f"code has {self.n_classes} classes; build both with the same n_classes."
            )
        self.class_weight = checks.positive_number(class_weight, "class_weight", 1.0)
        super().__init__(generator, discriminator, **kwargs)
        self.real_class_tracker = keras.metrics.Mean(name="real_class_acc")
        self.code_tracker = keras.metrics.Mean(name="code_acc")

    @property
    def metrics(self):
        return super().metrics + [self.real_class_tracker, self.code_tracker]

    def _check_labels(self, labels) -> None:
        labels = np.asarray(labels).reshape(-1)
        checks.int_labels(labels, "the training labels", n_classes=self.n_classes)

    def _critic(self, samples, labels=None, training=True):
        """The real-versus-fake logit only (penalties and reports use this)."""
        return self._heads(samples, training)[0]

    def _heads(self, samples, training=True):
        samples = self._augmented(samples, training)
        logit, class_logits = self.discriminator(samples, training=training)
        return logit, class_logits

    def _class_loss(self, labels, class_logits):
        return ops.mean(
            keras.losses.sparse_categorical_crossentropy(labels, class_logits, from_logits=True)
        )

    @staticmethod
    def _accuracy(labels, class_logits):
        predicted = ops.argmax(class_logits, axis=-1)
        matches = ops.equal(predicted, ops.cast(labels, predicted.dtype))
        return ops.mean(ops.cast(matches, "float32"))

    def _judge(self, samples, labels):
        logit, class_logits = self._heads(samples)
        return logit, class_logits

    def _d_extra_loss(self, z, labels, real_heads, fake_heads):
        """Classify the real images by their labels."""
        return self.class_weight * self._class_loss(ops.reshape(labels, (-1,)), real_heads)

    def _g_extra_loss(self, z, fake_heads):
        """Make each fake classified as the class its ``z`` chose."""
        return self.class_weight * self._class_loss(latent_classes(z, self.n_classes), fake_heads)

    def _track_heads(self, z, labels, real_heads, fake_heads) -> None:
        """``real_class_acc`` and ``code_acc`` (:meth:`GAN.train_step` runs the step)."""
        self.real_class_tracker.update_state(self._accuracy(ops.reshape(labels, (-1,)), real_heads))
        self.code_tracker.update_state(
            self._accuracy(latent_classes(z, self.n_classes), fake_heads)
        )

    def generate_classes(self, classes, seed: int | None = None, batch_size: int = 500):
        """Samples of chosen classes: ``z`` from :func:`latent_for_classes`, then the generator.

        Args:
            classes: ints in ``[0, n_classes)``, one per sample.
            seed: int for reproducible noise, or None.
            batch_size: samples per forward pass.

        Returns:
            float32 array ``(len(classes), *sample_shape)``.

        Example:
            >>> sevens = acgan.generate_classes([7] * 8, seed=0)
        """
        z = latent_for_classes(classes, self.latent_dim, self.n_classes, seed)
        return self._run_generator([z], batch_size)


class InfoGAN(AuxiliaryClassifierGAN):
    """Learn a class code, and optionally continuous codes, without labels (InfoGAN).

    Chen et al. (2016): the generator reads a categorical code ``c`` (and continuous codes)
    next to its noise, and a second network ``Q`` tries to recover the codes from the fake
    image. Both networks also minimize ``Q``'s error, a variational lower bound on the mutual
    information between the codes and the image, so the generator is rewarded for making the
    codes visible. Nothing tells it what a code should mean: on MNIST the easiest 10-way split
    to make visible is usually the digit.

    Here ``Q`` shares the discriminator's features: the discriminator is
    ``build_discriminator(n_classes=10, n_continuous=k)``, whose class head estimates the
    categorical code and whose third head (``k > 0``) estimates the continuous codes. The
    codes are entries of the generator's Gaussian ``z``, like :class:`AuxiliaryClassifierGAN`:

    - the categorical code is the argmax of ``z[:n_classes]`` (:func:`latent_classes`; the
      generator's :class:`ClassCode` layer turns it into a one-hot vector);
    - continuous code ``j`` is ``z[n_classes + j]``, a standard normal number.

    Each step adds ``info_weight`` times ``Q``'s cross-entropy on the categorical code of the
    fakes, plus ``continuous_weight`` times half the squared error of its continuous estimates
    (the negative log-likelihood of a unit-variance Gaussian, up to a constant), to both
    players' losses. Real images are used without labels.

    Args:
        generator: a generator with a :class:`ClassCode` layer (``build_generator(n_classes=10)``).
        discriminator: returns ``[logit, class logits]`` or ``[logit, class logits, code
            estimates]`` (``build_discriminator(n_classes=10, n_continuous=2)``).
        info_weight: weight of the categorical term (positive; the paper's lambda, 1).
        continuous_weight: weight of the continuous term (positive).
        Other arguments as :class:`GAN` (``pack`` is not supported).

    Returns:
        A model whose ``train_step`` also reports ``code_acc`` (share of fakes whose
        categorical code ``Q`` recovers) and, with continuous codes, ``code_mse`` (the mean
        squared error of ``Q``'s estimates).

    Raises:
        TypeError, ValueError: as :class:`AuxiliaryClassifierGAN`, or more continuous codes
            than ``z`` has entries after the class code.

    Example:
        >>> info = InfoGAN(build_generator(n_classes=10),
        ...                build_discriminator(n_classes=10, n_continuous=2), seed=0)
        >>> info.compile(*default_optimizers())
        >>> info.fit(make_dataset(images), epochs=5)  # no labels
    """

    _trains_on_labels = False
    _head_counts = (2, 3)
    _heads_wanted = "[logit, class logits] or [logit, class logits, code estimates]"
    _discriminator_example = "gan_helpers.build_discriminator(n_classes=10, n_continuous=2)"

    def __init__(
        self,
        generator,
        discriminator,
        info_weight: float = 1.0,
        continuous_weight: float = 1.0,
        **kwargs,
    ):
        if "class_weight" in kwargs:
            raise TypeError(
                "InfoGAN takes info_weight (its categorical code has no labels), not "
                "class_weight; pass e.g. info_weight=1.0."
            )
        info_weight = checks.positive_number(info_weight, "info_weight", 1.0)
        super().__init__(generator, discriminator, class_weight=info_weight, **kwargs)
        self.info_weight = info_weight
        self.continuous_weight = checks.positive_number(continuous_weight, "continuous_weight", 1.0)
        outputs = discriminator.outputs
        self.n_continuous = int(outputs[2].shape[-1]) if len(outputs) == 3 else 0
        room = self.latent_dim - self.n_classes
        if self.n_continuous >= room:
            raise ValueError(
                f"the discriminator estimates {self.n_continuous} continuous codes, but z has "
                f"only {room} entries after its {self.n_classes}-way class code and some must "
                "stay noise; build it with fewer, e.g. n_continuous=2."
            )
        self.continuous_tracker = keras.metrics.Mean(name="code_mse") if self.n_continuous else None

    @property
    def metrics(self):
        extra = [self.continuous_tracker] if self.continuous_tracker is not None else []
        return GAN.metrics.fget(self) + [self.code_tracker] + extra

    def _check_labels(self, labels) -> None:
        """Labels are not needed; if the dataset has them, they are ignored."""

    def _heads(self, samples, training=True):
        outputs = self.discriminator(self._augmented(samples, training), training=training)
        return outputs[0], outputs[1:]

    def continuous_codes(self, z):
        """The continuous codes of latent vectors ``z``: ``z[:, n_classes : n_classes + k]``."""
        return z[:, self.n_classes : self.n_classes + self.n_continuous]

    def _judge(self, samples, labels):
        return self._heads(samples)

    def _info_loss(self, z, estimates):
        """Q's cross-entropy on the categorical code, plus the weighted continuous term."""
        loss = self.info_weight * self._class_loss(latent_classes(z, self.n_classes), estimates[0])
        if self.n_continuous:
            squared = ops.mean(ops.square(self.continuous_codes(z) - estimates[1]))
            loss = loss + self.continuous_weight * 0.5 * self.n_continuous * squared
        return loss

    def _d_extra_loss(self, z, labels, real_heads, fake_heads):
        """Q (the discriminator's other heads) learns to recover the fakes' codes."""
        return self._info_loss(z, fake_heads)

    def _g_extra_loss(self, z, fake_heads):
        """The generator makes its codes recoverable."""
        return self._info_loss(z, fake_heads)

    def _track_heads(self, z, labels, real_heads, fake_heads) -> None:
        """``code_acc`` and ``code_mse`` on the generator step's fakes."""
        self.code_tracker.update_state(
            self._accuracy(latent_classes(z, self.n_classes), fake_heads[0])
        )
        if self.continuous_tracker is not None:
            squared = ops.mean(ops.square(self.continuous_codes(z) - fake_heads[1]))
            self.continuous_tracker.update_state(squared)
