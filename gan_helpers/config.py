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

from . import checks

T = TypeVar("T")

_TRUE_VALUES = ("1", "true", "yes", "on")
_FALSE_VALUES = ("", "0", "false", "no", "off")


def env_flag(name: str) -> bool:
    """Read an on/off environment variable such as ``GAN_FAST``.

    Accepted values (case and surrounding spaces ignored): ``1``, ``true``, ``yes``, ``on`` for
    on; ``0``, ``false``, ``no``, ``off`` or empty (or unset) for off.

    Args:
        name: the variable's name.

    Returns:
        True for on, False for off.

    Raises:
        TypeError: if ``name`` is not a string.
        ValueError: for any other value, e.g. ``GAN_FAST=maybe``, which would otherwise be read
            as "off" without a word.

    Example:
        >>> import os
        >>> os.environ["GAN_FAST"] = "yes"
        >>> env_flag("GAN_FAST")
        True
    """
    name = checks.text(name, "name", "GAN_FAST")
    value = os.environ.get(name, "")
    normalized = value.strip().lower()
    if normalized in _TRUE_VALUES:
        return True
    if normalized in _FALSE_VALUES:
        return False
    raise ValueError(
        f"environment variable {name} must be one of {', '.join(_TRUE_VALUES)} (on) or "
        f"{', '.join(v for v in _FALSE_VALUES if v)} or empty (off), got {value!r}; set e.g. "
        f"{name}=1, or unset it with `unset {name}` (os.environ.pop({name!r}) in Python)."
    )


def fast_mode() -> bool:
    """Return True when ``GAN_FAST`` is on (small budgets for tests).

    Returns:
        True for ``GAN_FAST=1`` (or ``true``/``yes``/``on``), False when unset, empty or off.

    Raises:
        ValueError: for a value that is neither on nor off (see :func:`env_flag`).

    Example:
        >>> fast_mode()  # with GAN_FAST=1 set, as the test suite does
        True
    """
    return env_flag("GAN_FAST")


def offline_mode() -> bool:
    """Return True when ``GAN_OFFLINE`` is on (use the bundled MNIST sample only).

    Returns:
        True when ``GAN_OFFLINE`` is on, read as :func:`fast_mode` reads ``GAN_FAST``.

    Raises:
        ValueError: as :func:`fast_mode`.

    Example:
        >>> offline_mode()  # with GAN_OFFLINE=1 set
        True
    """
    return env_flag("GAN_OFFLINE")


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
        ValueError: if ``GAN_FAST`` has a value that is neither on nor off.

    Example:
        >>> epochs = budget(full=20, fast=2)
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

    Args:
        seed: a non-negative int.

    Returns:
        None.

    Raises:
        TypeError: if ``seed`` is not an int (bools and floats are refused).
        ValueError: if ``seed`` is negative.

    Example:
        >>> seed_everything(42)
    """
    seed = checks.int_at_least(seed, "seed", 0, 42)
    import keras

    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)


def setup(seed: int = 42, verbose: bool = True) -> dict:
    """Seed everything and print one line describing the environment.

    Args:
        seed: the seed for Python, NumPy and TensorFlow.
        verbose: print the summary line (default True).

    Returns:
        A dict with the versions, devices, CPU threads, fast/offline mode and seed.

    Raises:
        TypeError, ValueError: for a bad ``seed`` (see :func:`seed_everything`) or a ``verbose``
            that is not a bool; ValueError for a bad ``GAN_FAST``/``GAN_OFFLINE`` value.

    Example:
        >>> info = setup(seed=42)  # prints "TensorFlow 2.21..., Keras 3... | seed 42"
    """
    verbose = checks.boolean(verbose, "verbose")
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
