"""Mode-collapse benchmark: a GAN and four fixes on the 8-Gaussian ring and the 25-Gaussian grid.

Every method trains the same generator for the same fixed budget (``--steps`` generator updates
of ``--batch`` points, from 100,000 training points), once per seed, and is then measured on
2,500 samples with :func:`gan_helpers.mode_stats` (modes covered, high-quality share, reverse KL;
see its docstring in ``gan_helpers/measures.py``). The table gives the mean and standard
deviation over seeds, next to the published PacGAN numbers (Lin et al. 2018, Table 1, 10 runs).

Methods (the generator, optimizer and budget are the same for all of them):

- ``gan``: the baseline, non-saturating loss;
- ``pacgan2`` / ``pacgan4``: the discriminator judges 2 / 4 samples at once (packing);
- ``mbstd``: the discriminator sees the batch's standard deviation as an extra feature;
- ``wgan_gp``: Wasserstein loss with gradient penalty (weight 10), ``--critic-steps`` critic
  updates per generator update (so it does more discriminator work per step than the others).

Each finished run is appended as one JSON line to ``--runs`` and skipped when the script is
started again, so an interrupted benchmark resumes where it stopped, and methods can be run by
separate processes (``--methods gan pacgan2``) that share the file. At the end the table of
the finished runs is printed and written (with the settings and per-run numbers) to ``--out``;
``"complete"`` there says whether every method, mixture and seed is in it.

Usage (from the repository root):

    python benchmarks/mode_collapse.py                      # everything, 5 seeds
    python benchmarks/mode_collapse.py --methods gan mbstd  # a part (resumable)
    python benchmarks/mode_collapse.py --table-only         # print the table from --runs
"""

from __future__ import annotations

import gan_helpers as gh

