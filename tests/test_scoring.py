"""Tests for gan_helpers.scoring: the bundled MNIST classifier, evaluate_digits, label_accuracy."""

from gan_helpers import scoring
from gan_helpers.data import load_mnist, scale_images

import numpy as np
import pytest

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


def test_code_agreement_finds_the_best_one_to_one_mapping():
    rng = np.random.default_rng(0)
    permutation = rng.permutation(10)
    codes = np.repeat(np.arange(10), 50)
    result = scoring.code_agreement(codes, permutation[codes])
    assert result["agreement"] == 1.0
    np.testing.assert_array_equal(result["mapping"], permutation)
    np.testing.assert_array_equal(result["per_code"], np.ones(10))
    # Corrupt 20% of the labels of code 0 and give code 1 no samples: the mapping stays, the
    # agreement drops by exactly the corrupted share, and the empty code reports NaN.
    labels = permutation[codes].copy()
    labels[:10] = permutation[1]
    keep = codes != 1
    result = scoring.code_agreement(codes[keep], labels[keep])
    assert result["agreement"] == pytest.approx(1 - 10 / keep.sum())
    assert result["per_code"][0] == pytest.approx(0.8) and np.isnan(result["per_code"][1])
    assert result["counts"].sum() == keep.sum() and result["counts"].shape == (10, 10)
    # Two codes that both draw the same digit cannot both map to it.
    assert scoring.code_agreement([0, 0, 1, 1], [5, 5, 5, 5])["agreement"] == 0.5


@pytest.mark.parametrize(
    ("codes", "labels", "kwargs", "error", "message"),
    [
        ([0, 1], [0], {}, ValueError, r"labels must have one label per sample, shape \(2,\)"),
        ([0, 10], [0, 1], {}, ValueError, r"codes must be class indices in \[0, 9\]"),
        ([0.0, 1.0], [0, 1], {}, TypeError, "codes must be integer class labels"),
        ([0, 1], [0, 1], {"n_codes": 11}, ValueError, "n_codes \\(11\\) must not exceed"),
        (None, [0, 1], {}, TypeError, "codes must be an array"),
    ],
)
def test_code_agreement_rejects_bad_input(codes, labels, kwargs, error, message):
    with pytest.raises(error, match=message):
        scoring.code_agreement(codes, labels, **kwargs)
