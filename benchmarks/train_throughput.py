"""Training throughput of ``gan_helpers.GAN`` against two other ways to write the same step.

Measured side by side in one run, with the same default models (``build_generator()``,
``build_discriminator()``), the same losses and Adam settings, on the bundled MNIST sample:

- ``GAN.fit``: ``gan_helpers.GAN`` compiled with its defaults, fed by ``make_dataset``;
- (a) ``train_on_batch``: the loop older tutorials use: compile D, set ``D.trainable = False``,
  compile a stacked ``G -> D`` model, then per batch ``G.predict`` the fakes,
  ``D.train_on_batch`` on real and on fake images, ``stacked.train_on_batch`` on noise. (Under
  Keras 3 this recipe does not update D at all, see COURSE.md; only its speed is measured.)
- (b) a hand-written ``tf.GradientTape`` step in a ``tf.function``, one call per batch.

Throughput is real images per second (the batch size times steps per second), the median over
``--repeats`` timings of ``--seconds`` each, methods interleaved so that load from other
processes hits them alike. FLOPs are counted analytically (stated in the output): per real
image, forward multiply-adds of every Conv2D / Conv2DTranspose / Dense layer, with a backward
pass costing 2x a forward pass (input gradients + weight gradients), 2 FLOPs per multiply-add;
batch norm, activations, losses and optimizer updates are not counted (a few percent). The
reference is this CPU's fp32 dense matmul rate (``tf.linalg.matmul``, 2048 x 2048) measured in
the same run.

A second table tries what TensorFlow/Keras offer for speed on the ``GAN.fit`` path: XLA
(``jit_compile=True``), ``steps_per_execution``, the input pipeline (``cache()``, one batch
held in memory), bf16 mixed precision (``mixed_bfloat16``; this CPU's AVX512-BF16/AMX) and
oneDNN off (``TF_ENABLE_ONEDNN_OPTS=0``, in a child process since it is read at import).

Usage (from the repository root)::

    python benchmarks/train_throughput.py              # both tables, a few minutes
    python benchmarks/train_throughput.py --quick      # fewer repeats
"""

from __future__ import annotations

import os

os.environ.setdefault("GAN_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gan_helpers as gh  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

BATCH_SIZES = (256, 32)


# ----- FLOPs ------------------------------------------------------------------------------
def forward_macs(model: keras.Model) -> int:
    """Multiply-adds of one forward pass for one input, over Conv2D/Conv2DTranspose/Dense."""
    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2DTranspose):
            _, height, width, in_channels = layer.input.shape
            kernel = int(np.prod(layer.kernel_size))
            total += height * width * in_channels * kernel * layer.filters
        elif isinstance(layer, keras.layers.Conv2D):
            _, height, width, out_channels = layer.output.shape
            in_channels = layer.input.shape[-1]
            total += height * width * out_channels * in_channels * int(np.prod(layer.kernel_size))
        elif isinstance(layer, keras.layers.Dense):
            total += int(np.prod(layer.input.shape[1:])) * layer.units
    return int(total)


def train_step_flops_per_image(generator: keras.Model, discriminator: keras.Model) -> int:
    """FLOPs of one GAN step per real image (one D update, one G update), counted by hand.

    D update: G forward (fakes), D forward + backward on the real and on the fake batch
    (3 forward-equivalents each). G update: G forward + backward (3), D forward + input
    gradients (2). So ``4 * G + 8 * D`` forward multiply-adds, times 2 FLOPs.
    """
    return 2 * (4 * forward_macs(generator) + 8 * forward_macs(discriminator))


def matmul_gflops(seconds: float, size: int = 2048) -> float:
    """This CPU's fp32 dense matmul rate (GFLOP/s), median of short timings."""
    a = tf.random.normal((size, size))
    b = tf.random.normal((size, size))
    matmul = tf.function(lambda x, y: tf.reduce_sum(tf.linalg.matmul(x, y)))
    matmul(a, b).numpy()
    rates = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(rates) < 3:
        start = time.perf_counter()
        matmul(a, b).numpy()
        rates.append(2 * size**3 / (time.perf_counter() - start) / 1e9)
    return statistics.median(rates)


# ----- the three ways to train ------------------------------------------------------------
def build_pair(seed: int = 0) -> tuple[keras.Model, keras.Model]:
    keras.utils.set_random_seed(seed)
    return gh.build_generator(), gh.build_discriminator()


def real_batches(images: np.ndarray, batch_size: int, pipeline: str = "make_dataset"):
    """An endless ``tf.data`` stream of real batches."""
    if pipeline == "in_memory":
        return tf.data.Dataset.from_tensors(images[:batch_size]).repeat()
    dataset = gh.make_dataset(images, batch_size=batch_size, drop_remainder=True)
    if pipeline == "cache":
        dataset = dataset.cache()
    return dataset.repeat()


