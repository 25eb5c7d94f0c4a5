"""Metrics: mode statistics for 2-D mixtures, the Frechet distance, and the MNIST classifier.

- :func:`mode_stats` measures a 2-D generator against the ring or grid mixture: modes covered,
  high-quality share and reverse KL, as in the PacGAN paper.
- :func:`frechet_distance` compares two sets of feature vectors through their means and
  covariances, in float64, with symmetric matrix square roots from ``np.linalg.eigh`` (so the
  result is always a real float, never complex).
- :func:`evaluate_digits` judges generated MNIST digits with a small bundled classifier
  (``assets/mnist_classifier.keras``): how many it is confident about, which digits they are,
  and the Frechet distance of its features to real test images next to the real-vs-real floor.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from .data import ASSETS_DIR, GaussianMixture2D, check_images, load_mnist

CLASSIFIER_PATH = ASSETS_DIR / "mnist_classifier.keras"
CLASSIFIER_SCRIPT = "scripts/train_mnist_classifier.py"
FEATURES_LAYER = "features"
N_CLASSES = 10
IMAGE_SHAPE = (28, 28, 1)
REFERENCE_SEED = 0
HQ_STD_MULTIPLE = 3.0

_classifiers: dict[Path, object] = {}
_two_headed: dict[int, object] = {}
_mnist_cache: dict[str, tuple] = {}
_reference_features: dict[tuple[str, int], np.ndarray] = {}
_floors: dict[tuple[int, int], float] = {}


def _describe(value) -> str:
    shape = getattr(value, "shape", None)
    if shape is None:
        return f"a {type(value).__name__}"
    return f"shape {tuple(shape)}, dtype {getattr(value, 'dtype', '?')}"


def _check_int(value, name: str, minimum: int, example: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{name} must be an int >= {minimum}, got {value!r} ({type(value).__name__}); "
            f"pass e.g. {name}={example}."
        )
    if value < minimum:
        raise ValueError(
            f"{name} must be an int >= {minimum}, got {value}; pass e.g. {name}={example}."
        )
    return int(value)


def _check_matrix(values, name: str, min_rows: int, columns: int | None = None) -> np.ndarray:
    """Return ``values`` as a finite float64 2-D array, or raise a clear error."""
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{name} must be a 2-D array of floats, got {type(values).__name__}.")
    array = np.asarray(values)
    if array.dtype.kind not in "fiu":
        raise TypeError(
            f"{name} must be a 2-D array of real numbers, got {_describe(array)}; "
            f"convert it with np.asarray({name}, dtype='float64')."
        )
    shape_hint = f"(n, {columns})" if columns is not None else "(n, features)"
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with shape {shape_hint}, got shape {array.shape}; "
            f"reshape it, e.g. {name}.reshape(len({name}), -1)."
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


# ---------------------------------------------------------------------------------------------
# 2-D mixtures


def mode_stats(samples, mixture: GaussianMixture2D) -> dict:
    """Modes covered, high-quality share and reverse KL of 2-D samples against a mixture.

    Each sample belongs to its nearest center; it is high quality when its Euclidean distance
    to that center is at most ``3 * mixture.std``. A mode is covered when at least one
    high-quality sample belongs to it. The reverse KL is ``KL(p || uniform)`` where ``p`` is the
    histogram of the high-quality samples over the ``K`` modes: the sum over modes with
    ``p > 0`` of ``p * ln(p * K)``; 0 means perfectly balanced, ``ln(K)`` all in one mode.
    When no sample is high quality the histogram is undefined and ``reverse_kl`` is reported as
    ``ln(K)``, the largest value a histogram can have (a finite value keeps averages over runs
    meaningful, and such a run is as bad as a total collapse).

    Args:
        samples: float array ``(n, 2)``, n >= 1, finite (NumPy or a tensor).
        mixture: the :class:`~gan_helpers.data.GaussianMixture2D` the samples should match.

    Returns:
        ``{"modes": int, "high_quality": float in [0, 1], "reverse_kl": float,
        "counts": int64 array (K,) of high-quality samples per mode}``.

    Raises:
        TypeError: if ``samples`` is not a float array or ``mixture`` is not a mixture.
        ValueError: if ``samples`` is not ``(n, 2)`` with n >= 1, or has NaN/inf values.
    """
    if not isinstance(mixture, GaussianMixture2D):
        raise TypeError(
            f"mixture must be a GaussianMixture2D, got {type(mixture).__name__}; "
            "pass gan_helpers.ring_mixture() or gan_helpers.grid_mixture()."
        )
    array = np.asarray(samples)
    if array.dtype.kind != "f":
        raise TypeError(
            f"samples must be a float array of shape (n, 2), got {_describe(array)}; "
            "convert it with samples.astype('float32')."
        )
    points = _check_matrix(array, "samples", min_rows=1, columns=2)
    centers = np.asarray(mixture.centers, dtype=np.float64)
    n_modes = len(centers)
    squared = np.sum((points[:, None, :] - centers[None, :, :]) ** 2, axis=-1)
    nearest = np.argmin(squared, axis=1)
    distance = np.sqrt(squared[np.arange(len(points)), nearest])
    high_quality = distance <= HQ_STD_MULTIPLE * mixture.std
    counts = np.bincount(nearest[high_quality], minlength=n_modes).astype(np.int64)
    total = int(counts.sum())
    if total == 0:
        reverse_kl = math.log(n_modes)
    else:
        shares = counts[counts > 0] / total
        reverse_kl = float(np.sum(shares * np.log(shares * n_modes)))
    return {
        "modes": int(np.count_nonzero(counts)),
        "high_quality": float(total / len(points)),
        "reverse_kl": max(float(reverse_kl), 0.0),
        "counts": counts,
    }


# ---------------------------------------------------------------------------------------------
# Frechet distance


def _sqrt_psd(matrix: np.ndarray) -> np.ndarray:
    """Symmetric square root of a symmetric positive semi-definite matrix (eigh, clipped)."""
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    roots = np.sqrt(np.clip(eigenvalues, 0.0, None))
    return (eigenvectors * roots) @ eigenvectors.T


def frechet_distance_from_stats(mu_a, cov_a, mu_b, cov_b) -> float:
    """Frechet distance between the Gaussians N(mu_a, cov_a) and N(mu_b, cov_b).

    ``||mu_a - mu_b||^2 + tr(cov_a) + tr(cov_b) - 2 tr((cov_a^1/2 cov_b cov_a^1/2)^1/2)``,
    computed in float64. Both square roots are of symmetric positive semi-definite matrices and
    come from ``np.linalg.eigh`` with negative rounding-error eigenvalues clipped to 0, so the
    result is real; it is clipped at 0 for the same reason.

    Args:
        mu_a, mu_b: mean vectors ``(d,)``.
        cov_a, cov_b: covariance matrices ``(d, d)`` (symmetric; symmetrised here).

    Returns:
        The distance (squared units of the features), a Python float >= 0.

    Raises:
        TypeError: if an argument is not numeric.
        ValueError: if the shapes do not match or values are NaN/inf.
    """
    means = []
    for name, mean in (("mu_a", mu_a), ("mu_b", mu_b)):
        if np.ndim(mean) != 1:
            raise ValueError(f"{name} must be a 1-D mean vector (d,), got {_describe(mean)}.")
        means.append(_check_matrix(np.asarray(mean)[None, :], name, min_rows=1)[0])
    dim = len(means[0])
    if len(means[1]) != dim:
        raise ValueError(
            f"mu_a and mu_b must have the same length, got {dim} and {len(means[1])}; "
            "compute both from features of the same layer."
        )
    covs = []
    for name, cov in (("cov_a", cov_a), ("cov_b", cov_b)):
        matrix = _check_matrix(cov, name, 1)
        if matrix.shape != (dim, dim):
            raise ValueError(
                f"{name} must be a ({dim}, {dim}) covariance matrix to match the means, got "
                f"shape {matrix.shape}."
            )
        covs.append((matrix + matrix.T) / 2)
    sqrt_a = _sqrt_psd(covs[0])
    middle = sqrt_a @ covs[1] @ sqrt_a
    eigenvalues = np.linalg.eigvalsh((middle + middle.T) / 2)
    trace_sqrt = float(np.sum(np.sqrt(np.clip(eigenvalues, 0.0, None))))
    difference = means[0] - means[1]
    distance = (
        float(difference @ difference)
        + float(np.trace(covs[0]))
        + float(np.trace(covs[1]))
        - 2.0 * trace_sqrt
    )
    return max(distance, 0.0)


def feature_stats(features) -> tuple[np.ndarray, np.ndarray]:
    """Mean ``(d,)`` and covariance ``(d, d)`` (ddof=1) of features ``(n, d)``, in float64.

    Raises:
        TypeError, ValueError: if ``features`` is not a finite 2-D array with >= 2 rows.
    """
    array = _check_matrix(features, "features", min_rows=2)
    return array.mean(axis=0), np.atleast_2d(np.cov(array, rowvar=False, ddof=1))


def frechet_distance(features_a, features_b) -> float:
    """Frechet distance between Gaussians fitted to two sets of feature vectors.

    Means and covariances (ddof=1) are fitted in float64, then
    :func:`frechet_distance_from_stats` is applied. The estimate is biased upwards for small
    sets, so compare only numbers computed with the same sample sizes.

    Args:
        features_a, features_b: arrays ``(n_a, d)`` and ``(n_b, d)``, each with >= 2 rows.

    Returns:
        The distance, a Python float >= 0.

    Raises:
        TypeError: if an argument is not a numeric array.
        ValueError: if an argument is not 2-D, has < 2 rows, NaN/inf values, or the feature
            counts differ.
    """
    array_a = _check_matrix(features_a, "features_a", min_rows=2)
    array_b = _check_matrix(features_b, "features_b", min_rows=2)
    if array_a.shape[1] != array_b.shape[1]:
        raise ValueError(
            f"features_a and features_b must have the same number of features, got "
            f"{array_a.shape[1]} and {array_b.shape[1]}; compute both with the same network."
        )
    mu_a, cov_a = feature_stats(array_a)
    mu_b, cov_b = feature_stats(array_b)
    return frechet_distance_from_stats(mu_a, cov_a, mu_b, cov_b)


# ---------------------------------------------------------------------------------------------
# The MNIST classifier


def load_classifier(path: str | os.PathLike | None = None):
    """Load the MNIST classifier (cached: each file is read once per process).

    The network maps float32 images ``(n, 28, 28, 1)`` in [-1, 1] to 10 logits; its
    penultimate Dense layer, named ``"features"``, has 128 ReLU units. It is loaded with
    ``keras.models.load_model`` in Keras' default safe mode.

    Args:
        path: a ``.keras`` file (default: ``assets/mnist_classifier.keras``).

    Returns:
        The ``keras.Model``.

    Raises:
        FileNotFoundError: if the file is missing (says which script regenerates it).
        ValueError: if the model has no ``"features"`` layer or the wrong input/output shape.
    """
    resolved = Path(path if path is not None else CLASSIFIER_PATH).resolve()
    if resolved in _classifiers:
        return _classifiers[resolved]
    if not resolved.is_file():
        raise FileNotFoundError(
            f"The MNIST classifier is missing: {resolved}. Regenerate it with "
            f"`python {CLASSIFIER_SCRIPT}` from the repository root (a few minutes on a CPU), "
            "or restore it with `git checkout -- assets/mnist_classifier.keras`."
        )
    import keras

    model = keras.models.load_model(resolved)
    layer_names = [layer.name for layer in model.layers]
    if FEATURES_LAYER not in layer_names:
        raise ValueError(
            f"{resolved} has no layer named {FEATURES_LAYER!r} (layers: {layer_names}); "
            f"regenerate it with `python {CLASSIFIER_SCRIPT}`."
        )
    if tuple(model.input_shape[1:]) != IMAGE_SHAPE or tuple(model.output_shape[1:]) != (N_CLASSES,):
        raise ValueError(
            f"{resolved} maps {model.input_shape} to {model.output_shape}; expected "
            f"(None, 28, 28, 1) -> (None, 10). Regenerate it with `python {CLASSIFIER_SCRIPT}`."
        )
    _classifiers[resolved] = model
    return model


def _features_and_logits(images: np.ndarray, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Run the classifier once: features ``(n, 128)`` and logits ``(n, 10)``, float64."""
    classifier = load_classifier()
    key = id(classifier)
    if key not in _two_headed:
        import keras

        features = classifier.get_layer(FEATURES_LAYER).output
        _two_headed[key] = keras.Model(classifier.inputs[0], [features, classifier.outputs[0]])
    model = _two_headed[key]
    feature_batches, logit_batches = [], []
    for start in range(0, len(images), batch_size):
        features, logits = model(images[start : start + batch_size], training=False)
        feature_batches.append(np.asarray(features, dtype=np.float64))
        logit_batches.append(np.asarray(logits, dtype=np.float64))
    return np.concatenate(feature_batches), np.concatenate(logit_batches)


