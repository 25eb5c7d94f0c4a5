"""gan_helpers: the small package the GAN Course lessons share.

Importing it quiets TensorFlow's C++ logging, which would otherwise fill the notebooks:

- ``TF_CPP_MIN_LOG_LEVEL=3`` (unless already set): TensorFlow 2.21's graph optimizer logs a
  harmless "remapper failed" line at error level for every LeakyReLU network it trains; real
  failures still raise Python exceptions.
- TensorFlow is imported with the process's stderr pointed at /dev/null, because it prints its
  start-up notes (oneDNN, CPU features) before it reads that variable.
- Keras' warning that ``fit(shuffle=True)`` is ignored for a ``tf.data.Dataset`` is silenced:
  :func:`gan_helpers.make_dataset` shuffles.

Set ``TF_CPP_MIN_LOG_LEVEL=0`` before importing to see everything.
"""

import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
warnings.filterwarnings("ignore", message=r"`shuffle=True` was passed", category=UserWarning)


def _import_tensorflow_quietly() -> None:
    if "tensorflow" in sys.modules or os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0":
        return
    saved_stderr = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
        os.close(devnull)


_import_tensorflow_quietly()

from .callbacks import Snapshots, StopOnNaN, TrainingDiverged, save_gif  # noqa: E402
from .config import FAST, budget, fast_mode, offline_mode, seed_everything, setup  # noqa: E402
from .data import (  # noqa: E402
    ChecksumError,
    GaussianMixture2D,
    check_images,
    grid_mixture,
    load_mnist,
    make_dataset,
    ring_mixture,
    scale_images,
    unscale_images,
)
from .gan import (  # noqa: E402
    DEFAULT_BATCH_SIZE,
    DEFAULT_D_LEARNING_RATE,
    DEFAULT_G_LEARNING_RATE,
    DEFAULT_LABEL_SMOOTHING,
    GAN,
    ConditionalGAN,
    default_optimizers,
)
from .losses import LOSS_KINDS, discriminator_loss, generator_loss, gradient_penalty  # noqa: E402
from .metrics import (  # noqa: E402
    class_histogram,
    classifier_features,
    classify,
    evaluate_digits,
    frechet_distance,
    frechet_distance_from_stats,
    mode_stats,
)
from .models import (  # noqa: E402
    Maxout,
    MinibatchStdDev,
    build_conditional_discriminator,
    build_conditional_generator,
    build_discriminator,
    build_generator,
    build_mlp_discriminator,
    build_mlp_generator,
    load_pretrained_generator,
)
from .plotting import image_grid, plot_2d, plot_history, show_images  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_D_LEARNING_RATE",
    "DEFAULT_G_LEARNING_RATE",
    "DEFAULT_LABEL_SMOOTHING",
    "GAN",
    "LOSS_KINDS",
    "ConditionalGAN",
    "Maxout",
    "MinibatchStdDev",
    "Snapshots",
    "StopOnNaN",
    "TrainingDiverged",
    "build_conditional_discriminator",
    "class_histogram",
    "classifier_features",
    "classify",
    "evaluate_digits",
    "frechet_distance",
    "frechet_distance_from_stats",
    "image_grid",
    "mode_stats",
    "plot_2d",
    "plot_history",
    "show_images",
    "build_conditional_generator",
    "build_discriminator",
    "build_generator",
    "default_optimizers",
    "build_mlp_discriminator",
    "build_mlp_generator",
    "discriminator_loss",
    "generator_loss",
    "gradient_penalty",
    "load_pretrained_generator",
    "save_gif",
    "FAST",
    "ChecksumError",
    "GaussianMixture2D",
    "budget",
    "check_images",
    "fast_mode",
    "grid_mixture",
    "load_mnist",
    "make_dataset",
    "offline_mode",
    "ring_mixture",
    "scale_images",
    "seed_everything",
    "setup",
    "unscale_images",
]
