"""Callbacks for GAN training: fixed-noise snapshots, a GIF writer, a NaN stop.

For checkpoints and resuming, use Keras' own ``keras.callbacks.BackupAndRestore`` and
``ModelCheckpoint``: ``gan_helpers.GAN`` builds both of its optimizers in ``compile`` so
their state survives a restore.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import keras
import numpy as np

from . import checks

DEFAULT_SNAPSHOT_COUNT = 64


def _sample_count(n, z, labels) -> int:
    """The one number of snapshot samples that ``n``, ``z`` and ``labels`` agree on."""
    counts = {}
    if n is not None:
        counts["n"] = checks.positive_int(n, "n", DEFAULT_SNAPSHOT_COUNT)
    if z is not None:
        counts["len(z)"] = len(z)
    if labels is not None:
        counts["len(labels)"] = len(labels)
    if len(set(counts.values())) > 1:
        given = ", ".join(f"{key}={value}" for key, value in counts.items())
        raise ValueError(
            f"n, z and labels must agree on the number of samples, got {given}; pass one "
            "latent vector and one label per sample (n may then be left out)."
        )
    return next(iter(counts.values()), DEFAULT_SNAPSHOT_COUNT)


class Snapshots(keras.callbacks.Callback):
    """Keep what the generator makes from the same latent vectors after every ``every`` epochs.

    Fixed noise makes snapshots comparable: a change between two frames is a change of the
    generator, not of the input. Frames stay in memory (``samples``, ``epochs``) and can also
    be written as PNG grids to ``save_dir``. By default the noise is drawn by the model's
    ``generate(n, seed=seed)``; pass ``z`` to choose the latent vectors yourself (e.g. the same
    vector repeated down a column, with ``labels`` for a conditional generator).

    Args:
        n: number of samples (default: ``len(z)`` or ``len(labels)`` if given, else 64).
        seed: seed of the fixed latent vectors (ignored when ``z`` is given).
        every: take a snapshot every this many epochs.
        labels: for a ``ConditionalGAN``, one integer label per sample.
        save_dir: if given, also save each image grid there as ``epoch_XXX.png``.
        at_start: also take a snapshot before training (epoch 0).
        z: fixed latent vectors ``(n, latent_dim)``, drawn as they are in inference mode.

    Raises:
        TypeError, ValueError: for a bad argument, or ``n``, ``z`` and ``labels`` that disagree
            on the number of samples; at the start of training, for ``z`` whose size is not the
            generator's latent size.

    Example:
        >>> snapshots = Snapshots(n=36, seed=0)
        >>> gan.fit(dataset, epochs=5, callbacks=[snapshots])
        >>> save_gif(snapshots.frames, "training.gif")
    """

    def __init__(
        self,
        n: int | None = None,
        seed: int = 0,
        every: int = 1,
        labels=None,
        save_dir: str | os.PathLike | None = None,
        at_start: bool = True,
        z=None,
    ):
        super().__init__()
        if z is not None:
            z = checks.float_matrix(z, "z").astype(np.float32)
        if labels is not None:
            labels = checks.int_labels(labels, "labels")
        self.n = _sample_count(n, z, labels)
        self.seed = checks.int_at_least(seed, "seed", 0, 0)
        self.every = checks.positive_int(every, "every", 1)
        self.labels = labels
        self.z = z
        self.save_dir = (
            checks.path(save_dir, "save_dir", "snapshots") if save_dir is not None else None
        )
        self.at_start = checks.boolean(at_start, "at_start")
        self.samples: list[np.ndarray] = []
        self.epochs: list[int] = []

    def _draw(self) -> np.ndarray:
        if self.z is not None:
            inputs = self.z if self.labels is None else [self.z, self.labels]
            return keras.ops.convert_to_numpy(self.model.generator(inputs, training=False))
        if self.labels is not None:
            return self.model.generate(seed=self.seed, labels=self.labels)
        return self.model.generate(self.n, seed=self.seed)

    def _check_latent_size(self) -> None:
        generator = getattr(self.model, "generator", None)
        if self.z is None or generator is None:
            return
        latent_dim = generator.inputs[0].shape[-1]
        if latent_dim != self.z.shape[1]:
            raise ValueError(
                f"z has {self.z.shape[1]} values per latent vector, but the generator takes "
                f"{latent_dim}; draw z with shape ({self.n}, {latent_dim})."
            )

    def _record(self, epoch: int) -> None:
        samples = self._draw()
        self.samples.append(samples)
        self.epochs.append(epoch)
        if self.save_dir is not None and samples.ndim == 4:
            import matplotlib.pyplot as plt

            from .plotting import image_grid

            self.save_dir.mkdir(parents=True, exist_ok=True)
            grid = image_grid(samples, n_cols=math.ceil(math.sqrt(self.n)))
            plt.imsave(
                self.save_dir / f"epoch_{epoch:03d}.png", grid, cmap="gray", vmin=0, vmax=255
            )

    def on_train_begin(self, logs=None):
        self._check_latent_size()
        if self.at_start and not self.epochs:
            self._record(0)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            self._record(epoch + 1)

    @property
    def frames(self) -> list[np.ndarray]:
        """The image snapshots tiled into uint8 grids (one per snapshot).

        Raises:
            ValueError: if the snapshots are not images (e.g. 2-D points: use ``plot_2d``).
        """
        from .plotting import image_grid

        if self.samples and self.samples[0].ndim != 4:
            raise ValueError(
                f"frames are image grids, but these snapshots are not images (shape "
                f"{self.samples[0].shape}); plot 2-D points with gan_helpers.plot_2d(...)."
            )
        cols = math.ceil(math.sqrt(self.n))
        return [image_grid(samples, n_cols=cols) for samples in self.samples]


def _frame_to_pixels(frame, index: int) -> np.ndarray:
    """One GIF frame as a 2-D uint8 grid (0 black, 255 white)."""
    from .plotting import image_grid

    name = f"frames[{index}]"
    array = checks.array(
        frame, name, "a 2-D grid or a batch of images", "pass e.g. Snapshots.frames", "images"
    )
    if array.ndim == 4:
        return image_grid(checks.images(array, name, allow_uint8=True), n_cols=_cols(array))
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D grid (height, width) or a batch of images (n, height, width, "
            f"1), got shape {array.shape}; tile images with gan_helpers.image_grid(...)."
        )
    if array.dtype == np.uint8:
        return array
    if array.dtype.kind != "f":
        raise TypeError(
            f"{name} must hold uint8 pixels (0..255) or floats in [-1, 1], got "
            f"{checks.describe(array)}; convert it, e.g. {name}.astype('uint8')."
        )
    grid = checks.images(array[np.newaxis, ..., np.newaxis].astype(np.float32), name)[0, ..., 0]
    return np.clip(np.rint(grid * 127.5 + 127.5), 0, 255).astype(np.uint8)


def _cols(images: np.ndarray) -> int:
    return math.ceil(math.sqrt(len(images)))


def save_gif(frames, path: str | os.PathLike, fps: float = 4.0, titles=None) -> Path:
    """Write image frames (2-D grids or batches of images in [-1, 1]) to an animated GIF.

    Uses matplotlib's animation module with its Pillow writer. Every frame is drawn on the same
    fixed gray scale (black = -1 or pixel 0, white = 1 or pixel 255), so a frame's grays are
    its own, whatever the first frame looked like.

    Args:
        frames: a list of 2-D grids (uint8 pixels, e.g. ``Snapshots.frames``, or floats in
            [-1, 1]) or of image batches ``(n, h, w, 1)``; all of the same size.
        path: where to write the ``.gif``.
        fps: frames per second (positive).
        titles: optional one title per frame (e.g. ``"epoch 3"``).

    Returns:
        The path written.

    Raises:
        TypeError: for frames that are not arrays of pixels, a path that is not a path, a
            non-numeric fps or titles that are not a list.
        ValueError: for no frames, frames of different sizes, NaN or out-of-range values,
            mismatched titles, a non-positive fps or a suffix other than ``.gif``.

    Example:
        >>> titles = [f"epoch {epoch}" for epoch in snapshots.epochs]
        >>> save_gif(snapshots.frames, "training.gif", titles=titles)
        PosixPath('training.gif')
    """
    import matplotlib.pyplot as plt
    from matplotlib import animation

    too_flat = isinstance(frames, np.ndarray) and frames.ndim < 3
    if frames is None or too_flat or isinstance(frames, (str, bytes, dict)):
        raise TypeError(
            f"frames must be a list of 2-D grids or image batches, got "
            f"{checks.describe(frames)}; pass e.g. Snapshots.frames."
        )
    try:
        frames = list(frames)
    except TypeError:
        raise TypeError(
            f"frames must be a list of 2-D grids or image batches, got "
            f"{checks.describe(frames)}; pass e.g. Snapshots.frames."
        ) from None
    if not frames:
        raise ValueError("frames is empty; pass at least one frame (e.g. Snapshots.frames).")
    path = checks.path(path, "path", "training.gif", suffix=".gif")
    fps = checks.positive_number(fps, "fps", 4)
    if titles is not None:
        if isinstance(titles, str) or not isinstance(titles, (list, tuple)):
            raise TypeError(
                f"titles must be a list of strings, one per frame, got {checks.describe(titles)}; "
                "pass e.g. titles=[f'epoch {e}' for e in snapshots.epochs]."
            )
        if len(titles) != len(frames):
            raise ValueError(
                f"titles must have one entry per frame: got {len(titles)} titles for "
                f"{len(frames)} frames; pass one title per frame."
            )
    grids = [_frame_to_pixels(frame, index) for index, frame in enumerate(frames)]
    sizes = [grid.shape for grid in grids]
    if len(set(sizes)) > 1:
        odd = next(index for index, size in enumerate(sizes) if size != sizes[0])
        raise ValueError(
            f"frames must all have the same size: frames[0] is {sizes[0]}, frames[{odd}] is "
            f"{sizes[odd]}; draw every frame from the same number of images with the same n_cols "
            "(Snapshots does)."
        )
    height, width = sizes[0]
    fig, ax = plt.subplots(
        figsize=(4 * width / max(height, width), 4 * height / max(height, width) + 0.4)
    )
    ax.axis("off")
    shown = ax.imshow(grids[0], cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    title = ax.set_title(titles[0] if titles else "")

    def update(index):
        shown.set_data(grids[index])
        title.set_text(titles[index] if titles else "")
        return shown, title

    try:
        movie = animation.FuncAnimation(fig, update, frames=len(grids), blit=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        movie.save(path, writer=animation.PillowWriter(fps=fps))
    finally:
        plt.close(fig)
    return path


class TrainingDiverged(RuntimeError):
    """Raised by :class:`StopOnNaN` when a loss becomes NaN or infinite."""


class StopOnNaN(keras.callbacks.TerminateOnNaN):
    """Keras' ``TerminateOnNaN`` for GANs: watch every logged loss, raise a clear error.

    Keras' version only watches a ``"loss"`` entry, which a GAN does not log. This one checks
    every entry whose name ends in ``loss`` (``d_loss``, ``g_loss``) and raises
    :class:`TrainingDiverged`. Raising, rather than stopping quietly, skips the end-of-training
    clean-up, so a ``BackupAndRestore`` backup from the last good epoch is kept on disk.

    Raises:
        TrainingDiverged: (during ``fit``) when a logged loss is NaN or infinite.

    Example:
        >>> backup = keras.callbacks.BackupAndRestore("backup")
        >>> gan.fit(dataset, epochs=20, callbacks=[backup, StopOnNaN()])
    """

    def __init__(self):
        super().__init__(raise_error=True)
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_batch_end(self, batch, logs=None):
        for name, value in (logs or {}).items():
            if name.endswith("loss") and not np.isfinite(float(value)):
                raise TrainingDiverged(
                    f"{name} became {float(value)} at epoch {self._epoch + 1}, batch {batch + 1}: "
                    "training diverged and was stopped. Weights saved by BackupAndRestore or "
                    "ModelCheckpoint at the last completed epoch are kept. Try a smaller learning "
                    "rate, Adam(beta_1=0.5), or check the data range ([-1, 1])."
                )
