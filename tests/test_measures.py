"""Tests for gan_helpers.measures: mode statistics, the Frechet distance, and the set-to-set
measures added for lesson 8: k-NN radii,
nearest neighbors, precision/recall, density/coverage, the kernel distance (KID) and the
bootstrap interval.

The published prdc reference (10,000 x 10,000 points in 1,000 dimensions) takes about a minute,
so it runs in ``benchmarks/metrics_speed.py``; here a literal dense implementation of the
definitions, values computed with the authors' own code (the ``prdc`` package, version 0.2) on
the same inputs, the exact expectations for identical distributions and hand-computed examples
check the same code.
"""

from gan_helpers import measures
from gan_helpers.data import grid_mixture, ring_mixture

import math

import numpy as np
import pytest

# Hand-computed 1-D example, k = 1 (see test_four_measures_on_a_hand_computed_example).
REAL_1D = np.array([[0.0], [1.0], [2.0], [3.0], [10.0]])
FAKE_1D = np.array([[0.5], [5.0], [20.0]])


def literal_prdc(real, fake, k):
    """The four definitions written out with full distance matrices and sorting.

    Closed balls for precision and recall (Kynkaanniemi et al.'s code), open balls for density
    and coverage (Naeem et al.'s code).
    """
    real_to_real = np.linalg.norm(real[:, None] - real[None], axis=-1)
    fake_to_fake = np.linalg.norm(fake[:, None] - fake[None], axis=-1)
    real_to_fake = np.linalg.norm(real[:, None] - fake[None], axis=-1)
    real_radii = np.sort(real_to_real, axis=1)[:, k]  # column 0 is the point itself
    fake_radii = np.sort(fake_to_fake, axis=1)[:, k]
    return {
        "precision": (real_to_fake <= real_radii[:, None]).any(axis=0).mean(),
        "recall": (real_to_fake <= fake_radii[None, :]).any(axis=1).mean(),
        "density": (real_to_fake < real_radii[:, None]).sum() / (k * len(fake)),
        "coverage": (real_to_fake.min(axis=1) < real_radii).mean(),
    }


def all_four(real, fake, k):
    return {
        **measures.precision_recall(real, fake, k=k),
        **measures.density_coverage(real, fake, k),
    }


# ---------------------------------------------------------------------------------------------
# Known values


def test_knn_radii_in_one_dimension():
    np.testing.assert_allclose(measures.knn_radii(REAL_1D, k=1), [1, 1, 1, 1, 7])
    np.testing.assert_allclose(measures.knn_radii(REAL_1D, k=2), [2, 1, 1, 2, 8])
    radii = measures.knn_radii(REAL_1D.astype(np.float32), k=4)
    assert radii.dtype == np.float64 and radii.shape == (5,)
    np.testing.assert_allclose(radii, [10, 9, 8, 7, 10])


def test_knn_radii_counts_duplicates_as_neighbors():
    points = np.array([[0.0, 0.0], [0.0, 0.0], [3.0, 4.0]])
    np.testing.assert_allclose(measures.knn_radii(points, k=1), [0, 0, 5])


def test_nearest_neighbors_finds_the_closest_reference():
    references = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    queries = np.array([[1.0, 1.0], [9.0, 0.0], [0.0, 10.0], [6.0, 0.0]])
    distances, indices = measures.nearest_neighbors(queries, references)
    np.testing.assert_array_equal(indices, [0, 1, 2, 1])
    np.testing.assert_allclose(distances, [math.sqrt(2), 1, 0, 4])
    assert indices.dtype == np.int64


