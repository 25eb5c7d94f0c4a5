"""Train the small MNIST classifier that ``gan_helpers.scoring`` uses to judge generated digits.

The network is a compact CNN (111,146 parameters, about 500 KB). Its penultimate Dense layer,
``"features"``, has 128 ReLU units: the Frechet distance is computed on those activations. The
last layer, ``"logits"``, outputs 10 unnormalised logits (no softmax); apply a softmax to get
class probabilities, as ``gan_helpers.classify`` does.

It trains with light augmentation (small shifts, rotations and zooms) on the bundled
4,000-image sample by default, so the asset is reproducible offline; the augmentation layers
are dropped from the saved file, which holds only the inference network (no optimizer state).

A plain classifier calls almost anything a digit with high confidence (uniform noise becomes a
confident "8"), which would make the "confident share" of a bad generator look good. So the
training set also holds non-digits (uniform noise, smooth blobs, flat gray images, sparse
speckles; by default a quarter as many as there are digits, see ``--outlier-share``) whose
target is the uniform distribution over the 10 classes ("outlier exposure"): the classifier
learns to be unsure about them.

Usage (from the repository root)::

    python scripts/train_mnist_classifier.py                  # sample, writes assets/
    python scripts/train_mnist_classifier.py --source keras   # full Keras MNIST if cached
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from gan_helpers.config import seed_everything  # noqa: E402
from gan_helpers.data import ASSETS_DIR, load_mnist, scale_images, sha256_of  # noqa: E402

DEFAULT_OUTPUT = ASSETS_DIR / "mnist_classifier.keras"


def build_classifier(keras):
    """The inference network: 28x28x1 images in [-1, 1] -> 10 logits (penultimate "features")."""
    layers = keras.layers
    inputs = keras.Input(shape=(28, 28, 1), name="images")
    x = inputs
    for block, filters in enumerate((32, 64, 128), start=1):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv{block}")(x)
        x = layers.BatchNormalization(name=f"bn{block}")(x)
        x = layers.ReLU(name=f"relu{block}")(x)
        if block < 3:
            x = layers.MaxPooling2D(2, name=f"pool{block}")(x)
    x = layers.GlobalAveragePooling2D(name="global_pool")(x)
    x = layers.Dropout(0.3, name="dropout")(x)
    features = layers.Dense(128, activation="relu", name="features")(x)
    logits = layers.Dense(10, name="logits")(features)
    return keras.Model(inputs, logits, name="mnist_classifier")


def build_augmenter(keras, seed: int):
    """Small random shifts, rotations and zooms; the empty background (-1) fills the gaps."""
    layers = keras.layers
    return keras.Sequential(
        [
            layers.RandomTranslation(0.1, 0.1, fill_mode="constant", fill_value=-1.0, seed=seed),
            layers.RandomRotation(0.04, fill_mode="constant", fill_value=-1.0, seed=seed + 1),
            layers.RandomZoom(0.1, fill_mode="constant", fill_value=-1.0, seed=seed + 2),
        ],
        name="augment",
    )


def make_outliers(n: int, seed: int) -> np.ndarray:
    """Non-digit images in [-1, 1], float32 ``(n, 28, 28, 1)``: four kinds in equal parts."""
    rng = np.random.default_rng(seed)
    kind = np.arange(n) % 4
    images = np.empty((n, 28, 28), dtype=np.float32)
    uniform = kind == 0
    images[uniform] = rng.uniform(-1, 1, (uniform.sum(), 28, 28))
    blobs = kind == 1
    coarse = rng.standard_normal((blobs.sum(), 7, 7)) * rng.uniform(0.5, 3, (blobs.sum(), 1, 1))
    smooth = np.kron(coarse, np.ones((4, 4)))
    smooth = (smooth + np.roll(smooth, 2, axis=1) + np.roll(smooth, 2, axis=2)) / 3
    images[blobs] = np.tanh(smooth + rng.uniform(-1.5, 0.5, (blobs.sum(), 1, 1)))
    flat = kind == 2
    images[flat] = rng.uniform(-1, 1, (flat.sum(), 1, 1)) + 0.05 * rng.standard_normal(
        (flat.sum(), 28, 28)
    )
    speckles = kind == 3
    density = rng.uniform(0.02, 0.3, (speckles.sum(), 1, 1))
    images[speckles] = np.where(rng.random((speckles.sum(), 28, 28)) < density, 1.0, -1.0)
    return np.clip(images, -1, 1)[..., None]


def main(argv: list[str] | None = None) -> float:
    """Train, save the inference network and return its test accuracy."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default="sample", choices=("sample", "keras", "auto"))
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--outlier-share",
        type=float,
        default=0.25,
        help="non-digits per training digit, with uniform targets (0 turns it off)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    seed_everything(args.seed)
    import keras

    (x_train, y_train), (x_test, y_test) = load_mnist(source=args.source)
    train_images, test_images = scale_images(x_train), scale_images(x_test)

    outliers = make_outliers(int(args.outlier_share * len(train_images)), args.seed)
    targets = np.concatenate(
        [
            np.eye(10, dtype=np.float32)[y_train],
            np.full((len(outliers), 10), 0.1, dtype=np.float32),
        ]
    )
    train_images = np.concatenate([train_images, outliers])

    classifier = build_classifier(keras)
    augmenter = build_augmenter(keras, args.seed)
    inputs = keras.Input(shape=(28, 28, 1))
    trainer = keras.Model(inputs, classifier(augmenter(inputs)), name="trainer")
    steps = args.epochs * int(np.ceil(len(train_images) / args.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=steps, alpha=0.01)
    trainer.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
        metrics=["categorical_accuracy"],
    )
    start = time.perf_counter()
    trainer.fit(
        train_images,
        targets,
        batch_size=args.batch_size,
        epochs=args.epochs,
        verbose=2,
    )
    seconds = time.perf_counter() - start

    logits = classifier.predict(test_images, batch_size=500, verbose=0)
    accuracy = float(np.mean(np.argmax(logits, axis=1) == y_test))
    noise_logits = classifier.predict(make_outliers(400, args.seed + 1), verbose=0)
    noise_probabilities = keras.ops.convert_to_numpy(keras.ops.softmax(noise_logits))
    confident_outliers = float(np.mean(noise_probabilities.max(axis=1) >= 0.9))
    print(f"fresh non-digits classified with probability >= 0.9: {confident_outliers:.1%}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    classifier.save(args.output)
    size = args.output.stat().st_size
    print(
        f"test accuracy {accuracy:.4f} on {len(test_images):,} images | trained in "
        f"{seconds:.0f} s | {classifier.count_params():,} parameters | saved {args.output} "
        f"({size / 1024:.0f} KiB, sha256 {sha256_of(args.output)})"
    )
    return accuracy


if __name__ == "__main__":
    main()
