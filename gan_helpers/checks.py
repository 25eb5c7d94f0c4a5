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
    "MissingFileError",
    "array",
    "boolean",
    "choice",
    "describe",
    "float_matrix",
    "images",
    "int_at_least",
    "int_labels",
    "keras_model",
    "number_in_range",
    "path",
    "positive_int",
    "positive_number",
    "seed",
    "text",
]


class MissingFileError(FileNotFoundError, ValueError):
    """A file named by an argument does not exist.

    It is a ``FileNotFoundError`` (what Python raises for a missing file) and a ``ValueError``
    (the argument's value is wrong), so either ``except`` clause catches it. The message says
    how to get the file back.

    Example:
        >>> try:
        ...     load_pretrained_generator("no_such_generator")
        ... except FileNotFoundError as error:  # or: except ValueError
        ...     print(error)
    """


def describe(value) -> str:
    """A short description of ``value`` for error messages: its type, shape and dtype.

    Args:
        value: anything.

    Returns:
        e.g. ``"an array of shape (2, 3) and dtype float32"`` or ``"'abc' (str)"``.

    Raises:
        Nothing.

    Example:
        >>> describe([1, 2])
        '[1, 2] (list)'
    """
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


def _int_where(value, name: str, example, wanted: str, value_ok) -> int:
    """``value`` as an ``int`` if it is one and ``value_ok(value)``; else the standard error."""
    if not _is_int(value):
        raise TypeError(
            f"{name} must be {wanted}, got {describe(value)}; pass e.g. {name}={example}."
        )
    if not value_ok(value):
        raise ValueError(f"{name} must be {wanted}, got {value}; pass e.g. {name}={example}.")
    return int(value)


def int_at_least(value, name: str, minimum: int, example: int) -> int:
    """``value`` as an ``int`` >= ``minimum``.

    Args:
        value, name: what the caller passed and the argument's name (for messages).
        minimum: the smallest accepted value.
        example: a good value, shown in the fix.

    Returns:
        The value as a Python ``int``.

    Raises:
        TypeError: not an int (a bool, float or string is refused).
        ValueError: an int below ``minimum``.

    Example:
        >>> int_at_least(0, "padding", 0, example=2)
        0
    """
    return _int_where(value, name, example, f"an int >= {minimum}", value_ok=lambda v: v >= minimum)


def positive_int(value, name: str, example: int) -> int:
    """``value`` as a positive ``int``: :func:`int_at_least` with ``minimum=1``.

    Args:
        value, name, example: as :func:`int_at_least`.

    Returns:
        The value as a Python ``int``; the messages say "a positive int".

    Raises:
        TypeError: not an int (a bool, float or string is refused). ValueError: zero or negative.

    Example:
        >>> positive_int(np.int64(3), "epochs", example=5)
        3
    """
    return _int_where(value, name, example, "a positive int", value_ok=lambda v: v > 0)


def positive_number(value, name: str, example: float) -> float:
    """``value`` as a finite ``float`` > 0.

    Args:
        value, name, example: what the caller passed, the argument's name (for messages) and
            a good value (shown in the fix).

    Returns:
        The value as a Python ``float``.

    Raises:
        TypeError: not a real number (a bool or string is refused).
        ValueError: zero, negative, NaN or infinite.

    Example:
        >>> positive_number(1, "std", example=0.05)
        1.0
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

    Args:
        value, name: what the caller passed and the argument's name (for messages).
        low, high: the interval's ends.
        example: a good value, shown in the fix.
        low_inclusive, high_inclusive: whether each end belongs to the interval.

    Returns:
        The value as a Python ``float``.

    Raises:
        TypeError: not a real number. ValueError: outside the interval, or NaN.

    Example:
        >>> number_in_range(0.3, "dropout", 0.0, 1.0, 0.3, high_inclusive=False)
        0.3
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

    Args:
        value, name: what the caller passed and the argument's name (for messages).
        options: the accepted strings.

    Returns:
        ``value`` unchanged.

    Raises:
        ValueError: not one of ``options`` (the message lists them).

    Example:
        >>> choice("resize", "upsampling", ("transpose", "resize"))
        'resize'
    """
    if isinstance(value, str) and value in options:
        return value
    raise ValueError(
        f"{name} must be one of {', '.join(repr(o) for o in options)}; got {describe(value)}."
    )