def test_four_measures_on_a_hand_computed_example():
    # Real radii (k=1): 1, 1, 1, 1, 7; fake radii: 4.5, 4.5, 15.
    # precision: 0.5 is in the ball of 0, 5 in the ball of 10 (|5 - 10| <= 7), 20 in none.
    # recall: 0..3 lie in the ball of 0.5, and 10 in the ball of 20 (|10 - 20| <= 15).
    # density: 0.5 lies in the balls of 0 and 1, 5 in the ball of 10: 3 / (1 * 3).
    # coverage: the balls of 0, 1 and 10 hold a fake point; those of 2 and 3 do not.
    result = all_four(REAL_1D, FAKE_1D, k=1)
    assert result == pytest.approx(
        {"precision": 2 / 3, "recall": 1.0, "density": 1.0, "coverage": 0.6}
    )
    assert all(isinstance(value, float) for value in result.values())


def test_identical_sets_score_perfectly_and_density_is_one():
    points = np.random.default_rng(0).standard_normal((300, 5))
    for k in (3, 5):
        result = all_four(points, points, k)
        assert result["precision"] == result["recall"] == result["coverage"] == 1.0
        # Open balls: each real ball strictly holds its center and k - 1 neighbors (the k-th
        # is on the boundary), so k fake twins per ball and density k / k. prdc 0.2 gives 1.0
        # too; closed balls, as before, gave (k + 1) / k.
        assert result["density"] == pytest.approx(1.0, abs=1e-12)


def test_points_on_a_ball_boundary_follow_each_papers_reference_code():
    """Ties: closed balls for precision and recall, open balls for density and coverage.

    Real radii (k=1) are 1, 1, 1, 1, 7. The fake point 3 lies strictly inside the ball of 3
    and on the boundaries of the balls of 2 and 10; 17 is on the boundary of the ball of 10.
    prdc 0.2 (open balls everywhere) gives precision 1/3, recall 1, density 1/3, coverage 0.2
    on these points; Kynkaanniemi et al.'s closed balls count 17 as precise too.
    """
    real = np.array([[0.0], [1.0], [2.0], [3.0], [10.0]])
    fake = np.array([[3.0], [17.0], [30.0]])
    assert all_four(real, fake, k=1) == pytest.approx(
        {"precision": 2 / 3, "recall": 1.0, "density": 1 / 3, "coverage": 0.2}, abs=1e-12
    )


@pytest.mark.parametrize(
    ("k", "shift", "n_real", "n_fake"), [(3, 0.0, 200, 150), (5, 0.4, 120, 260)]
)
def test_four_measures_match_the_literal_definitions(k, shift, n_real, n_fake):
    rng = np.random.default_rng(k)
    real = rng.standard_normal((n_real, 20))
    fake = rng.standard_normal((n_fake, 20)) * 1.2 + shift
    assert all_four(real, fake, k) == pytest.approx(literal_prdc(real, fake, k), abs=1e-12)


def test_blocked_computation_gives_the_same_answers(monkeypatch):
    rng = np.random.default_rng(3)
    real, fake = rng.standard_normal((150, 8)), rng.standard_normal((130, 8)) + 0.3
    expected = all_four(real, fake, 3)
    expected_radii = measures.knn_radii(real, 4)
    expected_neighbors = measures.nearest_neighbors(fake, real)
    expected_mmd = measures.polynomial_mmd(real, fake)
    monkeypatch.setattr(measures, "BLOCK_ENTRIES", 1000)  # blocks of a few rows
    assert all_four(real, fake, 3) == pytest.approx(expected, abs=1e-12)
    np.testing.assert_allclose(measures.knn_radii(real, 4), expected_radii)
    np.testing.assert_array_equal(measures.nearest_neighbors(fake, real)[1], expected_neighbors[1])
    assert measures.polynomial_mmd(real, fake) == pytest.approx(expected_mmd, rel=1e-12)


