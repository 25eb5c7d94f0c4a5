"""Time to quality: how good are the MNIST GAN's digits after N seconds of training?

Trains a recipe on the bundled 4,000-image MNIST sample: by default the bundled generator's
(``--recipe ac``: ``gh.MNIST_AC_RECIPE``, a class-coded ``AuxiliaryClassifierGAN`` trained on
the labelled images), or the lessons' plain DCGAN (``--recipe plain``: ``gh.MNIST_RECIPE``,
i.e. ``build_generator()``, ``build_discriminator()``, ``default_optimizers()``,
``DEFAULT_BATCH_SIZE``, ``DEFAULT_LABEL_SMOOTHING``), and, every ``--interval`` seconds of
*training* wall-clock time, scores 1,000 samples (``gan.generate(1000, seed=0)``) with
``gan_helpers.evaluate_digits``. Scoring time is excluded from the training clock; both are
reported.

Target (on 2 CPU cores, by 120 s): >= 90% confidently classified, all 10 digits present (each
>= 5% of the confident images), Frechet distance <= 4x the real-vs-real floor.

Usage (from the repository root)::

    python benchmarks/time_to_quality.py                    # 240 s, scored every 30 s
    python benchmarks/time_to_quality.py --max-seconds 120 --batch-size 32 --d-lr 4e-4

The options override one part of the recipe at a time, for tuning; without them the script
measures exactly what the lessons use. Scoring uses the bundled sample too (``GAN_OFFLINE=1``
is set unless the environment says otherwise), so the floor is the sample's.
"""

from __future__ import annotations

import os

os.environ.setdefault("GAN_OFFLINE", "1")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gan_helpers as gh  # noqa: E402

import keras  # noqa: E402

TARGET_CONFIDENT = 0.90
TARGET_DIGITS = 10
TARGET_RATIO = 4.0
N_SAMPLES = 1000


def meets_target(scores: dict) -> bool:
    """True when ``evaluate_digits`` scores reach all three parts of the target."""
    return (
        scores["confident_share"] >= TARGET_CONFIDENT
        and scores["digits_present"] >= TARGET_DIGITS
        and scores["frechet_ratio"] <= TARGET_RATIO
    )


class ScoreOnTheClock(keras.callbacks.Callback):
    """Score the generator every ``interval`` seconds of training time; stop at ``max_seconds``.

    The clock is checked after every batch (every ``steps_per_execution`` steps). Time spent
    scoring is kept off the training clock and recorded separately.
    """

    def __init__(self, interval: float, max_seconds: float, steps_per_epoch: int):
        super().__init__()
        self.interval = interval
        self.max_seconds = max_seconds
        self.steps_per_epoch = steps_per_epoch
        self.rows: list[dict] = []
        self.scoring_seconds = 0.0
        self._start = 0.0
        self._next = interval

    def training_seconds(self) -> float:
        return time.perf_counter() - self._start - self.scoring_seconds

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        elapsed = self.training_seconds()
        if elapsed < self._next:
            return
        scoring_start = time.perf_counter()
        steps = int(self.model.g_optimizer.iterations.numpy())
        scores = gh.evaluate_digits(self.model.generate(N_SAMPLES, seed=0))
        score_time = time.perf_counter() - scoring_start
        self.scoring_seconds += score_time
        row = {
            "seconds": elapsed,
            "steps": steps,
            "epochs": steps / self.steps_per_epoch,
            "score_seconds": score_time,
            **dataclasses.asdict(scores),
        }
        self.rows.append(row)
        print(format_row(row), flush=True)
        while self._next <= elapsed:
            self._next += self.interval
        if elapsed >= self.max_seconds or self._next > self.max_seconds + 1e-9:
            self.model.stop_training = True


HEADER = (
    f"{'train s':>7} {'steps':>6} {'epochs':>6} {'confident':>9} {'digits':>6} "
    f"{'min share':>9} {'Frechet':>8} {'floor':>6} {'ratio':>6} {'target':>6} {'score s':>7}"
)


