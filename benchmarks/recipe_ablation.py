"""Recipe ablation: which ingredients make the default MNIST GAN draw clean digits?

Each run trains a DCGAN on the bundled 4,000-image MNIST sample (``GAN_OFFLINE=1``) for a fixed
number of steps, then scores ``--n-samples`` samples (``gan.generate(n, seed=0)``) with
``gan_helpers.evaluate_digits``: confident share (top probability >= 0.9), digits present,
Frechet ratio to the real-vs-real floor. Every run is appended as one JSON line to
``--results``; a run already there (same config, seed and steps) is skipped, so an interrupted
sweep resumes where it stopped. The table printed at the end gives the median over seeds.

Configurations are the baseline recipe (``BASE``) with one or more ingredients changed; see
``CONFIGS``. Ingredients:

- ``augment``: ``gan_helpers.DiffAugment`` (translation <= 3 px + 14x14 cutout) on real and
  fake images before the discriminator, in both players' steps;
- ``ema``: ``gan_helpers.GeneratorEMA`` (decay ``ema``), batch-norm statistics recomputed;
- ``r1``: R1 gradient penalty on real images, weight ``r1`` (gamma / 2 * E|grad D(x)|^2);
- ``loss``: ``"non_saturating"`` or ``"hinge"``;
- ``lr_decay``: the last ``lr_decay`` share of the steps decays both learning rates linearly to 0;
- ``class_code``: the class-coded recipe (``gan_helpers.MNIST_AC_RECIPE``): the generator reads
  a 10-way code from ``z`` and the discriminator also classifies (``AuxiliaryClassifierGAN``,
  trained on the labelled images);
- ``g_width``, ``d_width``, ``d_dropout``, ``label_smoothing``, ``batch_size``, ``lr``, ``beta_1``.

Usage (from the repository root)::

    python benchmarks/recipe_ablation.py --configs base,augment --seeds 0 --steps 3000
    python benchmarks/recipe_ablation.py --table   # print the table of what has run
"""

from __future__ import annotations

import os

