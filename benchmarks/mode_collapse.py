"""Mode-collapse benchmark on PacGAN's own toy set-up: the 8-Gaussian ring and the 25-Gaussian grid.

The protocol follows the PacGAN reference code (github.com/fjxmlzn/PacGAN,
``synthetic_data_experiments``; see ``benchmarks/results/mode_collapse.md`` for the file and line
of every setting), except for the budget:

- data: 100,000 training points; ring of 8 (radius 1, std 0.01), grid of 25 (spacing 2,
  std 0.05); every step feeds 100 packs, that is ``100 * pack`` real points;
- generator: 2-D standard-normal latent, 4 x 400 (Dense without bias, batch norm, ReLU), linear
  output; discriminator: 3 x 200 maxout with 5 pieces, linear logit; kernels N(0, 0.02);
- Adam, learning rate 1e-4, beta_1 0.8, constant; non-saturating generator loss;
- measure: 2,500 samples; a sample is high quality within 3 std of its nearest center; modes
  covered, high-quality share, reverse KL of the high-quality histogram against uniform
  (:func:`gan_helpers.mode_stats`); mean and standard error over trials.

The paper trains 400 epochs of 1,000 steps (400,000 steps); ``--steps`` sets our budget and the
table states it as a fraction of theirs. Methods: ``gan`` (baseline), ``pacgan2/3/4`` (packing),
``mbstd`` (minibatch standard deviation before the logit), ``wgan_gp`` (Wasserstein loss with a
gradient penalty of weight 0.1, suited to data of unit scale, 5 critic steps, Adam beta 0.5/0.9).

``--protocol collapse`` runs lesson 5's faster set-up instead: the ring of the Unrolled GAN
paper (radius 2, std 0.02) and the same grid, a 32-D latent, 2 x 128 MLPs without batch norm,
128 packs per step, Adam beta_1 0.5 with learning rate 1e-3 for the generator and 1e-4 for the
discriminator, where a plain GAN collapses within a few hundred steps. Each protocol writes its
own files (``results/mode_collapse_<protocol>.json`` and ``_runs.jsonl``).

Training runs ``--steps-per-execution`` steps per compiled call (no Python between them) on
``--threads`` CPU threads. Each finished run is appended as one JSON line to ``--runs`` and
skipped when the script starts again (resumable; several processes may share the file, e.g.
one per mixture). ``--stop-at HH:MM`` starts no new run after that time. ``--speed`` only
measures training speed, the old way (one step per call) against the new, and prints medians.

Usage (from the repository root):

    python benchmarks/mode_collapse.py --mixtures ring --threads 1 --stop-at 15:15
    python benchmarks/mode_collapse.py --speed --threads 1
    python benchmarks/mode_collapse.py --table-only
    python benchmarks/mode_collapse.py --protocol collapse --steps 8000 --seeds 5 --mixtures ring
"""

from __future__ import annotations

import gan_helpers as gh

import argparse
import datetime
import json
import math
import time
from pathlib import Path

import numpy as np
from _runs import load_runs

