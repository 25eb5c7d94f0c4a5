"""Scoring generated MNIST digits with the course's bundled classifier.

:class:`DigitScorer` holds the classifier (``assets/mnist_classifier.keras``) and the real
reference digits, both loaded when the scorer is made, never at import. The module-level
functions (:func:`classify`, :func:`classifier_features`, :func:`evaluate_digits`,
:func:`label_accuracy`) share one scorer, made on first use; :func:`default_scorer` returns it
(so you can see what it loaded) and :func:`reset_default_scorer` drops it (to free memory, or
after changing ``GAN_OFFLINE``).

:func:`evaluate_digits` returns a :class:`DigitScores`: how many images the classifier is
confident about, which digits they are, and the Frechet distance of its features to real test
images next to the real-vs-real floor (see :mod:`gan_helpers.measures`).
"""

from __future__ import annotations

import contextlib
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import checks
from .data import ASSETS_DIR, load_mnist
from .measures import frechet_distance

__all__ = [
    "CLASSIFIER_PATH",
    "DigitScorer",
    "DigitScores",
    "class_histogram",
    "classifier_features",
    "classify",
    "code_agreement",
    "default_scorer",
    "evaluate_digits",
    "label_accuracy",
    "load_classifier",
    "reset_default_scorer",
]

CLASSIFIER_PATH = ASSETS_DIR / "mnist_classifier.keras"
CLASSIFIER_SCRIPT = "scripts/train_mnist_classifier.py"
FEATURES_LAYER = "features"
N_CLASSES = 10
IMAGE_SHAPE = (28, 28, 1)
REFERENCE_SEED = 0
PRESENT_SHARE = 0.05


@dataclass(frozen=True)
class DigitScores:
    """What :func:`evaluate_digits` found in a batch of generated digits.

    Attributes:
        n: number of images scored.
        confident_share: share classified with top probability >= the confidence threshold.
        class_histogram: int64 ``(10,)``: predicted digits among the confident images.
        class_shares: that histogram as fractions (zeros if none is confident).
        digits_present: digits with at least 5% of the confident images.
        frechet: Frechet distance of the classifier features to real test digits.
        frechet_floor: the same distance for real training digits (same sample sizes).
        frechet_ratio: ``frechet / frechet_floor`` (1 means "as close as real digits").
    """

    n: int
    confident_share: float
    class_histogram: np.ndarray = field(repr=False)
    class_shares: np.ndarray = field(repr=False)
    digits_present: int
    frechet: float
    frechet_floor: float
    frechet_ratio: float

    def summary(self) -> str:
        """One line: confident share, digits present, largest and smallest share, Frechet."""
        shares = self.class_shares
        return (
            f"{self.n:,} images: {self.confident_share:.1%} confident, "
            f"{self.digits_present} digits present (shares {shares.min():.0%} to "
            f"{shares.max():.0%}), Frechet {self.frechet:.2f} = {self.frechet_ratio:.1f}x the "
            f"real-vs-real floor {self.frechet_floor:.2f}"
        )

    def __getitem__(self, key: str):
        """``scores["confident_share"]`` reads the attribute, as the earlier dict did."""
        if not isinstance(key, str) or key not in self.__dataclass_fields__:
            raise KeyError(f"{key!r}; DigitScores has {list(self.__dataclass_fields__)}.")
        return getattr(self, key)