import argparse
import json
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
METHODS = {
    "gan": {"label": "GAN", "pack": 1, "minibatch_std": False, "loss": "non_saturating"},
    "pacgan2": {"label": "PacGAN2", "pack": 2, "minibatch_std": False, "loss": "non_saturating"},
    "pacgan4": {"label": "PacGAN4", "pack": 4, "minibatch_std": False, "loss": "non_saturating"},
    "mbstd": {"label": "MB std", "pack": 1, "minibatch_std": True, "loss": "non_saturating"},
    "wgan_gp": {"label": "WGAN-GP", "pack": 1, "minibatch_std": False, "loss": "wasserstein"},
}
MIXTURES = {"ring": gh.ring_mixture, "grid": gh.grid_mixture}
PUBLISHED = {  # PacGAN (Lin et al. 2018), Table 1: mean over 10 runs
    ("gan", "ring"): (6.3, 0.982, 0.45),
    ("pacgan2", "ring"): (7.9, 0.956, 0.07),
    ("gan", "grid"): (17.3, 0.948, 0.70),
    ("pacgan2", "grid"): (23.8, 0.913, 0.13),
    ("pacgan4", "grid"): (24.8, 0.936, 0.04),
}
N_TRAIN_POINTS = 100_000
N_EVAL_SAMPLES = 2_500


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--methods", nargs="+", choices=list(METHODS), default=list(METHODS))
    parser.add_argument("--mixtures", nargs="+", choices=list(MIXTURES), default=list(MIXTURES))
    parser.add_argument("--seeds", type=int, default=5, help="runs per method and mixture")
    parser.add_argument("--steps", type=int, default=3000, help="generator updates per run")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--hidden", type=int, default=128, help="units per hidden layer (G, D)")
    parser.add_argument("--layers", type=int, default=3, help="hidden layers (G and D)")
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate at the start")
    parser.add_argument("--critic-steps", type=int, default=2, help="WGAN-GP critic updates")
    parser.add_argument("--runs", type=Path, default=ROOT / "results" / "mode_collapse_runs.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "mode_collapse.json")
    parser.add_argument("--table-only", action="store_true", help="only print the table")
    return parser.parse_args()


def settings(args: argparse.Namespace) -> dict:
    """The training set-up shared by every run (stored with each result)."""
    return {
        "steps": args.steps,
        "batch": args.batch,
        "hidden": args.hidden,
        "layers": args.layers,
        "lr": args.lr,
        "critic_steps": args.critic_steps,
    }


def learning_rate(start: float, updates: int):
    """Constant for 60% of the updates, then 10x smaller, then 100x smaller for the last 15%."""
    import keras

    boundaries = [int(0.6 * updates), int(0.85 * updates)]
    return keras.optimizers.schedules.PiecewiseConstantDecay(
        boundaries, [start, start / 10, start / 100]
    )


def train_once(method: str, mixture_name: str, seed: int, config: dict) -> dict:
    """Train one GAN for the fixed budget and measure it on 2,500 samples."""
    import keras
    import tensorflow as tf

    spec = METHODS[method]
    mixture = MIXTURES[mixture_name]()
    gh.seed_everything(seed)
    points = mixture.sample(N_TRAIN_POINTS, seed=seed)
    dataset = (
        tf.data.Dataset.from_tensor_slices(points)
        .shuffle(N_TRAIN_POINTS, seed=seed)
        .repeat()
        .batch(config["batch"], drop_remainder=True)
        .prefetch(tf.data.AUTOTUNE)
    )
    wasserstein = spec["loss"] == "wasserstein"
    critic_steps = config["critic_steps"] if wasserstein else 1
    generator = gh.build_mlp_generator(
        latent_dim=2, hidden=config["hidden"], n_layers=config["layers"], batch_norm=False
    )
    discriminator = gh.build_mlp_discriminator(
        hidden=config["hidden"],
        n_layers=config["layers"],
        pack=spec["pack"],
        minibatch_std=spec["minibatch_std"],
    )
    gan = gh.GAN(
        generator,
        discriminator,
        loss=spec["loss"],
        d_steps=critic_steps,
        pack=spec["pack"],
        seed=seed,
    )
    beta_2 = 0.9 if wasserstein else 0.999
    steps = config["steps"]
    gan.compile(
        d_optimizer=keras.optimizers.Adam(
            learning_rate(config["lr"], steps * critic_steps), beta_1=0.5, beta_2=beta_2
        ),
        g_optimizer=keras.optimizers.Adam(
            learning_rate(config["lr"], steps), beta_1=0.5, beta_2=beta_2
        ),
    )
    chunk = 1000 if steps % 1000 == 0 else steps
    start = time.perf_counter()
    gan.fit(dataset, epochs=steps // chunk, steps_per_epoch=chunk, verbose=0)
    seconds = time.perf_counter() - start
    stats = gh.mode_stats(gan.generate(N_EVAL_SAMPLES, seed=10_000 + seed), mixture)
    return {
        "method": method,
        "mixture": mixture_name,
        "seed": seed,
        "config": config,
        "modes": stats["modes"],
        "high_quality": stats["high_quality"],
        "reverse_kl": stats["reverse_kl"],
        "counts": stats["counts"].tolist(),
        "seconds": round(seconds, 1),
    }


def load_runs(path: Path, config: dict) -> list[dict]:
    """Finished runs with this exact set-up (other set-ups in the file are ignored)."""
    if not path.is_file():
        return []
    runs = {}
    for line in path.read_text().splitlines():
        run = json.loads(line) if line.strip() else None
        if run and run["config"] == config:  # two processes may finish the same run: keep one
            runs.setdefault((run["method"], run["mixture"], run["seed"]), run)
    return list(runs.values())


def summarize(runs: list[dict], methods, mixtures) -> list[dict]:
    """One row per method: mean and standard deviation over seeds for each mixture."""
    rows = []
    for method in methods:
        row = {"method": method, "label": METHODS[method]["label"]}
        for mixture in mixtures:
            chosen = [run for run in runs if run["method"] == method and run["mixture"] == mixture]
            row[mixture] = {
                "n": len(chosen),
                **{
                    key: [float(np.mean(values)), float(np.std(values))]
                    for key in ("modes", "high_quality", "reverse_kl")
                    if (values := [run[key] for run in chosen])
                },
            }
        rows.append(row)
    return rows


def format_table(rows: list[dict], mixtures) -> str:
    """The table as text: ours (mean +- std over seeds) and the published numbers."""
    header = f"{'method':<22}" + "".join(
        f"| {name + ': modes':>16} {'high quality':>15} {'reverse KL':>13} " for name in mixtures
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        cells = []
        for mixture in mixtures:
            stats = row[mixture]
            if "modes" not in stats:
                cells.append(f"| {'(not run)':>16} {'':>15} {'':>13} ")
                continue
            (modes, modes_sd), (hq, hq_sd), (rkl, rkl_sd) = (
                stats["modes"],
                stats["high_quality"],
                stats["reverse_kl"],
            )
            cells.append(
                f"| {modes:>9.1f} +- {modes_sd:>3.1f} {100 * hq:>7.1f}% +- {100 * hq_sd:>4.1f}"
                f" {rkl:>6.2f} +- {rkl_sd:>4.2f} "
            )
        lines.append(f"{'ours ' + row['label'] + ' (n=' + str(row[mixtures[0]]['n']) + ')':<22}")
        lines[-1] += "".join(cells)
        published = [PUBLISHED.get((row["method"], mixture)) for mixture in mixtures]
        if any(published):
            cells = [
                f"| {'':>16} {'':>15} {'':>13} "
                if numbers is None
                else f"| {numbers[0]:>16.1f} {100 * numbers[1]:>14.1f}% {numbers[2]:>13.2f} "
                for numbers in published
            ]
            lines.append(f"{'PacGAN paper ' + row['label']:<22}" + "".join(cells))
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    config = settings(args)
    args.runs.parent.mkdir(parents=True, exist_ok=True)
    if not args.table_only:
        gh.setup(seed=0)
        print(
            f"budget per run: {config['steps']:,} generator steps of {config['batch']} points "
            f"(WGAN-GP: {config['critic_steps']} critic steps each); results go to {args.runs}"
        )
        for mixture in args.mixtures:
            for method in args.methods:
                for seed in range(args.seeds):
                    done = load_runs(args.runs, config)
                    key = (method, mixture, seed)
                    if any((r["method"], r["mixture"], r["seed"]) == key for r in done):
                        continue
                    result = train_once(method, mixture, seed, config)
                    with args.runs.open("a") as handle:
                        handle.write(json.dumps(result) + "\n")
                    print(
                        f"{mixture:<5} {method:<8} seed {seed}: {result['modes']:>2} modes, "
                        f"{result['high_quality']:.1%} high quality, reverse KL "
                        f"{result['reverse_kl']:.3f} ({result['seconds']:.0f} s)",
                        flush=True,
                    )
    runs = load_runs(args.runs, config)
    methods = [method for method in METHODS if any(run["method"] == method for run in runs)]
    mixtures = [mixture for mixture in MIXTURES if any(run["mixture"] == mixture for run in runs)]
    if not runs:
        print(f"No finished runs with these settings in {args.runs}.")
        return
    rows = summarize(runs, methods, mixtures)
    table = format_table(rows, mixtures)
    print(table)
    complete = set(methods) == set(METHODS) and all(
        row.get(m, {}).get("n", 0) >= args.seeds for row in rows for m in MIXTURES
    )
    payload = {
        "settings": {
            **config,
            "seeds": args.seeds,
            "train_points": N_TRAIN_POINTS,
            "eval_samples": N_EVAL_SAMPLES,
        },
        "complete": complete,
        "train_seconds_total": round(sum(run["seconds"] for run in runs), 1),
        "rows": rows,
        "published": {f"{m}/{x}": list(v) for (m, x), v in PUBLISHED.items()},
        "table": table,
        "runs": runs,
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {args.out} ({'complete' if complete else 'partial'})")


if __name__ == "__main__":
    main()