def _check_digit_images(images, batch_size) -> tuple[np.ndarray, int]:
    array = check_images(images, "images")
    if array.shape[1:] != IMAGE_SHAPE:
        raise ValueError(
            f"images must be MNIST-sized (n, 28, 28, 1), got shape {array.shape}; the "
            "classifier only reads 28x28 single-channel digits."
        )
    return array, _check_int(batch_size, "batch_size", 1, 500)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def classifier_features(images, batch_size: int = 500) -> np.ndarray:
    """The classifier's ``"features"`` activations (penultimate layer) for a batch of images.

    Args:
        images: float32 ``(n, 28, 28, 1)`` in [-1, 1] (see ``gan_helpers.scale_images``).
        batch_size: images per forward pass.

    Returns:
        float64 array ``(n, 128)``.

    Raises:
        TypeError, ValueError: for bad images (see ``check_images``) or batch size.
        FileNotFoundError: if the classifier file is missing.
    """
    array, batch_size = _check_digit_images(images, batch_size)
    return _features_and_logits(array, batch_size)[0]


def classify(images, batch_size: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Classify MNIST-style images with the bundled classifier.

    Args:
        images: float32 ``(n, 28, 28, 1)`` in [-1, 1] (see ``gan_helpers.scale_images``).
        batch_size: images per forward pass.

    Returns:
        ``(labels, probabilities)``: int64 ``(n,)`` predicted digits and float64 ``(n, 10)``
        softmax probabilities (rows sum to 1).

    Raises:
        TypeError, ValueError: for bad images (see ``check_images``) or batch size.
        FileNotFoundError: if the classifier file is missing.
    """
    array, batch_size = _check_digit_images(images, batch_size)
    probabilities = _softmax(_features_and_logits(array, batch_size)[1])
    return np.argmax(probabilities, axis=1).astype(np.int64), probabilities


def class_histogram(predictions, confidence: float | None = None) -> np.ndarray:
    """Count how many predictions fall on each digit 0..9.

    Args:
        predictions: either integer labels ``(n,)`` in 0..9, or class probabilities
            ``(n, 10)`` as returned by :func:`classify` (each row counts for its argmax).
        confidence: with probabilities only: count just the rows whose largest probability is
            at least this value (in (0, 1]); None counts every row.

    Returns:
        int64 array ``(10,)``: entry ``k`` is the number of predictions of digit ``k``.

    Raises:
        TypeError: if ``predictions`` is not numeric, or labels are not integers.
        ValueError: for a wrong shape, labels outside 0..9, or a bad ``confidence``.
    """
    array = np.asarray(predictions)
    if array.dtype.kind not in "fiu":
        raise TypeError(
            f"predictions must be integer labels (n,) or probabilities (n, 10), got "
            f"{_describe(array)}."
        )
    if array.ndim == 1:
        if confidence is not None:
            raise ValueError(
                "confidence only applies to probabilities (n, 10); got labels (n,), so "
                "filter them yourself or pass the probabilities from classify()."
            )
        if array.dtype.kind == "f":
            raise TypeError(
                f"predictions given as labels (n,) must be integers, got {_describe(array)}; "
                "use labels.astype(int)."
            )
        if array.size and (array.min() < 0 or array.max() >= N_CLASSES):
            raise ValueError(
                f"predictions (labels) must lie in 0..9, got values in "
                f"[{array.min()}, {array.max()}]."
            )
        return np.bincount(array.astype(np.int64), minlength=N_CLASSES).astype(np.int64)
    if array.ndim != 2 or array.shape[1] != N_CLASSES:
        raise ValueError(
            f"predictions must be labels (n,) or probabilities (n, {N_CLASSES}), got shape "
            f"{array.shape}."
        )
    labels = np.argmax(array, axis=1)
    if confidence is not None:
        confidence = _check_confidence(confidence)
        labels = labels[array.max(axis=1) >= confidence]
    return np.bincount(labels, minlength=N_CLASSES).astype(np.int64)


def _check_confidence(confidence) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float, np.floating)):
        raise TypeError(
            f"confidence must be a float in (0, 1], got {confidence!r} "
            f"({type(confidence).__name__}); pass e.g. confidence=0.9."
        )
    if not 0.0 < float(confidence) <= 1.0:
        raise ValueError(f"confidence must be in (0, 1], got {confidence}; pass e.g. 0.9.")
    return float(confidence)


def _mnist() -> tuple:
    """MNIST as ``load_mnist()`` finds it, loaded once per process."""
    if "auto" not in _mnist_cache:
        _mnist_cache["auto"] = load_mnist()
    return _mnist_cache["auto"]


def _real_features(split: str, n: int) -> np.ndarray:
    """Classifier features of ``n`` real images of a split (a fixed seeded subset), cached."""
    key = (split, n)
    if key not in _reference_features:
        (x_train, _), (x_test, _) = _mnist()
        pixels = x_train if split == "train" else x_test
        order = np.random.default_rng(REFERENCE_SEED).permutation(len(pixels))[:n]
        images = ((pixels[order].astype(np.float32) - 127.5) / 127.5)[..., None]
        _reference_features[key] = _features_and_logits(images, 500)[0]
    return _reference_features[key]


def evaluate_digits(images, n_reference: int = 1000, confidence: float = 0.9) -> dict:
    """Judge a batch of generated digits with the bundled MNIST classifier.

    The Frechet distance compares the classifier features of ``images`` with those of
    ``n_reference`` real test images (a fixed seeded subset of MNIST as ``load_mnist()`` finds
    it). Because that estimate depends on the sample sizes, it comes with a floor: the same
    distance between ``n`` real *training* images (disjoint from the test images; capped at
    the training-set size) and the same test reference. ``frechet_ratio`` near 1 means "as
    close to the test set as real digits are"; real data and the reference features are loaded
    and computed once per process.

    Args:
        images: float32 ``(n, 28, 28, 1)`` in [-1, 1], n >= 2 (e.g. generator outputs).
        n_reference: real test images in the reference set (2 .. size of the test split).
        confidence: a prediction is confident when its largest probability is >= this.

    Returns:
        A dict: ``"n"`` (int), ``"confident_share"`` (share of images classified with
        probability >= ``confidence``), ``"class_histogram"`` (int64 ``(10,)`` predicted
        digits among the confident images), ``"class_shares"`` (that histogram as fractions,
        zeros if none is confident), ``"digits_present"`` (digits with >= 5% of the confident
        images), ``"frechet"``, ``"frechet_floor"`` and ``"frechet_ratio"``
        (``frechet / frechet_floor``).

    Raises:
        TypeError, ValueError: for bad images (see ``check_images``), fewer than 2 images, or
            a bad ``n_reference`` or ``confidence``.
        FileNotFoundError: if the classifier file is missing.
    """
    array, _ = _check_digit_images(images, 500)
    if len(array) < 2:
        raise ValueError(
            f"images must hold at least 2 images for a Frechet distance, got {len(array)}; "
            "evaluate several hundred for a stable estimate."
        )
    n_reference = _check_int(n_reference, "n_reference", 2, 1000)
    confidence = _check_confidence(confidence)
    (x_train, _), (x_test, _) = _mnist()
    if n_reference > len(x_test):
        raise ValueError(
            f"n_reference must be at most the {len(x_test):,} test images available, got "
            f"{n_reference:,}; pass e.g. n_reference={min(1000, len(x_test))}."
        )

    features, logits = _features_and_logits(array, 500)
    probabilities = _softmax(logits)
    histogram = class_histogram(probabilities, confidence=confidence)
    n_confident = int(histogram.sum())
    shares = histogram / n_confident if n_confident else np.zeros(N_CLASSES)

    reference = _real_features("test", n_reference)
    frechet = frechet_distance(features, reference)
    n_floor = min(len(array), len(x_train))
    if (n_floor, n_reference) not in _floors:
        _floors[(n_floor, n_reference)] = frechet_distance(
            _real_features("train", n_floor), reference
        )
    floor = _floors[(n_floor, n_reference)]
    return {
        "n": int(len(array)),
        "confident_share": n_confident / len(array),
        "class_histogram": histogram,
        "class_shares": shares,
        "digits_present": int(np.count_nonzero(shares >= 0.05)),
        "frechet": frechet,
        "frechet_floor": floor,
        "frechet_ratio": frechet / floor if floor > 0 else math.inf,
    }
