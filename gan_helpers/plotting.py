"""Plots the lessons share: image grids, training curves and 2-D scatter plots.

Every function validates its input, draws with matplotlib and returns the ``Figure`` (so a
notebook cell shows it once and a script can ``savefig`` it). :func:`image_grid` tiles images
into one uint8 array, which is also what the GIF callback writes as a frame.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from . import checks
from .data import GaussianMixture2D

GRID_PAD_VALUE = 128


def _to_pixels(images, name: str = "images") -> np.ndarray:
    """uint8 pixels ``(n, h, w)`` from uint8 ``(n, h, w[, 1])`` or float images in [-1, 1]."""
    array = checks.images(images, name, allow_uint8=True)
    if array.shape[-1] != 1:
        raise ValueError(
            f"{name} must be single-channel (n, height, width, 1), got {array.shape}; "
            f"pick one channel with {name}[..., :1]."
        )
    if array.dtype == np.uint8:
        return array[..., 0]
    return np.clip(np.rint(array[..., 0] * 127.5 + 127.5), 0, 255).astype(np.uint8)


def _check_ax(ax) -> None:
    from matplotlib.axes import Axes

    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(
            f"ax must be a matplotlib Axes or None, got {checks.describe(ax)}; "
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
        ValueError: for a wrong shape, NaN, out-of-range values or non-positive ``n_cols``.

    Example:
        >>> image_grid(np.zeros((6, 28, 28, 1), np.float32), n_cols=3).shape
        (62, 92)
    """
    pixels = _to_pixels(images)
    n_cols = checks.positive_int(n_cols, "n_cols", 8)
    padding = checks.int_at_least(padding, "padding", 0, 2)
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
        TypeError, ValueError: for bad images, ``n_cols``, ``titles``, ``ax`` or ``title``.

    Example:
        >>> fig = show_images(scale_images(x_train[:16]), n_cols=8, title="real digits")
    """
    import matplotlib.pyplot as plt

    pixels = _to_pixels(images)
    n_cols = checks.positive_int(n_cols, "n_cols", 8)
    _check_ax(ax)
    title = _check_title(title)
    if titles is not None:
        if isinstance(titles, str) or not isinstance(titles, (Sequence, np.ndarray)):
            raise TypeError(
                f"titles must be a list of strings, one per image, got {checks.describe(titles)}; "
                "pass e.g. titles=[str(label) for label in labels]."
            )
        if len(titles) != len(pixels):
            raise ValueError(
                f"titles must have one entry per image: got {len(titles)} titles for "
                f"{len(pixels)} images; pass one title per image."
            )
        if ax is not None:
            raise ValueError(
                "titles need one axes per image, ax holds one grid: pass either titles or ax, "
                "not both."
            )
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
        TypeError: if ``history`` is neither a History nor a dict, ``keys`` is a string, or
            ``ax``/``title`` has the wrong type.
        ValueError: if it is empty, a key is unknown, or a metric is not a list of numbers.

    Example:
        >>> history = gan.fit(dataset, epochs=5)
        >>> fig = plot_history(history, keys=["d_loss", "g_loss"], title="losses")
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping):
        raise TypeError(
            f"history must be a keras History (what fit() returns) or a dict of lists, got "
            f"{checks.describe(history)}; pass e.g. history=gan.fit(...)."
        )
    if not curves:
        raise ValueError(
            "history is empty (no metric was logged): train for at least one epoch first."
        )
    if keys is None:
        keys = list(curves)
    elif isinstance(keys, str) or not isinstance(keys, Sequence):
        raise TypeError(
            f"keys must be a list of metric names, got {checks.describe(keys)}; pass e.g. "
            "keys=['d_loss']."
        )
    unknown = [key for key in keys if not isinstance(key, str) or key not in curves]
    if unknown or not keys:
        raise ValueError(
            f"keys {unknown or list(keys)} are not in history; available: {list(curves)}; pass "
            f"e.g. keys={list(curves)[:2]}."
        )
    _check_ax(ax)
    title = _check_title(title)
    series = {}
    for key in keys:
        try:
            values = np.asarray(curves[key])
        except ValueError:
            values = np.asarray(curves[key], dtype=object)
        if values.ndim != 1 or values.dtype.kind not in "fiu" or values.size == 0:
            raise ValueError(
                f"history[{key!r}] must be a non-empty list of numbers (one per epoch), got "
                f"{checks.describe(values)}; pass e.g. {{{key!r}: [0.7, 0.6]}}."
            )
        series[key] = values
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.5))
    else:
        fig = ax.figure
    for key, values in series.items():
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


def _check_title(title) -> str | None:
    if isinstance(title, str) and not title.strip():
        return title  # an empty title draws nothing, which is harmless
    return checks.text(title, "title", "losses", allow_none=True)


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
        TypeError: for a non-numeric array, a wrong ``mixture`` type, ``ax`` or ``title``.
        ValueError: for a shape other than ``(n, 2)``, no points, or NaN/inf values.

    Example:
        >>> ring = ring_mixture()
        >>> fig = plot_2d(generator.predict(z), ring, real=ring.sample(1000, seed=0))
    """
    import matplotlib.pyplot as plt

    points = checks.float_matrix(samples, "samples", min_rows=1, columns=2)
    real_points = None if real is None else checks.float_matrix(real, "real", min_rows=1, columns=2)
    if mixture is not None and not isinstance(mixture, GaussianMixture2D):
        raise TypeError(
            f"mixture must be a GaussianMixture2D or None, got {checks.describe(mixture)}; "
            "pass gan_helpers.ring_mixture() or gan_helpers.grid_mixture()."
        )
    _check_ax(ax)
    title = _check_title(title)
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
