"""Measures: pure, dependency-light statistics of samples (NumPy only, no network, no data).

- :func:`mode_stats` measures 2-D samples against the ring or grid mixture: modes covered,
  high-quality share and reverse KL, as in the PacGAN paper.
- :func:`frechet_distance` compares two sets of feature vectors through their means and
  covariances, in float64, with symmetric matrix square roots from ``np.linalg.eigh`` (so the
  result is always a real float, never complex); :func:`frechet_distance_from_stats` does the
  same from means and covariances, and :func:`feature_stats` computes them.

Judging MNIST digits with a classifier lives in :mod:`gan_helpers.scoring`, which builds on
these.
"""

from __future__ import annotations

import math

import numpy as np

from . import checks
from .data import GaussianMixture2D

__all__ = [
    "HQ_STD_MULTIPLE",
    "feature_stats",
    "frechet_distance",
    "frechet_distance_from_stats",
    "mode_stats",
]

HQ_STD_MULTIPLE = 3.0
"""A 2-D sample is high quality when it lies within this many standard deviations of a center."""


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
            f"samples must be a float array of shape (n, 2), got {checks.describe(array)}; "
            "convert it with samples.astype('float32')."
        )
    points = checks.float_matrix(array, "samples", min_rows=1, columns=2)
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
            raise ValueError(f"{name} must be a 1-D mean vector (d,), got {checks.describe(mean)}.")
        means.append(checks.float_matrix(np.asarray(mean)[None, :], name, min_rows=1)[0])
    dim = len(means[0])
    if len(means[1]) != dim:
        raise ValueError(
            f"mu_a and mu_b must have the same length, got {dim} and {len(means[1])}; "
            "compute both from features of the same layer."
        )
    covs = []
    for name, cov in (("cov_a", cov_a), ("cov_b", cov_b)):
        matrix = checks.float_matrix(cov, name, 1)
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
    array = checks.float_matrix(features, "features", min_rows=2)
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
    array_a = checks.float_matrix(features_a, "features_a", min_rows=2)
    array_b = checks.float_matrix(features_b, "features_b", min_rows=2)
    if array_a.shape[1] != array_b.shape[1]:
        raise ValueError(
            f"features_a and features_b must have the same number of features, got "
            f"{array_a.shape[1]} and {array_b.shape[1]}; compute both with the same network."
        )
    mu_a, cov_a = feature_stats(array_a)
    mu_b, cov_b = feature_stats(array_b)
    return frechet_distance_from_stats(mu_a, cov_a, mu_b, cov_b)
