"""InfoGAN variants: how far does a code learned without labels come to mean the digit?

Each run trains ``gan_helpers.InfoGAN`` (``MNIST_INFO_RECIPE``, lesson 9) on the bundled
4,000-image MNIST sample (``GAN_OFFLINE=1``), without labels, and every ``--report-every``
epochs draws 100 samples per code and scores them with ``gan_helpers.code_agreement`` against
the bundled classifier's digits (the share of samples whose digit is their code's best
one-to-one match), with the share of confident samples (top probability >= 0.9) and Q's
accuracy on the fakes' codes. Every run is appended as one JSON line to ``--results``; a run
already there (same variant, seed and epochs) is skipped. ``--table`` prints what has run.

Variants change one thing (or two) of the recipe; see ``VARIANTS``:

- ``paper_lr``: the paper's two learning rates (D 2e-4, G 1e-3);
- ``info_2``, ``info_0.1``: the information weight (lambda) 2 or 0.1 instead of 1;
- ``short_latent``: z of 24 entries (12 of noise) instead of 64;
- ``noise_0.1``, ``noise_0.3``, ``noise_0.5``: the noise entries (all but the class and the
  continuous codes) scaled down during training and sampling, as ClusterGAN (Mukherjee et al.
  2019) does, so that the code must carry the discrete structure;
- ``augment``: ``DiffAugment`` on real and fake images before D and Q;
- ``paper_batch``: the paper's learning rates, batch 128, no label smoothing.

Usage (from the repository root)::

    python benchmarks/infogan_variants.py --variants base,augment --epochs 20
    python benchmarks/infogan_variants.py --table
"""

from __future__ import annotations

import os

