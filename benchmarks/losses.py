"""Loss benchmark: every registered GAN loss at an equal compute budget, on 2-D mixtures and MNIST.

Each run trains a fresh GAN with one loss until its training process has used ``--budget``
CPU seconds (``--mnist-budget`` on MNIST), then measures it: on the 8-Gaussian ring and the
25-Gaussian grid with :func:`gan_helpers.mode_stats` on 2,500 samples (modes covered,
high-quality share, reverse KL), on MNIST with :func:`gan_helpers.evaluate_digits` on 1,000
samples (confident share, digits present, Frechet distance over the real-vs-real floor).

Why CPU seconds: on a shared machine the wall clock depends on what else runs, while the CPU
time a run gets is what it can spend on steps. A loss that is cheaper per step (one critic step
instead of five) gets more steps for the same budget, which is the point of comparing at equal
cost. The clock starts after a first warm-up chunk (graph tracing) and stops while measuring.

Methods (everything else is the same for all: networks, optimizer, batch, data, budget):

- ``minimax``, ``non_saturating``, ``least_squares``, ``hinge``: the registry's losses;
- ``wgan_gp``: ``wasserstein`` with gradient penalty (weight 10) and ``--critic-steps``;
- ``ns_r1``: ``non_saturating`` plus the R1 penalty on real data (``--r1-2d`` / ``--r1-mnist``).

The learning rate follows the budget: constant for 60% of it, then 10x smaller, then 100x
smaller for the last 15% (the schedule of ``benchmarks/mode_collapse.py``, on the clock).
On MNIST the ``wgan_gp`` runs also record, after every chunk, the critic's estimate of the
Wasserstein distance (mean critic score of 1,000 real images minus that of 1,000 generated
ones) and the Frechet distance, for lesson 7's question whether the critic is a quality meter.

Each finished run is appended as one JSON line to ``--runs``; a restarted benchmark skips the
runs it already has. The summary (mean and standard deviation over seeds) goes to ``--out``.

Usage (from the repository root; about 45 minutes on a busy shared 2-core CPU):

    GAN_OFFLINE=1 python benchmarks/losses.py                  # everything, 3 seeds
    GAN_OFFLINE=1 python benchmarks/losses.py --data ring      # a part (resumable)
    python benchmarks/losses.py --table-only                   # the table from --runs
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("GAN_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gan_helpers as gh  # noqa: E402

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from _runs import load_runs  # noqa: E402

ROOT = Path(__file__).resolve().parent
METHODS = {
    "minimax": {"label": "minimax", "loss": "minimax"},
    "non_saturating": {"label": "non-saturating", "loss": "non_saturating"},
    "least_squares": {"label": "least squares", "loss": "least_squares"},
    "hinge": {"label": "hinge", "loss": "hinge"},
    "wgan_gp": {"label": "WGAN-GP", "loss": "wasserstein"},
    "ns_r1": {"label": "non-sat. + R1", "loss": "non_saturating"},
}
DATA = ("ring", "grid", "mnist")
N_TRAIN_POINTS = 100_000
N_EVAL_POINTS = 2_500
N_EVAL_IMAGES = 1_000


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--methods", nargs="+", choices=list(METHODS), default=list(METHODS))
    parser.add_argument("--data", nargs="+", choices=DATA, default=list(DATA))
    parser.add_argument("--seeds", type=int, default=3, help="runs per method and data set")
    parser.add_argument("--budget", type=float, default=6.0, help="CPU seconds per 2-D run")
    parser.add_argument("--mnist-budget", type=float, default=30.0, help="CPU s per MNIST run")
    parser.add_argument("--critic-steps", type=int, default=5, help="WGAN-GP critic updates")
    parser.add_argument("--r1-2d", type=float, default=0.05, help="R1 weight (gamma/2), 2-D")
    parser.add_argument("--r1-mnist", type=float, default=5.0, help="R1 weight (gamma/2), MNIST")
    parser.add_argument("--runs", type=Path, default=ROOT / "results" / "losses_runs.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "losses.json")
    parser.add_argument("--table-only", action="store_true", help="only print the table")
    return parser.parse_args(argv)


def settings(args: argparse.Namespace) -> dict:
    """The set-up shared by every run (stored with each result, to skip finished runs)."""
    return {
        "budget_2d": args.budget,
        "budget_mnist": args.mnist_budget,
        "critic_steps": args.critic_steps,
        "r1_2d": args.r1_2d,
        "r1_mnist": args.r1_mnist,
        "mlp": {"hidden": 128, "layers": 3, "batch": 100, "lr": 1e-3},
        "mnist": {
            "batch": gh.MNIST_RECIPE.batch_size,
            "lr": gh.MNIST_RECIPE.d_learning_rate,
            "g_width": gh.MNIST_RECIPE.g_width,
            "d_width": gh.MNIST_RECIPE.d_width,
        },
    }


def lr_factor(fraction: float) -> float:
    """The learning-rate multiplier after ``fraction`` of the budget is spent."""
    return 1.0 if fraction < 0.6 else (0.1 if fraction < 0.85 else 0.01)


def build_gan(method: str, data: str, seed: int, config: dict):
    """A compiled GAN for one method on one data set, and its base learning rate."""
    import keras

    spec = METHODS[method]
    wasserstein = spec["loss"] == "wasserstein"
    keras.utils.set_random_seed(seed)
    if data == "mnist":
        recipe = gh.MNIST_RECIPE
        generator, discriminator = recipe.build_generator(), recipe.build_discriminator()
        lr, r1 = config["mnist"]["lr"], config["r1_mnist"]
    else:
        mlp = config["mlp"]
        generator = gh.build_mlp_generator(
            latent_dim=2, hidden=mlp["hidden"], n_layers=mlp["layers"], batch_norm=False
        )
        discriminator = gh.build_mlp_discriminator(hidden=mlp["hidden"], n_layers=mlp["layers"])
        lr, r1 = mlp["lr"], config["r1_2d"]
    gan = gh.GAN(
        generator,
        discriminator,
        loss=spec["loss"],
        label_smoothing=0.0,
        d_steps=config["critic_steps"] if wasserstein else 1,
        r1_weight=r1 if method == "ns_r1" else 0.0,
        seed=seed,
    )
    beta_2 = 0.9 if wasserstein else 0.999
    gan.compile(
        d_optimizer=keras.optimizers.Adam(lr, beta_1=0.5, beta_2=beta_2),
        g_optimizer=keras.optimizers.Adam(lr, beta_1=0.5, beta_2=beta_2),
        steps_per_execution=25 if data != "mnist" else 5,
    )
    return gan, lr


def dataset_for(data: str, seed: int, config: dict):
    """A repeating, shuffled ``tf.data`` pipeline of the training data."""
    import tensorflow as tf

    if data == "mnist":
        (x_train, _), _ = gh.load_mnist()
        points, batch = gh.scale_images(x_train), config["mnist"]["batch"]
    else:
        mixture = gh.ring_mixture() if data == "ring" else gh.grid_mixture()
        points, batch = mixture.sample(N_TRAIN_POINTS, seed=seed), config["mlp"]["batch"]
    return (
        tf.data.Dataset.from_tensor_slices(points)
        .shuffle(len(points), seed=seed)
        .repeat()
        .batch(batch, drop_remainder=True)
        .prefetch(tf.data.AUTOTUNE)
    )


def critic_estimate(gan, real: np.ndarray) -> float:
    """Mean critic score of ``real`` minus that of as many generated samples (fixed noise)."""
    import keras

    fake = gan.generate(len(real), seed=123)
    real_scores = keras.ops.convert_to_numpy(gan.discriminator.predict(real, verbose=0))
    fake_scores = keras.ops.convert_to_numpy(gan.discriminator.predict(fake, verbose=0))
    return float(real_scores.mean() - fake_scores.mean())


def measure(gan, data: str) -> dict:
    """Quality numbers of the generator now."""
    if data == "mnist":
        scores = gh.evaluate_digits(gan.generate(N_EVAL_IMAGES, seed=0))
        return {
            "confident_share": scores.confident_share,
            "digits_present": scores.digits_present,
            "frechet": scores.frechet,
            "frechet_ratio": scores.frechet_ratio,
        }
    mixture = gh.ring_mixture() if data == "ring" else gh.grid_mixture()
    stats = gh.mode_stats(gan.generate(N_EVAL_POINTS, seed=10_000), mixture)
    return {key: stats[key] for key in ("modes", "high_quality", "reverse_kl")}


def train_once(method: str, data: str, seed: int, config: dict) -> dict:
    """Train one GAN for the CPU budget, then measure it."""
    gan, base_lr = build_gan(method, data, seed, config)
    dataset = dataset_for(data, seed, config)
    chunk = 250 if data != "mnist" else 25
    budget = config["budget_mnist"] if data == "mnist" else config["budget_2d"]
    track = data == "mnist" and METHODS[method]["loss"] == "wasserstein"
    real_for_critic = None
    if track:
        (x_train, _), _ = gh.load_mnist()
        order = np.random.default_rng(seed).permutation(len(x_train))[:N_EVAL_IMAGES]
        real_for_critic = gh.scale_images(x_train[order])
    warm_up = 2 * gan.steps_per_execution
    gan.fit(dataset, epochs=1, steps_per_epoch=warm_up, verbose=0)  # graph tracing
    cpu, wall, history = 0.0, 0.0, []
    while cpu < budget:
        factor = lr_factor(cpu / budget)
        gan.d_optimizer.learning_rate.assign(base_lr * factor)
        gan.g_optimizer.learning_rate.assign(base_lr * factor)
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        logs = gan.fit(dataset, epochs=1, steps_per_epoch=chunk, verbose=0).history
        cpu += time.process_time() - cpu_start
        wall += time.perf_counter() - wall_start
        if track:
            history.append(
                {
                    "cpu": round(cpu, 1),
                    "g_steps": int(gan.g_optimizer.iterations.numpy()),
                    "gap_train": float(logs["gap"][-1]),
                    "critic_estimate": critic_estimate(gan, real_for_critic),
                    **measure(gan, data),
                }
            )
    result = {
        "method": method,
        "data": data,
        "seed": seed,
        "config": config,
        "g_steps": int(gan.g_optimizer.iterations.numpy()),
        "cpu_seconds": round(cpu, 1),
        "wall_seconds": round(wall, 1),
        **measure(gan, data),
    }
    if track:
        result["history"] = history
    return result


KEYS = {
    "ring": ("modes", "high_quality", "reverse_kl", "g_steps"),
    "grid": ("modes", "high_quality", "reverse_kl", "g_steps"),
    "mnist": ("confident_share", "digits_present", "frechet_ratio", "g_steps"),
}


def summarize(runs: list[dict]) -> dict:
    """``{data: {method: {key: [mean, std, n]}}}`` over seeds."""
    summary = {}
    for data in DATA:
        for method in METHODS:
            chosen = [run for run in runs if run["method"] == method and run["data"] == data]
            if chosen:
                summary.setdefault(data, {})[method] = {
                    key: [
                        float(np.mean([r[key] for r in chosen])),
                        float(np.std([r[key] for r in chosen])),
                        len(chosen),
                    ]
                    for key in KEYS[data]
                }
    return summary


def format_table(summary: dict) -> str:
    """The summary as text: mean +- standard deviation over seeds."""
    headers = {
        "ring": "ring (8): modes, high quality, reverse KL, G steps",
        "grid": "grid (25): modes, high quality, reverse KL, G steps",
        "mnist": "MNIST: confident, digits, Frechet / floor, G steps",
    }
    lines = []
    for data, rows in summary.items():
        lines += ["", headers[data]]
        for method, stats in rows.items():
            cells = []
            for key in KEYS[data]:
                mean, std, _ = stats[key]
                percent = key in ("high_quality", "confident_share")
                cells.append(
                    f"{100 * mean:5.1f}% +- {100 * std:4.1f}"
                    if percent
                    else f"{mean:7.2f} +- {std:5.2f}"
                )
            n = stats[KEYS[data][0]][2]
            lines.append(f"  {METHODS[method]['label']:<15} (n={n}) " + " | ".join(cells))
    return "\n".join(lines).strip()


def main(argv=None) -> None:
    args = parse_args(argv)
    config = settings(args)
    args.runs.parent.mkdir(parents=True, exist_ok=True)
    if not args.table_only:
        gh.setup(seed=0)
        for data in args.data:
            for seed in range(args.seeds):
                for method in args.methods:
                    done = {
                        (r["method"], r["data"], r["seed"])
                        for r in load_runs(args.runs, config, ("method", "data", "seed"))
                    }
                    if (method, data, seed) in done:
                        continue
                    result = train_once(method, data, seed, config)
                    with args.runs.open("a") as handle:
                        handle.write(json.dumps(result) + "\n")
                    shown = {k: result[k] for k in KEYS[data]}
                    print(
                        f"{data:<5} {method:<15} seed {seed}: {shown} "
                        f"({result['cpu_seconds']} CPU s, {result['wall_seconds']} s)",
                        flush=True,
                    )
    runs = load_runs(args.runs, config, ("method", "data", "seed"))
    if not runs:
        print(f"No finished runs with these settings in {args.runs}.")
        return
    summary = summarize(runs)
    table = format_table(summary)
    print(table)
    complete = all(
        len(summary.get(data, {})) == len(METHODS)
        and all(stats[KEYS[data][0]][2] >= args.seeds for stats in summary[data].values())
        for data in DATA
    )
    payload = {
        "settings": {**config, "seeds": args.seeds},
        "command": "GAN_OFFLINE=1 python benchmarks/losses.py",
        "complete": complete,
        "summary": summary,
        "table": table,
        "runs": runs,
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {args.out} ({'complete' if complete else 'partial'})")


if __name__ == "__main__":
    main()
