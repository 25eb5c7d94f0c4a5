"""Tests for gan_helpers.measures (mode statistics, Frechet distance) and gan_helpers.scoring."""

from gan_helpers import measures, scoring
from gan_helpers.data import grid_mixture, load_mnist, ring_mixture, scale_images

import math

import numpy as np
import pytest

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
# The MNIST classifier


@pytest.fixture(scope="module")
def sample_mnist():
    (x_train, y_train), (x_test, y_test) = load_mnist(source="sample")
    return scale_images(x_train), y_train, scale_images(x_test), y_test


def test_classifier_is_accurate_on_the_sample_test_set(sample_mnist):
    _, _, test_images, test_labels = sample_mnist
    labels, probabilities = scoring.classify(test_images)
    assert labels.shape == (1000,) and labels.dtype == np.int64
    assert probabilities.shape == (1000, 10) and probabilities.dtype == np.float64
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-9)
    assert np.mean(labels == test_labels) >= 0.97


def test_default_scorer_is_shared_visible_and_clearable():
    scorer = scoring.default_scorer()
    assert scoring.default_scorer() is scorer
    assert "sample" in scorer.source or "Keras" in scorer.source
    assert scorer.classifier.get_layer("features").units == 128
    scoring.reset_default_scorer()
    assert scoring.default_scorer() is not scorer


def test_loading_the_classifier_prints_nothing(capsys):
    scoring.reset_default_scorer()
    scoring.classify(np.zeros((2, 28, 28, 1), np.float32))
    assert capsys.readouterr().out == ""


def test_damaged_classifier_file_gets_a_clear_error(tmp_path):
    damaged = tmp_path / "damaged.keras"
    damaged.write_bytes(scoring.CLASSIFIER_PATH.read_bytes()[:1000])
    with pytest.raises(ValueError, match="could not be loaded"):
        scoring.load_classifier(damaged)


def test_classifier_features(sample_mnist):
    features = scoring.classifier_features(sample_mnist[2][:7], batch_size=3)
    assert features.shape == (7, 128) and features.dtype == np.float64
    np.testing.assert_allclose(
        features, scoring.classifier_features(sample_mnist[2][:7]), rtol=1e-5, atol=1e-5
    )


def test_load_classifier_missing_file_says_how_to_regenerate(tmp_path):
    with pytest.raises(FileNotFoundError, match="scripts/train_mnist_classifier.py"):
        scoring.load_classifier(tmp_path / "nothing.keras")


def test_class_histogram_from_labels_and_probabilities():
    histogram = scoring.class_histogram(np.array([0, 3, 3, 9]))
    np.testing.assert_array_equal(histogram, [1, 0, 0, 2, 0, 0, 0, 0, 0, 1])
    probabilities = np.full((3, 10), 0.01)
    probabilities[0, 4], probabilities[1, 4], probabilities[2, 7] = 0.91, 0.5, 0.95
    np.testing.assert_array_equal(scoring.class_histogram(probabilities)[[4, 7]], [2, 1])
    confident = scoring.class_histogram(probabilities, confidence=0.9)
    assert confident.sum() == 2 and confident[4] == 1 and confident[7] == 1


@pytest.mark.parametrize(
    ("predictions", "kwargs", "error", "match"),
    [
        (np.array(["a"]), {}, TypeError, "predictions must be integer labels"),
        (np.array([0.5, 1.0]), {}, TypeError, "predictions given as labels"),
        (np.array([0, 10]), {}, ValueError, r"predictions \(labels\) must lie in 0..9"),
        (np.zeros((3, 4)), {}, ValueError, r"predictions must be labels \(n,\)"),
        (np.array([1, 2]), {"confidence": 0.9}, ValueError, "confidence only applies"),
        (np.ones((2, 10)), {"confidence": 1.5}, ValueError, "confidence must be a number in"),
        (np.ones((2, 10)), {"confidence": "high"}, TypeError, "confidence must be a number in"),
    ],
)
def test_class_histogram_rejects_bad_input(predictions, kwargs, error, match):
    with pytest.raises(error, match=match):
        scoring.class_histogram(predictions, **kwargs)


def test_evaluate_digits_real_images_look_real(sample_mnist):
    train_images = sample_mnist[0]
    report = scoring.evaluate_digits(train_images[-1000:])
    assert report.n == 1000
    assert report.confident_share > 0.9
    assert report.digits_present == 10
    assert report.class_histogram.shape == (10,)
    assert report.class_shares.sum() == pytest.approx(1.0)
    assert report.frechet_floor > 0
    assert report.frechet_ratio == pytest.approx(report.frechet / report.frechet_floor)
    assert report.frechet_ratio < 2


def test_evaluate_digits_noise_looks_like_noise(sample_mnist):
    real = scoring.evaluate_digits(sample_mnist[0][-500:], n_reference=500)
    rng = np.random.default_rng(6)
    noise = rng.uniform(-1, 1, size=(500, 28, 28, 1)).astype(np.float32)
    report = scoring.evaluate_digits(noise, n_reference=500)
    assert report.n == 500
    assert report.frechet_ratio > 10
    assert report.frechet_ratio > 10 * real["frechet_ratio"]
    assert report.digits_present < real["digits_present"]
    assert report.confident_share < real["confident_share"]


@pytest.mark.parametrize(
    ("images", "kwargs", "error", "match"),
    [
        (np.zeros((4, 28, 28, 1), dtype=np.uint8), {}, TypeError, "images must be float32"),
        (np.zeros((4, 28, 28, 1)), {}, TypeError, "images must be float32"),
        (np.zeros((4, 28, 28), dtype=np.float32), {}, ValueError, "images has no channel axis"),
        (
            np.zeros((4, 32, 32, 1), dtype=np.float32),
            {},
            ValueError,
            r"images must be images of shape \(28, 28, 1\)",
        ),
        (np.full((4, 28, 28, 1), 2, dtype=np.float32), {}, ValueError, r"images must lie in"),
        (np.zeros((1, 28, 28, 1), dtype=np.float32), {}, ValueError, "at least 2 images"),
        (np.zeros((4, 28, 28, 1), np.float32), {"n_reference": 1}, ValueError, "n_reference"),
        (np.zeros((4, 28, 28, 1), np.float32), {"n_reference": 1.5}, TypeError, "n_reference"),
        (np.zeros((4, 28, 28, 1), np.float32), {"n_reference": 10**6}, ValueError, "at most"),
        (np.zeros((4, 28, 28, 1), np.float32), {"confidence": 0}, ValueError, "confidence"),
    ],
)
def test_evaluate_digits_rejects_bad_input(images, kwargs, error, match):
    with pytest.raises(error, match=match):
        scoring.evaluate_digits(images, **kwargs)


@pytest.mark.parametrize(
    ("function", "kwargs", "error", "match"),
    [
        (scoring.classify, {"images": np.zeros((2, 28, 28, 1))}, TypeError, "images"),
        (scoring.classifier_features, {"images": "x"}, TypeError, "images"),
        (
            scoring.classifier_features,
            {"images": np.zeros((2, 28, 28, 1), np.float32), "batch_size": 0},
            ValueError,
            "batch_size",
        ),
        (
            scoring.classify,
            {"images": np.zeros((2, 28, 28, 1), np.float32), "batch_size": "all"},
            TypeError,
            "batch_size",
        ),
    ],
)
def test_classifier_functions_reject_bad_input(function, kwargs, error, match):
    with pytest.raises(error, match=match):
        function(**kwargs)
