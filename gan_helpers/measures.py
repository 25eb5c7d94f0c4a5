"""Measures: pure, dependency-light statistics of samples (NumPy only, no network, no data).

- :func:`mode_stats` measures 2-D samples against the ring or grid mixture: modes covered,
  high-quality share and reverse KL, as in the PacGAN paper.
- :func:`frechet_distance` compares two sets of feature vectors through their means and
  covariances, in float64, with symmetric matrix square roots from ``np.linalg.eigh`` (so the
  result is always a real float, never complex); :func:`frechet_distance_from_stats` does the
  same from means and covariances, and :func:`feature_stats` computes them.
- :func:`polynomial_mmd` and :func:`kernel_distance` (KID, Binkowski et al. 2018): the unbiased
  squared maximum mean discrepancy with the cubic polynomial kernel, on whole sets or averaged
  over random subsets.
- :func:`precision_recall` (Kynkaanniemi et al. 2019, k = 3) and :func:`density_coverage`
  (Naeem et al. 2020, k = 5) compare two sets through balls around each point that reach its
  k-th nearest neighbor (:func:`knn_radii`); :func:`nearest_neighbors` finds the closest
  reference point of each query (a memorization check).
- :func:`bootstrap_interval` puts a bootstrap interval around any two-set measure.

Distances between sets are computed in blocks of rows, so 10,000 x 10,000 comparisons need
tens of megabytes, never the whole matrix.

Judging MNIST digits with a classifier lives in :mod:`gan_helpers.scoring`, which builds on
these.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import checks
from .data import GaussianMixture2D

__all__ = [
    "HQ_STD_MULTIPLE",
    "BootstrapInterval",
    "bootstrap_interval",
    "density_coverage",
    "feature_stats",
    "frechet_distance",
    "frechet_distance_from_stats",
    "kernel_distance",
    "knn_radii",
    "mode_stats",
    "nearest_neighbors",
    "polynomial_mmd",
    "precision_recall",
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
        "counts": int64 array (K,) of high-quality samples per mode,
        "nearest_counts": int64 array (K,) of all samples per nearest mode}``.
        ``nearest_counts`` ignores quality: it shows where the samples went even when none
        is close enough to count, so collapse (one large bar) is not confused with blur.

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
        "nearest_counts": np.bincount(nearest, minlength=n_modes).astype(np.int64),
    }


def background_share(images, threshold: float = -0.9) -> float:
    """Share of pixels darker than ``threshold`` in images scaled to [-1, 1].

    Real MNIST digits are mostly black background (about 80% of pixels below -0.9), so a
    generator whose share is far off draws gray haze or blobs, whatever else it does.

    Args:
        images: float array of any shape, pixels in [-1, 1] (NumPy or a tensor).
        threshold: a pixel below it counts as background.

    Returns:
        float in [0, 1].

    Raises:
        TypeError: if ``images`` is not numeric.
        ValueError: if ``images`` is empty or has NaN/inf values, or ``threshold`` is outside
            [-1, 1].

    Example:
        >>> background_share(scale_images(x_train[:1000]))
    """
    threshold = checks.number_in_range(threshold, "threshold", -1.0, 1.0, -0.9)
    fix = "pass images scaled to [-1, 1], e.g. gan_helpers.scale_images(x)"
    array = checks.array(images, "images", "a numeric array of images", fix, numeric=True)
    if array.size == 0 or not np.all(np.isfinite(array)):
        raise ValueError(
            f"images must be a non-empty array of finite values, got {checks.describe(array)}; "
            "check the generator's output for NaN."
        )
    return float(np.mean(array < threshold))


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


# ---------------------------------------------------------------------------------------------
# Checks and blocked distance computations shared by the set-to-set measures

BLOCK_ENTRIES = 4_000_000
"""Largest block of a distance or kernel matrix held at once (32 MB of float64)."""


def _two_sets(features_a, features_b, names: tuple[str, str], min_rows: int, hint: str):
    array_a = checks.float_matrix(features_a, names[0], min_rows=1)
    array_b = checks.float_matrix(features_b, names[1], min_rows=1)
    for name, array in zip(names, (array_a, array_b), strict=True):
        if len(array) < min_rows:
            raise ValueError(
                f"{name} needs at least {min_rows} rows{hint}, got {len(array)}; pass more samples."
            )
    if array_a.shape[1] != array_b.shape[1]:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same number of features, got "
            f"{array_a.shape[1]} and {array_b.shape[1]}; compute both with the same network."
        )
    return array_a, array_b


ROUNDING_SLACK = 1e-9
"""Tolerance for "on a ball's boundary", relative to the largest squared norm."""


def _blocks(n_rows: int, n_columns: int):
    """Row slices whose blocks against ``n_columns`` columns stay within BLOCK_ENTRIES."""
    step = max(1, BLOCK_ENTRIES // max(n_columns, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def _squared_distances(rows: np.ndarray, columns: np.ndarray, column_norms: np.ndarray):
    """Squared Euclidean distances ``(len(rows), len(columns))``, clipped at 0."""
    squared = np.sum(rows**2, axis=1)[:, None] + column_norms[None, :] - 2.0 * rows @ columns.T
    return np.maximum(squared, 0.0)


def _kth_squared_radii(points: np.ndarray, k: int) -> np.ndarray:
    """Squared distance from each point to its k-th nearest other point (itself excluded)."""
    norms = np.sum(points**2, axis=1)
    radii = np.empty(len(points))
    for block in _blocks(len(points), len(points)):
        squared = _squared_distances(points[block], points, norms)
        rows = np.arange(block.stop - block.start)
        squared[rows, rows + block.start] = np.inf
        radii[block] = np.partition(squared, k - 1, axis=1)[:, k - 1]
    return radii


# ---------------------------------------------------------------------------------------------
# Nearest neighbors


def knn_radii(features, k: int = 3) -> np.ndarray:
    """Distance from each point to its k-th nearest neighbor among the other points.

    The ball of this radius around a point holds the point and (without ties) exactly ``k``
    others; the union of these balls is the "manifold" that precision, recall, density and
    coverage use.

    Args:
        features: array ``(n, d)``, finite, with ``n > k``.
        k: which neighbor (1 = nearest), a positive int.

    Returns:
        float64 array ``(n,)`` of Euclidean distances.

    Raises:
        TypeError: if ``features`` is not numeric or ``k`` is not an int.
        ValueError: for a wrong shape, NaN/inf values, ``k < 1`` or ``n <= k``.

    Example:
        >>> knn_radii(np.array([[0.0], [1.0], [3.0]]), k=1)   # array([1., 1., 2.])
    """
    k = checks.positive_int(k, "k", 3)
    points = checks.float_matrix(features, "features", min_rows=1)
    if len(points) <= k:
        raise ValueError(
            f"features needs more than k={k} rows to have a {k}-th nearest neighbor, got "
            f"{len(points)}; pass more samples or a smaller k."
        )
    return np.sqrt(_kth_squared_radii(points, k))


def nearest_neighbors(queries, references) -> tuple[np.ndarray, np.ndarray]:
    """For each query point, the distance to and the index of its nearest reference point.

    Args:
        queries: array ``(m, d)``; references: array ``(n, d)``; both finite, same ``d``.
            Images can be flattened first: ``images.reshape(len(images), -1)``.

    Returns:
        ``(distances, indices)``: float64 ``(m,)`` Euclidean distances and int64 ``(m,)``
        row indices into ``references``.

    Raises:
        TypeError, ValueError: for non-numeric input, wrong shapes, NaN/inf or empty sets.

    Example:
        >>> distances, indices = nearest_neighbors(generated_features, training_features)
    """
    query_points, reference_points = _two_sets(
        queries, references, ("queries", "references"), 1, " to search"
    )
    norms = np.sum(reference_points**2, axis=1)
    distances = np.empty(len(query_points))
    indices = np.empty(len(query_points), dtype=np.int64)
    for block in _blocks(len(query_points), len(reference_points)):
        squared = _squared_distances(query_points[block], reference_points, norms)
        indices[block] = np.argmin(squared, axis=1)
        distances[block] = squared[np.arange(len(squared)), indices[block]]
    return np.sqrt(distances), indices


# ---------------------------------------------------------------------------------------------
# Precision, recall, density and coverage


def _manifold_measures(real_features, fake_features, k) -> dict:
    """All four k-NN measures in one pass over the fake-by-real distance matrix.

    Precision and recall use closed balls (a point on the boundary is inside), as in
    Kynkaanniemi et al.'s reference code; density and coverage use open balls (strictly
    inside), as in Naeem et al.'s. The two differ only for a sample that lies exactly on a
    ball's boundary, e.g. a copy of a real point's k-th neighbor.
    """
    k = checks.positive_int(k, "k", 3)
    real, fake = _two_sets(
        real_features,
        fake_features,
        ("real_features", "fake_features"),
        k + 1,
        f" (more than k={k}, so that every point has a {k}-th nearest neighbor)",
    )
    real_norms, fake_norms = np.sum(real**2, axis=1), np.sum(fake**2, axis=1)
    # Squared distances carry rounding errors of about 1e-16 of the squared norms. A tolerance
    # far above that decides exact ties the same way every time: "on the boundary" counts as
    # inside a closed ball and outside an open one.
    tolerance = ROUNDING_SLACK * max(real_norms.max(), fake_norms.max())
    real_radii = _kth_squared_radii(real, k)
    fake_radii = _kth_squared_radii(fake, k)
    real_closed, real_open = real_radii + tolerance, real_radii - tolerance
    fake_in_real_balls = np.empty(len(fake), dtype=np.int64)
    fake_in_any_real_ball = np.empty(len(fake), dtype=bool)
    real_in_fake_ball = np.zeros(len(real), dtype=bool)
    nearest_fake = np.full(len(real), np.inf)
    for block in _blocks(len(fake), len(real)):
        squared = _squared_distances(fake[block], real, real_norms)
        fake_in_any_real_ball[block] = np.any(squared <= real_closed[None, :], axis=1)
        fake_in_real_balls[block] = np.count_nonzero(squared < real_open[None, :], axis=1)
        real_in_fake_ball |= np.any(squared <= fake_radii[block, None] + tolerance, axis=0)
        nearest_fake = np.minimum(nearest_fake, squared.min(axis=0))
    return {
        "precision": float(np.mean(fake_in_any_real_ball)),
        "recall": float(np.mean(real_in_fake_ball)),
        "density": float(fake_in_real_balls.sum() / (k * len(fake))),
        "coverage": float(np.mean(nearest_fake < real_open)),
    }


def precision_recall(real_features, fake_features, k: int = 3) -> dict:
    """Improved precision and recall of Kynkaanniemi et al. (2019).

    Around every real point put a ball reaching its k-th nearest real neighbor; their union
    estimates where real data lives. **Precision** is the share of fake points inside that
    union (are the samples realistic?). **Recall** swaps the roles: the share of real points
    inside the union of the fake points' balls (is all of the real data reachable?). A ball
    includes its boundary, as in the authors' reference code.

    Args:
        real_features: array ``(n, d)``; fake_features: array ``(m, d)``; both with more than
            ``k`` rows, finite, same ``d``.
        k: neighbor that sets each ball's radius (3 in the paper).

    Returns:
        ``{"precision": float, "recall": float}``, both in [0, 1].

    Raises:
        TypeError: for non-numeric features or a non-int ``k``.
        ValueError: for wrong shapes, NaN/inf, ``k < 1``, or ``k`` or fewer rows in a set.

    Example:
        >>> precision_recall(real_features, generated_features)["precision"]
    """
    measures = _manifold_measures(real_features, fake_features, k)
    return {"precision": measures["precision"], "recall": measures["recall"]}


def density_coverage(real_features, fake_features, k: int = 5) -> dict:
    """Density and coverage of Naeem et al. (2020).

    With the same balls around real points as :func:`precision_recall`: **density** counts,
    for each fake point, how many real balls contain it, and divides the average by ``k``
    (about 1 when fake and real points come from one distribution; above 1 when fakes crowd
    where real data is dense). **Coverage** is the share of real points whose own ball holds at
    least one fake point. Neither uses balls around fake points, so a few far-out fakes cannot
    inflate them the way they inflate recall. As in the authors' reference code (the ``prdc``
    package), a ball here excludes its boundary, so a fake set identical to the real set has
    density exactly 1; on continuous data this gives the same numbers as closed balls.

    Args:
        real_features, fake_features: as :func:`precision_recall`.
        k: neighbor that sets each ball's radius (5 in the paper).

    Returns:
        ``{"density": float >= 0, "coverage": float in [0, 1]}``.

    Raises:
        TypeError, ValueError: as :func:`precision_recall`.

    Example:
        >>> density_coverage(real_features, generated_features)["coverage"]
    """
    measures = _manifold_measures(real_features, fake_features, k)
    return {"density": measures["density"], "coverage": measures["coverage"]}


# ---------------------------------------------------------------------------------------------
# Kernel distance (KID)


def _cubic_kernel_sum(rows: np.ndarray, columns: np.ndarray, skip_diagonal: bool) -> float:
    """Sum of ``(x . y / d + 1) ** 3`` over all pairs, optionally without the diagonal."""
    dim = rows.shape[1]
    total = 0.0
    for block in _blocks(len(rows), len(columns)):
        kernel = (rows[block] @ columns.T / dim + 1.0) ** 3
        if skip_diagonal:
            diagonal = np.arange(block.stop - block.start)
            kernel[diagonal, diagonal + block.start] = 0.0
        total += float(kernel.sum())
    return total


def _unbiased_mmd(array_a: np.ndarray, array_b: np.ndarray) -> float:
    n_a, n_b = len(array_a), len(array_b)
    within_a = _cubic_kernel_sum(array_a, array_a, True) / (n_a * (n_a - 1))
    within_b = _cubic_kernel_sum(array_b, array_b, True) / (n_b * (n_b - 1))
    between = _cubic_kernel_sum(array_a, array_b, False) / (n_a * n_b)
    return within_a + within_b - 2.0 * between


def polynomial_mmd(features_a, features_b) -> float:
    """Unbiased squared maximum mean discrepancy with the kernel ``(x . y / d + 1) ** 3``.

    ``mean k(a, a') + mean k(b, b') - 2 mean k(a, b)``, where the first two means skip each
    point paired with itself. Leaving those pairs out makes the estimate unbiased: over many
    draws it averages to the true squared distance between the two distributions, which is 0
    when they are the same; so a single value can be slightly negative.

    Args:
        features_a, features_b: arrays ``(n_a, d)`` and ``(n_b, d)``, each with >= 2 rows,
            finite, same ``d``.

    Returns:
        The estimate, a Python float (squared units of the kernel; may be < 0).

    Raises:
        TypeError, ValueError: for non-numeric input, wrong shapes, NaN/inf or < 2 rows.
    """
    array_a, array_b = _two_sets(
        features_a, features_b, ("features_a", "features_b"), 2, " for an unbiased estimate"
    )
    return _unbiased_mmd(array_a, array_b)


def kernel_distance(
    features_a, features_b, subset_size: int = 1000, n_subsets: int = 100, seed: int | None = 0
) -> float:
    """Kernel inception distance (KID; Binkowski et al. 2018) between two feature sets.

    The average of :func:`polynomial_mmd` over ``n_subsets`` random subsets of ``subset_size``
    rows from each set (drawn without replacement within a subset). Unlike the Frechet
    distance it is unbiased, so values computed with different sample sizes agree on average.
    The name keeps "inception" from the paper, which used Inception features; here it is
    whatever features you pass.

    Args:
        features_a, features_b: arrays ``(n_a, d)`` and ``(n_b, d)``, finite, same ``d``.
        subset_size: rows per subset, from 2 up to ``min(n_a, n_b)``.
        n_subsets: number of subsets averaged.
        seed: seed for choosing the subsets (None: fresh randomness).

    Returns:
        The mean estimate, a Python float (may be slightly < 0 for matching distributions).

    Raises:
        TypeError, ValueError: for bad features, ``subset_size`` outside ``2..min(n_a, n_b)``,
            a non-positive ``n_subsets`` or a bad seed.

    Example:
        >>> kernel_distance(generated_features, real_features, subset_size=500)
    """
    subset_size = checks.int_at_least(subset_size, "subset_size", 2, 1000)
    n_subsets = checks.positive_int(n_subsets, "n_subsets", 100)
    seed = checks.seed(seed)
    array_a, array_b = _two_sets(
        features_a, features_b, ("features_a", "features_b"), 2, " for an unbiased estimate"
    )
    smallest = min(len(array_a), len(array_b))
    if subset_size > smallest:
        raise ValueError(
            f"subset_size must be at most the smaller set's {smallest:,} rows, got "
            f"{subset_size:,}; pass e.g. subset_size={smallest}."
        )
    rng = np.random.default_rng(seed)
    values = [
        _unbiased_mmd(
            array_a[rng.choice(len(array_a), subset_size, replace=False)],
            array_b[rng.choice(len(array_b), subset_size, replace=False)],
        )
        for _ in range(n_subsets)
    ]
    return float(np.mean(values))


# ---------------------------------------------------------------------------------------------
# Bootstrap


@dataclass(frozen=True)
class BootstrapInterval:
    """A measure on the original sets and a bootstrap interval around it.

    Attributes:
        estimate: the measure on the sets as given.
        low, high: the interval's ends.
        confidence: the interval's nominal coverage, e.g. 0.9.
        method: ``"basic"`` or ``"percentile"`` (see :func:`bootstrap_interval`).
        bias: mean of the resampled values minus ``estimate``: how far resampling pushes the
            measure, an estimate of the measure's own bias at these sample sizes.
        replicates: float64 ``(n_resamples,)``, the measure on each resampled pair.
    """

    estimate: float
    low: float
    high: float
    confidence: float
    method: str
    bias: float
    replicates: np.ndarray = field(repr=False)

    def __str__(self) -> str:
        return (
            f"{self.estimate:.4g} ({self.confidence:.0%} {self.method} interval {self.low:.4g} "
            f"to {self.high:.4g})"
        )


def bootstrap_interval(
    measure: Callable[[np.ndarray, np.ndarray], float],
    features_a,
    features_b,
    n_resamples: int = 100,
    confidence: float = 0.9,
    method: str = "basic",
    seed: int | None = 0,
) -> BootstrapInterval:
    """Bootstrap interval of a two-set measure such as :func:`frechet_distance`.

    Each resample draws ``n_a`` rows of ``features_a`` and ``n_b`` rows of ``features_b``
    with replacement and applies ``measure``; ``q_lo`` and ``q_hi`` are the lower and upper
    percentiles of those values. The ``"percentile"`` interval is ``[q_lo, q_hi]``. The
    ``"basic"`` interval is ``[2 estimate - q_hi, 2 estimate - q_lo]``: it assumes the measure
    sits as far above the true value as the resamples sit above the measure, so it also
    removes a bias such as the Frechet distance's (for which the percentile interval can miss
    the estimate altogether). Resampling repeats points, which shrinks nearest-neighbor radii
    to 0 and makes the kernel distance count a point and its copy as independent draws, so
    do not use it for the k-NN measures or KID: score disjoint fresh samples instead.

    Args:
        measure: a function ``(features_a, features_b) -> float``.
        features_a, features_b: arrays ``(n_a, d)`` and ``(n_b, d)``, each with >= 2 rows.
        n_resamples: number of resampled pairs (>= 10).
        confidence: coverage of the interval, in (0, 1).
        method: ``"basic"`` (default) or ``"percentile"``.
        seed: seed of the resampling (None: fresh randomness).

    Returns:
        A :class:`BootstrapInterval`.

    Raises:
        TypeError: if ``measure`` is not callable or returns a non-number, or bad features.
        ValueError: for bad features or arguments, or a measure returning NaN/inf.

    Example:
        >>> print(bootstrap_interval(frechet_distance, generated_features, real_features))
    """
    if not callable(measure):
        raise TypeError(
            f"measure must be a function (features_a, features_b) -> float, got "
            f"{checks.describe(measure)}; pass e.g. gan_helpers.frechet_distance."
        )
    n_resamples = checks.int_at_least(n_resamples, "n_resamples", 10, 100)
    confidence = checks.number_in_range(
        confidence, "confidence", 0.0, 1.0, 0.9, low_inclusive=False, high_inclusive=False
    )
    method = checks.choice(method, "method", ("basic", "percentile"))
    seed = checks.seed(seed)
    array_a, array_b = _two_sets(features_a, features_b, ("features_a", "features_b"), 2, "")
    estimate = _finite_value(measure(array_a, array_b))
    rng = np.random.default_rng(seed)
    replicates = np.array(
        [
            _finite_value(
                measure(
                    array_a[rng.integers(0, len(array_a), len(array_a))],
                    array_b[rng.integers(0, len(array_b), len(array_b))],
                )
            )
            for _ in range(n_resamples)
        ]
    )
    tail = (1.0 - confidence) / 2 * 100
    q_low, q_high = (float(q) for q in np.percentile(replicates, [tail, 100 - tail]))
    low, high = (
        (q_low, q_high) if method == "percentile" else (2 * estimate - q_high, 2 * estimate - q_low)
    )
    bias = float(replicates.mean() - estimate)
    return BootstrapInterval(estimate, low, high, confidence, method, bias, replicates)


def _finite_value(value) -> float:
    is_number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )
    if not is_number and not (isinstance(value, np.ndarray) and value.ndim == 0):
        raise TypeError(f"measure must return a number, got {checks.describe(value)}.")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"measure returned {number}; it must return a finite number.")
    return number