def seed(value, name: str = "seed") -> int | None:
    """``value`` as a non-negative ``int``, or None (meaning: draw fresh randomness).

    Args:
        value, name: what the caller passed and the argument's name (for messages).

    Returns:
        A Python ``int`` or None.

    Raises:
        TypeError: not an int or None. ValueError: negative.

    Example:
        >>> seed(None) is None
        True
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


def boolean(value, name: str) -> bool:
    """``value`` as a ``bool`` (``True``/``False``; NumPy booleans too).

    Args:
        value, name: what the caller passed and the argument's name (for messages).

    Returns:
        A Python ``bool``.

    Raises:
        TypeError: anything else, e.g. ``"no"`` or ``0`` (which would silently mean False).

    Example:
        >>> boolean(np.bool_(True), "shuffle")
        True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False, got {describe(value)}; pass e.g. {name}=True."
        )
    return bool(value)


def text(value, name: str, example: str, allow_none: bool = False) -> str | None:
    """``value`` if it is a non-empty string (or None when ``allow_none``).

    Args:
        value, name, example: what the caller passed, the argument's name (for messages) and
            a good value (shown in the fix).
        allow_none: also accept None.

    Returns:
        ``value`` unchanged.

    Raises:
        TypeError: not a string. ValueError: an empty or blank string.

    Example:
        >>> text("generator", "name", "generator")
        'generator'
    """
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        expected = "a string or None" if allow_none else "a string"
        raise TypeError(
            f"{name} must be {expected}, got {describe(value)}; pass e.g. {name}={example!r}."
        )
    if not value.strip():
        raise ValueError(
            f"{name} must be a non-empty string, got {value!r}; pass e.g. {name}={example!r}."
        )
    return value


def path(value, name: str, example: str, suffix: str | None = None):
    """``value`` as a ``pathlib.Path`` (from a ``str`` or ``os.PathLike``).

    Args:
        value, name, example: what the caller passed, the argument's name (for messages) and
            a good value (shown in the fix).
        suffix: if given, the required file suffix (e.g. ``".gif"``), compared case-insensitively.

    Returns:
        A ``pathlib.Path``.

    Raises:
        TypeError: not a path. ValueError: empty, or the wrong suffix.

    Example:
        >>> path("out/training.gif", "path", "training.gif", suffix=".gif")
        PosixPath('out/training.gif')
    """
    import os
    from pathlib import Path

    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(
            f"{name} must be a path (a str or pathlib.Path), got {describe(value)}; pass e.g. "
            f"{name}={example!r}."
        )
    if isinstance(value, str) and not value.strip():
        raise ValueError(f"{name} is an empty string; pass a path, e.g. {name}={example!r}.")
    result = Path(value)
    if suffix is not None and result.suffix.lower() != suffix:
        raise ValueError(
            f"{name} must end in {suffix}, got {str(result)!r}; pass e.g. {name}={example!r}."
        )
    return result


def array(
    values, name: str, expected: str, fix: str, parts: str = "rows", numeric: bool = False
) -> np.ndarray:
    """``np.asarray(values)``, refusing what it would turn into a meaningless array.

    ``np.asarray`` wraps None, a string or a dict as a single object and refuses ragged lists
    with a message that does not name the argument; this check names it instead.

    Args:
        values, name: what the caller passed and the argument's name (for messages).
        expected: what ``values`` must be, e.g. ``"a 2-D array of numbers"``.
        fix: how to fix it, e.g. ``"pass e.g. centers=np.array([[0.0, 1.0]])"``.
        parts: what must be equally sized, for the message about ragged input.
        numeric: also refuse arrays that do not hold real numbers (dtype kinds f, i, u).

    Returns:
        The NumPy array (not a copy when a NumPy array was given).

    Raises:
        TypeError: None, a string, bytes or a dict; with ``numeric``, non-numeric values.
        ValueError: parts of different sizes (a ragged list).

    Example:
        >>> array([[0, 1], [1, 0]], "centers", "a 2-D array of numbers", "pass numbers").shape
        (2, 2)
    """
    if values is None or isinstance(values, (str, bytes, dict)):
        raise TypeError(f"{name} must be {expected}, got {describe(values)}; {fix}.")
    try:
        result = np.asarray(values)
    except ValueError as error:
        raise ValueError(
            f"{name} must be {expected} with equally sized {parts}, got parts of different "
            f"sizes ({str(error).splitlines()[0]}); {fix}."
        ) from None
    if numeric and result.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be {expected}, got {describe(result)}; {fix}.")
    return result


