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
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import checks
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
    """Return the hex sha256 of a file.

    Args:
        path: the file.

    Returns:
        The digest as 64 hex characters.

    Raises:
        TypeError: if ``path`` is not a path.
        MissingFileError: (a FileNotFoundError and ValueError) if the file does not exist.

    Example:
        >>> sha256_of("assets/mnist_sample.npz")[:8]
        'bf26bab0'
    """
    path = checks.path(path, "path", "assets/mnist_sample.npz")
    if not path.is_file():
        raise checks.MissingFileError(
            f"path {str(path)!r} is not an existing file; check the path."
        )
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def keras_mnist_path() -> Path:
    """Where Keras caches ``mnist.npz`` (``$KERAS_HOME/datasets`` or ``~/.keras/datasets``).

    Returns:
        The path (the file may not exist).

    Raises:
        Nothing: it only reads ``KERAS_HOME`` and the home directory.

    Example:
        >>> keras_mnist_path().name
        'mnist.npz'
    """
    keras_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(keras_home) / "datasets" / "mnist.npz"


# What np.load raises on a file that is not a readable .npz: an interrupted download leaves a
# truncated zip (BadZipFile, EOFError, zlib.error); other junk gives ValueError or OSError.
_UNREADABLE_NPZ = (zipfile.BadZipFile, EOFError, zlib.error, ValueError, OSError)


def _read_npz(path: Path) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The four MNIST arrays of ``path``; a ValueError (one line) if it is unreadable."""
    try:
        if path.is_file() and not zipfile.is_zipfile(path):
            raise zipfile.BadZipFile("not a zip archive, as every .npz file is")
        with np.load(path, allow_pickle=False) as archive:
            found = sorted(archive.files)
            arrays = {key: archive[key] for key in _MNIST_KEYS if key in found}
    except FileNotFoundError:
        raise
    except _UNREADABLE_NPZ as error:
        size = path.stat().st_size if path.exists() else 0
        detail = str(error).splitlines()[0] if str(error) else "no details"
        raise ValueError(
            f"{path} ({size:,} bytes) is not a readable .npz file ({type(error).__name__}: "
            f"{detail}), probably an interrupted download; it was left in place: delete it to "
            "download again, or use source='sample'"
        ) from error
    missing = [key for key in _MNIST_KEYS if key not in arrays]
    if missing:
        raise ValueError(
            f"{path} is not a Keras-style MNIST file: keys {missing} are missing "
            f"(found {found}); expected {list(_MNIST_KEYS)}."
        )
    for split in ("train", "test"):
        images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype != np.uint8:
            raise ValueError(
                f"{path}: x_{split} must be uint8 images (n, 28, 28), got shape {images.shape} "
                f"and dtype {images.dtype}; this is not Keras' MNIST file."
            )
        if labels.shape != (len(images),) or labels.dtype.kind not in "iu":
            raise ValueError(
                f"{path}: y_{split} must be {len(images)} integer labels, got shape "
                f"{labels.shape} and dtype {labels.dtype}; this is not Keras' MNIST file."
            )
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
        raise checks.MissingFileError(
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
            raise checks.MissingFileError(
                f"source='keras' needs Keras' cached MNIST at {path}, but there is none and "
                "downloads are off (GAN_OFFLINE=1); use source='auto' or 'sample', or unset "
                "GAN_OFFLINE."
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
    printed saying which source was used and why. A cached file that cannot be read (e.g. a
    download that was interrupted) is reported in that line and left untouched.

    Args:
        source: ``"auto"``, ``"keras"`` (cache or download, no fallback) or ``"sample"``.
        sample_path: another copy of the sample file (default: ``assets/mnist_sample.npz``).

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: images ``(n, 28, 28)`` uint8, labels uint8.

    Raises:
        ValueError: for an unknown ``source``; with ``source="keras"``, for a cached file that
            cannot be read; for a bad ``GAN_OFFLINE`` value.
        TypeError: if ``sample_path`` is not a path.
        ChecksumError: (a ValueError) if the bundled sample is damaged.
        MissingFileError: (a FileNotFoundError and ValueError) if the sample file is missing, or
            with ``source="keras"`` and ``GAN_OFFLINE=1`` if nothing is cached.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_mnist()
        MNIST source: ...
    """
    source = checks.choice(source, "source", MNIST_SOURCES)
    path = (
        checks.path(sample_path, "sample_path", "assets/mnist_sample.npz")
        if sample_path is not None
        else SAMPLE_PATH
    )
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
        return _load_sample(path, " ".join(reason.split()))