def test_expectations_for_identical_distributions():
    """Naeem et al.: E[density] = 1 and E[coverage] = 1 - prod_i (N - i) / (N + M - i)."""
    n, k, runs = 300, 5, 30
    densities, coverages = [], []
    for seed in range(runs):
        rng = np.random.default_rng(seed)
        result = measures.density_coverage(
            rng.standard_normal((n, 6)), rng.standard_normal((n, 6)), k=k
        )
        densities.append(result["density"])
        coverages.append(result["coverage"])
    expected_coverage = 1 - math.prod((n - i) / (2 * n - i) for i in range(1, k + 1))
    for values, expected in ((densities, 1.0), (coverages, expected_coverage)):
        standard_error = np.std(values, ddof=1) / math.sqrt(runs)
        assert abs(np.mean(values) - expected) < 4 * standard_error + 1e-3


def test_prdc_reference_in_small():
    """The published 1,000-D Gaussian example at 2,000 points per set (full size: benchmark).

    The expected numbers are what the authors' ``prdc.compute_prdc`` (version 0.2, k = 5)
    returns on exactly these arrays; ours must give the same, not just similar, values.
    """
    rng = np.random.default_rng(0)
    real, fake = rng.standard_normal((2000, 1000)), rng.standard_normal((2000, 1000))
    assert all_four(real, fake, 5) == pytest.approx(
        {"precision": 0.559, "recall": 0.564, "density": 1.0085, "coverage": 0.964}, abs=1e-12
    )


def test_dropping_half_the_data_lowers_recall_and_coverage_not_precision():
    rng = np.random.default_rng(4)
    real = rng.standard_normal((400, 4))
    half = real[real[:, 0] > 0] + 0.01 * rng.standard_normal((int((real[:, 0] > 0).sum()), 4))
    result = all_four(real, half, 3)
    assert result["precision"] > 0.9
    assert result["recall"] < 0.75 and result["coverage"] < 0.7


# ---------------------------------------------------------------------------------------------
# Kernel distance


def test_polynomial_mmd_hand_computed():
    # d = 1, kernel (x y + 1)^3. k(0, 1) = 1, k(0, 2) = 1; between: 1, 1, 1, 27 -> mean 7.5.
    a, b = np.array([[0.0], [1.0]]), np.array([[0.0], [2.0]])
    assert measures.polynomial_mmd(a, b) == pytest.approx(1 + 1 - 2 * 7.5)
    assert measures.kernel_distance(a, b, subset_size=2, n_subsets=3) == pytest.approx(-13.0)


def test_polynomial_mmd_is_unbiased_for_identical_distributions():
    values = [
        measures.polynomial_mmd(
            np.random.default_rng(seed).standard_normal((30, 4)),
            np.random.default_rng(seed + 1000).standard_normal((30, 4)),
        )
        for seed in range(200)
    ]
    standard_error = np.std(values, ddof=1) / math.sqrt(len(values))
    assert abs(np.mean(values)) < 3 * standard_error
    assert min(values) < 0 < max(values)


def test_kernel_distance_grows_with_a_shift_and_is_seeded():
    rng = np.random.default_rng(5)
    real = rng.standard_normal((400, 8))
    near = rng.standard_normal((400, 8)) + 0.1
    far = rng.standard_normal((400, 8)) + 0.5
    kid_near = measures.kernel_distance(real, near, subset_size=200, n_subsets=20)
    kid_far = measures.kernel_distance(real, far, subset_size=200, n_subsets=20)
    assert kid_far > 5 * kid_near > 0
    assert kid_near == measures.kernel_distance(real, near, subset_size=200, n_subsets=20)
    assert measures.kernel_distance(real, near, subset_size=400, n_subsets=2) == pytest.approx(
        measures.polynomial_mmd(real, near)
    )


# ---------------------------------------------------------------------------------------------
# Bootstrap


