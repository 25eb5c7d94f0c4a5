"""Regenerate the README's figures from real runs.

Writes, under ``assets/figures/``:

- ``generated_digits.png``: 64 samples of the bundled generator (``assets/mnist_generator.keras``);
- ``conditional_digits.png``: the bundled conditional generator, one row per digit 0-9, one
  shared noise vector per column;
- ``training_progress.gif``: a fresh run of the bundled generator's recipe
  (``gh.MNIST_AC_RECIPE``) on the bundled MNIST sample, the same 36 noise vectors after every
  epoch (``--epochs``, default 12);

and rewrites the mode-collapse table in ``README.md`` (between the ``mode-table`` markers) from
``benchmarks/results/mode_collapse_collapse.json`` (lesson 5's set-up, written by
``benchmarks/mode_collapse.py --protocol collapse``; see ``benchmarks/results/mode_collapse.md``).

Usage: ``python scripts/make_readme_figures.py [--epochs 12] [--seed 0]`` (about two minutes
on two CPU cores).
"""

from __future__ import annotations

import gan_helpers as gh

import argparse
import json
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "assets" / "figures"
README = ROOT / "README.md"
MODE_RESULTS = ROOT / "benchmarks" / "results" / "mode_collapse_collapse.json"
TABLE_START, TABLE_END = "<!-- mode-table-start -->", "<!-- mode-table-end -->"


def save_grid(images: np.ndarray, n_cols: int, path: Path, title: str) -> None:
    grid = gh.image_grid(images, n_cols=n_cols)
    fig, ax = plt.subplots(figsize=(grid.shape[1] / 60, grid.shape[0] / 60 + 0.4), dpi=100)
    ax.imshow(grid, cmap="gray", vmin=0, vmax=255)
    ax.set_title(title, fontsize=9)
    ax.axis("off")
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    print(f"wrote {path.relative_to(ROOT)}")


def bundled_grids(seed: int) -> None:
    generator = gh.load_pretrained_generator()
    z = np.random.default_rng(seed).standard_normal((64, generator.inputs[0].shape[-1]))
    samples = generator(z.astype(np.float32), training=False).numpy()
    scores = gh.evaluate_digits(
        generator(
            np.random.default_rng(seed + 1).standard_normal((1000, z.shape[1])).astype(np.float32),
            training=False,
        ).numpy()
    )
    save_grid(
        samples,
        8,
        FIGURES / "generated_digits.png",
        f"bundled generator: {scores['confident_share']:.0%} confidently classified, "
        f"{scores['digits_present']} digits",
    )
    conditional = gh.load_pretrained_generator("mnist_conditional_generator")
    latent = conditional.inputs[0].shape[-1]
    columns = np.random.default_rng(seed).standard_normal((10, latent)).astype(np.float32)
    z = np.tile(columns, (10, 1))
    labels = np.repeat(np.arange(10), 10).astype(np.int32)
    images = conditional([z, labels], training=False).numpy()
    save_grid(images, 10, FIGURES / "conditional_digits.png", "conditional generator: row = digit")


def progress_gif(epochs: int, seed: int) -> None:
    gh.setup(seed=seed)
    (x_train, y_train), _ = gh.load_mnist("sample")
    recipe = gh.MNIST_AC_RECIPE
    dataset = recipe.dataset(gh.scale_images(x_train), labels=y_train, seed=seed)
    gan = recipe.build_gan(seed=seed)
    snapshots = gh.Snapshots(n=36, seed=seed)
    start = time.perf_counter()
    gan.fit(dataset, epochs=epochs, verbose=2, callbacks=[snapshots])
    seconds = time.perf_counter() - start
    path = gh.save_gif(
        snapshots.frames,
        FIGURES / "training_progress.gif",
        fps=3,
        titles=[f"epoch {epoch} of {epochs}" for epoch in snapshots.epochs],
    )
    print(f"wrote {path.relative_to(ROOT)} ({epochs} epochs in {seconds:.0f} s)")


def mode_table() -> None:
    if not MODE_RESULTS.exists():
        print(f"skipped the mode table: {MODE_RESULTS.relative_to(ROOT)} is missing")
        return
    results = json.loads(MODE_RESULTS.read_text())
    settings = results["settings"]
    mixtures = [  # a column needs every method's runs
        name
        for name in ("ring", "grid")
        if all("top_share" in row.get(name, {}) for row in results["rows"])
    ]
    names = {"ring": "ring (8 modes)", "grid": "grid (25 modes)"}
    lines = [
        f"Our numbers: mean +- standard error over {settings['seeds']} seeds, "
        f"{settings['steps']:,} training steps of {settings['batch']} each, lesson 5's set-up "
        "(`python benchmarks/mode_collapse.py --protocol collapse`: ring of radius 2 and std "
        "0.02, generator learning 10x faster than the discriminator). Largest share: the share "
        "of all 2,500 samples nearest the most crowded mode (an even spread: 0.125 on the ring, "
        "0.04 on the grid). At this budget about 2% of every method's grid samples are high "
        "quality, so the grid's modes and reverse KL count a few dozen samples and say little. "
        "Published: PacGAN (Lin et al. 2018), Table 1, on its own, longer set-up (400,000 "
        "steps), for orientation.",
        "",
        "| method | "
        + " | ".join(
            f"{names[m]}: largest share | modes covered | high quality | reverse KL"
            for m in mixtures
        )
        + " |",
        "|---|" + "---|---|---|---|" * len(mixtures),
    ]
    published = results.get("published", {})
    for row in results["rows"]:
        cells = []
        for mixture in mixtures:
            stats = row[mixture]
            cells += [
                f"{stats['top_share'][0]:.2f} +- {stats['top_share'][1]:.2f}",
                f"{stats['modes'][0]:.1f} +- {stats['modes'][1]:.1f}",
                f"{stats['high_quality'][0]:.1%} +- {stats['high_quality'][1]:.1%}",
                f"{stats['reverse_kl'][0]:.2f} +- {stats['reverse_kl'][1]:.2f}",
            ]
        lines.append(f"| ours: {row['label']} | " + " | ".join(cells) + " |")
        paper = [published.get(f"{row['method']}/{mixture}") for mixture in mixtures]
        if any(paper):
            cells = []
            for values in paper:
                cells += (
                    ["", f"{values[0]:.1f}", f"{values[1]:.1%}", f"{values[2]:.2f}"]
                    if values
                    else ["", "", "", ""]
                )
            lines.append(f"| published: {row['label']} | " + " | ".join(cells) + " |")
    text = README.read_text()
    if TABLE_START not in text or TABLE_END not in text:
        raise SystemExit(f"README.md lacks the {TABLE_START} ... {TABLE_END} markers")
    head, rest = text.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    README.write_text(head + TABLE_START + "\n" + "\n".join(lines) + "\n" + TABLE_END + tail)
    print("rewrote the mode-collapse table in README.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=12, help="epochs of the GIF's training run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-gif", action="store_true", help="only the grids and the table")
    parser.add_argument("--table-only", action="store_true", help="only the mode-collapse table")
    args = parser.parse_args()
    if args.table_only:
        mode_table()
        return
    FIGURES.mkdir(parents=True, exist_ok=True)
    bundled_grids(args.seed)
    mode_table()
    if not args.skip_gif:
        progress_gif(args.epochs, args.seed)


if __name__ == "__main__":
    main()