def scale_images(images) -> np.ndarray:
    """Turn uint8 pixels ``(n, 28, 28)`` or ``(n, 28, 28, 1)`` into float32 in [-1, 1].

    Args:
        images: uint8 pixels in 0..255, e.g. ``x_train`` from :func:`load_mnist`.

    Returns:
        float32 array of shape ``(n, height, width, 1)``: 0 -> -1.0, 255 -> 1.0.

    Raises:
        TypeError: if ``images`` is not a uint8 array.
        ValueError: if it is not a non-empty batch of single-channel images.

    Example:
        >>> scale_images(np.array([[[0, 255]]], np.uint8))[..., 0]
        array([[[-1.,  1.]]], dtype=float32)
    """
    if not isinstance(images, np.ndarray) or images.dtype != np.uint8:
        raise TypeError(
            f"images must be a uint8 NumPy array of pixels in 0..255, got "
            f"{checks.describe(images)}; pass the arrays from load_mnist() (images already "
            "scaled to [-1, 1] need no scaling; pass them to check_images to check them)."
        )
    pixels = checks.images(images, "images", allow_uint8=True)
    if pixels.shape[-1] != 1:
        raise ValueError(
            "images must have shape (n, height, width) or (n, height, width, 1), "
            f"got {images.shape}; pick one channel with images[..., :1]."
        )
    return (pixels.astype(np.float32) - 127.5) / 127.5


def check_images(images, name: str = "images") -> np.ndarray:
    """Check that ``images`` are what the networks expect and return them as NumPy.

    Expected: float32 ``(n, height, width, channels)`` with values in [-1, 1]. This is
    :func:`gan_helpers.checks.images`, the package's one image check.

    Args:
        images: the images (a NumPy array, a tensor, ...).
        name: the name used in error messages.

    Returns:
        The images as a float32 NumPy array.

    Raises:
        TypeError: uint8 pixels (use :func:`scale_images`) or a dtype other than float32.
        ValueError: no channel axis, an empty batch, NaN/inf, or values outside [-1, 1].

    Example:
        >>> check_images(scale_images(x_train[:8])).shape
        (8, 28, 28, 1)
    """
    name = checks.text(name, "name", "images")
    return checks.images(images, name)


def unscale_images(images) -> np.ndarray:
    """Turn float images in [-1, 1] back into uint8 pixels, keeping the shape.

    Args:
        images: float ``(n, height, width, channels)`` in [-1, 1].

    Returns:
        uint8 pixels of the same shape: -1.0 -> 0, 1.0 -> 255.

    Raises:
        TypeError, ValueError: as :func:`check_images`.

    Example:
        >>> unscale_images(np.ones((1, 2, 2, 1), np.float32))[0, 0, 0, 0]
        255
    """
    array = checks.images(images, "images")
    return np.clip(np.rint(array * 127.5 + 127.5), 0, 255).astype(np.uint8)