ROOT = Path(__file__).resolve().parent
NON_SATURATING = {"loss": "non_saturating", "minibatch_std": False}
METHODS = {
    "gan": {"label": "GAN", "pack": 1, **NON_SATURATING},
    "pacgan2": {"label": "PacGAN2", "pack": 2, **NON_SATURATING},
    "pacgan3": {"label": "PacGAN3", "pack": 3, **NON_SATURATING},
    "pacgan4": {"label": "PacGAN4", "pack": 4, **NON_SATURATING},
    "mbstd": {"label": "MB std", "pack": 1, **NON_SATURATING, "minibatch_std": True},
    "wgan_gp": {"label": "WGAN-GP", "pack": 1, **NON_SATURATING, "loss": "wasserstein"},
}
WGAN_GP = {"critic_steps": 5, "gp_weight": 0.1, "beta_1": 0.5, "beta_2": 0.9}
MIXTURES = {"ring": gh.ring_mixture, "grid": gh.grid_mixture}
# The "collapse" protocol: lesson 5's set-up, where a plain GAN collapses within a few hundred
# steps (the ring of the Unrolled GAN paper, Metz et al. 2017: radius 2, std 0.02; a 32-D
# latent; the generator learns 10x faster than the discriminator).
COLLAPSE_MIXTURES = {
    "ring": lambda: gh.ring_mixture(radius=2.0, std=0.02),
    "grid": gh.grid_mixture,
}
COLLAPSE = {
    "latent_dim": 32,
    "hidden": 128,
    "n_layers": 2,
    "batch_packs": 128,
    "g_lr": 1e-3,
    "d_lr": 1e-4,
    "beta_1": 0.5,
    "wgan_gp_lr": 1e-4,
}
PUBLISHED = {  # PacGAN (Lin et al. 2018), Table 1: mean +- standard error over 10 trials
    ("gan", "ring"): (6.3, 0.982, 0.45),
    ("pacgan2", "ring"): (7.9, 0.956, 0.07),
    ("pacgan3", "ring"): (7.8, 0.977, 0.10),
    ("pacgan4", "ring"): (7.8, 0.959, 0.07),
    ("gan", "grid"): (17.3, 0.948, 0.70),
    ("pacgan2", "grid"): (23.8, 0.913, 0.13),
    ("pacgan3", "grid"): (24.6, 0.942, 0.06),
    ("pacgan4", "grid"): (24.8, 0.936, 0.04),
}
PUBLISHED_ERRORS = {  # the +- of the same table (standard errors)
    ("gan", "ring"): (0.5, 0.002, 0.09),
    ("pacgan2", "ring"): (0.1, 0.020, 0.03),
    ("pacgan3", "ring"): (0.1, 0.003, 0.02),
    ("pacgan4", "ring"): (0.1, 0.014, 0.02),
    ("gan", "grid"): (0.8, 0.007, 0.07),
    ("pacgan2", "grid"): (0.7, 0.008, 0.04),
    ("pacgan3", "grid"): (0.4, 0.004, 0.02),
    ("pacgan4", "grid"): (0.2, 0.006, 0.01),
}
PAPER_STEPS = 400_000  # 400 epochs x (100,000 packs / 100 packs per step)
N_TRAIN_POINTS = 100_000
N_EVAL_SAMPLES = 2_500
PACKS_PER_STEP = 100
MIN_HQ_PER_MODE = 10  # reverse KL is marked unreliable below 10 high-quality samples per mode


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--methods", nargs="+", choices=list(METHODS), default=list(METHODS))
    parser.add_argument("--mixtures", nargs="+", choices=list(MIXTURES), default=list(MIXTURES))
    parser.add_argument("--seeds", type=int, default=10, help="trials per method and mixture")
    parser.add_argument(
        "--only-seeds", type=int, nargs="+", help="run these seeds (e.g. a second process)"
    )
    parser.add_argument(
        "--protocol",
        choices=("pacgan", "collapse"),
        default="pacgan",
        help="pacgan: the paper's models and data; collapse: lesson 5's faster set-up",
    )
    parser.add_argument("--steps", type=int, default=4000, help="generator updates per run")
    parser.add_argument("--steps-per-execution", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1, help="TensorFlow CPU threads")
    parser.add_argument("--stop-at", default=None, help="HH:MM: start no new run after this")
    results = ROOT / "results"
    parser.add_argument(
        "--runs", type=Path, help="default: results/mode_collapse_<protocol>_runs.jsonl"
    )
    parser.add_argument("--out", type=Path, help="default: results/mode_collapse_<protocol>.json")
    parser.add_argument("--table-only", action="store_true", help="only print the table")
    parser.add_argument("--speed", action="store_true", help="only measure steps per second")
    args = parser.parse_args()
    args.runs = args.runs or results / f"mode_collapse_{args.protocol}_runs.jsonl"
    args.out = args.out or results / f"mode_collapse_{args.protocol}.json"
    return args


