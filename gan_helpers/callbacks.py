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

from .data import check_images


class Snapshots(keras.callbacks.Callback):
    """Keep what the generator makes from the same latent vectors after every ``every`` epochs.

    Fixed noise makes snapshots comparable: a change between two frames is a change of the
    generator, not of the input. Frames stay in memory (``samples``, ``epochs``) and can also
    be written as PNG grids to ``save_dir``.

    Args:
        n: number of latent vectors.
        seed: seed of the fixed latent vectors.
        every: take a snapshot every this many epochs.
        labels: for a ``ConditionalGAN``, one label per latent vector.
        save_dir: if given, also save each image grid there as ``epoch_XXX.png``.
        at_start: also take a snapshot before training (epoch 0).
    """

    def __init__(
        self,
        n: int = 64,
        seed: int = 0,
        every: int = 1,
        labels=None,
        save_dir: str | os.PathLike | None = None,
        at_start: bool = True,
    ):
        super().__init__()
        for name, value in (("n", n), ("every", every)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive int, got {value!r}.")
        if labels is not None:
            labels = np.asarray(labels)
            if labels.shape != (n,):
                raise ValueError(
                    f"labels must have shape ({n},) (one per sample), got {labels.shape}."
                )
        self.n, self.seed, self.every = n, seed, every
        self.labels = labels
        self.save_dir = Path(save_dir) if save_dir is not None else None
        self.at_start = at_start
        self.samples: list[np.ndarray] = []
        self.epochs: list[int] = []

    def _draw(self) -> np.ndarray:
        if self.labels is not None:
            return self.model.generate(seed=self.seed, labels=self.labels)
        return self.model.generate(self.n, seed=self.seed)

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
        if self.at_start and not self.epochs:
            self._record(0)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            self._record(epoch + 1)

    @property
    def frames(self) -> list[np.ndarray]:
        """The image snapshots tiled into uint8 grids (one per snapshot)."""
        from .plotting import image_grid

        cols = math.ceil(math.sqrt(self.n))
        return [image_grid(samples, n_cols=cols) for samples in self.samples]


def save_gif(frames, path: str | os.PathLike, fps: float = 4.0, titles=None) -> Path:
    """Write image frames (2-D grids or batches of images in [-1, 1]) to an animated GIF.

    Uses matplotlib's animation module with its Pillow writer.

    Args:
        frames: a list of 2-D arrays (e.g. ``Snapshots.frames``) or of image batches.
        path: where to write the ``.gif``.
        fps: frames per second (positive).
        titles: optional one title per frame (e.g. ``"epoch 3"``).

    Returns:
        The path written.

    Raises:
        ValueError: for no frames, mismatched titles, a non-positive fps or a wrong suffix.
    """
    import matplotlib.pyplot as plt
    from matplotlib import animation

    from .plotting import image_grid

    frames = list(frames)
    if not frames:
        raise ValueError("frames is empty; pass at least one frame (e.g. Snapshots.frames).")
    if not isinstance(fps, (int, float)) or fps <= 0:
        raise ValueError(f"fps must be a positive number, got {fps!r}; e.g. fps=4.")
    if titles is not None and len(titles) != len(frames):
        raise ValueError(f"titles must have one entry per frame: {len(titles)} for {len(frames)}.")
    path = Path(path)
    if path.suffix.lower() != ".gif":
        raise ValueError(f"path must end in .gif, got {str(path)!r}.")
    grids = []
    for frame in frames:
        frame = np.asarray(frame)
        if frame.ndim == 4:
            check_images(frame, "frames")
            frame = image_grid(frame, n_cols=math.ceil(math.sqrt(len(frame))))
        if frame.ndim != 2:
            raise ValueError(f"each frame must be a 2-D grid or an image batch, got {frame.shape}.")
        grids.append(frame)
    height, width = grids[0].shape
    fig, ax = plt.subplots(
        figsize=(4 * width / max(height, width), 4 * height / max(height, width) + 0.4)
    )
    ax.axis("off")
    shown = ax.imshow(grids[0], cmap="gray")
    title = ax.set_title(titles[0] if titles else "")

    def update(index):
        shown.set_data(grids[index])
        title.set_text(titles[index] if titles else "")
        return shown, title

    movie = animation.FuncAnimation(fig, update, frames=len(grids), blit=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    movie.save(path, writer=animation.PillowWriter(fps=fps))
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
