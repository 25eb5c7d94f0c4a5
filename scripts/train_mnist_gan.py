"""Train the default MNIST GAN and save its generator to ``assets/mnist_generator.keras``.

The recipe is ``gan_helpers``' default one: ``build_generator()``, ``build_discriminator()``,
``GAN(..., label_smoothing=DEFAULT_LABEL_SMOOTHING)``, ``default_optimizers()`` and
``DEFAULT_BATCH_SIZE``, seeded.
Fast-mode lessons load the result with ``gan_helpers.load_pretrained_generator()`` instead of
training for minutes. Only the generator is saved (no optimizer state), so the file is small.

At the end the script prints the generator's ``evaluate_digits`` scores on 1,000 samples drawn
with seed 0 (``GAN.generate(1000, seed=0)``), the file size and its sha256: copy them into
``assets/README.md``.

Usage (from the repository root)::

    python scripts/train_mnist_gan.py                    # bundled sample, default budget
    python scripts/train_mnist_gan.py --source keras     # full Keras MNIST (cache/download)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import gan_helpers as gh  # noqa: E402
from gan_helpers.data import ASSETS_DIR, sha256_of  # noqa: E402

import numpy as np  # noqa: E402

DEFAULT_OUTPUT = ASSETS_DIR / "mnist_generator.keras"
DEFAULT_EPOCHS = 60


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source", choices=("sample", "keras"), default="sample", help="MNIST to train on"
    )
    parser.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS, help="training budget")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    if args.source == "sample":
        os.environ.setdefault("GAN_OFFLINE", "1")
    gh.setup(args.seed)
    (x_train, _), _ = gh.load_mnist(args.source)
    images = gh.scale_images(x_train)
    dataset = gh.make_dataset(images, batch_size=gh.DEFAULT_BATCH_SIZE, seed=args.seed)
    gan = gh.GAN(
        gh.build_generator(),
        gh.build_discriminator(),
        label_smoothing=gh.DEFAULT_LABEL_SMOOTHING,
        seed=args.seed,
    )
    d_optimizer, g_optimizer = gh.default_optimizers()
    gan.compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer)

    start = time.perf_counter()
    gan.fit(dataset, epochs=args.epochs, verbose=2, callbacks=[gh.StopOnNaN()])
    seconds = time.perf_counter() - start

    args.output.parent.mkdir(parents=True, exist_ok=True)
    gan.generator.save(args.output)
    reloaded = gh.load_pretrained_generator(args.output.stem, directory=args.output.parent)
    z = np.random.default_rng(0).standard_normal((1000, gan.latent_dim)).astype(np.float32)
    np.testing.assert_allclose(
        reloaded(z[:8], training=False).numpy(), gan.generate(8, seed=0), atol=1e-5
    )
    scores = gh.evaluate_digits(gan.generate(1000, seed=0))
    print(
        f"trained {args.epochs} epochs ({int(gan.g_optimizer.iterations.numpy())} steps) on "
        f"{len(images):,} images in {seconds:.0f} s; seed {args.seed}\n"
        f"evaluate_digits on 1,000 samples (seed 0): confident {scores['confident_share']:.1%}, "
        f"digits present {scores['digits_present']}, class histogram "
        f"{scores['class_histogram'].tolist()}, Frechet {scores['frechet']:.3f}, floor "
        f"{scores['frechet_floor']:.3f}, ratio {scores['frechet_ratio']:.2f}\n"
        f"saved {args.output} ({args.output.stat().st_size:,} bytes, "
        f"{gan.generator.count_params():,} parameters), sha256 {sha256_of(args.output)}"
    )
    return scores


if __name__ == "__main__":
    main()
