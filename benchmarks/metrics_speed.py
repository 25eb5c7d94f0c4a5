"""Time per metric for 10,000 generated against 10,000 real digits, and the prdc reference.

Part 1 times every measure lesson 8 uses on 10,000 vs 10,000 samples, features included:
generating 10,000 digits with the bundled generator, the classifier's features for them and
for 10,000 real digits (the bundled MNIST sample has 5,000, so its images are repeated: the
timing is the same), then the Frechet distance, its bootstrap interval (100 resamples), the
kernel distance (KID, 100 subsets of 1,000), precision and recall (k = 3), density and
coverage (k = 5) and nearest training neighbors. It also prints the process's peak memory.

Part 2 is the published prdc check (Naeem et al. 2020, README of
clovaai/generative-evaluation-prdc): two independent samples of 10,000 points from one
1,000-dimensional standard Gaussian, k = 5 for all four measures; they report precision 0.477,
recall 0.471, density 1.056 and coverage 0.974 for one draw. We print our values for
``--seeds`` draws and their mean, next to theirs. About a minute per draw on 2 cores.

OpenBLAS' threads fight TensorFlow's and other processes' on a small, shared machine, so the
script uses one BLAS thread unless ``OPENBLAS_NUM_THREADS`` is set (it is printed).

Usage (from the repository root)::

    python benchmarks/metrics_speed.py             # both parts, about 5 minutes
    python benchmarks/metrics_speed.py --seeds 0   # part 1 only
"""

from __future__ import annotations

import os

os.environ.setdefault("GAN_OFFLINE", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gan_helpers as gh  # noqa: E402

import numpy as np  # noqa: E402

N = 10_000
PRDC_REFERENCE = {"precision": 0.4772, "recall": 0.4705, "density": 1.0555, "coverage": 0.9735}


def timed(label: str, function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"  {label:44s} {seconds:7.1f} s   {summary(result)}", flush=True)
    return result, seconds


def summary(result) -> str:
    if isinstance(result, dict):
        return ", ".join(f"{key} {value:.3f}" for key, value in result.items())
    if isinstance(result, float):
        return f"{result:.4g}"
    if isinstance(result, gh.BootstrapInterval):
        return str(result)
    if isinstance(result, tuple) and result[0].ndim == 1:
        return f"median distance {np.median(result[0]):.3f}"
    if isinstance(result, tuple):
        return "shapes " + ", ".join(str(part.shape) for part in result)
    return f"shape {getattr(result, 'shape', '?')}"


def peak_memory_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def part_1() -> None:
    print(f"Part 1: {N:,} generated vs {N:,} real digits")
    (x_train, _), (x_test, _) = gh.load_mnist()
    real_pixels = np.concatenate([x_train, x_test])
    real_images = gh.scale_images(real_pixels[np.arange(N) % len(real_pixels)])
    scorer = gh.default_scorer()
    generator = gh.load_pretrained_generator("mnist_generator")
    z = gh.sample_latent(N, int(generator.inputs[0].shape[-1]), seed=0)
    total = 0.0
    fake_images, seconds = timed("generate", generator.predict, z, batch_size=500, verbose=0)
    total += seconds
    (fake, _), seconds = timed("features, generated", scorer.features_and_logits, fake_images)
    total += seconds
    (real, _), seconds = timed("features, real", scorer.features_and_logits, real_images)
    total += seconds
    steps = [
        ("Frechet distance", gh.frechet_distance, (fake, real), {}),
        (
            "Frechet distance, bootstrap (100)",
            gh.bootstrap_interval,
            (gh.frechet_distance, fake, real),
            {},
        ),
        ("KID (100 subsets of 1,000)", gh.kernel_distance, (fake, real), {}),
        ("precision, recall (k=3)", gh.precision_recall, (real, fake), {"k": 3}),
        ("density, coverage (k=5)", gh.density_coverage, (real, fake), {"k": 5}),
        ("nearest neighbors, features", gh.nearest_neighbors, (fake, real[:4000]), {}),
        (
            "nearest neighbors, pixels",
            gh.nearest_neighbors,
            (fake_images.reshape(N, -1), real_images[:4000].reshape(4000, -1)),
            {},
        ),
    ]
    for label, function, args, kwargs in steps:
        total += timed(label, function, *args, **kwargs)[1]
    print(f"  {'total':44s} {total:7.1f} s   peak memory {peak_memory_mib():,.0f} MiB")


def part_2(seeds: int) -> None:
    print(f"Part 2: prdc reference, 10,000 vs 10,000 points of N(0, I_1000), k=5, {seeds} draws")
    results = []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        real = rng.standard_normal((N, 1000))
        fake = rng.standard_normal((N, 1000))
        start = time.perf_counter()
        result = {**gh.precision_recall(real, fake, k=5), **gh.density_coverage(real, fake, k=5)}
        seconds = time.perf_counter() - start
        results.append(result)
        print(f"  draw {seed}: {summary(result)} ({seconds:.0f} s)", flush=True)
        del real, fake
    for name, published in PRDC_REFERENCE.items():
        values = np.array([result[name] for result in results])
        print(
            f"  {name:9s} ours: mean {values.mean():.4f}, draws {values.min():.4f} to "
            f"{values.max():.4f}; published (one draw) {published:.4f}; "
            f"mean - published {values.mean() - published:+.4f}"
        )
    print(f"  peak memory {peak_memory_mib():,.0f} MiB")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="prdc draws (0 skips part 2)")
    args = parser.parse_args(argv)
    print(f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, {os.cpu_count()} CPUs")
    part_1()
    if args.seeds > 0:
        part_2(args.seeds)


if __name__ == "__main__":
    main()