os.environ.setdefault("GAN_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import gan_helpers as gh  # noqa: E402
from gan_helpers.augment import DiffAugment  # noqa: E402
from gan_helpers.ema import GeneratorEMA  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

RESULTS = REPO_ROOT / "benchmarks" / "results" / "recipe_ablation_runs.jsonl"

BASE = {
    "augment": False,
    "ema": 0.0,
    "r1": 0.0,
    "loss": "non_saturating",
    "lr_decay": 0.0,
    "g_width": 16,
    "d_width": 48,
    "d_dropout": 0.0,
    "label_smoothing": 0.1,
    "batch_size": 32,
    "lr": 5e-4,
    "beta_1": 0.5,
    "class_code": False,
}

CONFIGS = {
    "base": {},
    "augment": {"augment": True},
    "ema": {"ema": 0.999},
    "r1": {"r1": 1.0},
    "hinge": {"loss": "hinge", "label_smoothing": 0.0},
    "lr_decay": {"lr_decay": 0.5},
    "lr2e-4": {"lr": 2e-4},
    "g32": {"g_width": 32},
    "dropout": {"d_dropout": 0.3},
    "no_smoothing": {"label_smoothing": 0.0},
    "batch64": {"batch_size": 64},
    "aug+ema": {"augment": True, "ema": 0.999},
    "aug+ema+decay": {"augment": True, "ema": 0.999, "lr_decay": 0.5},
    "aug+ema+decay+g32": {"augment": True, "ema": 0.999, "lr_decay": 0.5, "g_width": 32},
    "code": {"class_code": True},
    "code+ema": {"class_code": True, "ema": 0.999},
    "code+ema+decay": {"class_code": True, "ema": 0.999, "lr_decay": 0.5},
    "code+ema+g32": {"class_code": True, "ema": 0.999, "g_width": 32},
}


class Overfitting(keras.callbacks.Callback):
    """Every ``every`` steps, record D's mean sigmoid on training reals, held-out reals, fakes."""

    def __init__(self, train_real, test_real, every: int):
        super().__init__()
        self.train_real, self.test_real, self.every = train_real, test_real, every
        self.rows = []

    def on_train_batch_end(self, batch, logs=None):
        step = int(self.model.g_optimizer.iterations.numpy())
        if step % self.every:
            return
        fake = self.model.generate(len(self.test_real), seed=1)

        def mean_prob(images):
            logits = self.model.discriminator(images, training=False)
            if isinstance(logits, (list, tuple)):  # [logit, class logits]
                logits = logits[0]
            return float(tf.reduce_mean(tf.sigmoid(logits)))

        self.rows.append(
            [step, mean_prob(self.train_real), mean_prob(self.test_real), mean_prob(fake)]
        )


def train(
    config: dict, seed: int, steps: int, n_samples: int, images, test_images, labels=None
) -> dict:
    """Train one configuration for ``steps`` steps and score it; returns one result row."""
    gh.setup(seed)
    n_classes = 10 if config["class_code"] else 0
    dataset = gh.make_dataset(
        images,
        batch_size=config["batch_size"],
        labels=labels if n_classes else None,
        seed=seed,
        drop_remainder=True,
    ).repeat()
    model = gh.AuxiliaryClassifierGAN if n_classes else gh.GAN
    gan = model(
        gh.build_generator(width=config["g_width"], n_classes=n_classes),
        gh.build_discriminator(
            width=config["d_width"], dropout=config["d_dropout"], n_classes=n_classes
        ),
        loss=config["loss"],
        label_smoothing=config["label_smoothing"],
        r1_weight=0.5 * config["r1"],  # the loss term is gamma / 2 times the penalty
        seed=seed,
        augment=DiffAugment(seed=seed) if config["augment"] else None,
    )
    recipe = replace(
        gh.MNIST_RECIPE,
        d_learning_rate=config["lr"],
        g_learning_rate=config["lr"],
        beta_1=config["beta_1"],
    )
    d_optimizer, g_optimizer = recipe.optimizers(steps, lr_decay=config["lr_decay"])
    gan.compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer)
    monitor = Overfitting(images[:1000], test_images, every=max(steps // 6, 1))
    callbacks = [gh.StopOnNaN(), monitor]
    if config["ema"]:
        callbacks.append(GeneratorEMA(decay=config["ema"]))
    start = time.perf_counter()
    gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0, callbacks=callbacks)
    seconds = time.perf_counter() - start
    scores = gh.evaluate_digits(gan.generate(n_samples, seed=0))
    shares = np.asarray(scores["class_histogram"]) / n_samples
    return {
        "confident_share": float(scores["confident_share"]),
        "digits_present": int(scores["digits_present"]),
        "frechet_ratio": float(scores["frechet_ratio"]),
        "min_digit_share": float(shares.min()),
        "max_digit_share": float(shares.max()),
        "seconds": round(seconds, 1),
        "d_probabilities": monitor.rows,
    }


def load_rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def print_table(rows: list[dict]) -> None:
    groups: dict = {}
    for row in rows:
        groups.setdefault((row["name"], row["steps"]), []).append(row)
    print(
        f"{'config':<22} {'steps':>6} {'seeds':>5} {'confident':>9} {'digits':>6} "
        f"{'FD ratio':>8} {'min/max digit':>13} {'seconds':>7}"
    )
    for (name, steps), group in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0])):

        def median(key, group=group):
            return statistics.median(r[key] for r in group)

        print(
            f"{name:<22} {steps:>6} {len(group):>5} {median('confident_share'):>9.1%} "
            f"{median('digits_present'):>6.0f} {median('frechet_ratio'):>8.2f} "
            f"{median('min_digit_share'):>6.1%}/{median('max_digit_share'):<6.1%} "
            f"{median('seconds'):>7.0f}"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default="base", help="comma-separated names of CONFIGS")
    parser.add_argument("--seeds", default="0", help="comma-separated seeds")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--n-samples", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads (0: all)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--table", action="store_true", help="only print the table")
    args = parser.parse_args(argv)
    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    if not args.table:
        (x_train, y_train), (x_test, _) = gh.load_mnist()
        images, test_images = gh.scale_images(x_train), gh.scale_images(x_test)
        for name in args.configs.split(","):
            config = {**BASE, **CONFIGS[name]}
            for seed in (int(s) for s in args.seeds.split(",")):
                done = {(r["name"], r["seed"], r["steps"]) for r in load_rows(args.results)}
                if (name, seed, args.steps) in done:
                    continue
                result = train(
                    config, seed, args.steps, args.n_samples, images, test_images, y_train
                )
                row = {"name": name, "seed": seed, "steps": args.steps, "config": config}
                row.update(result)
                print(json.dumps({k: v for k, v in row.items() if k != "config"}), flush=True)
                args.results.parent.mkdir(parents=True, exist_ok=True)
                with args.results.open("a") as handle:
                    handle.write(json.dumps(row) + "\n")
    print_table(load_rows(args.results))


if __name__ == "__main__":
    main()
