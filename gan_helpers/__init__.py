"""gan_helpers: the small package the GAN Course lessons share.

Modules, one job each (imports only go down this list):

- ``checks``: argument checks shared by every public function (clear errors).
- ``config``: fast mode (``GAN_FAST``), offline mode (``GAN_OFFLINE``), budgets, ``setup``.
- ``data``: MNIST (Keras cache, download, or the bundled sample), scaling, ``tf.data``
  pipelines, the 2-D ring and grid mixtures.
- ``models``: DCGAN generator and discriminators for 28x28 digits, MLPs for 2-D points,
  conditional and projection variants, the bundled pretrained generators.
- ``latent``: paths and sampling in latent space (``lerp``, ``slerp``, ``truncated_latent``)
  and ``invert`` (find ``z`` for an image), for lesson 9.
- ``losses``: the loss registry (minimax, non-saturating, Wasserstein, hinge, least squares),
  gradient penalty and R1.
- ``recipe``: ``MNIST_RECIPE`` (the lessons' DCGAN), ``MNIST_AC_RECIPE`` (the bundled
  generator's class-coded recipe) and ``MNIST_INFO_RECIPE`` (lesson 9's InfoGAN), each in one
  object.
- ``gan``: ``GAN``, ``ConditionalGAN``, ``AuxiliaryClassifierGAN`` and ``InfoGAN``
  (``keras.Model`` subclasses trained with ``fit``), ``sample_latent``, ``pack_samples``.
- ``augment``: differentiable augmentation (translation, cutout) for limited data.
- ``ema``: an exponential moving average of the generator's weights (``GeneratorEMA``).
- ``callbacks``: fixed-noise snapshots, NaN stop, GIF writer.
- ``measures``: pure statistics (mode coverage of 2-D samples, Frechet distance).
- ``scoring``: the bundled MNIST classifier and ``evaluate_digits`` / ``label_accuracy``.
- ``plotting``: image grids, training curves, 2-D scatter plots.
- ``widgets``: ipywidgets 8 explorers and the live 2-D playground (``from gan_helpers.widgets
  import Playground``; imported on demand, so the package needs no widget front end).
- ``distribute``: ``tf.distribute`` helpers for lesson 10 (strategies, local worker processes).

Importing the package quiets TensorFlow's C++ logging: it sets ``TF_CPP_MIN_LOG_LEVEL=3``
(unless already set) and imports TensorFlow with the process's stderr pointed at /dev/null for
the duration of that one import, because TensorFlow 2.21 prints its start-up notes (oneDNN, absl)
before it reads any setting. Set ``TF_CPP_MIN_LOG_LEVEL=0`` before importing to see everything.
Nothing else happens at import: no data is loaded and nothing is printed.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


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

from . import checks  # noqa: E402
from .augment import DiffAugment, cutout, translate  # noqa: E402
from .callbacks import Snapshots, StopOnNaN, TrainingDiverged, save_gif  # noqa: E402
from .checks import MissingFileError  # noqa: E402
from .config import FAST, budget, env_flag, fast_mode, offline_mode, seed_everything, setup  # noqa: E402
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
from .distribute import (  # noqa: E402
    STRATEGIES,
    WorkerError,
    is_chief,
    local_cluster,
    logs_for_workers,
    make_strategy,
    replica_latent,
    run_local_workers,
    split_cpu,
)
from .ema import GeneratorEMA, recompute_batch_norm_statistics  # noqa: E402
from .gan import (  # noqa: E402
    DEFAULT_BATCH_SIZE,
    DEFAULT_D_LEARNING_RATE,
    DEFAULT_G_LEARNING_RATE,
    DEFAULT_LABEL_SMOOTHING,
    GAN,
    AuxiliaryClassifierGAN,
    ConditionalGAN,
    InfoGAN,
    default_optimizers,
    generate_samples,
    pack_samples,
    sample_latent,
)
from .latent import invert, lerp, slerp, truncated_latent  # noqa: E402
from .losses import (  # noqa: E402
    LOSS_KINDS,
    LOSSES,
    LossKind,
    discriminator_loss,
    generator_loss,
    get_loss,
    gradient_penalty,
    r1_penalty,
    register_loss,
)
from .measures import (  # noqa: E402
    BootstrapInterval,
    background_share,
    bootstrap_interval,
    density_coverage,
    feature_stats,
    frechet_distance,
    frechet_distance_from_stats,
    kernel_distance,
    knn_radii,
    mode_stats,
    nearest_neighbors,
    polynomial_mmd,
    precision_recall,
)
from .models import (  # noqa: E402
    ClassCode,
    Maxout,
    MinibatchStdDev,
    build_conditional_discriminator,
    build_conditional_generator,
    build_discriminator,
    build_generator,
    build_mlp_discriminator,
    build_mlp_generator,
    build_projection_discriminator,
    latent_classes,
    latent_for_classes,
    load_pretrained_discriminator,
    load_pretrained_generator,
)
from .plotting import image_grid, plot_2d, plot_history, show_images  # noqa: E402
from .recipe import (  # noqa: E402
    MNIST_AC_RECIPE,
    MNIST_INFO_RECIPE,
    MNIST_RECIPE,
    MnistRecipe,
    TailDecay,
)
from .scoring import (  # noqa: E402
    DigitScorer,
    DigitScores,
    class_histogram,
    classifier_features,
    classify,
    code_agreement,
    default_scorer,
    evaluate_digits,
    label_accuracy,
    load_classifier,
    reset_default_scorer,
)

__version__ = "0.2.0"

__all__ = [
    "invert",
    "lerp",
    "slerp",
    "truncated_latent",
    "MNIST_AC_RECIPE",
    "MNIST_INFO_RECIPE",
    "AuxiliaryClassifierGAN",
    "InfoGAN",
    "code_agreement",
    "ClassCode",
    "latent_classes",
    "latent_for_classes",
    "TailDecay",
    "MissingFileError",
    "build_projection_discriminator",
    "env_flag",
    "DiffAugment",
    "GeneratorEMA",
    "cutout",
    "recompute_batch_norm_statistics",
    "translate",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_D_LEARNING_RATE",
    "DEFAULT_G_LEARNING_RATE",
    "DEFAULT_LABEL_SMOOTHING",
    "FAST",
    "GAN",
    "LOSSES",
    "LOSS_KINDS",
    "MNIST_RECIPE",
    "BootstrapInterval",
    "STRATEGIES",
    "ChecksumError",
    "ConditionalGAN",
    "DigitScorer",
    "DigitScores",
    "GaussianMixture2D",
    "LossKind",
    "Maxout",
    "MinibatchStdDev",
    "MnistRecipe",
    "Snapshots",
    "StopOnNaN",
    "TrainingDiverged",
    "bootstrap_interval",
    "WorkerError",
    "budget",
    "build_conditional_discriminator",
    "build_conditional_generator",
    "build_discriminator",
    "build_generator",
    "build_mlp_discriminator",
    "build_mlp_generator",
    "check_images",
    "checks",
    "class_histogram",
    "classifier_features",
    "classify",
    "default_optimizers",
    "default_scorer",
    "density_coverage",
    "discriminator_loss",
    "evaluate_digits",
    "fast_mode",
    "feature_stats",
    "frechet_distance",
    "frechet_distance_from_stats",
    "generator_loss",
    "get_loss",
    "gradient_penalty",
    "grid_mixture",
    "image_grid",
    "kernel_distance",
    "knn_radii",
    "is_chief",
    "label_accuracy",
    "load_classifier",
    "load_mnist",
    "load_pretrained_discriminator",
    "load_pretrained_generator",
    "local_cluster",
    "logs_for_workers",
    "make_dataset",
    "make_strategy",
    "mode_stats",
    "background_share",
    "generate_samples",
    "nearest_neighbors",
    "offline_mode",
    "pack_samples",
    "plot_2d",
    "plot_history",
    "polynomial_mmd",
    "precision_recall",
    "r1_penalty",
    "register_loss",
    "replica_latent",
    "reset_default_scorer",
    "ring_mixture",
    "run_local_workers",
    "sample_latent",
    "save_gif",
    "scale_images",
    "seed_everything",
    "setup",
    "show_images",
    "split_cpu",
    "unscale_images",
]