def settings(args: argparse.Namespace) -> dict:
    """The training set-up shared by every run (stored with each result)."""
    if args.protocol == "collapse":
        return {
            "protocol": "collapse",
            "steps": args.steps,
            "packs_per_step": COLLAPSE["batch_packs"],
            "data": "ring radius 2, std 0.02; grid spacing 2, std 0.05; 100,000 points",
            "generator": "2 x 128 Dense + ReLU, no batch norm, latent 32",
            "discriminator": "2 x 128 Dense + LeakyReLU",
            "lr": {"generator": COLLAPSE["g_lr"], "discriminator": COLLAPSE["d_lr"]},
            "beta_1": COLLAPSE["beta_1"],
            "wgan_gp": {**WGAN_GP, "lr": COLLAPSE["wgan_gp_lr"]},
        }
    return {
        "protocol": "pacgan",
        "steps": args.steps,
        "packs_per_step": PACKS_PER_STEP,
        "generator": "4 x 400 Dense + batch norm + ReLU, latent 2",
        "discriminator": "3 x 200 maxout (5 pieces)",
        "weight_std": 0.02,
        "lr": 1e-4,
        "beta_1": 0.8,
        "wgan_gp": WGAN_GP,
    }


def set_threads(threads: int) -> None:
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)


def build_gan(method: str, seed: int, paper_models: bool = True, protocol: str = "pacgan"):
    """The compiled-ready GAN of one method (PacGAN's models, or the old 3 x 128 MLPs)."""
    import keras

    spec = METHODS[method]
    gh.seed_everything(seed)
    wasserstein = spec["loss"] == "wasserstein"
    if protocol == "collapse":
        generator = gh.build_mlp_generator(
            latent_dim=COLLAPSE["latent_dim"],
            hidden=COLLAPSE["hidden"],
            n_layers=COLLAPSE["n_layers"],
            batch_norm=False,
        )
        discriminator = gh.build_mlp_discriminator(
            hidden=COLLAPSE["hidden"],
            n_layers=COLLAPSE["n_layers"],
            pack=spec["pack"],
            minibatch_std=spec["minibatch_std"],
        )
        if wasserstein:
            rates = (COLLAPSE["wgan_gp_lr"], COLLAPSE["wgan_gp_lr"])
            betas = (WGAN_GP["beta_1"], WGAN_GP["beta_2"])
        else:
            rates, betas = (COLLAPSE["d_lr"], COLLAPSE["g_lr"]), (COLLAPSE["beta_1"], 0.999)
    elif paper_models:
        generator = gh.build_mlp_generator(
            latent_dim=2, hidden=400, n_layers=4, batch_norm=True, weight_std=0.02
        )
        discriminator = gh.build_mlp_discriminator(
            hidden=200,
            n_layers=3,
            pack=spec["pack"],
            maxout_pieces=5,
            minibatch_std=spec["minibatch_std"],
            weight_std=0.02,
        )
    else:
        generator = gh.build_mlp_generator(latent_dim=2, hidden=128, n_layers=3, batch_norm=False)
        discriminator = gh.build_mlp_discriminator(
            hidden=128, n_layers=3, pack=spec["pack"], minibatch_std=spec["minibatch_std"]
        )
    gan = gh.GAN(
        generator,
        discriminator,
        loss=spec["loss"],
        d_steps=WGAN_GP["critic_steps"] if wasserstein else 1,
        gp_weight=WGAN_GP["gp_weight"] if wasserstein else None,
        pack=spec["pack"],
        seed=seed,
    )
    if protocol != "collapse":
        rates = (1e-4, 1e-4)
        betas = (WGAN_GP["beta_1"], WGAN_GP["beta_2"]) if wasserstein else (0.8, 0.999)
    optimizers = [keras.optimizers.Adam(rate, beta_1=betas[0], beta_2=betas[1]) for rate in rates]
    return gan, optimizers