os.environ.setdefault("GAN_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import gan_helpers as gh  # noqa: E402
from gan_helpers.augment import DiffAugment  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

RESULTS = REPO_ROOT / "benchmarks" / "results" / "infogan_runs.jsonl"
SAMPLES_PER_CODE = 100
VARIANTS = {
    "base": {},
    "paper_lr": {"d_learning_rate": 2e-4, "g_learning_rate": 1e-3},
    "info_2": {"class_weight": 2.0},
    "info_0.1": {"class_weight": 0.1},
    "short_latent": {"latent_dim": 24},
    "noise_0.1": {"noise_std": 0.1},
    "noise_0.3": {"noise_std": 0.3},
    "noise_0.5": {"noise_std": 0.5},
    "augment": {"augment": True},
    "paper_batch": {
        "d_learning_rate": 2e-4,
        "g_learning_rate": 1e-3,
        "batch_size": 128,
        "label_smoothing": 0.0,
    },
}


class ScaledNoiseInfoGAN(gh.InfoGAN):
    """An InfoGAN whose noise entries (after the class and continuous codes) are scaled."""

    def __init__(self, *args, noise_std: float = 1.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.noise_std = noise_std

    def draw_latent(self, batch_size):
        z = super().draw_latent(batch_size)
        kept = self.n_classes + self.n_continuous
        return tf.concat([z[:, :kept], self.noise_std * z[:, kept:]], axis=1)


def scaled_latent(codes, latent_dim: int, kept: int, noise_std: float, seed: int) -> np.ndarray:
    """``latent_for_classes`` with the noise entries scaled like the training draws."""
    z = gh.latent_for_classes(codes, latent_dim=latent_dim, seed=seed)
    z[:, kept:] *= noise_std
    return z


def score(gan, noise_std: float) -> dict:
    """Code agreement and confident share on 100 samples per code (noise seed 0)."""
    codes = np.repeat(np.arange(gan.n_classes), SAMPLES_PER_CODE)
    kept = gan.n_classes + gan.n_continuous
    z = scaled_latent(codes, gan.latent_dim, kept, noise_std, seed=0)
    labels, probabilities = gh.classify(gan.generator.predict(z, batch_size=500, verbose=0))
    result = gh.code_agreement(codes, labels)
    return {
        "agreement": round(result["agreement"], 4),
        "confident": round(float(np.mean(probabilities.max(axis=1) >= 0.9)), 4),
        "mapping": result["mapping"].tolist(),
    }


def run(variant: str, seed: int, epochs: int, report_every: int, n_images: int = 4000) -> dict:
    settings = dict(VARIANTS[variant])
    noise_std = settings.pop("noise_std", 1.0)
    augment = settings.pop("augment", False)
    recipe = replace(gh.MNIST_INFO_RECIPE, **settings)
    gh.setup(seed)
    (x_train, _), _ = gh.load_mnist("sample")
    gan = ScaledNoiseInfoGAN(
        recipe.build_generator(),
        recipe.build_discriminator(),
        info_weight=recipe.class_weight,
        label_smoothing=recipe.label_smoothing,
        seed=seed,
        noise_std=noise_std,
        augment=DiffAugment(seed=seed) if augment else None,
    )
    gan.compile(*recipe.optimizers(), steps_per_execution=8)
    dataset = gh.make_dataset(
        gh.scale_images(x_train[:n_images]),
        batch_size=recipe.batch_size,
        seed=seed,
        drop_remainder=True,
    )
    reports = []

    def report(epoch, logs):
        if (epoch + 1) % report_every == 0:
            scores = {"epoch": epoch + 1, "code_acc": round(float(logs["code_acc"]), 4)}
            reports.append({**scores, **score(gan, noise_std)})
            print(variant, seed, reports[-1], flush=True)

    start = time.perf_counter()
    gan.fit(
        dataset,
        epochs=epochs,
        verbose=0,
        callbacks=[gh.StopOnNaN(), keras.callbacks.LambdaCallback(on_epoch_end=report)],
    )
    seconds = time.perf_counter() - start
    return {
        "variant": variant,
        "seed": seed,
        "epochs": epochs,
        "n_images": n_images,
        "seconds": round(seconds),
        "reports": reports,
    }


def table(path: Path) -> str:
    """A markdown table: agreement (and confident share) at each reported epoch, per run."""
    runs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    epochs = sorted({r["epoch"] for run in runs for r in run["reports"]})
    lines = [
        "| variant | seed | epochs | " + " | ".join(f"epoch {e}" for e in epochs) + " | seconds |",
        "|---|---|---|" + "---|" * len(epochs) + "---|",
    ]
    for run in runs:
        cells = {r["epoch"]: f"{r['agreement']:.0%} ({r['confident']:.0%})" for r in run["reports"]}
        row = " | ".join(cells.get(e, "") for e in epochs)
        lines.append(
            f"| {run['variant']} | {run['seed']} | {run['epochs']} | {row} | {run['seconds']} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", default="base", help="comma-separated names of VARIANTS")
    parser.add_argument("--seeds", default="42", help="comma-separated seeds")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--report-every", type=int, default=5)
    parser.add_argument("--n-images", type=int, default=4000, help="training images (smoke tests)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--table", action="store_true", help="print the table and stop")
    args = parser.parse_args(argv)
    if args.table:
        print(table(args.results))
        return
    variants = args.variants.split(",")
    unknown = [name for name in variants if name not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {sorted(VARIANTS)}")
    done = set()
    if args.results.is_file():
        for line in args.results.read_text().splitlines():
            if line.strip():
                old = json.loads(line)
                done.add((old["variant"], old["seed"], old["epochs"], old["n_images"]))
    for variant in variants:
        for seed in (int(s) for s in args.seeds.split(",")):
            if (variant, seed, args.epochs, args.n_images) in done:
                print(f"{variant} seed {seed}: already in {args.results}, skipped")
                continue
            result = run(variant, seed, args.epochs, args.report_every, args.n_images)
            args.results.parent.mkdir(parents=True, exist_ok=True)
            with args.results.open("a") as file:
                file.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
