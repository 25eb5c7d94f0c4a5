"""Argument checks shared by every public function of ``gan_helpers``.

Each check returns the value in its normalized form (an ``int``, a ``float``, a NumPy array...)
or raises a ``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong value)
whose message names the argument, says what was expected and what was received, and suggests a
fix. Nothing here depends on TensorFlow or Keras, except :func:`keras_model`, which imports
Keras only when called.

Example:
    >>> from gan_helpers import checks
    >>> checks.positive_int(3, "epochs", example=5)
    3
    >>> checks.positive_int(0, "epochs", example=5)
    Traceback (most recent call last):
    ...
    ValueError: epochs must be a positive int, got 0; pass e.g. epochs=5.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "choice",
    "describe",
    "float_matrix",
    "images",
    "int_at_least",
    "keras_model",
    "number_in_range",
    "positive_int",
    "positive_number",
    "seed",
]


def describe(value) -> str:
    """A short description of ``value`` for error messages: its type, shape and dtype."""
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "dtype"):
        return f"an array of shape {tuple(shape)} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def _is_int(value) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, (int, np.integer))


def _is_number(value) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(
        value, (int, float, np.integer, np.floating)
    )


def int_at_least(value, name: str, minimum: int, example: int) -> int:
    """``value`` as an ``int`` >= ``minimum``.

    Raises:
        TypeError: not an int (a bool, float or string is refused).
        ValueError: an int below ``minimum``.
    """
    if not _is_int(value):
        raise TypeError(
            f"{name} must be an int >= {minimum}, got {describe(value)}; pass e.g. "
            f"{name}={example}."
        )
    if value < minimum:
        raise ValueError(
            f"{name} must be an int >= {minimum}, got {value}; pass e.g. {name}={example}."
        )
    return int(value)


def positive_int(value, name: str, example: int) -> int:
    """``value`` as a positive ``int``.

    Raises:
        TypeError: not an int. ValueError: zero or negative.
    """
    if not _is_int(value):
        raise TypeError(
            f"{name} must be a positive int, got {describe(value)}; pass e.g. {name}={example}."
        )
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}; pass e.g. {name}={example}.")
    return int(value)


def positive_number(value, name: str, example: float) -> float:
    """``value`` as a finite ``float`` > 0.

    Raises:
        TypeError: not a real number. ValueError: zero, negative, NaN or infinite.
    """
    if not _is_number(value):
        raise TypeError(
            f"{name} must be a positive number, got {describe(value)}; pass e.g. {name}={example}."
        )
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"{name} must be a positive number (finite, > 0), got {value}; pass e.g. "
            f"{name}={example}."
        )
    return float(value)


def number_in_range(
    value,
    name: str,
    low: float,
    high: float,
    example: float,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """``value`` as a ``float`` inside the interval from ``low`` to ``high``.

    Raises:
        TypeError: not a real number. ValueError: outside the interval, or NaN.
    """
    interval = f"{'[' if low_inclusive else '('}{low}, {high}{']' if high_inclusive else ')'}"
    if not _is_number(value):
        raise TypeError(
            f"{name} must be a number in {interval}, got {describe(value)}; pass e.g. "
            f"{name}={example}."
        )
    above = value >= low if low_inclusive else value > low
    below = value <= high if high_inclusive else value < high
    if not (above and below):
        raise ValueError(
            f"{name} must be a number in {interval}, got {value}; pass e.g. {name}={example}."
        )
    return float(value)


def choice(value, name: str, options: Sequence[str]):
    """``value`` if it is one of ``options``.

    Raises:
        ValueError: not one of ``options`` (the message lists them).
    """
    if isinstance(value, str) and value in options:
        return value
    raise ValueError(
        f"{name} must be one of {', '.join(repr(o) for o in options)}; got {describe(value)}."
    )


def seed(value, name: str = "seed") -> int | None:
    """``value`` as a non-negative ``int``, or None (meaning: draw fresh randomness).

    Raises:
        TypeError: not an int or None. ValueError: negative.
    """
    if value is None:
        return None
    if not _is_int(value):
        raise TypeError(
            f"{name} must be a non-negative int or None, got {describe(value)}; pass e.g. "
            f"{name}=42."
        )
    if value < 0:
        raise ValueError(f"{name} must be a non-negative int or None, got {value}; e.g. {name}=42.")
    return int(value)


def keras_model(model, name: str, hint: str):
    """``model`` if it is a ``keras.Model``.

    Args:
        hint: how to build the right thing, e.g. ``"gan_helpers.build_generator()"``.

    Raises:
        TypeError: anything else.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(
            f"{name} must be a keras.Model, got {describe(model)}; build one with {hint}."
        )
    return model


