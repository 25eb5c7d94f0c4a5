"""Plots the lessons share: image grids, training curves and 2-D scatter plots.

Every function validates its input, draws with matplotlib and returns the ``Figure`` (so a
notebook cell shows it once and a script can ``savefig`` it). :func:`image_grid` tiles images
into one uint8 array, which is also what the GIF callback writes as a frame.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .data import GaussianMixture2D, check_images

GRID_PAD_VALUE = 128


def _to_pixels(images, name: str = "images") -> np.ndarray:
    """uint8 pixels ``(n, h, w)`` from uint8 ``(n, h, w[, 1])`` or float32 in [-1, 1]."""
    array = np.asarray(images)
    if array.dtype == np.uint8:
        if array.ndim == 4 and array.shape[-1] == 1:
            array = array[..., 0]
        if array.ndim != 3 or array.shape[0] == 0:
            raise ValueError(
                f"{name} as uint8 pixels must have shape (n, height, width) or "
                f"(n, height, width, 1) with n >= 1, got {array.shape}."
            )
        return array
    array = check_images(array, name)
    if array.shape[-1] != 1:
        raise ValueError(
            f"{name} must be single-channel (n, height, width, 1), got {array.shape}; "
            f"pick one channel with {name}[..., :1]."
        )
    return np.clip(np.rint(array[..., 0] * 127.5 + 127.5), 0, 255).astype(np.uint8)


def _check_n_cols(n_cols) -> int:
    if isinstance(n_cols, bool) or not isinstance(n_cols, (int, np.integer)):
        raise TypeError(
            f"n_cols must be a positive int, got {n_cols!r} ({type(n_cols).__name__}); "
            "pass e.g. n_cols=8."
        )
    if n_cols <= 0:
        raise ValueError(f"n_cols must be a positive int, got {n_cols}; pass e.g. n_cols=8.")
    return int(n_cols)


def _check_ax(ax) -> None:
    from matplotlib.axes import Axes

    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(
            f"ax must be a matplotlib Axes or None, got {type(ax).__name__}; "
            "pass e.g. ax=plt.subplots()[1]."
        )


def image_grid(images, n_cols: int = 8, padding: int = 2) -> np.ndarray:
    """Tile a batch of images into one 2-D uint8 picture, row by row.

    Args:
        images: float32 ``(n, h, w, 1)`` in [-1, 1], or uint8 pixels ``(n, h, w[, 1])``.
        n_cols: images per row (the last row is filled with background).
        padding: pixels of mid-gray (128) between and around the images (>= 0).

    Returns:
        uint8 array ``(rows * (h + padding) + padding, n_cols * (w + padding) + padding)``.

    Raises:
        TypeError: for a wrong dtype or a non-int ``n_cols``/``padding``.
        ValueError: for a wrong shape, out-of-range values or non-positive ``n_cols``.
    """
    pixels = _to_pixels(images)
    n_cols = _check_n_cols(n_cols)
    if isinstance(padding, bool) or not isinstance(padding, (int, np.integer)):
        raise TypeError(f"padding must be an int >= 0, got {padding!r}; pass e.g. padding=2.")
    if padding < 0:
        raise ValueError(f"padding must be an int >= 0, got {padding}; pass e.g. padding=2.")
    n, height, width = pixels.shape
    n_cols = min(n_cols, n)
    n_rows = math.ceil(n / n_cols)
    grid = np.full(
        (n_rows * (height + padding) + padding, n_cols * (width + padding) + padding),
        GRID_PAD_VALUE,
        dtype=np.uint8,
    )
    for index, image in enumerate(pixels):
        row, col = divmod(index, n_cols)
        top, left = padding + row * (height + padding), padding + col * (width + padding)
        grid[top : top + height, left : left + width] = image
    return grid


def show_images(
    images,
    n_cols: int = 8,
    titles: Sequence[str] | None = None,
    ax=None,
    title: str | None = None,
):
    """Show a batch of images as a grid in gray, without ticks.

    Without ``ax`` every image gets its own small axes (so each can have a title); with
    ``ax`` the images are tiled into that one axes with :func:`image_grid`.

    Args:
        images: float32 ``(n, h, w, 1)`` in [-1, 1], or uint8 pixels ``(n, h, w[, 1])``.
        n_cols: images per row.
        titles: one short title per image (only without ``ax``), e.g. predicted labels.
        ax: an existing matplotlib ``Axes`` to draw the tiled grid into.
        title: a title for the whole figure (or for ``ax``).

    Returns:
        The matplotlib ``Figure``.

    Raises:
        TypeError, ValueError: for bad images, ``n_cols``, ``titles`` or ``ax``.
    """
    import matplotlib.pyplot as plt

    pixels = _to_pixels(images)
    n_cols = _check_n_cols(n_cols)
    _check_ax(ax)
    if titles is not None:
        if isinstance(titles, str) or not isinstance(titles, Sequence):
            raise TypeError(
                f"titles must be a list of strings, one per image, got {type(titles).__name__}."
            )
        if len(titles) != len(pixels):
            raise ValueError(
                f"titles must have one entry per image: got {len(titles)} titles for "
                f"{len(pixels)} images."
            )
        if ax is not None:
            raise ValueError("titles need one axes per image: pass either titles or ax, not both.")
    if ax is not None:
        ax.imshow(image_grid(pixels, n_cols), cmap="gray", vmin=0, vmax=255)
        ax.set_xticks([])
        ax.set_yticks([])
        if title is not None:
            ax.set_title(title)
        return ax.figure

    n_cols = min(n_cols, len(pixels))
    n_rows = math.ceil(len(pixels) / n_cols)
    row_height = 1.1 if titles is None else 1.45
    fig, axes = plt.subplots(
        n_rows,
        n_cols,
        figsize=(1.1 * n_cols, row_height * n_rows + (0.4 if title else 0)),
        squeeze=False,
    )
    for index, axis in enumerate(axes.flat):
        axis.set_xticks([])
        axis.set_yticks([])
        if index >= len(pixels):
            axis.set_axis_off()
            continue
        axis.imshow(pixels[index], cmap="gray", vmin=0, vmax=255)
        if titles is not None:
            axis.set_title(str(titles[index]), fontsize=9)
    if title is not None:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_history(history, keys: Sequence[str] | None = None, ax=None, title: str | None = None):
    """Plot training curves (one line per metric) against the epoch number (1, 2, ...).

    Args:
        history: a ``keras.callbacks.History`` (what ``fit`` returns) or a dict
            ``{name: [value per epoch]}``.
        keys: which metrics to plot (default: all of them).
        ax: an existing matplotlib ``Axes`` to draw into.
        title: the axes title.

    Returns:
        The matplotlib ``Figure``.

    Raises:
        TypeError: if ``history`` is neither a History nor a dict, or ``keys`` is a string.
        ValueError: if it is empty, a key is unknown, or a metric is not a list of numbers.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping):
        raise TypeError(
            f"history must be a keras History (what fit() returns) or a dict of lists, got "
            f"{type(history).__name__}."
        )
    if not curves:
        raise ValueError("history is empty: train for at least one epoch first.")
    if keys is None:
        keys = list(curves)
    elif isinstance(keys, str) or not isinstance(keys, Sequence):
        raise TypeError(f"keys must be a list of metric names, got {keys!r}; e.g. ['d_loss'].")
    unknown = [key for key in keys if key not in curves]
    if unknown or not keys:
        raise ValueError(f"keys {unknown or keys} are not in history; available: {list(curves)}.")
    _check_ax(ax)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.5))
    else:
        fig = ax.figure
    for key in keys:
        values = np.asarray(curves[key])
        if values.ndim != 1 or values.dtype.kind not in "fiu" or values.size == 0:
            raise ValueError(
                f"history[{key!r}] must be a non-empty list of numbers (one per epoch), got "
                f"shape {values.shape}, dtype {values.dtype}."
            )
        ax.plot(
            np.arange(1, len(values) + 1),
            values,
            marker="o" if len(values) < 20 else None,
            label=key,
        )
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend()
    ax.grid(alpha=0.3)
    if title is not None:
        ax.set_title(title)
    return fig