def mixture_of(mixture_name: str, protocol: str):
    return (COLLAPSE_MIXTURES if protocol == "collapse" else MIXTURES)[mixture_name]()


def real_points(mixture_name: str, seed: int, pack: int, protocol: str = "pacgan"):
    """The 100,000 training points as an endless shuffled stream of batches of packs."""
    import tensorflow as tf

    packs = COLLAPSE["batch_packs"] if protocol == "collapse" else PACKS_PER_STEP
    points = mixture_of(mixture_name, protocol).sample(N_TRAIN_POINTS, seed=seed).astype("float32")
    return (
        tf.data.Dataset.from_tensor_slices(points)
        .shuffle(N_TRAIN_POINTS, seed=seed)
        .repeat()
        .batch(packs * pack, drop_remainder=True)
        .prefetch(4)
    )


def train_once(method: str, mixture_name: str, seed: int, config: dict, per_call: int) -> dict:
    """Train one GAN for ``config["steps"]`` steps and measure it on 2,500 samples."""
    protocol = config["protocol"]
    gan, (d_optimizer, g_optimizer) = build_gan(method, seed, protocol=protocol)
    gan.compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer, steps_per_execution=per_call)
    steps = config["steps"]
    chunk = math.gcd(steps, 1000)
    start = time.perf_counter()
    gan.fit(
        real_points(mixture_name, seed, METHODS[method]["pack"], protocol),
        epochs=steps // chunk,
        steps_per_epoch=chunk,
        verbose=0,
    )
    seconds = time.perf_counter() - start
    mixture = mixture_of(mixture_name, protocol)
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
        "top_share": float(stats["nearest_counts"].max() / N_EVAL_SAMPLES),
        "seconds": round(seconds, 1),
    }


def steps_per_second(
    method: str, paper_models: bool, per_call: int, steps: int, protocol: str = "pacgan"
) -> float:
    """Training speed of one method after a warm-up call (compiling is not timed)."""
    gan, (d_optimizer, g_optimizer) = build_gan(method, 0, paper_models, protocol)
    gan.compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer, steps_per_execution=per_call)
    data = real_points("ring", 0, METHODS[method]["pack"], protocol)
    gan.fit(data, epochs=1, steps_per_epoch=per_call, verbose=0)
    start = time.perf_counter()
    gan.fit(data, epochs=1, steps_per_epoch=steps, verbose=0)
    return steps / (time.perf_counter() - start)