def test_bootstrap_interval_brackets_the_spread_and_is_seeded():
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal((300, 3)), rng.standard_normal((300, 3)) + 1.0
    interval = measures.bootstrap_interval(
        measures.frechet_distance, a, b, n_resamples=50, method="percentile"
    )
    assert interval.low < interval.estimate < interval.high
    assert interval.replicates.shape == (50,) and interval.confidence == 0.9
    assert 2.0 < interval.estimate < 4.5  # true distance 3 (a mean shift of 1 in 3 dimensions)
    again = measures.bootstrap_interval(
        measures.frechet_distance, a, b, n_resamples=50, method="percentile"
    )
    np.testing.assert_array_equal(interval.replicates, again.replicates)
    assert "90% percentile interval" in str(interval)


def test_basic_interval_mirrors_the_percentiles_and_removes_the_bias():
    rng = np.random.default_rng(7)
    a, b = rng.standard_normal((200, 10)), rng.standard_normal((200, 10))  # true distance 0
    basic = measures.bootstrap_interval(measures.frechet_distance, a, b, n_resamples=60)
    percentile = measures.bootstrap_interval(
        measures.frechet_distance, a, b, n_resamples=60, method="percentile"
    )
    assert basic.method == "basic"
    assert basic.low == pytest.approx(2 * basic.estimate - percentile.high)
    assert basic.high == pytest.approx(2 * basic.estimate - percentile.low)
    assert basic.bias == pytest.approx(percentile.replicates.mean() - basic.estimate)
    # FD is biased upwards: the resamples sit higher still, so the percentile interval lies
    # above the estimate and misses the true value 0, while the basic interval reaches it.
    assert basic.bias > 0 and percentile.low > basic.estimate
    assert basic.low < 0 < basic.high


def test_bootstrap_interval_accepts_numpy_scalars():
    a, b = np.zeros((5, 2)), np.ones((5, 2))
    interval = measures.bootstrap_interval(
        lambda x, y: np.float32(np.mean(y) - np.mean(x)), a, b, n_resamples=10
    )
    assert interval.estimate == interval.low == interval.high == 1.0 and interval.bias == 0


# ---------------------------------------------------------------------------------------------
# Bad input


