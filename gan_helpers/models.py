"""Generators and discriminators: DCGAN pairs for 28x28x1 MNIST, MLPs for 2-D points.

Conventions shared by every builder here:

- generators take a latent vector ``z`` of size ``latent_dim`` and end in ``tanh`` (images) or
  a linear layer (2-D points);
- discriminators return one **logit** per input (no sigmoid); the losses in
  :mod:`gan_helpers.losses` use ``from_logits`` arithmetic, which stays finite where a sigmoid
  followed by a log would not;
- conditional variants take ``[z, label]`` / ``[image, label]`` with integer labels.
"""

from __future__ import annotations

import os
from pathlib import Path

import keras
from keras import layers, ops

IMAGE_SHAPE = (28, 28, 1)
UPSAMPLING_CHOICES = ("transpose", "resize")
PRETRAINED_DIR = Path(__file__).resolve().parent.parent / "assets"
PRETRAINED_SCRIPT = "scripts/train_mnist_gan.py"
PRETRAINED_SCRIPTS = {
    "mnist_generator": "scripts/train_mnist_gan.py",
    "mnist_conditional_generator": "scripts/train_conditional_gan.py",
}
# Batch-norm moving averages forget with this momentum (Keras' default is 0.99). A generator
# changes fast, and with 0.99 its inference-mode output lags hundreds of steps behind what it
# trains on; 0.9 (PyTorch's default) keeps snapshots and scores of short runs honest.
BN_MOMENTUM = 0.9


def _positive_int(value, name: str, example: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{name} must be a positive int, got {value!r} ({type(value).__name__}); "
            f"pass e.g. {name}={example}."
        )
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}; pass e.g. {name}={example}.")
    return value


def _upsampling_choice(upsampling: str) -> str:
    if upsampling not in UPSAMPLING_CHOICES:
        raise ValueError(
            f"upsampling must be one of {UPSAMPLING_CHOICES}, got {upsampling!r}: 'transpose' "
            "uses Conv2DTranspose, 'resize' uses UpSampling2D followed by Conv2D."
        )
    return upsampling


def _upsample_block(x, filters: int, upsampling: str, name: str):
    """Double the spatial size, then batch norm and ReLU."""
    if upsampling == "transpose":
        x = layers.Conv2DTranspose(
            filters, 4, strides=2, padding="same", use_bias=False, name=f"{name}_deconv"
        )(x)
    else:
        x = layers.UpSampling2D(2, interpolation="nearest", name=f"{name}_upsample")(x)
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv")(x)
    x = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{name}_bn")(x)
    return layers.ReLU(name=f"{name}_relu")(x)


def _generator_trunk(x, width: int, upsampling: str):
    """Dense -> 7x7 feature map -> 14x14 -> 28x28 -> one tanh channel."""
    x = layers.Dense(7 * 7 * 4 * width, use_bias=False, name="project")(x)
    x = layers.BatchNormalization(momentum=BN_MOMENTUM, name="project_bn")(x)
    x = layers.ReLU(name="project_relu")(x)
    x = layers.Reshape((7, 7, 4 * width), name="to_feature_map")(x)
    x = _upsample_block(x, 2 * width, upsampling, "up14")
    x = _upsample_block(x, width, upsampling, "up28")
    return layers.Conv2D(1, 3, padding="same", activation="tanh", name="to_image")(x)


def build_generator(
    latent_dim: int = 64, width: int = 16, upsampling: str = "transpose", name: str = "generator"
) -> keras.Model:
    """DCGAN generator: ``z`` of shape ``(latent_dim,)`` to an image ``(28, 28, 1)`` in [-1, 1].

    Dense projection to a 7x7x(4*width) map, two upsampling blocks (to 14x14x(2*width), then
    28x28xwidth) with batch norm and ReLU, and a 3x3 convolution with tanh to one channel.

    Args:
        latent_dim: size of the latent vector.
        width: channels of the last feature map; the others are 2x and 4x this. The default,
            16 (254,545 parameters), trains about twice as fast on a CPU as 32 and draws digits
            as good after the same number of steps (``benchmarks/time_to_quality.py``).
        upsampling: ``"transpose"`` (Conv2DTranspose, stride 2) or ``"resize"``
            (UpSampling2D + Conv2D, which avoids checkerboard artifacts).
        name: the model's name.

    Returns:
        A functional ``keras.Model``.

    Raises:
        TypeError, ValueError: for a non-positive size or an unknown ``upsampling``.
    """
    latent_dim = _positive_int(latent_dim, "latent_dim", 64)
    width = _positive_int(width, "width", 32)
    upsampling = _upsampling_choice(upsampling)
    z = keras.Input((latent_dim,), name="z")
    return keras.Model(z, _generator_trunk(z, width, upsampling), name=name)