def int_labels(
    values, name: str, length: int | None = None, n_classes: int | None = None
) -> np.ndarray:
    """``values`` as an int32 array of class labels, shape ``(length,)``, in ``[0, n_classes)``.

    Args:
        values: what the caller passed (a list, an array, a tensor).
        name: the argument's name, used in messages.
        length: the required number of labels (e.g. one per image), or None for any >= 1.
        n_classes: labels must be smaller than this, or None for no upper bound.

    Returns:
        An int32 NumPy array ``(length,)``.

    Raises:
        TypeError: not integers (floats, bools and strings are refused).
        ValueError: empty, wrong shape or length, or a label outside ``[0, n_classes)``.

    Example:
        >>> int_labels([3, 7], "labels", length=2, n_classes=10)
        array([3, 7], dtype=int32)
    """
    labels = array(
        values, name, "an array of integer class labels", f"pass e.g. {name}=np.array([0, 3, 7])"
    )
    if labels.size == 0:
        raise ValueError(f"{name} is empty ({describe(labels)}); pass at least one label.")
    if labels.dtype.kind not in "iu":
        hint = (
            f"convert whole-number floats with {name}.astype('int32')"
            if labels.dtype.kind == "f"
            else f"pass integers, e.g. {name}=np.array([0, 3, 7])"
        )
        raise TypeError(f"{name} must be integer class labels, got {describe(labels)}; {hint}.")
    expected = f"({length},)" if length is not None else "(n,)"
    if labels.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D with shape {expected}, got shape {labels.shape}; flatten it with "
            f"{name}.ravel() if it holds one label per sample."
        )
    if length is not None and len(labels) != length:
        raise ValueError(
            f"{name} must have one label per sample, shape {expected}, got shape {labels.shape}; "
            "pass exactly one label for each sample."
        )
    low, high = int(labels.min()), int(labels.max())
    if low < 0 or (n_classes is not None and high >= n_classes):
        allowed = f"in [0, {n_classes - 1}]" if n_classes is not None else ">= 0"
        raise ValueError(
            f"{name} must be class indices {allowed}, got values from {low} to {high}; "
            "check the labels (or n_classes)."
        )
    return labels.astype(np.int32, copy=False)