def load_classifier(path: str | os.PathLike | None = None):
    """Load an MNIST classifier file and check it is one the scorer can use.

    The network maps float32 images ``(n, 28, 28, 1)`` in [-1, 1] to 10 logits; its
    penultimate Dense layer, named ``"features"``, gives the Frechet features. It is loaded
    with ``keras.models.load_model`` in Keras' default safe mode. Each call reads the file.

    Args:
        path: a ``.keras`` file (default: ``assets/mnist_classifier.keras``).

    Returns:
        The ``keras.Model``.

    Raises:
        FileNotFoundError: if the file is missing (says which script regenerates it).
        ValueError: if the file cannot be read as a Keras model, has no ``"features"`` layer,
            or the wrong input/output shape.

    Example:
        >>> classifier = load_classifier()
    """
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path or None, got {checks.describe(path)}.")
    resolved = Path(path if path is not None else CLASSIFIER_PATH).resolve()
    if not resolved.is_file():
        raise FileNotFoundError(
            f"The MNIST classifier is missing: {resolved}. Regenerate it with "
            f"`python {CLASSIFIER_SCRIPT}` from the repository root (a few minutes on a CPU), "
            "or restore it with `git checkout -- assets/mnist_classifier.keras`."
        )
    import keras

    try:
        model = keras.models.load_model(resolved)
    except Exception as error:  # Keras raises several types for damaged files
        raise ValueError(
            f"{resolved} could not be loaded as a Keras model ({type(error).__name__}: "
            f"{str(error)[:200]}); it may be damaged. Restore it with `git checkout -- "
            f"{resolved.name}` or regenerate it with `python {CLASSIFIER_SCRIPT}`."
        ) from error
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
    return model


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _digit_images(images) -> np.ndarray:
    return checks.images(images, "images", shape=IMAGE_SHAPE)


def _confidence(confidence) -> float:
    return checks.number_in_range(
        confidence, "confidence", 0.0, 1.0, 0.9, low_inclusive=False, high_inclusive=True
    )


class DigitScorer:
    """The bundled MNIST classifier and real reference digits, loaded once, explicitly.

    Args:
        classifier_path: a classifier ``.keras`` file (default: the bundled one).
        mnist: MNIST as ``load_mnist()`` returns it, ``((x_train, y_train), (x_test,
            y_test))`` with uint8 pixels; None loads it with ``load_mnist()`` (its one-line
            report is kept in :attr:`source` instead of printed).
        batch_size: images per classifier forward pass.

    Attributes:
        classifier: the Keras classifier.
        source: how MNIST was found (the line ``load_mnist`` would print), or
            ``"given"``.

    Raises:
        FileNotFoundError, ValueError: a missing or wrong classifier file.
        TypeError, ValueError: ``mnist`` not in ``load_mnist``'s form.

    Example:
        >>> scorer = DigitScorer()
        >>> scorer.evaluate(gan.generate(1000, seed=0)).summary()
    """

    def __init__(self, classifier_path=None, mnist=None, batch_size: int = 500):
        import keras

        self.batch_size = checks.positive_int(batch_size, "batch_size", 500)
        self.classifier = load_classifier(classifier_path)
        features = self.classifier.get_layer(FEATURES_LAYER).output
        self._two_headed = keras.Model(
            self.classifier.inputs[0], [features, self.classifier.outputs[0]]
        )
        if mnist is None:
            report = io.StringIO()
            with contextlib.redirect_stdout(report):
                mnist = load_mnist()
            self.source = report.getvalue().strip()
        else:
            self.source = "given"
        try:
            (x_train, _), (x_test, _) = mnist
        except (TypeError, ValueError):
            raise TypeError(
                "mnist must be ((x_train, y_train), (x_test, y_test)) as load_mnist() returns, "
                f"got {checks.describe(mnist)}."
            ) from None
        for name, pixels in (("x_train", x_train), ("x_test", x_test)):
            if not isinstance(pixels, np.ndarray) or pixels.dtype != np.uint8 or pixels.ndim < 3:
                raise TypeError(
                    f"mnist's {name} must be uint8 pixels (n, 28, 28), got "
                    f"{checks.describe(pixels)}."
                )
        self._pixels = {"train": x_train, "test": x_test}
        self._reference: dict[tuple[str, int], np.ndarray] = {}
        self._floors: dict[tuple[int, int], float] = {}

    def features_and_logits(self, images) -> tuple[np.ndarray, np.ndarray]:
        """Features ``(n, 128)`` and logits ``(n, 10)``, float64, in one pass."""
        array = _digit_images(images)
        feature_batches, logit_batches = [], []
        for start in range(0, len(array), self.batch_size):
            features, logits = self._two_headed(
                array[start : start + self.batch_size], training=False
            )
            feature_batches.append(np.asarray(features, dtype=np.float64))
            logit_batches.append(np.asarray(logits, dtype=np.float64))
        return np.concatenate(feature_batches), np.concatenate(logit_batches)

    def classify(self, images) -> tuple[np.ndarray, np.ndarray]:
        """``(labels, probabilities)``: int64 ``(n,)`` and float64 ``(n, 10)``."""
        probabilities = _softmax(self.features_and_logits(images)[1])
        return np.argmax(probabilities, axis=1).astype(np.int64), probabilities

    def real_features(self, split: str, n: int) -> np.ndarray:
        """Features of ``n`` real images of ``split`` ("train" or "test"), a fixed subset."""
        split = checks.choice(split, "split", ("train", "test"))
        pixels = self._pixels[split]
        n = checks.int_at_least(n, "n", 2, 1000)
        if n > len(pixels):
            raise ValueError(
                f"n must be at most the {len(pixels):,} {split} images available, got {n:,}; "
                f"pass e.g. n={min(1000, len(pixels))}."
            )
        key = (split, n)
        if key not in self._reference:
            order = np.random.default_rng(REFERENCE_SEED).permutation(len(pixels))[:n]
            images = ((pixels[order].astype(np.float32) - 127.5) / 127.5)[..., None]
            self._reference[key] = self.features_and_logits(images)[0]
        return self._reference[key]

    def evaluate(self, images, n_reference: int = 1000, confidence: float = 0.9) -> DigitScores:
        """Score generated digits: see :func:`evaluate_digits`."""
        array = _digit_images(images)
        if len(array) < 2:
            raise ValueError(
                f"images must hold at least 2 images for a Frechet distance, got {len(array)}; "
                "evaluate several hundred for a stable estimate."
            )
        n_reference = checks.int_at_least(n_reference, "n_reference", 2, 1000)
        confidence = _confidence(confidence)
        reference = self.real_features("test", n_reference)
        features, logits = self.features_and_logits(array)
        probabilities = _softmax(logits)
        histogram = class_histogram(probabilities, confidence=confidence)
        n_confident = int(histogram.sum())
        shares = histogram / n_confident if n_confident else np.zeros(N_CLASSES)
        frechet = frechet_distance(features, reference)
        n_floor = min(len(array), len(self._pixels["train"]))
        if (n_floor, n_reference) not in self._floors:
            self._floors[(n_floor, n_reference)] = frechet_distance(
                self.real_features("train", n_floor), reference
            )
        floor = self._floors[(n_floor, n_reference)]
        return DigitScores(
            n=int(len(array)),
            confident_share=n_confident / len(array),
            class_histogram=histogram,
            class_shares=shares,
            digits_present=int(np.count_nonzero(shares >= PRESENT_SHARE)),
            frechet=frechet,
            frechet_floor=floor,
            frechet_ratio=frechet / floor if floor > 0 else math.inf,
        )