class Timer:
    """Times ``run(steps)`` calls of one method; returns images/s."""

    def __init__(self, name: str, run: Callable[[int], None], batch_size: int, steps: int):
        self.name, self.run, self.batch_size, self.steps = name, run, batch_size, steps
        self.rates: list[float] = []

    def warm_up(self) -> None:
        self.run(self.steps)

    def measure(self) -> None:
        start = time.perf_counter()
        self.run(self.steps)
        self.rates.append(self.steps * self.batch_size / (time.perf_counter() - start))

    @property
    def median(self) -> float:
        return statistics.median(self.rates)


def gan_fit_runner(
    images, batch_size: int, pipeline: str = "make_dataset", **compile_kwargs
) -> Callable[[int], None]:
    generator, discriminator = build_pair()
    gan = gh.GAN(generator, discriminator, seed=0)
    d_optimizer, g_optimizer = gh.default_optimizers()
    gan.compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer, **compile_kwargs)
    dataset = real_batches(images, batch_size, pipeline)

    def run(steps: int) -> None:
        gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)

    return run


def train_on_batch_runner(images, batch_size: int) -> Callable[[int], None]:
    generator, discriminator = build_pair()
    latent_dim = generator.inputs[0].shape[-1]
    d_optimizer, g_optimizer = gh.default_optimizers()
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    discriminator.compile(optimizer=d_optimizer, loss=bce)
    discriminator.trainable = False
    stacked = keras.Sequential([generator, discriminator])
    stacked.compile(optimizer=g_optimizer, loss=bce)
    rng = np.random.default_rng(0)
    ones = np.ones((batch_size, 1), np.float32)
    zeros = np.zeros((batch_size, 1), np.float32)

    def run(steps: int) -> None:
        for _ in range(steps):
            real = images[rng.integers(0, len(images), batch_size)]
            noise = rng.standard_normal((batch_size, latent_dim)).astype(np.float32)
            fake = generator.predict(noise, verbose=0)
            discriminator.train_on_batch(real, ones)
            discriminator.train_on_batch(fake, zeros)
            noise = rng.standard_normal((batch_size, latent_dim)).astype(np.float32)
            stacked.train_on_batch(noise, ones)

    return run


def gradient_tape_runner(images, batch_size: int) -> Callable[[int], None]:
    generator, discriminator = build_pair()
    latent_dim = generator.inputs[0].shape[-1]
    d_optimizer, g_optimizer = gh.default_optimizers()
    d_optimizer.build(discriminator.trainable_variables)
    g_optimizer.build(generator.trainable_variables)

    @tf.function
    def train_step(real):
        batch = tf.shape(real)[0]
        with tf.GradientTape() as tape:
            fake = generator(tf.random.normal((batch, latent_dim)), training=True)
            d_loss = gh.discriminator_loss(
                discriminator(real, training=True), discriminator(fake, training=True)
            )
        weights = discriminator.trainable_variables
        d_optimizer.apply(tape.gradient(d_loss, weights), weights)
        with tf.GradientTape() as tape:
            fake = generator(tf.random.normal((batch, latent_dim)), training=True)
            g_loss = gh.generator_loss(discriminator(fake, training=True))
        weights = generator.trainable_variables
        g_optimizer.apply(tape.gradient(g_loss, weights), weights)
        return d_loss, g_loss

    iterator = iter(real_batches(images, batch_size))

    def run(steps: int) -> None:
        for _ in range(steps):
            d_loss, _ = train_step(next(iterator))
        float(d_loss)

    return run