def format_row(row: dict) -> str:
    """One table line for a checkpoint."""
    min_share = float(row["class_shares"].min())
    return (
        f"{row['seconds']:7.1f} {row['steps']:6d} {row['epochs']:6.1f} "
        f"{row['confident_share']:9.1%} {row['digits_present']:6d} {min_share:9.1%} "
        f"{row['frechet']:8.3f} {row['frechet_floor']:6.3f} {row['frechet_ratio']:6.1f} "
        f"{'yes' if meets_target(row) else 'no':>6} {row['score_seconds']:7.1f}"
    )


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-seconds", type=float, default=240.0, help="training time budget")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between scores")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--recipe", choices=("ac", "plain"), default="ac", help="which recipe")
    recipe = parser.add_argument_group("recipe overrides (default: gan_helpers defaults)")
    recipe.add_argument("--batch-size", type=int, default=None)
    recipe.add_argument("--d-lr", type=float, default=None)
    recipe.add_argument("--g-lr", type=float, default=None)
    recipe.add_argument("--latent-dim", type=int, default=None)
    recipe.add_argument("--g-width", type=int, default=None)
    recipe.add_argument("--d-width", type=int, default=None)
    recipe.add_argument("--dropout", type=float, default=None)
    recipe.add_argument("--label-smoothing", type=float, default=None)
    recipe.add_argument("--upsampling", choices=("transpose", "resize"), default=None)
    recipe.add_argument("--jit-compile", choices=("auto", "on", "off"), default="auto")
    recipe.add_argument("--steps-per-execution", type=int, default=None)
    return parser.parse_args(argv)


def _given(args: argparse.Namespace, **names) -> dict:
    """Keyword arguments for the options that were given (others keep the defaults)."""
    return {key: getattr(args, attr) for key, attr in names.items() if getattr(args, attr)}


def main(argv=None) -> list[dict]:
    args = parse_args(argv)
    gh.setup(args.seed)
    (x_train, y_train), _ = gh.load_mnist("sample")
    images = gh.scale_images(x_train)
    base = gh.MNIST_AC_RECIPE if args.recipe == "ac" else gh.MNIST_RECIPE
    n_classes = base.n_classes
    batch_size = args.batch_size or base.batch_size
    labels = y_train if n_classes else None
    dataset = gh.make_dataset(images, batch_size=batch_size, labels=labels, seed=args.seed)
    steps_per_epoch = len(dataset)

    g_kwargs = {"width": base.g_width, "n_classes": n_classes}
    g_kwargs.update(_given(args, latent_dim="latent_dim", width="g_width", upsampling="upsampling"))
    generator = gh.build_generator(**g_kwargs)
    d_kwargs = {"width": base.d_width, "n_classes": n_classes, **_given(args, width="d_width")}
    if args.dropout is not None:
        d_kwargs["dropout"] = args.dropout
    discriminator = gh.build_discriminator(**d_kwargs)
    label_smoothing = gh.DEFAULT_LABEL_SMOOTHING
    if args.label_smoothing is not None:
        label_smoothing = args.label_smoothing
    model = gh.AuxiliaryClassifierGAN if n_classes else gh.GAN
    gan = model(generator, discriminator, label_smoothing=label_smoothing, seed=args.seed)
    d_optimizer, g_optimizer = gh.default_optimizers(
        **_given(args, d_learning_rate="d_lr", g_learning_rate="g_lr")
    )
    compile_kwargs = {}
    if args.jit_compile != "auto":
        compile_kwargs["jit_compile"] = args.jit_compile == "on"
    if args.steps_per_execution:
        compile_kwargs["steps_per_execution"] = args.steps_per_execution
    gan.compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer, **compile_kwargs)

    print(
        f"recipe {args.recipe}: G {generator.count_params():,} params, "
        f"D {discriminator.count_params():,} params, latent {gan.latent_dim}, "
        f"batch {batch_size} ({steps_per_epoch} steps/epoch), "
        f"D lr {float(d_optimizer.learning_rate):g}, G lr {float(g_optimizer.learning_rate):g}, "
        f"label smoothing {gan.label_smoothing:g}, jit_compile {gan.jit_compile}, "
        f"steps_per_execution {gan.steps_per_execution}; {os.cpu_count()} CPU threads"
    )
    clock = ScoreOnTheClock(args.interval, args.max_seconds, steps_per_epoch)
    print(HEADER, flush=True)
    gan.fit(dataset, epochs=1_000_000, verbose=0, callbacks=[clock])
    total = clock.training_seconds() + clock.scoring_seconds
    print(
        f"training {clock.training_seconds():.1f} s (includes graph tracing/compilation), "
        f"scoring {clock.scoring_seconds:.1f} s, total {total:.1f} s"
    )
    reached = [row for row in clock.rows if meets_target(row)]
    if reached:
        print(f"target first met at {reached[0]['seconds']:.0f} s of training")
    else:
        print("target not met within the budget")
    return clock.rows


if __name__ == "__main__":
    main()