def float_matrix(values, name: str, min_rows: int = 1, columns: int | None = None) -> np.ndarray:
    """``values`` as a finite float64 array of shape ``(n, columns)`` with ``n >= min_rows``.

    Raises:
        TypeError: not an array of real numbers.
        ValueError: wrong number of dimensions or columns, too few rows, NaN or infinity.
    """
    if values is None or isinstance(values, (str, bytes, dict)):
        raise TypeError(f"{name} must be a 2-D array of numbers, got {describe(values)}.")
    try:
        array = np.asarray(values)
    except ValueError as error:
        raise ValueError(
            f"{name} must be a 2-D array of numbers with equal-length rows: {error}"
        ) from None
    if array.dtype.kind not in "fiu":
        raise TypeError(
            f"{name} must be a 2-D array of real numbers, got {describe(array)}; convert it with "
            f"np.asarray({name}, dtype='float64')."
        )
    shape_hint = f"(n, {columns})" if columns is not None else "(n, features)"
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with shape {shape_hint}, got shape {array.shape}; reshape it, "
            f"e.g. {name}.reshape(len({name}), -1)."
        )
    if columns is not None and array.shape[1] != columns:
        raise ValueError(f"{name} must have shape {shape_hint}, got shape {array.shape}.")
    if array.shape[0] < min_rows:
        raise ValueError(
            f"{name} needs at least {min_rows} rows, got {array.shape[0]} (shape {array.shape}); "
            "pass more samples."
        )
    array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values; check what produced it.")
    return array


def images(values, name: str = "images", shape: tuple | None = None) -> np.ndarray:
    """``values`` as float32 images ``(n, height, width, channels)`` with values in [-1, 1].

    The one image check of the package: every function that takes images calls it.

    Args:
        values: the images (a NumPy array or anything ``np.asarray`` accepts, e.g. a tensor).
        name: the argument's name, for messages.
        shape: if given, the required ``(height, width, channels)``.

    Returns:
        A float32 NumPy array (a view when the input already was one).

    Raises:
        TypeError: uint8 pixels (use ``scale_images``) or another dtype.
        ValueError: no channel axis, wrong image shape, empty batch, NaN, or outside [-1, 1].
    """
    if values is None or isinstance(values, (str, bytes, dict)):
        raise TypeError(
            f"{name} must be a float32 array of images in [-1, 1], got {describe(values)}."
        )
    array = np.asarray(values)
    if array.dtype == np.uint8:
        raise TypeError(
            f"{name} must be float32 in [-1, 1], got uint8 pixels ({describe(array)}); "
            "convert them with gan_helpers.scale_images(...)."
        )
    if array.dtype != np.float32:
        raise TypeError(
            f"{name} must be float32 in [-1, 1], got {describe(array)}; use "
            f"{name}.astype('float32') (and gan_helpers.scale_images for uint8 pixels)."
        )
    if array.ndim == 3 and shape is not None and array.shape[1:] == tuple(shape[:2]):
        raise ValueError(
            f"{name} has no channel axis: expected (n, {', '.join(map(str, shape))}), got "
            f"{array.shape}; add one with {name}[..., None]."
        )
    if array.ndim != 4:
        raise ValueError(
            f"{name} must have shape (n, height, width, channels) with a channel axis, got "
            f"{array.shape}; add one with {name}[..., None]."
        )
    if shape is not None and array.shape[1:] != tuple(shape):
        raise ValueError(
            f"{name} must be images of shape {tuple(shape)}, got {array.shape[1:]} (batch shape "
            f"{array.shape})."
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} is an empty batch (shape {array.shape}); pass at least one.")
    if not np.all(np.isfinite(array)):
        raise ValueError(
            f"{name} contains NaN or infinite values; check what produced them (a diverged "
            "generator draws NaN)."
        )
    low, high = float(array.min()), float(array.max())
    if low < -1.0 - 1e-5 or high > 1.0 + 1e-5:
        hint = (
            "these look like pixels in 0..255: convert uint8 pixels with gan_helpers.scale_images"
            if high > 2
            else "clip them or check the generator ends in tanh"
        )
        raise ValueError(
            f"{name} must lie in [-1, 1], got values in [{low:.3g}, {high:.3g}]; {hint}."
        )
    return array