GOOD = np.zeros((10, 3)) + np.arange(10)[:, None]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: measures.knn_radii(np.zeros(10), k=3), ValueError, "features must be 2-D"),
        (lambda: measures.knn_radii(GOOD[:3], k=3), ValueError, "more than k=3 rows"),
        (lambda: measures.knn_radii(GOOD, k=0), ValueError, "k must be a positive int"),
        (lambda: measures.knn_radii(GOOD, k=2.0), TypeError, "k must be a positive int"),
        (lambda: measures.knn_radii("points"), TypeError, "features must be a 2-D array"),
        (
            lambda: measures.precision_recall(GOOD, GOOD[:3], k=3),
            ValueError,
            r"fake_features needs at least 4 rows \(more than k=3",
        ),
        (
            lambda: measures.density_coverage(GOOD[:5], GOOD, k=5),
            ValueError,
            "real_features needs at least 6 rows",
        ),
        (
            lambda: measures.precision_recall(GOOD, np.full((10, 3), np.nan)),
            ValueError,
            "fake_features contains NaN",
        ),
        (
            lambda: measures.density_coverage(GOOD, np.zeros((10, 4))),
            ValueError,
            "same number of features, got 3 and 4",
        ),
        (
            lambda: measures.precision_recall(GOOD[None], GOOD),
            ValueError,
            "real_features must be 2-D",
        ),
        (
            lambda: measures.nearest_neighbors(np.zeros((0, 3)), GOOD),
            ValueError,
            "queries needs at least 1 rows",
        ),
        (
            lambda: measures.polynomial_mmd(GOOD[:1], GOOD),
            ValueError,
            "features_a needs at least 2 rows for an unbiased estimate",
        ),
        (
            lambda: measures.kernel_distance(GOOD, GOOD, subset_size=11),
            ValueError,
            "subset_size must be at most the smaller set's 10 rows",
        ),
        (
            lambda: measures.kernel_distance(GOOD, GOOD, subset_size=5, n_subsets=0),
            ValueError,
            "n_subsets must be a positive int",
        ),
        (
            lambda: measures.kernel_distance(GOOD, GOOD, subset_size=5, seed=-1),
            ValueError,
            "seed must be a non-negative int",
        ),
        (
            lambda: measures.bootstrap_interval("fd", GOOD, GOOD),
            TypeError,
            "measure must be a function",
        ),
        (
            lambda: measures.bootstrap_interval(lambda a, b: "x", GOOD, GOOD),
            TypeError,
            "measure must return a number",
        ),
        (
            lambda: measures.bootstrap_interval(lambda a, b: math.nan, GOOD, GOOD),
            ValueError,
            "measure returned nan",
        ),
        (
            lambda: measures.bootstrap_interval(
                measures.frechet_distance, GOOD, GOOD, confidence=1.0
            ),
            ValueError,
            r"confidence must be a number in \(0.0, 1.0\)",
        ),
        (
            lambda: measures.bootstrap_interval(measures.frechet_distance, GOOD, GOOD, method="t"),
            ValueError,
            "method must be one of 'basic', 'percentile'",
        ),
        (
            lambda: measures.bootstrap_interval(
                measures.frechet_distance, GOOD, GOOD, n_resamples=5
            ),
            ValueError,
            "n_resamples must be an int >= 10",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# mode_stats


def test_mode_stats_on_real_ring_samples():
    ring = ring_mixture()
    stats = measures.mode_stats(ring.sample(2500, seed=0), ring)
    assert stats["modes"] == 8
    # P(|x - mu| <= 3 std) for a 2-D Gaussian is 1 - exp(-9 / 2) = 0.98889.
    assert abs(stats["high_quality"] - (1 - math.exp(-4.5))) < 0.01
    assert 0 <= stats["reverse_kl"] < 0.01
    assert stats["counts"].shape == (8,)
    assert stats["counts"].sum() == round(stats["high_quality"] * 2500)
    assert isinstance(stats["modes"], int) and isinstance(stats["reverse_kl"], float)


def test_mode_stats_on_three_modes_of_the_ring():
    ring = ring_mixture()
    rng = np.random.default_rng(1)
    which = np.repeat([0, 3, 5], 300)
    samples = ring.centers[which] + 0.5 * ring.std * rng.standard_normal((len(which), 2))
    stats = measures.mode_stats(samples.astype(np.float32), ring)
    assert stats["modes"] == 3
    assert stats["high_quality"] == 1.0
    assert stats["reverse_kl"] == pytest.approx(math.log(8 / 3), abs=1e-9)
    np.testing.assert_array_equal(stats["counts"], [300, 0, 0, 300, 0, 300, 0, 0])


def test_mode_stats_on_the_grid_and_far_away_samples():
    grid = grid_mixture()
    stats = measures.mode_stats(grid.sample(2500, seed=0), grid)
    assert stats["modes"] == 25
    assert stats["reverse_kl"] < 0.05
    far = measures.mode_stats(np.full((10, 2), 100.0), grid)
    assert far["modes"] == 0 and far["high_quality"] == 0.0 and far["counts"].sum() == 0
    assert far["reverse_kl"] == pytest.approx(math.log(25))


def test_mode_stats_nearest_counts_see_a_blurry_collapse():
    # A blob far from every center's high-quality radius but nearest to mode 3: the
    # high-quality counts are empty, the nearest-mode histogram shows the collapse.
    ring = ring_mixture()
    rng = np.random.default_rng(2)
    blob = 0.8 * ring.centers[3] + 0.05 * rng.standard_normal((400, 2))
    stats = measures.mode_stats(blob.astype(np.float32), ring)
    assert stats["counts"].sum() == 0
    np.testing.assert_array_equal(stats["nearest_counts"], [0, 0, 0, 400, 0, 0, 0, 0])
    real = measures.mode_stats(ring.sample(800, seed=0), ring)
    assert real["nearest_counts"].sum() == 800 and real["nearest_counts"].min() > 60


def test_mode_stats_one_mode_is_a_total_collapse():
    ring = ring_mixture()
    stats = measures.mode_stats(np.tile(ring.centers[2], (50, 1)), ring)
    assert stats["modes"] == 1
    assert stats["reverse_kl"] == pytest.approx(math.log(8))


@pytest.mark.parametrize(
    ("samples", "error", "match"),
    [
        (np.zeros((5, 2), dtype=np.int64), TypeError, "samples must be a float"),
        ("points", TypeError, "samples must be a float"),
        (np.zeros((5, 3)), ValueError, r"samples must have shape \(n, 2\)"),
        (np.zeros(10), ValueError, "samples must be 2-D"),
        (np.zeros((0, 2)), ValueError, "samples needs at least 1"),
        (np.array([[0.0, np.nan]]), ValueError, "samples contains NaN"),
    ],
)
def test_mode_stats_rejects_bad_samples(samples, error, match):
    with pytest.raises(error, match=match):
        measures.mode_stats(samples, ring_mixture())


def test_mode_stats_rejects_a_bad_mixture():
    with pytest.raises(TypeError, match="mixture must be a GaussianMixture2D"):
        measures.mode_stats(np.zeros((5, 2)), "ring")


# ---------------------------------------------------------------------------------------------
# Frechet distance


def test_frechet_from_stats_diagonal_by_hand():
    # ||(1, 2)||^2 + (1 + 4) + (4 + 9) - 2 * (sqrt(1 * 4) + sqrt(4 * 9)) = 5 + 18 - 16 = 7
    distance = measures.frechet_distance_from_stats(
        np.zeros(2), np.diag([1.0, 4.0]), np.array([1.0, 2.0]), np.diag([4.0, 9.0])
    )
    assert type(distance) is float
    assert distance == pytest.approx(7.0, abs=1e-12)


def _scipy_frechet(mu_a, cov_a, mu_b, cov_b) -> float:
    linalg = pytest.importorskip("scipy.linalg")
    root = linalg.sqrtm(cov_a @ cov_b)
    return float(np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a) + np.trace(cov_b)) - 2 * float(
        np.trace(root).real
    )


