"""Run-time configuration: fast mode, training budgets and the one-line setup.

Fast mode (``GAN_FAST=1``) is what the test suite uses: every lesson keeps its
structure but trains for a few seconds. Learners get the full budgets.
"""

from __future__ import annotations

import os
import platform
import random
from typing import TypeVar

import numpy as np

T = TypeVar("T")

_TRUE_VALUES = {"1", "true", "yes", "on"}


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE_VALUES


def fast_mode() -> bool:
    """Return True when ``GAN_FAST=1`` is set (small budgets for tests)."""
    return _env_flag("GAN_FAST")


def offline_mode() -> bool:
    """Return True when ``GAN_OFFLINE=1`` is set (use the bundled MNIST sample only)."""
    return _env_flag("GAN_OFFLINE")


FAST: bool = fast_mode()
"""Fast mode as it was when ``gan_helpers`` was imported (see :func:`fast_mode`)."""


def budget(full: T, fast: T) -> T:
    """Pick a budget: ``fast`` under ``GAN_FAST=1``, otherwise ``full``.

    Args:
        full: the value learners get (epochs, steps, samples...).
        fast: the value the test suite gets.

    Returns:
        One of the two values, unchanged.

    Raises:
        TypeError: if the two values are not of the same type.
    """
    if type(full) is not type(fast) and not (
        isinstance(full, (int, float)) and isinstance(fast, (int, float))
    ):
        raise TypeError(
            "budget(full=..., fast=...) expects two values of the same kind, got "
            f"full={full!r} ({type(full).__name__}) and fast={fast!r} "
            f"({type(fast).__name__}); pass e.g. budget(full=20, fast=2)."
        )
    return fast if fast_mode() else full


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy and TensorFlow/Keras with one integer.

    Raises:
        TypeError: if ``seed`` is not an int.
        ValueError: if ``seed`` is negative.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(
            f"seed must be a non-negative int, got {seed!r} ({type(seed).__name__}); "
            "pass e.g. seed=42."
        )
    if seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed}; pass e.g. seed=42.")
    import keras

    random.seed(int(seed))
    np.random.seed(int(seed))
    keras.utils.set_random_seed(int(seed))


def setup(seed: int = 42, verbose: bool = True) -> dict:
    """Seed everything and print one line describing the environment.

    Args:
        seed: the seed for Python, NumPy and TensorFlow.
        verbose: print the summary line (default True).

    Returns:
        A dict with the versions, devices, CPU threads, fast/offline mode and seed.

    Raises:
        TypeError, ValueError: for a bad ``seed`` (see :func:`seed_everything`).
    """
    seed_everything(seed)
    import keras
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    info = {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "device": f"{len(gpus)} GPU" if gpus else "CPU",
        "cpu_threads": os.cpu_count(),
        "fast": fast_mode(),
        "offline": offline_mode(),
        "seed": int(seed),
    }
    if verbose:
        mode = "FAST mode (GAN_FAST=1: small budgets)" if info["fast"] else "full mode"
        print(
            f"TensorFlow {info['tensorflow']}, Keras {info['keras']}, Python {info['python']} | "
            f"{info['device']}, {info['cpu_threads']} CPU threads | {mode}"
            f"{' | offline' if info['offline'] else ''} | seed {info['seed']}"
        )
    return info