def measure_speed(args: argparse.Namespace, repeats: int = 5) -> dict:
    """Median steps/s, one step per call (the old benchmark) against several per call.

    The two settings alternate, repeat by repeat, so both see the same load on a shared machine.
    """
    results = {}
    cases = [
        ("3 x 128 MLPs, GAN", "gan", False, "pacgan"),
        ("lesson 5 (collapse) models, GAN", "gan", False, "collapse"),
        ("PacGAN models, GAN", "gan", True, "pacgan"),
    ]
    per_calls = (1, args.steps_per_execution)
    for label, method, paper_models, protocol in cases:
        steps = 1000 if not paper_models else 100
        speeds = {per_call: [] for per_call in per_calls}
        for _ in range(repeats):
            for per_call in per_calls:
                counted = max(per_call, steps // per_call * per_call)
                speeds[per_call].append(
                    steps_per_second(method, paper_models, per_call, counted, protocol)
                )
        for per_call in per_calls:
            key = f"{label}, {per_call} step(s) per call"
            results[key] = round(float(np.median(speeds[per_call])), 1)
            print(
                f"{key:<45} {results[key]:>7.1f} steps/s (median of {repeats}; all: "
                f"{', '.join(f'{value:.1f}' for value in speeds[per_call])})",
                flush=True,
            )
    return results


def uniform_floor(n_high_quality: int, n_modes: int, trials: int = 2000) -> dict:
    """Modes and reverse KL of a perfectly uniform generator with this many high-quality samples.

    Sampling noise alone leaves some modes empty and the histogram uneven when there are few
    high-quality samples, so a method's numbers mean little unless they beat this floor.
    """
    rng = np.random.default_rng(0)
    if n_high_quality == 0:
        return {"hq_samples": 0, "modes": 0.0, "reverse_kl": math.log(n_modes)}
    counts = rng.multinomial(n_high_quality, np.full(n_modes, 1 / n_modes), size=trials)
    shares = counts / n_high_quality
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(shares > 0, shares * np.log(shares * n_modes), 0.0)
    return {
        "hq_samples": int(n_high_quality),
        "modes": float(np.mean(np.count_nonzero(counts, axis=1))),
        "reverse_kl": float(np.mean(terms.sum(axis=1))),
    }


def mean_and_error(values) -> list[float]:
    """[mean, standard error of the mean] (error 0 for a single value)."""
    values = np.asarray(values, dtype=np.float64)
    error = values.std(ddof=1) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return [float(values.mean()), float(error)]


def summarize(runs: list[dict], methods, mixtures) -> list[dict]:
    """One row per method: mean and standard error over trials for each mixture."""
    rows = []
    for method in methods:
        row = {"method": method, "label": METHODS[method]["label"]}
        for mixture in mixtures:
            chosen = [run for run in runs if run["method"] == method and run["mixture"] == mixture]
            n_modes = 8 if mixture == "ring" else 25
            stats = {"n": len(chosen)}
            if chosen:
                for key in ("modes", "high_quality", "reverse_kl", "top_share"):
                    if all(key in run for run in chosen):
                        stats[key] = mean_and_error([run[key] for run in chosen])
                hq_counts = [sum(run["counts"]) for run in chosen]
                stats["few_hq_runs"] = sum(n < MIN_HQ_PER_MODE * n_modes for n in hq_counts)
                stats["uniform_floor"] = uniform_floor(round(np.mean(hq_counts)), n_modes)
            row[mixture] = stats
        rows.append(row)
    return rows


def format_cell(modes, hq, rkl, flag: str = "") -> str:
    return f"| {modes:>16} {hq:>16} {rkl + flag:>15} "


def format_table(rows: list[dict], mixtures) -> str:
    """Ours (mean +- standard error), the published row, and the uniform generator's floor."""
    header = f"{'':<26}" + "".join(
        format_cell(f"{name}: modes", "high quality", "reverse KL") for name in mixtures
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        ours, floor = [], []
        for mixture in mixtures:
            stats = row[mixture]
            if "modes" not in stats:
                ours.append(format_cell("(not run)", "", ""))
                floor.append(format_cell("", "", ""))
                continue
            (modes, modes_se), (hq, hq_se), (rkl, rkl_se) = (
                stats[key] for key in ("modes", "high_quality", "reverse_kl")
            )
            ours.append(
                format_cell(
                    f"{modes:.1f} +- {modes_se:.1f}",
                    f"{100 * hq:.1f}% +- {100 * hq_se:.1f}",
                    f"{rkl:.2f} +- {rkl_se:.2f}",
                    "*" if stats["few_hq_runs"] else " ",
                )
            )
            uniform = stats["uniform_floor"]
            floor.append(
                format_cell(f"{uniform['modes']:.1f}", "", f"{uniform['reverse_kl']:.3f} ")
            )
        n = "/".join(str(row[mixture]["n"]) for mixture in mixtures)
        lines.append(f"{'ours ' + row['label'] + ' (n=' + n + ')':<26}" + "".join(ours))
        published = [PUBLISHED.get((row["method"], mixture)) for mixture in mixtures]
        errors = [PUBLISHED_ERRORS.get((row["method"], mixture)) for mixture in mixtures]
        if any(published):
            cells = [
                format_cell("", "", "")
                if values is None
                else format_cell(
                    f"{values[0]:.1f} +- {error[0]:.1f}",
                    f"{100 * values[1]:.1f}% +- {100 * error[1]:.1f}",
                    f"{values[2]:.2f} +- {error[2]:.2f} ",
                )
                for values, error in zip(published, errors, strict=True)
            ]
            lines.append(f"{'PacGAN paper ' + row['label']:<26}" + "".join(cells))
        lines.append(f"{'  uniform at same #HQ':<26}" + "".join(floor))
    return "\n".join(lines)


def past(stop_at: str | None) -> bool:
    if stop_at is None:
        return False
    hour, minute = (int(part) for part in stop_at.split(":"))
    now = datetime.datetime.now()
    return (now.hour, now.minute) >= (hour, minute)


def main() -> None:
    args = parse_args()
    config = settings(args)
    args.runs.parent.mkdir(parents=True, exist_ok=True)
    if args.speed or not args.table_only:
        gh.setup(seed=0)
        set_threads(args.threads)
    if args.speed:
        measure_speed(args)
        return
    if not args.table_only:
        print(
            f"budget per run: {config['steps']:,} steps of {config['packs_per_step']} packs "
            f"({config['steps'] / PAPER_STEPS:.1%} of the paper's {PAPER_STEPS:,}); "
            f"results go to {args.runs}",
            flush=True,
        )
        for seed in args.only_seeds or range(args.seeds):
            for mixture in args.mixtures:
                for method in args.methods:
                    done = load_runs(args.runs, config, ("method", "mixture", "seed"))
                    key = (method, mixture, seed)
                    if any((r["method"], r["mixture"], r["seed"]) == key for r in done):
                        continue
                    if past(args.stop_at):
                        print(f"it is past {args.stop_at}: no new runs", flush=True)
                        break
                    result = train_once(method, mixture, seed, config, args.steps_per_execution)
                    with args.runs.open("a") as handle:
                        handle.write(json.dumps(result) + "\n")
                    print(
                        f"{mixture:<5} {method:<8} seed {seed}: {result['modes']:>2} modes, "
                        f"{result['high_quality']:.1%} high quality, reverse KL "
                        f"{result['reverse_kl']:.3f} ({result['seconds']:.0f} s)",
                        flush=True,
                    )
    write_table(args, config)


def write_table(args: argparse.Namespace, config: dict) -> None:
    """Print the table of the finished runs and write it, with every run, to ``--out``."""
    runs = load_runs(args.runs, config, ("method", "mixture", "seed"))
    if not runs:
        print(f"No finished runs with these settings in {args.runs}.")
        return
    mixtures = [mixture for mixture in MIXTURES if any(run["mixture"] == mixture for run in runs)]
    methods = [method for method in METHODS if any(r["method"] == method for r in runs)]
    rows = summarize(runs, methods, mixtures)
    table = format_table(rows, mixtures)
    print(table)
    trials = min(row[mixture]["n"] for row in rows for mixture in mixtures if row[mixture]["n"])
    payload = {
        "settings": {
            **config,
            "batch": f"{config['packs_per_step']} packs",
            "seeds": trials,
            "error": "standard error of the mean over trials",
            "fraction_of_paper_budget": config["steps"] / PAPER_STEPS,
            "train_points": N_TRAIN_POINTS,
            "eval_samples": N_EVAL_SAMPLES,
            "reverse_kl_rule": f"* = some runs had fewer than {MIN_HQ_PER_MODE} high-quality "
            "samples per mode; a run with none scores ln(K)",
        },
        "complete": trials >= args.seeds and len(methods) == len(METHODS),
        "train_seconds_total": round(sum(run["seconds"] for run in runs), 1),
        "rows": rows,
        "published": {f"{m}/{x}": list(v) for (m, x), v in PUBLISHED.items()},
        "published_errors": {f"{m}/{x}": list(v) for (m, x), v in PUBLISHED_ERRORS.items()},
        "table": table,
        "runs": runs,
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {args.out} ({trials} trials per cell at least)")


if __name__ == "__main__":
    main()
