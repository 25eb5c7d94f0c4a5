"""Data: MNIST (Keras or the bundled sample), scaling to [-1, 1], tf.data, 2-D toys.

Every lesson feeds the networks float32 images in [-1, 1] with a channel axis,
shape ``(n, 28, 28, 1)``: :func:`scale_images` makes them from MNIST's uint8
pixels and :func:`unscale_images` turns them back into pixels for plotting.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .config import offline_mode

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
SAMPLE_PATH = ASSETS_DIR / "mnist_sample.npz"
SAMPLE_SHA256 = "bf26bab0c936e1a84f58cb942195316aa306498b0fd84881d354c1a4ab1f8a2c"
KERAS_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
KERAS_MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
DOWNLOAD_TIMEOUT_S = 10.0
MNIST_SOURCES = ("auto", "keras", "sample")
_MNIST_KEYS = ("x_train", "y_train", "x_test", "y_test")


class ChecksumError(ValueError):
    """A data file's sha256 is not the one it should have."""


def sha256_of(path: str | os.PathLike) -> str:
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def keras_mnist_path() -> Path:
    """Where Keras caches ``mnist.npz`` (``$KERAS_HOME/datasets`` or ``~/.keras/datasets``)."""
    keras_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(keras_home) / "datasets" / "mnist.npz"