def keras_model(model, name: str, hint: str):
    """``model`` if it is a ``keras.Model``.

    Args:
        model: what the caller passed.
        name: the argument's name, used in messages.
        hint: how to build the right thing, e.g. ``"gan_helpers.build_generator()"``.

    Returns:
        ``model`` unchanged.

    Raises:
        TypeError: anything else.

    Example:
        >>> generator = keras_model(build_generator(), "generator", "build_generator()")
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(
            f"{name} must be a keras.Model, got {describe(model)}; build one with {hint}."
        )
    return model


def float_matrix(values, name: str, min_rows: int = 1, columns: int | None = None) -> np.ndarray:
    """``values`` as a finite float64 array of shape ``(n, columns)`` with ``n >= min_rows``.

    Args:
        values: what the caller passed (a list of rows, an array, a tensor).
        name: the argument's name, used in messages.
        min_rows: the fewest rows accepted.
        columns: the required number of columns, or None for any.

    Returns:
        A float64 NumPy array ``(n, columns)``.

    Raises:
        TypeError: not an array of real numbers.
        ValueError: ragged rows, wrong number of dimensions or columns, too few rows, NaN or
            infinity.

    Example:
        >>> float_matrix([[0, 1], [1, 0]], "centers", columns=2).dtype
        dtype('float64')
    """
    matrix = array(
        values,
        name,
        "a 2-D array of numbers",
        f"pass e.g. {name}=np.array([[0.0, 1.0], [1.0, 0.0]]) (the same number of values per row)",
    )
    if matrix.dtype.kind not in "fiu":
        raise TypeError(
            f"{name} must be a 2-D array of real numbers, got {describe(matrix)}; convert it with "
            f"np.asarray({name}, dtype='float64')."
        )
    shape_hint = f"(n, {columns})" if columns is not None else "(n, features)"
    if matrix.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with shape {shape_hint}, got shape {matrix.shape}; reshape it, "
            f"e.g. {name}.reshape(len({name}), -1)."
        )
    if columns is not None and matrix.shape[1] != columns:
        raise ValueError(
            f"{name} must have shape {shape_hint}, got shape {matrix.shape}; pass {columns} "
            "values per row."
        )
    if matrix.shape[0] < min_rows:
        raise ValueError(
            f"{name} needs at least {min_rows} rows, got {matrix.shape[0]} (shape {matrix.shape}); "
            "pass more samples."
        )
    matrix = matrix.astype(np.float64)
    if not np.all(np.isfinite(matrix)):
        raise ValueError(f"{name} contains NaN or infinite values; check what produced it.")
    return matrix


def images(
    values, name: str = "images", shape: tuple | None = None, allow_uint8: bool = False
) -> np.ndarray:
    """``values`` as float32 images ``(n, height, width, channels)`` with values in [-1, 1].

    The one image check of the package: every function that takes images calls it.

    Args:
        values: the images (a NumPy array or anything ``np.asarray`` accepts, e.g. a tensor).
        name: the argument's name, for messages.
        shape: if given, the required ``(height, width, channels)``.
        allow_uint8: also accept uint8 pixels (0..255) ``(n, height, width[, channels])``, as
            plots do; they are returned as uint8 with a channel axis added if it was missing.

    Returns:
        The float32 NumPy array (not a copy when a NumPy array was given), or uint8 pixels
        ``(n, height, width, channels)`` when ``allow_uint8`` and uint8 were given.

    Raises:
        TypeError: uint8 pixels (use ``scale_images``) or another dtype than float32.
        ValueError: no channel axis, wrong image shape, empty batch, NaN, or outside [-1, 1].

    Example:
        >>> images(np.zeros((2, 28, 28, 1), "float32"), shape=(28, 28, 1)).dtype
        dtype('float32')
    """
    batch = array(
        values,
        name,
        "a float32 array of images in [-1, 1]",
        "pass e.g. gan_helpers.scale_images(x_train) for MNIST pixels",
        parts="images (n, height, width, channels)",
    )
    if allow_uint8 and batch.dtype == np.uint8:
        if batch.ndim == 3:
            batch = batch[..., np.newaxis]
        if batch.ndim != 4 or batch.shape[0] == 0:
            raise ValueError(
                f"{name} as uint8 pixels must have shape (n, height, width) or "
                f"(n, height, width, channels) with n >= 1, got {batch.shape}; pass a non-empty "
                "batch (one image x as x[None])."
            )
        if shape is not None and batch.shape[1:] != tuple(shape):
            raise ValueError(
                f"{name} must be images of shape {tuple(shape)}, got {batch.shape[1:]} (batch "
                f"shape {batch.shape})."
            )
        return batch
    if batch.dtype == np.uint8:
        raise TypeError(
            f"{name} must be float32 in [-1, 1], got uint8 pixels ({describe(batch)}); "
            "convert them with gan_helpers.scale_images(...)."
        )
    if batch.dtype != np.float32:
        raise TypeError(
            f"{name} must be float32 in [-1, 1], got {describe(batch)}; use "
            f"{name}.astype('float32') (and gan_helpers.scale_images for uint8 pixels)."
        )
    if batch.ndim == 3 and shape is not None and batch.shape[1:] == tuple(shape[:2]):
        raise ValueError(
            f"{name} has no channel axis: expected (n, {', '.join(map(str, shape))}), got "
            f"{batch.shape}; add one with {name}[..., None]."
        )
    if batch.ndim != 4:
        raise ValueError(
            f"{name} must have shape (n, height, width, channels) with a channel axis, got "
            f"{batch.shape}; add one with {name}[..., None]."
        )
    if shape is not None and batch.shape[1:] != tuple(shape):
        raise ValueError(
            f"{name} must be images of shape {tuple(shape)}, got {batch.shape[1:]} (batch shape "
            f"{batch.shape})."
        )
    if batch.shape[0] == 0:
        raise ValueError(f"{name} is an empty batch (shape {batch.shape}); pass at least one.")
    if not np.all(np.isfinite(batch)):
        raise ValueError(
            f"{name} contains NaN or infinite values; check what produced them (a diverged "
            "generator draws NaN)."
        )
    low, high = float(batch.min()), float(batch.max())
    if low < -1.0 - 1e-5 or high > 1.0 + 1e-5:
        hint = (
            "these look like pixels in 0..255: convert uint8 pixels with gan_helpers.scale_images"
            if high > 2
            else "clip them or check the generator ends in tanh"
        )
        raise ValueError(
            f"{name} must lie in [-1, 1], got values in [{low:.3g}, {high:.3g}]; {hint}."
        )
    return batch