def _check_points(points, name: str) -> np.ndarray:
    array = np.asarray(points)
    if array.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be a float array of shape (n, 2), got dtype {array.dtype}.")
    if array.ndim != 2 or array.shape[1] != 2 or array.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n, 2) with n >= 1, got {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return array


def plot_2d(
    samples,
    mixture: GaussianMixture2D | None = None,
    ax=None,
    title: str | None = None,
    real=None,
):
    """Scatter 2-D samples, optionally with real samples and the mixture's centers (crosses).

    Args:
        samples: generated points, array ``(n, 2)``.
        mixture: a :class:`~gan_helpers.data.GaussianMixture2D` whose centers are marked.
        ax: an existing matplotlib ``Axes`` to draw into.
        title: the axes title.
        real: real points ``(m, 2)``, drawn underneath in another color.

    Returns:
        The matplotlib ``Figure``.

    Raises:
        TypeError: for a non-numeric array, a wrong ``mixture`` type or ``ax``.
        ValueError: for a shape other than ``(n, 2)`` or NaN/inf values.
    """
    import matplotlib.pyplot as plt

    points = _check_points(samples, "samples")
    real_points = None if real is None else _check_points(real, "real")
    if mixture is not None and not isinstance(mixture, GaussianMixture2D):
        raise TypeError(
            f"mixture must be a GaussianMixture2D or None, got {type(mixture).__name__}; "
            "pass gan_helpers.ring_mixture() or gan_helpers.grid_mixture()."
        )
    _check_ax(ax)
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.5, 4.5))
    else:
        fig = ax.figure
    if real_points is not None:
        ax.scatter(
            real_points[:, 0], real_points[:, 1], s=4, alpha=0.4, color="tab:blue", label="real"
        )
    ax.scatter(points[:, 0], points[:, 1], s=4, alpha=0.6, color="tab:orange", label="generated")
    if mixture is not None:
        ax.scatter(
            mixture.centers[:, 0],
            mixture.centers[:, 1],
            marker="x",
            s=60,
            color="black",
            label=f"{mixture.name} centers",
        )
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(loc="best", fontsize=8, markerscale=2)
    if title is not None:
        ax.set_title(title)
    return fig
