"""The course's default MNIST GAN recipe: every number in one place.

Lessons, scripts and benchmarks read the recipe from :data:`MNIST_RECIPE` instead of repeating
numbers, and the constructors' defaults (``build_generator``, ``build_discriminator``, ``GAN``,
``make_dataset``, ``default_optimizers``) agree with it (a test checks this). To try a variation,
make a copy with :func:`dataclasses.replace`::

    from dataclasses import replace
    wider = replace(gh.MNIST_RECIPE, g_width=32)
    gan = wider.build_gan(seed=0)

Where each number comes from: ``benchmarks/time_to_quality.py`` and
``benchmarks/recipe_ablation.py`` (results in ``benchmarks/results/``).
"""

from __future__ import annotations

from dataclasses import dataclass

import keras

from . import checks
from .config import budget

__all__ = ["MNIST_AC_RECIPE", "MNIST_INFO_RECIPE", "MNIST_RECIPE", "MnistRecipe", "TailDecay"]


@dataclass(frozen=True)
class MnistRecipe:
    """Everything needed to train the course's unconditional MNIST GAN.

    Attributes:
        latent_dim: size of the generator's input vector ``z``.
        g_width: the generator's ``width`` (channels of its last feature map).
        d_width: the discriminator's ``width`` (channels of its first convolution).
        batch_size: images per training step.
        d_learning_rate, g_learning_rate: Adam learning rates.
        beta_1: Adam's first-moment decay for both optimizers (0.5, as in DCGAN).
        label_smoothing: one-sided smoothing of the real targets (real labels become 0.9).
        loss: the loss name (see ``gan_helpers.LOSSES``).
        steps_per_execution: training steps Keras runs per call into the compiled graph
            (fewer Python round trips; progress bars and callbacks still see every epoch).
        epochs_full, epochs_fast: training budgets for lessons in full and fast mode.
        n_classes: 0 for the plain GAN; 10 for the class-coded recipe
            (:data:`MNIST_AC_RECIPE`): a generator that reads a class code from ``z`` and a
            discriminator with a class head, trained as an ``AuxiliaryClassifierGAN`` on
            labelled images.
        class_weight: weight of the classification terms when ``n_classes > 0`` (with
            ``learned_code``, InfoGAN's ``info_weight``).
        learned_code: with ``n_classes > 0``, learn the class code without labels (an
            ``InfoGAN``, :data:`MNIST_INFO_RECIPE`) instead of from them.
        n_continuous: continuous codes of the ``InfoGAN`` (``learned_code`` only).
    """

    latent_dim: int = 64
    g_width: int = 16
    d_width: int = 48
    batch_size: int = 32
    d_learning_rate: float = 5e-4
    g_learning_rate: float = 5e-4
    beta_1: float = 0.5
    label_smoothing: float = 0.1
    loss: str = "non_saturating"
    steps_per_execution: int = 1
    epochs_full: int = 30
    epochs_fast: int = 2
    n_classes: int = 0
    class_weight: float = 1.0
    learned_code: bool = False
    n_continuous: int = 0

    def __post_init__(self):
        for name in ("latent_dim", "g_width", "d_width", "batch_size", "steps_per_execution"):
            checks.positive_int(getattr(self, name), name, getattr(MnistRecipe, name))
        for name in ("epochs_full", "epochs_fast"):
            checks.positive_int(getattr(self, name), name, getattr(MnistRecipe, name))
        checks.positive_number(self.d_learning_rate, "d_learning_rate", 5e-4)
        checks.positive_number(self.g_learning_rate, "g_learning_rate", 5e-4)
        checks.number_in_range(self.beta_1, "beta_1", 0.0, 1.0, 0.5, high_inclusive=False)
        checks.number_in_range(
            self.label_smoothing, "label_smoothing", 0.0, 1.0, 0.1, high_inclusive=False
        )
        checks.choice(self.loss, "loss", _loss_names())
        from .models import _class_count

        _class_count(self.n_classes, self.latent_dim)
        checks.positive_number(self.class_weight, "class_weight", 1.0)
        checks.int_at_least(self.n_continuous, "n_continuous", 0, 2)
        if not isinstance(self.learned_code, bool):
            raise TypeError(
                f"learned_code must be True or False, got {checks.describe(self.learned_code)}."
            )
        if (self.learned_code or self.n_continuous) and not self.n_classes:
            raise ValueError(
                "learned_code and n_continuous need a class code: set n_classes=10 too (see "
                "gan_helpers.MNIST_INFO_RECIPE)."
            )
        if self.n_continuous and not self.learned_code:
            raise ValueError(
                f"n_continuous={self.n_continuous} needs learned_code=True (only an InfoGAN "
                "learns continuous codes)."
            )

    @property
    def epochs(self) -> int:
        """The lesson budget for the current mode: ``epochs_fast`` under ``GAN_FAST=1``."""
        return budget(full=self.epochs_full, fast=self.epochs_fast)

    def build_generator(self):
        """A fresh generator of this recipe (``gan_helpers.build_generator``)."""
        from .models import build_generator

        return build_generator(
            latent_dim=self.latent_dim, width=self.g_width, n_classes=self.n_classes
        )

    def build_discriminator(self):
        """A fresh discriminator of this recipe (``gan_helpers.build_discriminator``)."""
        from .models import build_discriminator

        return build_discriminator(
            width=self.d_width, n_classes=self.n_classes, n_continuous=self.n_continuous
        )

    def optimizers(self, total_steps: int | None = None, lr_decay: float = 0.0):
        """Two new Adam optimizers ``(d_optimizer, g_optimizer)`` with this recipe's settings.

        With ``lr_decay > 0`` both learning rates follow a :class:`TailDecay` schedule: constant,
        then linear decay to 0 over the last ``lr_decay`` share of ``total_steps``.

        Args:
            total_steps: the length of training in optimizer steps; needed only with
                ``lr_decay > 0``.
            lr_decay: the share of the steps (in [0, 1]) over which both rates decay to 0;
                0, the default, keeps them constant.

        Returns:
            ``(d_optimizer, g_optimizer)``, two ``keras.optimizers.Adam`` objects with the
            recipe's learning rates and ``beta_1``.

        Raises:
            TypeError, ValueError: ``lr_decay`` outside [0, 1], ``total_steps`` that is not a
                positive int, or ``lr_decay > 0`` without ``total_steps``.

        Example:
            >>> d_opt, g_opt = gh.MNIST_RECIPE.optimizers(total_steps=8000, lr_decay=0.5)
        """
        from .gan import default_optimizers

        lr_decay = checks.number_in_range(lr_decay, "lr_decay", 0.0, 1.0, 0.5)
        if total_steps is not None:
            total_steps = checks.positive_int(total_steps, "total_steps", 8000)
        if not lr_decay:
            return default_optimizers(self.d_learning_rate, self.g_learning_rate, self.beta_1)
        if total_steps is None:
            raise ValueError(
                f"lr_decay={lr_decay} needs total_steps, the length of training in optimizer "
                "steps; pass e.g. total_steps=epochs * (len(images) // recipe.batch_size)."
            )
        return tuple(
            keras.optimizers.Adam(TailDecay(rate, total_steps, lr_decay), beta_1=self.beta_1)
            for rate in (self.d_learning_rate, self.g_learning_rate)
        )

    def build_gan(self, seed: int | None = None, compile: bool = True):
        """A ``gan_helpers.GAN`` with fresh networks, compiled with this recipe's optimizers.

        Args:
            seed: seed of the GAN's random stream (None: fresh randomness).
            compile: also call ``compile`` (with ``steps_per_execution``).

        Returns:
            The ``GAN`` (an ``AuxiliaryClassifierGAN`` when ``n_classes > 0``, an ``InfoGAN``
            with ``learned_code``), ready for ``fit(self.dataset(images), epochs=self.epochs)``
            (``self.dataset(images, labels)`` for the class-coded recipe).

        Example:
            >>> gan = gh.MNIST_RECIPE.build_gan(seed=0)
        """
        from .gan import GAN, AuxiliaryClassifierGAN, InfoGAN

        options = {"loss": self.loss, "label_smoothing": self.label_smoothing, "seed": seed}
        model = GAN
        if self.learned_code:
            model, options["info_weight"] = InfoGAN, self.class_weight
        elif self.n_classes:
            model, options["class_weight"] = AuxiliaryClassifierGAN, self.class_weight
        gan = model(self.build_generator(), self.build_discriminator(), **options)
        if compile:
            d_optimizer, g_optimizer = self.optimizers()
            gan.compile(
                d_optimizer=d_optimizer,
                g_optimizer=g_optimizer,
                steps_per_execution=self.steps_per_execution,
            )
        return gan

    def dataset(self, images, labels=None, seed: int | None = 0):
        """``gan_helpers.make_dataset(images, labels=labels)`` with this recipe's batch size.

        Raises:
            ValueError: ``labels`` missing for the class-coded recipe (``n_classes > 0``).
        """
        from .data import make_dataset

        if self.n_classes and not self.learned_code and labels is None:
            raise ValueError(
                f"this recipe trains on labelled images (n_classes={self.n_classes}): pass "
                "labels, e.g. recipe.dataset(images, labels=y_train)."
            )
        return make_dataset(images, batch_size=self.batch_size, labels=labels, seed=seed)


