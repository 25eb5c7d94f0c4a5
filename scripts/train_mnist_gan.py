"""Train the bundled MNIST generator and save it to ``assets/mnist_generator.keras``.

The default recipe is ``gan_helpers.MNIST_AC_RECIPE``: the course's DCGAN pair, except that
the generator reads a class code from its noise (``build_generator(n_classes=10)``) and the
discriminator also classifies real digits (``build_discriminator(n_classes=10)``), trained as
an ``AuxiliaryClassifierGAN`` on the labelled images. The generator still maps Gaussian noise
alone to digits. ``--recipe plain`` trains the lessons' plain DCGAN (``MNIST_RECIPE``) instead;
``--recipe info`` trains lesson 9's InfoGAN (``MNIST_INFO_RECIPE``: the same networks, the code
learned without labels, two continuous codes) into ``assets/mnist_infogan_generator.keras``
(not bundled: see ``benchmarks/results/infogan.md``),
and prints how well its code agrees with the classifier's digits every ``--report-every``
epochs (``gan_helpers.code_agreement``).
Options add the ingredients measured by ``benchmarks/recipe_ablation.py``: ``--augment``
(``DiffAugment`` of real and fake images before the discriminator), ``--ema 0.999``
(``GeneratorEMA``, batch-norm statistics recomputed) and ``--lr-decay 0.5`` (both learning
rates decayed linearly to 0 over the last half of the steps); see
``benchmarks/results/recipe_ablation.md`` for what each one is worth.
Fast-mode lessons load the result with ``gan_helpers.load_pretrained_generator()`` instead of
training for minutes. Only the generator is saved (no optimizer state), so the file is small.

At the end the script prints the generator's ``evaluate_digits`` scores on ``--n-samples``
samples drawn with seed 0 (``GAN.generate(n, seed=0)``), the share of each digit, the file size
and its sha256: copy them into ``assets/README.md``.

Usage (from the repository root)::

    python scripts/train_mnist_gan.py                    # bundled sample, default budget
    python scripts/train_mnist_gan.py --source keras     # full Keras MNIST (cache/download)
    python scripts/train_mnist_gan.py --strategy mirrored  # all local GPUs (lesson 10)
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import gan_helpers as gh  # noqa: E402
from gan_helpers.augment import DiffAugment  # noqa: E402
from gan_helpers.data import ASSETS_DIR, sha256_of  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402

from scripts import _cli as cli  # noqa: E402

DEFAULT_OUTPUT = ASSETS_DIR / "mnist_generator.keras"
INFO_OUTPUT = ASSETS_DIR / "mnist_infogan_generator.keras"
DEFAULT_EPOCHS = 40
DEFAULT_EMA = 0.999


RECIPES = {"ac": gh.MNIST_AC_RECIPE, "plain": gh.MNIST_RECIPE, "info": gh.MNIST_INFO_RECIPE}
AGREEMENT_SAMPLES = 100  # per code, for the progress reports


def code_agreement(generator, samples_per_code: int, seed: int = 0) -> dict:
    """``gh.code_agreement`` of the generator's codes with the classifier's digits."""
    codes = np.repeat(np.arange(10), samples_per_code)
    z = gh.latent_for_classes(codes, latent_dim=generator.inputs[0].shape[-1], seed=seed)
    labels = gh.classify(generator.predict(z, batch_size=500, verbose=0))[0]
    return gh.code_agreement(codes, labels)


class AgreementReport(keras.callbacks.Callback):
    """Print the code's agreement with the classifier's digits every ``every`` epochs."""

    def __init__(self, every: int):
        super().__init__()
        self.every = every

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            result = code_agreement(self.model.generator, AGREEMENT_SAMPLES)
            print(
                f"epoch {epoch + 1}: code agreement {result['agreement']:.1%}, "
                f"mapping {result['mapping'].tolist()}",
                flush=True,
            )


def parse_args(argv=None) -> argparse.Namespace:
    parser = cli.training_parser(
        __doc__,
        None,
        DEFAULT_EPOCHS,
        ema=None,
        ema_help=f"EMA decay of G's weights (0: off; default {DEFAULT_EMA} for ac, 0 for plain)",
    )
    parser.add_argument(
        "--recipe",
        choices=tuple(RECIPES),
        default="ac",
        help="ac: class-coded AuxiliaryClassifierGAN (bundled); plain: the lessons' DCGAN; "
        "info: lesson 9's InfoGAN (code learned without labels)",
    )
    parser.add_argument(
        "--report-every", type=int, default=5, help="epochs between code reports (info only)"
    )
    parser.add_argument(
        "--g-width", type=int, default=None, help="generator width (default: the recipe's)"
    )
    parser.add_argument(
        "--strategy",
        choices=("default", "mirrored", "multiworker"),
        default="default",
        help="tf.distribute strategy (lesson 10): one device, all local GPUs, or a cluster "
        "described by TF_CONFIG (run one process per machine)",
    )
    parser.add_argument("--n-samples", type=int, default=10_000, help="samples to score")
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    cli.use_source(args.source)
    strategy = gh.make_strategy(args.strategy)  # first: multiworker must start before other TF
    gh.setup(args.seed)
    (x_train, y_train), _ = gh.load_mnist(args.source)
    images = gh.scale_images(x_train)
    recipe = RECIPES[args.recipe]
    if args.g_width is not None:
        recipe = replace(recipe, g_width=args.g_width)
    if args.ema is None:
        args.ema = DEFAULT_EMA if recipe.n_classes else 0.0
    if args.output is None:
        args.output = INFO_OUTPUT if recipe.learned_code else DEFAULT_OUTPUT
    labels = y_train if recipe.n_classes and not recipe.learned_code else None
    dataset = gh.make_dataset(
        images, batch_size=recipe.batch_size, labels=labels, seed=args.seed, drop_remainder=True
    )
    with strategy.scope():  # the networks and optimizers live on every replica
        gan = recipe.build_gan(seed=args.seed, compile=False)
        if args.augment:
            gan.augment = DiffAugment(seed=args.seed)
        total_steps = args.epochs * (len(images) // recipe.batch_size)
        d_optimizer, g_optimizer = recipe.optimizers(total_steps, lr_decay=args.lr_decay)
        gan.compile(
            d_optimizer=d_optimizer,
            g_optimizer=g_optimizer,
            steps_per_execution=args.steps_per_execution,
        )
    reports = [AgreementReport(args.report_every)] if recipe.learned_code else []
    callbacks = cli.training_callbacks(args.ema, *reports)

    start = time.perf_counter()
    gan.fit(dataset, epochs=args.epochs, verbose=2, callbacks=callbacks)
    seconds = time.perf_counter() - start

    if not gh.is_chief(strategy):  # on a cluster only the chief writes and scores
        return None
    saved = cli.save_generator(gan, args.output)
    scores = gh.evaluate_digits(gan.generate(args.n_samples, seed=0))
    digit_shares = scores["class_histogram"] / args.n_samples
    print(
        f"recipe {args.recipe}: trained {args.epochs} epochs "
        f"({int(gan.g_optimizer.iterations.numpy())} steps) on "
        f"{len(images):,} images in {seconds:.0f} s; seed {args.seed}\n"
        f"evaluate_digits on {args.n_samples:,} samples (seed 0): confident "
        f"{scores['confident_share']:.1%}, digits present {scores['digits_present']}, class "
        f"histogram {scores['class_histogram'].tolist()}, share of all samples per digit "
        f"{digit_shares.min():.1%} to {digit_shares.max():.1%}, Frechet "
        f"{scores['frechet']:.3f}, floor "
        f"{scores['frechet_floor']:.3f}, ratio {scores['frechet_ratio']:.2f}\n"
        f"{saved}"
    )
    if recipe.learned_code:
        report_codes(gan, args.output, args.n_samples)
    return scores


def report_codes(gan, output: Path, n_samples: int) -> None:
    """Print the code's agreement with the digits; save Q (the discriminator) next to G.

    Two views of the same code: samples drawn with each code, labelled by the bundled
    classifier; and Q's class head used as a classifier of the real test digits (the paper's
    measure), both under their best one-to-one mapping.
    """
    result = code_agreement(gan.generator, n_samples // 10)
    _, (x_test, y_test) = gh.load_mnist(source="sample")
    q_codes = np.argmax(gan.discriminator.predict(gh.scale_images(x_test), verbose=0)[1], axis=1)
    q_result = gh.code_agreement(q_codes, y_test)
    q_output = output.with_name(output.name.replace("generator", "discriminator"))
    if q_output == output:
        q_output = output.with_name(f"{output.stem}_discriminator.keras")
    gan.discriminator.save(q_output)
    print(
        f"code agreement with the classifier's digits on {n_samples:,} samples (seed 0): "
        f"{result['agreement']:.1%}, mapping code -> digit {result['mapping'].tolist()}, per "
        f"code {np.round(result['per_code'] * 100).astype(int).tolist()} %\n"
        f"Q as a classifier of the {len(y_test):,} real test digits: {q_result['agreement']:.1%} "
        f"under its best mapping {q_result['mapping'].tolist()}\n"
        f"saved Q (the discriminator) to {q_output} ({q_output.stat().st_size:,} bytes), sha256 "
        f"{sha256_of(q_output)}"
    )


if __name__ == "__main__":
    main()