def _read_npz(path: Path) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    with np.load(path, allow_pickle=False) as archive:
        missing = [key for key in _MNIST_KEYS if key not in archive.files]
        if missing:
            raise ValueError(
                f"{path} is not a Keras-style MNIST file: keys {missing} are missing "
                f"(found {sorted(archive.files)}); expected {list(_MNIST_KEYS)}."
            )
        arrays = {key: archive[key] for key in _MNIST_KEYS}
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _download_keras_mnist(destination: Path, timeout: float = DOWNLOAD_TIMEOUT_S) -> None:
    """Download Keras' ``mnist.npz`` into ``destination`` and check its sha256."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=destination.parent, delete=False) as partial:
        partial_path = Path(partial.name)
        try:
            with urllib.request.urlopen(KERAS_MNIST_URL, timeout=timeout) as response:
                shutil.copyfileobj(response, partial)
        except BaseException:
            partial.close()
            partial_path.unlink(missing_ok=True)
            raise
    if sha256_of(partial_path) != KERAS_MNIST_SHA256:
        partial_path.unlink(missing_ok=True)
        raise ChecksumError(f"the downloaded {KERAS_MNIST_URL} has the wrong sha256")
    partial_path.replace(destination)


def _load_sample(path: Path, reason: str):
    if not path.exists():
        raise FileNotFoundError(
            f"The bundled MNIST sample is missing: {path}. Restore it with "
            "`git checkout -- assets/mnist_sample.npz` (it ships with the course)."
        )
    actual = sha256_of(path)
    if actual != SAMPLE_SHA256:
        raise ChecksumError(
            f"The bundled MNIST sample {path} is damaged: sha256 {actual}, expected "
            f"{SAMPLE_SHA256}. Restore it with `git checkout -- assets/mnist_sample.npz`."
        )
    data = _read_npz(path)
    print(
        f"MNIST source: bundled sample {path.name} ({len(data[0][0]):,} train / "
        f"{len(data[1][0]):,} test images), because {reason}."
    )
    return data


def _load_keras(path: Path, allow_download: bool):
    if not path.exists():
        if not allow_download:
            raise FileNotFoundError(
                f"no cached Keras MNIST at {path} and downloads are off (GAN_OFFLINE=1); "
                "use source='sample' or unset GAN_OFFLINE."
            )
        _download_keras_mnist(path)
        how = f"downloaded to {path}"
    else:
        how = f"Keras' cached {path}"
    data = _read_npz(path)
    print(f"MNIST source: {how} ({len(data[0][0]):,} train / {len(data[1][0]):,} test images).")
    return data


def load_mnist(source: str = "auto", sample_path: str | os.PathLike | None = None):
    """Load MNIST as Keras does: ``(x_train, y_train), (x_test, y_test)``, uint8 arrays.

    ``source="auto"`` uses Keras' cached ``mnist.npz`` (70,000 images), else tries a
    download with a short timeout, else falls back to the bundled 5,000-image sample in
    ``assets/``. ``GAN_OFFLINE=1`` makes ``"auto"`` use the sample directly. One line is
    printed saying which source was used and why.

    Args:
        source: ``"auto"``, ``"keras"`` (cache or download, no fallback) or ``"sample"``.
        sample_path: another copy of the sample file (default: ``assets/mnist_sample.npz``).

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: images ``(n, 28, 28)`` uint8, labels uint8.

    Raises:
        ValueError: for an unknown ``source``.
        ChecksumError: if the bundled sample is damaged.
        FileNotFoundError: if the bundled sample is missing.
    """
    if not isinstance(source, str) or source not in MNIST_SOURCES:
        raise ValueError(
            f"source must be one of {MNIST_SOURCES}, got {source!r}; "
            "use 'auto' unless you need a specific one."
        )
    path = Path(sample_path) if sample_path is not None else SAMPLE_PATH
    if source == "sample":
        return _load_sample(path, "source='sample' was asked for")
    if source == "keras":
        return _load_keras(keras_mnist_path(), allow_download=not offline_mode())
    if offline_mode():
        return _load_sample(path, "GAN_OFFLINE=1 is set")
    try:
        return _load_keras(keras_mnist_path(), allow_download=True)
    except (OSError, ValueError) as error:
        reason = f"Keras' MNIST could not be loaded ({type(error).__name__}: {error})"
        return _load_sample(path, reason)


def _describe(array) -> str:
    shape = getattr(array, "shape", None)
    dtype = getattr(array, "dtype", type(array).__name__)
    return f"shape {shape}, dtype {dtype}"


def scale_images(images) -> np.ndarray:
    """Turn uint8 pixels ``(n, 28, 28)`` or ``(n, 28, 28, 1)`` into float32 in [-1, 1].

    Returns:
        float32 array of shape ``(n, height, width, 1)``: 0 -> -1.0, 255 -> 1.0.

    Raises:
        TypeError: if ``images`` is not a uint8 array.
        ValueError: if it is not a batch of single-channel images.
    """
    if not isinstance(images, np.ndarray) or images.dtype != np.uint8:
        raise TypeError(
            f"images must be a uint8 NumPy array of pixels in 0..255, got {_describe(images)}; "
            "pass the arrays from load_mnist() (already-scaled floats need no scaling)."
        )
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(
            "images must have shape (n, height, width) or (n, height, width, 1), "
            f"got {images.shape}."
        )
    return (images.astype(np.float32) - 127.5) / 127.5


def check_images(images, name: str = "images") -> np.ndarray:
    """Check that ``images`` are what the networks expect and return them as NumPy.

    Expected: float32 ``(n, height, width, channels)`` with values in [-1, 1].

    Raises:
        TypeError: wrong dtype. ValueError: wrong shape, empty batch or values out of range.
    """
    array = np.asarray(images)
    if array.dtype == np.uint8:
        raise TypeError(
            f"{name} must be float32 in [-1, 1], got uint8 pixels ({_describe(array)}); "
            "convert them with gan_helpers.scale_images(...)."
        )
    if array.dtype != np.float32:
        raise TypeError(
            f"{name} must be float32 in [-1, 1], got {_describe(array)}; "
            f"use {name}.astype('float32') (and gan_helpers.scale_images for uint8 pixels)."
        )
    if array.ndim != 4:
        raise ValueError(
            f"{name} must have shape (n, height, width, channels) with a channel axis, got "
            f"{array.shape}; add one with {name}[..., None]."
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} is an empty batch (shape {array.shape}); pass at least one.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    low, high = float(array.min()), float(array.max())
    if low < -1.0 - 1e-5 or high > 1.0 + 1e-5:
        raise ValueError(
            f"{name} must lie in [-1, 1], got values in [{low:.3g}, {high:.3g}]; "
            "uint8 pixels go through gan_helpers.scale_images(...)."
        )
    return array


def unscale_images(images) -> np.ndarray:
    """Turn float images in [-1, 1] back into uint8 pixels, keeping the shape.

    Raises:
        TypeError, ValueError: as :func:`check_images`.
    """
    array = check_images(images)
    return np.clip(np.rint(array * 127.5 + 127.5), 0, 255).astype(np.uint8)


def _check_positive_int(value, name: str, example: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{name} must be a positive int, got {value!r} ({type(value).__name__}); "
            f"pass e.g. {name}={example}."
        )
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}; pass e.g. {name}={example}.")
    return int(value)


def make_dataset(
    images,
    batch_size: int = 128,
    labels=None,
    shuffle: bool = True,
    seed: int | None = 0,
    drop_remainder: bool = False,
):
    """A ``tf.data`` pipeline over images in [-1, 1]: shuffle, batch, prefetch.

    The last batch is smaller when ``len(images)`` is not a multiple of ``batch_size``;
    ``gan_helpers.GAN`` reads the batch size from the data, so that is safe. Pass
    ``drop_remainder=True`` for code that needs equal batches.

    Args:
        images: float32 ``(n, h, w, c)`` in [-1, 1] (see :func:`scale_images`).
        batch_size: images per batch (positive int).
        labels: optional integer labels ``(n,)``; then batches are ``(images, labels)``.
        shuffle: reshuffle every epoch (with ``seed``).
        seed: shuffle seed, or None for a fresh order each run.
        drop_remainder: drop the partial last batch.

    Returns:
        A ``tf.data.Dataset``.

    Raises:
        TypeError, ValueError: for bad images, labels or batch size.
    """
    import tensorflow as tf

    images = check_images(images)
    batch_size = _check_positive_int(batch_size, "batch_size", 128)
    if drop_remainder and batch_size > len(images):
        raise ValueError(
            f"batch_size={batch_size} with drop_remainder=True leaves no batch from "
            f"{len(images)} images; use a smaller batch_size or drop_remainder=False."
        )
    if labels is None:
        dataset = tf.data.Dataset.from_tensor_slices(images)
    else:
        labels = np.asarray(labels)
        if labels.ndim != 1 or len(labels) != len(images) or labels.dtype.kind not in "iu":
            raise ValueError(
                f"labels must be integers of shape ({len(images)},) to match images, got "
                f"{_describe(labels)}."
            )
        dataset = tf.data.Dataset.from_tensor_slices((images, labels.astype(np.int32)))
    if shuffle:
        dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


@dataclass(frozen=True)
class GaussianMixture2D:
    """An equal-weight mixture of 2-D Gaussians with one shared standard deviation."""

    name: str
    centers: np.ndarray
    std: float

    @property
    def n_modes(self) -> int:
        """Number of mixture components."""
        return len(self.centers)

    def sample(self, n: int, seed: int | None = None) -> np.ndarray:
        """Draw ``n`` float32 points ``(n, 2)``; each picks a center uniformly.

        Raises:
            TypeError, ValueError: if ``n`` is not a positive int.
        """
        n = _check_positive_int(n, "n", 2500)
        rng = np.random.default_rng(seed)
        which = rng.integers(0, self.n_modes, size=n)
        points = self.centers[which] + self.std * rng.standard_normal((n, 2))
        return points.astype(np.float32)


def ring_mixture(n_modes: int = 8, radius: float = 1.0, std: float = 0.01) -> GaussianMixture2D:
    """The ring benchmark: ``n_modes`` Gaussians at angles ``2*pi*k/n_modes``, k = 0..n-1.

    (``np.linspace(0, 2*pi, n)`` would put the first and last mode on the same spot.)
    """
    n_modes = _check_positive_int(n_modes, "n_modes", 8)
    if not radius > 0 or not std > 0:
        raise ValueError(f"radius and std must be positive, got radius={radius}, std={std}.")
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return GaussianMixture2D("ring", centers.astype(np.float64), float(std))


def grid_mixture(side: int = 5, spacing: float = 2.0, std: float = 0.05) -> GaussianMixture2D:
    """The grid benchmark: ``side x side`` Gaussians, means in {-4, -2, 0, 2, 4}^2 by default."""
    side = _check_positive_int(side, "side", 5)
    if not spacing > 0 or not std > 0:
        raise ValueError(f"spacing and std must be positive, got spacing={spacing}, std={std}.")
    axis = spacing * (np.arange(side) - (side - 1) / 2)
    xs, ys = np.meshgrid(axis, axis, indexing="ij")
    centers = np.stack([xs.ravel(), ys.ravel()], axis=1)
    return GaussianMixture2D("grid", centers.astype(np.float64), float(std))