def _loss_names() -> tuple[str, ...]:
    from .losses import LOSSES

    return tuple(LOSSES)


MNIST_RECIPE = MnistRecipe()
"""The plain DCGAN recipe that lessons 2-7 build and train."""

MNIST_AC_RECIPE = MnistRecipe(g_width=32, n_classes=10)
"""The class-coded recipe of the bundled generator (``scripts/train_mnist_gan.py``).

:data:`MNIST_RECIPE` with a class code read from ``z``, a discriminator that also classifies
(an ``AuxiliaryClassifierGAN``) and a generator twice as wide (width 32: with the code, the
extra width pays off; without it, it did not). It trains on labelled images, and its generator
still draws from Gaussian noise alone. Measured in ``benchmarks/results/recipe_ablation.md``.
"""

MNIST_INFO_RECIPE = MnistRecipe(g_width=32, n_classes=10, learned_code=True, n_continuous=2)
"""The InfoGAN recipe of lesson 9 (``scripts/train_mnist_gan.py --recipe info``).

:data:`MNIST_AC_RECIPE`'s networks and settings, but the 10-way code is learned without labels
(an ``InfoGAN``), and the discriminator also estimates two continuous codes, ``z[10]`` and
``z[11]``. It trains on images alone.
"""


class TailDecay(keras.optimizers.schedules.LearningRateSchedule):
    """A learning rate that stays at ``rate``, then falls linearly to 0 over the last steps.

    Args:
        rate: the constant learning rate.
        total_steps: the length of training in optimizer steps.
        tail: the share of ``total_steps`` (in [0, 1]) over which the rate decays to 0.

    Raises:
        TypeError, ValueError: a non-positive rate or step count, or ``tail`` outside [0, 1].

    Example:
        >>> keras.optimizers.Adam(TailDecay(5e-4, total_steps=8000, tail=0.5), beta_1=0.5)
    """

    def __init__(self, rate: float, total_steps: int, tail: float):
        self.rate = checks.positive_number(rate, "rate", 5e-4)
        self.total_steps = checks.positive_int(total_steps, "total_steps", 8000)
        self.tail = checks.number_in_range(tail, "tail", 0.0, 1.0, 0.5)
        self.start = int(self.total_steps * (1 - self.tail))

    def __call__(self, step):
        import tensorflow as tf

        step = tf.cast(step, "float32")
        share = tf.clip_by_value((step - self.start) / max(self.total_steps - self.start, 1), 0, 1)
        return self.rate * (1.0 - share)

    def get_config(self):
        return {"rate": self.rate, "total_steps": self.total_steps, "tail": self.tail}