def _random_spd(rng, dim: int) -> np.ndarray:
    factor = rng.standard_normal((dim, dim))
    return factor @ factor.T + 0.1 * np.eye(dim)


@pytest.mark.parametrize("commuting", [True, False])
def test_frechet_from_stats_matches_scipy(commuting):
    rng = np.random.default_rng(3)
    dim = 6
    mu_a, mu_b = rng.standard_normal(dim), rng.standard_normal(dim)
    if commuting:
        basis, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
        cov_a = basis @ np.diag(rng.uniform(0.5, 3, dim)) @ basis.T
        cov_b = basis @ np.diag(rng.uniform(0.5, 3, dim)) @ basis.T
    else:
        cov_a, cov_b = _random_spd(rng, dim), _random_spd(rng, dim)
        assert not np.allclose(cov_a @ cov_b, cov_b @ cov_a)
    expected = _scipy_frechet(mu_a, cov_a, mu_b, cov_b)
    distance = measures.frechet_distance_from_stats(mu_a, cov_a, mu_b, cov_b)
    assert distance == pytest.approx(expected, rel=1e-8)


def test_frechet_distance_of_samples_approaches_the_closed_form():
    rng = np.random.default_rng(4)
    cov_a = np.array([[2.0, 0.6], [0.6, 1.0]])
    cov_b = np.array([[1.0, -0.3], [-0.3, 0.5]])
    mu_a, mu_b = np.array([0.0, 1.0]), np.array([1.0, -1.0])
    features_a = rng.multivariate_normal(mu_a, cov_a, size=200_000)
    features_b = rng.multivariate_normal(mu_b, cov_b, size=200_000)
    expected = measures.frechet_distance_from_stats(mu_a, cov_a, mu_b, cov_b)
    assert measures.frechet_distance(features_a, features_b) == pytest.approx(expected, rel=0.02)