# ----- running ----------------------------------------------------------------------------
def steps_for(batch_size: int, quick: bool) -> int:
    """Steps per timing: about 2,000 images (1,000 with --quick), at least 8 steps."""
    return max(8, (1000 if quick else 2000) // batch_size)


def measure_all(timers: list[Timer], repeats: int) -> None:
    for timer in timers:
        timer.warm_up()
    for _ in range(repeats):
        for timer in timers:
            timer.measure()


def comparison_table(images, repeats: int, quick: bool, step_flops: int, matmul: float) -> None:
    print(
        f"\n{'batch':>5} {'method':<34} {'img/s':>8} {'vs this':>8} {'GFLOP/s':>8} {'of matmul':>9}"
    )
    for batch_size in BATCH_SIZES:
        steps = steps_for(batch_size, quick)
        timers = [
            Timer("GAN.fit (gan_helpers)", gan_fit_runner(images, batch_size), batch_size, steps),
            Timer(
                "(a) train_on_batch loop",
                train_on_batch_runner(images, batch_size),
                batch_size,
                max(4, steps // 2),
            ),
            Timer(
                "(b) GradientTape + tf.function",
                gradient_tape_runner(images, batch_size),
                batch_size,
                steps,
            ),
        ]
        measure_all(timers, repeats)
        ours = timers[0].median
        for timer in timers:
            gflops = timer.median * step_flops / 1e9
            speedup = "" if timer is timers[0] else f"{ours / timer.median:7.2f}x"
            print(
                f"{batch_size:5d} {timer.name:<34} {timer.median:8.0f} {speedup:>8} "
                f"{gflops:8.1f} {gflops / matmul:9.1%}"
            )


def option_runner(images, batch_size: int, option: str) -> Callable[[int], None]:
    if option == "jit_compile=True (XLA)":
        return gan_fit_runner(images, batch_size, jit_compile=True)
    if option == "jit_compile=False":
        return gan_fit_runner(images, batch_size, jit_compile=False)
    if option == "steps_per_execution=8":
        return gan_fit_runner(images, batch_size, steps_per_execution=8)
    if option == "pipeline: .cache()":
        return gan_fit_runner(images, batch_size, pipeline="cache")
    if option == "pipeline: one batch in memory":
        return gan_fit_runner(images, batch_size, pipeline="in_memory")
    if option == "mixed_bfloat16":
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
        try:
            return gan_fit_runner(images, batch_size)
        finally:
            keras.mixed_precision.set_global_policy("float32")
    return gan_fit_runner(images, batch_size)


OPTIONS = (
    "defaults",
    "jit_compile=False",
    "jit_compile=True (XLA)",
    "steps_per_execution=8",
    "pipeline: .cache()",
    "pipeline: one batch in memory",
    "mixed_bfloat16",
)


def options_table(images, repeats: int, quick: bool, step_flops: int, matmul: float) -> None:
    print(f"\n{'batch':>5} {'GAN.fit with':<34} {'img/s':>8} {'vs defaults':>11} {'GFLOP/s':>8}")
    for batch_size in BATCH_SIZES:
        steps = steps_for(batch_size, quick)
        steps = -(-steps // 8) * 8
        timers = [
            Timer(option, option_runner(images, batch_size, option), batch_size, steps)
            for option in OPTIONS
        ]
        measure_all(timers, repeats)
        rates = {timer.name: timer.median for timer in timers}
        rates["oneDNN off (child process)"] = onednn_off_rate(batch_size, steps, repeats)
        for name, rate in rates.items():
            print(
                f"{batch_size:5d} {name:<34} {rate:8.0f} {rate / rates['defaults']:10.2f}x "
                f"{rate * step_flops / 1e9:8.1f}"
            )


def onednn_off_rate(batch_size: int, steps: int, repeats: int) -> float:
    """GAN.fit images/s in a child process started with TF_ENABLE_ONEDNN_OPTS=0."""
    env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0"}
    args = [sys.executable, __file__, "--child", f"{batch_size},{steps},{repeats}"]
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    return float(json.loads(result.stdout.strip().splitlines()[-1])["rate"])


def child(spec: str) -> None:
    batch_size, steps, repeats = (int(part) for part in spec.split(","))
    (x_train, _), _ = gh.load_mnist("sample")
    timer = Timer("child", gan_fit_runner(gh.scale_images(x_train), batch_size), batch_size, steps)
    measure_all([timer], repeats)
    print(json.dumps({"rate": timer.median}))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 repeats of shorter timings")
    parser.add_argument("--no-options", action="store_true", help="skip the options table")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    if args.child:
        child(args.child)
        return
    repeats = 3 if args.quick else args.repeats
    gh.setup(0)
    (x_train, _), _ = gh.load_mnist("sample")
    images = gh.scale_images(x_train)
    generator, discriminator = build_pair()
    step_flops = train_step_flops_per_image(generator, discriminator)
    print(
        f"models: G {generator.count_params():,} params ({forward_macs(generator) / 1e6:.2f} M "
        f"MACs forward), D {discriminator.count_params():,} params "
        f"({forward_macs(discriminator) / 1e6:.2f} M MACs forward); train step "
        f"{step_flops / 1e6:.1f} MFLOP per real image (analytic count, see docstring)"
    )
    matmul = matmul_gflops(3.0)
    print(f"fp32 dense matmul (2048x2048, tf.linalg.matmul): {matmul:.0f} GFLOP/s")
    print(f"medians of {repeats} timings; methods interleaved")
    comparison_table(images, repeats, args.quick, step_flops, matmul)
    if not args.no_options:
        options_table(images, repeats, args.quick, step_flops, matmul)
    print(f"\nfp32 dense matmul again at the end: {matmul_gflops(3.0):.0f} GFLOP/s")


if __name__ == "__main__":
    main()
