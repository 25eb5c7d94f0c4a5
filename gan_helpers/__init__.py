"""gan_helpers: the small package the GAN Course lessons share.

Importing it sets ``TF_CPP_MIN_LOG_LEVEL=2`` (unless already set) and imports TensorFlow
with the process's stderr pointed at /dev/null, because TensorFlow 2.21 prints its C++
start-up notes (oneDNN, CPU features) before it reads that variable. Set
``TF_CPP_MIN_LOG_LEVEL=0`` to see them.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


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

__version__ = "0.1.0"

__all__ = [
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