def make_dataset(
    images,
    batch_size: int = 32,
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
        batch_size: images per batch (positive int); the default, 32, is the course recipe's
            (``gan_helpers.MNIST_RECIPE.batch_size``).
        labels: optional integer labels ``(n,)``, >= 0; then batches are ``(images, labels)``.
        shuffle: reshuffle every epoch (with ``seed``).
        seed: shuffle seed, or None for a fresh order each run.
        drop_remainder: drop the partial last batch.

    Returns:
        A ``tf.data.Dataset``.

    Raises:
        TypeError, ValueError: for bad images (uint8, no channel axis, NaN, outside [-1, 1]),
            labels (wrong length, non-integer or negative), batch size, seed or flags.

    Example:
        >>> dataset = make_dataset(scale_images(x_train), batch_size=32, labels=y_train)
    """
    import tensorflow as tf

    images = checks.images(images, "images")
    batch_size = checks.positive_int(batch_size, "batch_size", 32)
    shuffle = checks.boolean(shuffle, "shuffle")
    seed = checks.seed(seed)
    drop_remainder = checks.boolean(drop_remainder, "drop_remainder")
    if drop_remainder and batch_size > len(images):
        raise ValueError(
            f"batch_size={batch_size} with drop_remainder=True leaves no batch from "
            f"{len(images)} images; use a smaller batch_size or drop_remainder=False."
        )
    if labels is None:
        dataset = tf.data.Dataset.from_tensor_slices(images)
    else:
        labels = checks.int_labels(labels, "labels", length=len(images))
        dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    if shuffle:
        dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


@dataclass(frozen=True)
class GaussianMixture2D:
    """An equal-weight mixture of 2-D Gaussians with one shared standard deviation.

    Args:
        name: a short name for legends (e.g. ``"ring"``).
        centers: the means, an array ``(n_modes, 2)`` of finite numbers.
        std: the standard deviation of every component (finite, > 0).

    Raises:
        TypeError, ValueError: for a non-string name, centers that are not ``(n, 2)`` finite
            numbers, or a std that is not a finite positive number.

    Example:
        >>> mixture = GaussianMixture2D("pair", np.array([[-1.0, 0.0], [1.0, 0.0]]), 0.1)
        >>> mixture.sample(4, seed=0).shape
        (4, 2)
    """

    name: str
    centers: np.ndarray
    std: float

    def __post_init__(self):
        checks.text(self.name, "name", "ring")
        centers = checks.float_matrix(self.centers, "centers", min_rows=1, columns=2)
        object.__setattr__(self, "centers", centers)
        object.__setattr__(self, "std", checks.positive_number(self.std, "std", 0.05))

    @property
    def n_modes(self) -> int:
        """Number of mixture components."""
        return len(self.centers)

    def sample(self, n: int, seed: int | None = None) -> np.ndarray:
        """Draw ``n`` float32 points ``(n, 2)``; each picks a center uniformly.

        Args:
            n: number of points (positive int).
            seed: a non-negative int for reproducible points, or None.

        Returns:
            float32 array ``(n, 2)``.

        Raises:
            TypeError, ValueError: if ``n`` is not a positive int or ``seed`` is not a
                non-negative int or None.

        Example:
            >>> ring_mixture().sample(2500, seed=0).shape
            (2500, 2)
        """
        n = checks.positive_int(n, "n", 2500)
        rng = np.random.default_rng(checks.seed(seed))
        which = rng.integers(0, self.n_modes, size=n)
        points = self.centers[which] + self.std * rng.standard_normal((n, 2))
        return points.astype(np.float32)


def ring_mixture(n_modes: int = 8, radius: float = 1.0, std: float = 0.01) -> GaussianMixture2D:
    """The ring benchmark: ``n_modes`` Gaussians at angles ``2*pi*k/n_modes``, k = 0..n-1.

    (``np.linspace(0, 2*pi, n)`` would put the first and last mode on the same spot.)

    Args:
        n_modes: number of Gaussians (positive int).
        radius: radius of the ring (finite, > 0).
        std: standard deviation of each Gaussian (finite, > 0).

    Returns:
        A :class:`GaussianMixture2D` named ``"ring"``.

    Raises:
        TypeError, ValueError: for a non-positive, NaN or non-numeric argument.

    Example:
        >>> ring_mixture().n_modes
        8
    """
    n_modes = checks.positive_int(n_modes, "n_modes", 8)
    radius = checks.positive_number(radius, "radius", 1.0)
    std = checks.positive_number(std, "std", 0.01)
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return GaussianMixture2D("ring", centers.astype(np.float64), std)


def grid_mixture(side: int = 5, spacing: float = 2.0, std: float = 0.05) -> GaussianMixture2D:
    """The grid benchmark: ``side x side`` Gaussians, means in {-4, -2, 0, 2, 4}^2 by default.

    Args:
        side: Gaussians per row and column (positive int).
        spacing: distance between neighboring means (finite, > 0).
        std: standard deviation of each Gaussian (finite, > 0).

    Returns:
        A :class:`GaussianMixture2D` named ``"grid"``, its centers sorted by x, then y.

    Raises:
        TypeError, ValueError: as :func:`ring_mixture`.

    Example:
        >>> grid_mixture().centers[[0, 1, -1]]
        array([[-4., -4.],
               [-4., -2.],
               [ 4.,  4.]])
    """
    side = checks.positive_int(side, "side", 5)
    spacing = checks.positive_number(spacing, "spacing", 2.0)
    std = checks.positive_number(std, "std", 0.05)
    axis = spacing * (np.arange(side) - (side - 1) / 2)
    xs, ys = np.meshgrid(axis, axis, indexing="ij")
    centers = np.stack([xs.ravel(), ys.ravel()], axis=1)
    return GaussianMixture2D("grid", centers.astype(np.float64), std)