def test_frechet_distance_of_a_sample_with_itself_is_zero_and_real():
    rng = np.random.default_rng(5)
    features = rng.standard_normal((300, 16)).astype(np.float32)
    distance = measures.frechet_distance(features, features)
    assert type(distance) is float and abs(distance) < 1e-8
    # Fewer rows than features: singular covariances, where a naive sqrtm goes complex.
    low_rank = rng.standard_normal((10, 64))
    distance = measures.frechet_distance(low_rank, rng.standard_normal((12, 64)))
    assert type(distance) is float and math.isfinite(distance) and distance > 0


@pytest.mark.parametrize(
    ("features_a", "features_b", "error", "match"),
    [
        ("abc", np.zeros((5, 3)), TypeError, "features_a"),
        (np.zeros((5, 3)), np.array([["a", "b"]]), TypeError, "features_b"),
        (np.zeros(5), np.zeros((5, 3)), ValueError, "features_a must be 2-D"),
        (np.zeros((5, 3)), np.zeros((1, 3)), ValueError, "features_b needs at least 2 rows"),
        (np.zeros((5, 3)), np.zeros((5, 4)), ValueError, "same number of features"),
        (np.full((5, 3), np.inf), np.zeros((5, 3)), ValueError, "features_a contains NaN"),
    ],
)
def test_frechet_distance_rejects_bad_features(features_a, features_b, error, match):
    with pytest.raises(error, match=match):
        measures.frechet_distance(features_a, features_b)


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ((np.zeros((2, 2)), np.eye(2), np.zeros(2), np.eye(2)), ValueError, "mu_a must be a 1-D"),
        ((np.zeros(2), np.eye(2), np.zeros(3), np.eye(2)), ValueError, "mu_a and mu_b"),
        ((np.zeros(2), np.eye(3), np.zeros(2), np.eye(2)), ValueError, r"cov_a must be a \(2, 2\)"),
        ((np.zeros(2), np.eye(2), np.zeros(2), "eye"), TypeError, "cov_b"),
        ((np.zeros(2), np.eye(2), np.array([np.nan, 0]), np.eye(2)), ValueError, "mu_b contains"),
    ],
)
def test_frechet_from_stats_rejects_bad_arguments(arguments, error, match):
    with pytest.raises(error, match=match):
        measures.frechet_distance_from_stats(*arguments)


def test_feature_stats_rejects_a_single_row():
    with pytest.raises(ValueError, match="features needs at least 2 rows"):
        measures.feature_stats(np.zeros((1, 4)))


# ---------------------------------------------------------------------------------------------
# background_share


def test_background_share_counts_pixels_below_the_threshold():
    images = np.array([[-1.0, -0.95, -0.5, 0.0], [1.0, -1.0, -0.89, -0.91]], dtype=np.float32)
    assert measures.background_share(images) == pytest.approx(4 / 8)
    assert measures.background_share(images, threshold=0.5) == pytest.approx(7 / 8)
    assert measures.background_share(np.full((2, 28, 28, 1), -1.0)) == 1.0


@pytest.mark.parametrize(
    ("images", "threshold", "error", "match"),
    [
        (None, -0.9, TypeError, "images"),
        (np.array(["a", "b"]), -0.9, TypeError, "images"),
        (np.zeros((0, 28, 28)), -0.9, ValueError, "non-empty"),
        (np.array([np.nan, 0.0]), -0.9, ValueError, "NaN"),
        (np.zeros((2, 2)), 3.0, ValueError, "threshold"),
    ],
)
def test_background_share_rejects_bad_input(images, threshold, error, match):
    with pytest.raises(error, match=match):
        measures.background_share(images, threshold=threshold)