def _discriminator_trunk(x, width: int, dropout: float):
    """Two strided 4x4 convolutions (28 -> 14 -> 7) with LeakyReLU, then one logit."""
    x = layers.Conv2D(width, 4, strides=2, padding="same", name="down14")(x)
    x = layers.LeakyReLU(0.2, name="down14_lrelu")(x)
    x = layers.Conv2D(2 * width, 4, strides=2, padding="same", name="down7")(x)
    x = layers.LeakyReLU(0.2, name="down7_lrelu")(x)
    x = layers.Flatten(name="flatten")(x)
    if dropout > 0:
        x = layers.Dropout(dropout, name="dropout")(x)
    return layers.Dense(1, name="logit")(x)


def _check_dropout(dropout) -> float:
    if not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a number in [0, 1), got {dropout!r}; e.g. 0.3.")
    return float(dropout)


def build_discriminator(
    width: int = 48, dropout: float = 0.0, channels: int = 1, name: str = "discriminator"
) -> keras.Model:
    """DCGAN discriminator: an image ``(28, 28, channels)`` to one real-vs-fake logit.

    Strided convolutions downsample (no pooling), LeakyReLU(0.2) keeps a gradient for negative
    inputs, and the last layer is linear: a logit, not a probability.

    Args:
        width: channels of the first convolution (the second has 2x). The default, 48, gives
            the discriminator more room than the default generator (width 16); in short CPU
            runs it taught the generator faster than 32 did (``benchmarks/time_to_quality.py``).
        dropout: dropout rate before the logit (0 disables it).
        channels: input channels (``m`` for PacGAN-style packing of ``m`` grayscale images).
        name: the model's name.

    Raises:
        TypeError, ValueError: for a non-positive size or a dropout outside [0, 1).
    """
    width = _positive_int(width, "width", 32)
    channels = _positive_int(channels, "channels", 1)
    dropout = _check_dropout(dropout)
    image = keras.Input((28, 28, channels), name="image")
    return keras.Model(image, _discriminator_trunk(image, width, dropout), name=name)


def build_conditional_generator(
    latent_dim: int = 64,
    width: int = 32,
    n_classes: int = 10,
    embedding_dim: int = 16,
    upsampling: str = "transpose",
    name: str = "conditional_generator",
) -> keras.Model:
    """Generator taking ``[z, label]``: the label's learned embedding is concatenated to ``z``.

    Args:
        latent_dim, width, upsampling: as :func:`build_generator`.
        n_classes: number of labels (10 digits).
        embedding_dim: size of the label embedding.

    Returns:
        A ``keras.Model`` with inputs ``[z (latent_dim,), label (int, shape ())]``.
    """
    latent_dim = _positive_int(latent_dim, "latent_dim", 64)
    width = _positive_int(width, "width", 32)
    n_classes = _positive_int(n_classes, "n_classes", 10)
    embedding_dim = _positive_int(embedding_dim, "embedding_dim", 16)
    upsampling = _upsampling_choice(upsampling)
    z = keras.Input((latent_dim,), name="z")
    label = keras.Input((), dtype="int32", name="label")
    embedded = layers.Embedding(n_classes, embedding_dim, name="label_embedding")(label)
    joined = layers.Concatenate(name="z_and_label")([z, embedded])
    return keras.Model([z, label], _generator_trunk(joined, width, upsampling), name=name)


def build_conditional_discriminator(
    width: int = 32,
    n_classes: int = 10,
    dropout: float = 0.0,
    name: str = "conditional_discriminator",
) -> keras.Model:
    """Discriminator taking ``[image, label]``: the label becomes an extra image channel.

    The label's embedding (28*28 values) is reshaped to a 28x28 plane and stacked on the
    image, so every convolution sees which digit the image claims to be.

    Returns:
        A ``keras.Model`` with inputs ``[image (28, 28, 1), label (int, shape ())]``.
    """
    width = _positive_int(width, "width", 32)
    n_classes = _positive_int(n_classes, "n_classes", 10)
    dropout = _check_dropout(dropout)
    image = keras.Input(IMAGE_SHAPE, name="image")
    label = keras.Input((), dtype="int32", name="label")
    plane = layers.Embedding(n_classes, 28 * 28, name="label_embedding")(label)
    plane = layers.Reshape((28, 28, 1), name="label_plane")(plane)
    joined = layers.Concatenate(name="image_and_label")([image, plane])
    return keras.Model([image, label], _discriminator_trunk(joined, width, dropout), name=name)


@keras.saving.register_keras_serializable(package="gan_helpers")
class MinibatchStdDev(layers.Layer):
    """Append one feature: the standard deviation across the batch, averaged over features.

    A generator that has collapsed to a few points yields batches with a small spread; this
    feature lets the discriminator see that at once (Karras et al., 2018).
    """

    def call(self, inputs):
        spread = ops.sqrt(ops.var(inputs, axis=0) + 1e-8)
        mean_spread = ops.mean(spread)
        column = ops.ones_like(inputs[:, :1]) * mean_spread
        return ops.concatenate([inputs, column], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] + 1)


