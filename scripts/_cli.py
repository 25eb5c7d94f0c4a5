"""Command-line pieces shared by the GAN training scripts in this folder (not a script itself).

``train_mnist_gan.py`` and ``train_conditional_gan.py`` take the same options for the data,
the budget, the training extras and the output file; they add their own options to the parser
from :func:`training_parser`, and end with :func:`save_generator`. Import it with
``from scripts import _cli as cli`` after putting the repository root on ``sys.path``.
"""

from __future__ import annotations

import gan_helpers as gh
from gan_helpers.data import sha256_of

import argparse
import os
from pathlib import Path

import numpy as np

DEFAULT_LR_DECAY = 0.0
DEFAULT_SEED = 42
DEFAULT_STEPS_PER_EXECUTION = 8


def training_parser(
    doc: str, output: Path, epochs: int, ema: float | None, ema_help: str
) -> argparse.ArgumentParser:
    """A parser with the options both GAN training scripts take.

    Args:
        doc: the script's module docstring; its first paragraph is the description.
        output: the default ``--output`` file.
        epochs: the default ``--epochs``.
        ema: the default ``--ema`` decay (None: the script picks one after parsing).
        ema_help: the help text of ``--ema``.

    Returns:
        An ``argparse.ArgumentParser`` with ``--source``, ``--epochs``, ``--augment``,
        ``--ema``, ``--lr-decay``, ``--steps-per-execution``, ``--seed`` and ``--output``.
    """
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument(
        "--source", choices=("sample", "keras"), default="sample", help="MNIST to train on"
    )
    parser.add_argument("--epochs", type=int, default=epochs, help="training budget")
    parser.add_argument("--augment", action="store_true", help="DiffAugment before D")
    parser.add_argument("--ema", type=float, default=ema, help=ema_help)
    parser.add_argument(
        "--lr-decay", type=float, default=DEFAULT_LR_DECAY, help="share of steps with decay"
    )
    parser.add_argument("--steps-per-execution", type=int, default=DEFAULT_STEPS_PER_EXECUTION)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--output", type=Path, default=output)
    return parser


def use_source(source: str) -> None:
    """Stay offline for the bundled sample (``GAN_OFFLINE=1`` unless already set)."""
    if source == "sample":
        os.environ.setdefault("GAN_OFFLINE", "1")


def training_callbacks(ema: float, *extra) -> list:
    """``StopOnNaN``, then ``extra``, then a ``GeneratorEMA`` when ``ema`` is not 0."""
    callbacks = [gh.StopOnNaN(), *extra]
    if ema:
        callbacks.append(gh.GeneratorEMA(decay=ema))
    return callbacks


def save_generator(gan, output: Path, labels=None) -> str:
    """Save ``gan.generator`` to ``output``, check the reloaded copy, describe the file.

    The reloaded generator must draw the same 8 images as ``gan.generate(..., seed=0)``
    (for a conditional GAN, with ``labels``, one label per image).

    Returns:
        ``"saved <output> (<bytes> bytes, <n> parameters), sha256 <hash>"``.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    gan.generator.save(output)
    reloaded = gh.load_pretrained_generator(output.stem, directory=output.parent)
    z = gh.sample_latent(8, gan.latent_dim, seed=0)  # what gan.generate(8, seed=0) draws
    if labels is None:
        drawn, expected = reloaded(z, training=False), gan.generate(8, seed=0)
    else:
        drawn, expected = reloaded([z, labels], training=False), gan.generate(seed=0, labels=labels)
    np.testing.assert_allclose(np.asarray(drawn), expected, atol=1e-5)
    return (
        f"saved {output} ({output.stat().st_size:,} bytes, "
        f"{gan.generator.count_params():,} parameters), sha256 {sha256_of(output)}"
    )