_default: list[DigitScorer] = []


def default_scorer() -> DigitScorer:
    """The scorer the module-level functions share, made on first use (bundled classifier,
    MNIST as ``load_mnist()`` finds it). See its ``source`` for which MNIST it found."""
    if not _default:
        _default.append(DigitScorer())
    return _default[0]


def reset_default_scorer() -> None:
    """Drop the shared scorer: the next call loads the classifier and MNIST again."""
    _default.clear()


def classifier_features(images, batch_size: int = 500) -> np.ndarray:
    """The classifier's ``"features"`` activations (penultimate layer) for a batch of images.

    Args:
        images: float32 ``(n, 28, 28, 1)`` in [-1, 1] (see ``gan_helpers.scale_images``).
        batch_size: images per forward pass.

    Returns:
        float64 array ``(n, 128)``.

    Raises:
        TypeError, ValueError: for bad images or batch size.
        FileNotFoundError: if the classifier file is missing.

    Example:
        >>> features = classifier_features(images)
    """
    checks.positive_int(batch_size, "batch_size", 500)
    return default_scorer().features_and_logits(images)[0]


def classify(images, batch_size: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Classify MNIST-style images with the bundled classifier.

    Args:
        images: float32 ``(n, 28, 28, 1)`` in [-1, 1] (see ``gan_helpers.scale_images``).
        batch_size: images per forward pass.

    Returns:
        ``(labels, probabilities)``: int64 ``(n,)`` predicted digits and float64 ``(n, 10)``
        softmax probabilities (rows sum to 1).

    Raises:
        TypeError, ValueError: for bad images or batch size.
        FileNotFoundError: if the classifier file is missing.

    Example:
        >>> labels, probabilities = classify(images)
    """
    checks.positive_int(batch_size, "batch_size", 500)
    return default_scorer().classify(images)


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

    Example:
        >>> class_histogram(np.array([3, 3, 7]))   # array([0, 0, 0, 2, 0, 0, 0, 1, 0, 0])
    """
    array = checks.array(
        predictions,
        "predictions",
        "integer labels (n,) or probabilities (n, 10)",
        "pass e.g. the labels from gan_helpers.classify(images)",
        numeric=True,
    )
    if array.ndim == 1:
        if confidence is not None:
            raise ValueError(
                "confidence only applies to probabilities (n, 10); got labels (n,), so "
                "filter them yourself or pass the probabilities from classify()."
            )
        if array.dtype.kind == "f":
            raise TypeError(
                f"predictions given as labels (n,) must be integers, got "
                f"{checks.describe(array)}; use labels.astype(int)."
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
    if not np.all(np.isfinite(array)):
        raise ValueError("predictions contain NaN or infinite values; check what produced them.")
    labels = np.argmax(array, axis=1)
    if confidence is not None:
        confidence = _confidence(confidence)
        labels = labels[array.max(axis=1) >= confidence]
    return np.bincount(labels, minlength=N_CLASSES).astype(np.int64)


def evaluate_digits(images, n_reference: int = 1000, confidence: float = 0.9) -> DigitScores:
    """Judge a batch of generated digits with the bundled MNIST classifier.

    The Frechet distance compares the classifier features of ``images`` with those of
    ``n_reference`` real test images (a fixed seeded subset of MNIST as ``load_mnist()`` finds
    it). Because that estimate depends on the sample sizes, it comes with a floor: the same
    distance between ``n`` real *training* images (disjoint from the test images; capped at
    the training-set size) and the same test reference. ``frechet_ratio`` near 1 means "as
    close to the test set as real digits are". The classifier and real data are loaded once,
    by :func:`default_scorer`.

    Args:
        images: float32 ``(n, 28, 28, 1)`` in [-1, 1], n >= 2 (e.g. generator outputs).
        n_reference: real test images in the reference set (2 .. size of the test split).
        confidence: a prediction is confident when its largest probability is >= this.

    Returns:
        A :class:`DigitScores` (``scores.confident_share``, ``scores.summary()``...).

    Raises:
        TypeError, ValueError: for bad images, fewer than 2 images, or a bad ``n_reference``
            or ``confidence``.
        FileNotFoundError: if the classifier file is missing.

    Example:
        >>> print(evaluate_digits(gan.generate(1000, seed=0)).summary())
    """
    _digit_images(images)
    checks.int_at_least(n_reference, "n_reference", 2, 1000)
    _confidence(confidence)
    return default_scorer().evaluate(images, n_reference=n_reference, confidence=confidence)


def _conditional_generator_of(model, name: str):
    """The generator of a ``ConditionalGAN``, or ``model`` itself if it takes ``[z, label]``.

    Shared by :func:`label_accuracy` and the digit picker of ``gan_helpers.widgets``.

    Raises:
        TypeError: anything else (the message names ``name`` and how to get a generator).
    """
    import keras

    from .gan import ConditionalGAN

    if isinstance(model, ConditionalGAN):
        model = model.generator
    if not isinstance(model, keras.Model) or len(model.inputs) != 2:
        raise TypeError(
            f"{name} must be a gan_helpers.ConditionalGAN or a keras.Model taking [z, label], "
            f"got {checks.describe(model)}; build one with "
            "gan_helpers.load_pretrained_generator('mnist_conditional_generator')."
        )
    return model


def label_accuracy(generator, samples_per_label: int = 100, seed: int = 0) -> np.ndarray:
    """How often a conditional generator draws the digit it was asked for.

    Asks for ``samples_per_label`` samples of each digit 0..9 (the same latent vectors for
    every digit), classifies them with the bundled classifier, and returns, for each digit
    ``k``, the share of samples asked to be ``k`` that the classifier calls ``k``.

    Args:
        generator: a ``gan_helpers.ConditionalGAN`` or a conditional generator model taking
            ``[z, label]``.
        samples_per_label: samples per digit.
        seed: seed of the latent vectors.

    Returns:
        float64 array ``(10,)`` of shares in [0, 1].

    Raises:
        TypeError: ``generator`` is neither.
        ValueError: bad counts or seed.

    Example:
        >>> accuracy = label_accuracy(cgan); accuracy.mean(), accuracy.min()
    """
    from .gan import generate_in_chunks, sample_latent

    samples_per_label = checks.positive_int(samples_per_label, "samples_per_label", 100)
    seed = checks.seed(seed)
    requested = np.repeat(np.arange(N_CLASSES), samples_per_label).astype(np.int32)
    generator = _conditional_generator_of(generator, "generator")
    latent_dim = int(generator.inputs[0].shape[-1])
    z = np.tile(sample_latent(samples_per_label, latent_dim, seed), (N_CLASSES, 1))
    images = generate_in_chunks(generator, [z, requested])
    predicted, _ = classify(images)
    return np.array([np.mean(predicted[requested == k] == k) for k in range(N_CLASSES)])


def code_agreement(codes, labels, n_codes: int = N_CLASSES, n_labels: int = N_CLASSES) -> dict:
    """How well a learned code matches labels, under the best one-to-one mapping.

    A code learned without labels (InfoGAN) has no reason to give digit 3 the number 3. This
    counts how often each code meets each label, finds the one-to-one mapping from codes to
    labels that agrees most often (the Hungarian algorithm,
    ``scipy.optimize.linear_sum_assignment``), and reports the share of samples it gets right.

    Args:
        codes: ints in ``[0, n_codes)``, the code each sample was drawn with.
        labels: ints in ``[0, n_labels)``, one per sample (e.g. ``classify(images)[0]``).
        n_codes, n_labels: the number of codes and of labels (``n_codes <= n_labels``).

    Returns:
        A dict with ``agreement`` (float, share of samples whose label is their code's mapped
        label), ``mapping`` (int array ``(n_codes,)``, the label of each code), ``counts`` (int
        array ``(n_codes, n_labels)``: samples of code i given label j) and ``per_code`` (float
        array ``(n_codes,)``, the agreement within each code; NaN for a code with no samples).

    Raises:
        TypeError, ValueError: codes or labels that are not int arrays of the same length in
            range, or ``n_codes > n_labels``.

    Example:
        >>> code_agreement([0, 0, 1, 1], [7, 7, 2, 7])["agreement"]
        0.75
    """
    from scipy.optimize import linear_sum_assignment

    n_labels = checks.positive_int(n_labels, "n_labels", N_CLASSES)
    n_codes = checks.positive_int(n_codes, "n_codes", N_CLASSES)
    if n_codes > n_labels:
        raise ValueError(
            f"n_codes ({n_codes}) must not exceed n_labels ({n_labels}): a one-to-one mapping "
            "needs a label for every code; pass n_codes <= n_labels."
        )
    codes = checks.int_labels(codes, "codes", n_classes=n_codes)
    labels = checks.int_labels(labels, "labels", length=len(codes), n_classes=n_labels)
    counts = np.zeros((n_codes, n_labels), dtype=np.int64)
    np.add.at(counts, (codes, labels), 1)
    rows, mapping = linear_sum_assignment(counts, maximize=True)
    sizes = counts.sum(axis=1)
    hits = counts[rows, mapping]
    with np.errstate(invalid="ignore", divide="ignore"):
        per_code = np.where(sizes > 0, hits / np.maximum(sizes, 1), np.nan)
    return {
        "agreement": float(hits.sum() / len(codes)),
        "mapping": mapping.astype(np.int64),
        "counts": counts,
        "per_code": per_code,
    }