@keras.saving.register_keras_serializable(package="gan_helpers")
class Maxout(layers.Layer):
    """A dense maxout layer: ``units`` outputs, each the max of ``pieces`` linear functions."""

    def __init__(self, units: int, pieces: int = 5, **kwargs):
        super().__init__(**kwargs)
        self.units = _positive_int(units, "units", 200)
        self.pieces = _positive_int(pieces, "pieces", 5)
        self.dense = layers.Dense(self.units * self.pieces)

    def build(self, input_shape):
        self.dense.build(input_shape)

    def call(self, inputs):
        values = self.dense(inputs)
        values = ops.reshape(values, (-1, self.units, self.pieces))
        return ops.max(values, axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "pieces": self.pieces}


def build_mlp_generator(
    latent_dim: int = 2,
    hidden: int = 128,
    n_layers: int = 3,
    batch_norm: bool = True,
    output_dim: int = 2,
    name: str = "mlp_generator",
) -> keras.Model:
    """MLP generator for 2-D points: ``n_layers`` x (Dense ``hidden``, [batch norm], ReLU).

    PacGAN's set-up is ``latent_dim=2, hidden=400, n_layers=4, batch_norm=True``.
    """
    latent_dim = _positive_int(latent_dim, "latent_dim", 2)
    hidden = _positive_int(hidden, "hidden", 128)
    n_layers = _positive_int(n_layers, "n_layers", 3)
    output_dim = _positive_int(output_dim, "output_dim", 2)
    z = keras.Input((latent_dim,), name="z")
    x = z
    for index in range(n_layers):
        x = layers.Dense(hidden, use_bias=not batch_norm, name=f"dense{index}")(x)
        if batch_norm:
            x = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"bn{index}")(x)
        x = layers.ReLU(name=f"relu{index}")(x)
    points = layers.Dense(output_dim, name="points")(x)
    return keras.Model(z, points, name=name)


def build_mlp_discriminator(
    hidden: int = 128,
    n_layers: int = 3,
    pack: int = 1,
    input_dim: int = 2,
    maxout_pieces: int | None = None,
    minibatch_std: bool = False,
    name: str = "mlp_discriminator",
) -> keras.Model:
    """MLP discriminator for 2-D points, returning one logit per (packed) input.

    Args:
        hidden: units per hidden layer.
        n_layers: number of hidden layers.
        pack: how many samples it judges jointly (PacGAN): its input has ``pack * input_dim``
            features; ``gan_helpers.GAN(pack=...)`` concatenates the samples.
        input_dim: features of one sample (2 for points in the plane).
        maxout_pieces: use maxout layers with this many pieces (PacGAN uses 5) instead of
            LeakyReLU(0.2) layers.
        minibatch_std: append the batch's standard deviation as a feature before the logit.

    Raises:
        TypeError, ValueError: for non-positive sizes.
    """
    hidden = _positive_int(hidden, "hidden", 128)
    n_layers = _positive_int(n_layers, "n_layers", 3)
    pack = _positive_int(pack, "pack", 1)
    input_dim = _positive_int(input_dim, "input_dim", 2)
    if maxout_pieces is not None:
        maxout_pieces = _positive_int(maxout_pieces, "maxout_pieces", 5)
    points = keras.Input((pack * input_dim,), name="points")
    x = points
    for index in range(n_layers):
        if maxout_pieces:
            x = Maxout(hidden, maxout_pieces, name=f"maxout{index}")(x)
        else:
            x = layers.Dense(hidden, name=f"dense{index}")(x)
            x = layers.LeakyReLU(0.2, name=f"lrelu{index}")(x)
    if minibatch_std:
        x = MinibatchStdDev(name="minibatch_std")(x)
    return keras.Model(points, layers.Dense(1, name="logit")(x), name=name)


def load_pretrained_generator(
    name: str = "mnist_generator", directory: str | os.PathLike | None = None
) -> keras.Model:
    """Load a generator bundled in ``assets/`` (``<name>.keras``) in Keras' safe mode.

    The default, ``"mnist_generator"``, is the default DCGAN generator trained by
    ``scripts/train_mnist_gan.py`` (see ``assets/README.md`` for its scores); fast-mode lessons
    show it instead of training for minutes.

    Args:
        name: the file name without ``.keras``.
        directory: where to look (default: the repository's ``assets/``).

    Returns:
        The generator, a ``keras.Model`` from ``(latent_dim,)`` to ``(28, 28, 1)`` in [-1, 1].

    Raises:
        TypeError: if ``name`` is not a non-empty string.
        FileNotFoundError: if the file is missing (it says which script regenerates it).
    """
    if not isinstance(name, str) or not name or Path(name).name != name:
        raise TypeError(
            f"name must be a file name without directory or suffix, got {name!r}; "
            "e.g. name='mnist_generator'."
        )
    folder = Path(directory) if directory is not None else PRETRAINED_DIR
    path = folder / f"{name.removesuffix('.keras')}.keras"
    if not path.is_file():
        script = PRETRAINED_SCRIPTS.get(path.stem, PRETRAINED_SCRIPT)
        raise FileNotFoundError(
            f"No pretrained generator at {path}. Regenerate it with `python {script}` "
            "from the repository root (a few minutes on a CPU), or pass another name/directory."
        )
    return keras.models.load_model(path)
