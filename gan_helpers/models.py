"""Generators and discriminators: DCGAN pairs for 28x28x1 MNIST, MLPs for 2-D points.

Conventions shared by every builder here:

- generators take a latent vector ``z`` of size ``latent_dim`` and end in ``tanh`` (images) or
  a linear layer (2-D points);
- discriminators return one **logit** per input (no sigmoid); the losses in
  :mod:`gan_helpers.losses` use ``from_logits`` arithmetic, which stays finite where a sigmoid
  followed by a log would not;
- conditional variants take ``[z, label]`` / ``[image, label]`` with integer labels; the
  discriminator reads the label as an extra image channel
  (:func:`build_conditional_discriminator`) or through a projection
  (:func:`build_projection_discriminator`, the one lesson 6 trains).

Every builder checks its arguments with :mod:`gan_helpers.checks` and raises a ``TypeError`` or
``ValueError`` that names the argument.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

import keras
import numpy as np
from keras import layers, ops

from . import checks

IMAGE_SHAPE = (28, 28, 1)
UPSAMPLING_CHOICES = ("transpose", "resize")
PRETRAINED_DIR = Path(__file__).resolve().parent.parent / "assets"
PRETRAINED_SCRIPT = "scripts/train_mnist_gan.py"
PRETRAINED_SCRIPTS = {
    "mnist_generator": "scripts/train_mnist_gan.py",
    "mnist_conditional_generator": "scripts/train_conditional_gan.py",
    "mnist_plain_generator": (
        "scripts/train_mnist_gan.py --recipe plain --g-width 16 --epochs 40 "
        "--output assets/mnist_plain_generator.keras"
    ),
    "mnist_infogan_generator": "scripts/train_mnist_gan.py --recipe info",
    "mnist_infogan_discriminator": "scripts/train_mnist_gan.py --recipe info",
}
# Batch-norm moving averages forget with this momentum (Keras' default is 0.99). A generator
# changes fast, and with 0.99 its inference-mode output lags hundreds of steps behind what it
# trains on; 0.9 (PyTorch's default) keeps snapshots and scores of short runs honest.
BN_MOMENTUM = 0.9


def _upsampling_choice(upsampling) -> str:
    return checks.choice(upsampling, "upsampling", UPSAMPLING_CHOICES)


def _dropout(dropout) -> float:
    return checks.number_in_range(dropout, "dropout", 0.0, 1.0, 0.3, high_inclusive=False)


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
    latent_dim: int = 64,
    width: int = 16,
    upsampling: str = "transpose",
    name: str = "generator",
    n_classes: int = 0,
) -> keras.Model:
    """DCGAN generator: ``z`` of shape ``(latent_dim,)`` to an image ``(28, 28, 1)`` in [-1, 1].

    Dense projection to a 7x7x(4*width) map, two upsampling blocks (to 14x14x(2*width), then
    28x28xwidth) with batch norm and ReLU, and a 3x3 convolution with tanh to one channel.

    With ``n_classes > 0`` the first layer is a :class:`ClassCode`: the first ``n_classes``
    entries of ``z`` choose a class (their argmax, uniform over the classes for Gaussian ``z``),
    which the network receives as a one-hot code next to the other ``latent_dim - n_classes``
    entries. The generator still maps plain Gaussian noise to images; the code only lets it
    jump between digits instead of morphing one into the next. Train it with
    :class:`gan_helpers.AuxiliaryClassifierGAN`.

    Args:
        latent_dim: size of the latent vector.
        width: channels of the last feature map; the others are 2x and 4x this. The default,
            16 (254,545 parameters), trains about twice as fast on a CPU as 32 and draws digits
            as good after the same number of steps (``benchmarks/time_to_quality.py``).
        upsampling: ``"transpose"`` (Conv2DTranspose, stride 2) or ``"resize"``
            (UpSampling2D + Conv2D, which avoids checkerboard artifacts).
        name: the model's name.
        n_classes: size of the class code read from ``z`` (0, the default: none). At least 2
            and less than ``latent_dim`` when used.

    Returns:
        A functional ``keras.Model``.

    Raises:
        TypeError, ValueError: for a size that is not a positive int, an unknown
            ``upsampling``, an empty ``name`` or an ``n_classes`` that does not fit.

    Example:
        >>> generator = build_generator(latent_dim=64)
        >>> generator(np.zeros((2, 64), "float32")).shape
        TensorShape([2, 28, 28, 1])
    """
    latent_dim = checks.positive_int(latent_dim, "latent_dim", 64)
    width = checks.positive_int(width, "width", 16)
    upsampling = _upsampling_choice(upsampling)
    name = checks.text(name, "name", "generator")
    n_classes = _class_count(n_classes, latent_dim)
    z = keras.Input((latent_dim,), name="z")
    x = ClassCode(n_classes, name="class_code")(z) if n_classes else z
    return keras.Model(z, _generator_trunk(x, width, upsampling), name=name)


def _class_count(n_classes, latent_dim: int | None = None) -> int:
    """``n_classes`` checked: 0 (no class code) or an int in [2, latent_dim)."""
    if isinstance(n_classes, bool) or not isinstance(n_classes, int):
        raise TypeError(
            f"n_classes must be an int (0 for none, e.g. 10 for digits), got "
            f"{checks.describe(n_classes)}."
        )
    high = latent_dim - 1 if latent_dim is not None else None
    if n_classes != 0 and (n_classes < 2 or (high is not None and n_classes > high)):
        limit = f" and below latent_dim={latent_dim}" if latent_dim is not None else ""
        raise ValueError(
            f"n_classes must be 0 (no class code) or at least 2{limit}, got {n_classes}; "
            "use n_classes=10 for digits."
        )
    return n_classes


def latent_classes(z, n_classes: int = 10):
    """The class a latent vector chooses: the argmax of its first ``n_classes`` entries.

    For ``z`` drawn from a standard normal distribution each class is equally likely (the
    entries are independent and identically distributed, so each is the largest with the same
    chance). :class:`ClassCode` and :class:`gan_helpers.AuxiliaryClassifierGAN` use it.

    Args:
        z: latent vectors ``(n, latent_dim)`` (NumPy array or tensor).
        n_classes: how many leading entries choose the class (at least 2).

    Returns:
        int ``(n,)`` classes in ``[0, n_classes)`` (a tensor for tensor input, else NumPy).

    Raises:
        TypeError, ValueError: for a bad ``n_classes`` or ``z`` that is not 2-D with more
            than ``n_classes`` entries per row.

    Example:
        >>> latent_classes(np.eye(12, dtype="float32")[:3], n_classes=10)
        array([0, 1, 2])
    """
    n_classes = _class_count(n_classes)
    if n_classes == 0:
        raise ValueError("n_classes must be at least 2 to read a class from z, got 0.")
    if not hasattr(z, "shape") or isinstance(z, np.ndarray):
        try:
            z = np.asarray(z, dtype=np.float32)
        except (TypeError, ValueError):
            raise TypeError(
                f"z must be a 2-D array of latent vectors (floats), got {checks.describe(z)}; "
                "pass e.g. gan_helpers.sample_latent(8, 64)."
            ) from None
        if not np.all(np.isfinite(z)):
            raise ValueError("z must be finite, got NaN or infinite entries.")
    shape = tuple(z.shape)
    if len(shape) != 2 or (shape[-1] is not None and shape[-1] <= n_classes):
        raise ValueError(
            f"z must be a 2-D batch of latent vectors with more than n_classes={n_classes} "
            f"entries each, got shape {shape}."
        )
    if isinstance(z, np.ndarray):
        return np.argmax(z[:, :n_classes], axis=-1)
    return ops.argmax(z[:, :n_classes], axis=-1)


def latent_for_classes(classes, latent_dim: int = 64, n_classes: int = 10, seed=None):
    """Gaussian latent vectors that choose the given classes (see :func:`latent_classes`).

    Each row is drawn from the standard normal distribution, then its largest entry among the
    first ``n_classes`` is swapped into position ``classes[i]``. Swapping keeps every row a
    plausible draw (the same numbers in another order), so a generator built with
    ``build_generator(n_classes=...)`` draws the requested class in its usual style.

    Args:
        classes: ints in ``[0, n_classes)``, one per row.
        latent_dim: size of each vector.
        n_classes: size of the class code.
        seed: int seed for reproducible draws, or None.

    Returns:
        float32 ``(len(classes), latent_dim)``.

    Raises:
        TypeError, ValueError: for bad classes, sizes or seed.

    Example:
        >>> z = latent_for_classes([7, 7, 3], latent_dim=64)
        >>> latent_classes(z)
        array([7, 7, 3])
    """
    latent_dim = checks.positive_int(latent_dim, "latent_dim", 64)
    n_classes = _class_count(n_classes, latent_dim)
    if n_classes == 0:
        raise ValueError("n_classes must be at least 2 to choose classes, got 0.")
    classes = checks.int_labels(classes, "classes", n_classes=n_classes)
    rng = np.random.default_rng(checks.seed(seed))
    z = rng.standard_normal((len(classes), latent_dim)).astype(np.float32)
    rows = np.arange(len(classes))
    top = np.argmax(z[:, :n_classes], axis=1)
    z[rows, top], z[rows, classes] = z[rows, classes], z[rows, top]
    return z


@keras.saving.register_keras_serializable(package="gan_helpers")
class ClassCode(layers.Layer):
    """Turn the first ``n_classes`` entries of ``z`` into a one-hot class code.

    Output: the remaining ``latent_dim - n_classes`` entries, then the one-hot code of
    :func:`latent_classes` (same total size as ``z``). The code is piecewise constant in ``z``,
    so the network after it can draw disconnected groups (one per class) from connected
    Gaussian noise.

    Args:
        n_classes: size of the code (at least 2).
        **kwargs: Keras layer arguments such as ``name``.

    Example:
        >>> ClassCode(10)(np.eye(12, dtype="float32")[:1]).numpy()[0, -10:]
        array([1., 0., 0., 0., 0., 0., 0., 0., 0., 0.], dtype=float32)
    """

    def __init__(self, n_classes: int = 10, **kwargs):
        super().__init__(**kwargs)
        self.n_classes = _class_count(n_classes)
        if self.n_classes == 0:
            raise ValueError("n_classes must be at least 2 for a ClassCode, got 0.")

    def build(self, input_shape):
        size = input_shape[-1]
        if len(input_shape) != 2 or (size is not None and size <= self.n_classes):
            raise ValueError(
                f"ClassCode({self.n_classes}) needs flat latent vectors with more than "
                f"{self.n_classes} entries, got input shape {tuple(input_shape)}; use a latent "
                f"size of at least {self.n_classes + 1}."
            )
        super().build(input_shape)

    def call(self, z):
        code = ops.one_hot(ops.argmax(z[:, : self.n_classes], axis=-1), self.n_classes)
        return ops.concatenate([z[:, self.n_classes :], ops.cast(code, z.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "n_classes": self.n_classes}


def _discriminator_features(x, width: int, dropout: float):
    """Two strided 4x4 convolutions (28 -> 14 -> 7) with LeakyReLU, flattened (phi(x))."""
    x = layers.Conv2D(width, 4, strides=2, padding="same", name="down14")(x)
    x = layers.LeakyReLU(0.2, name="down14_lrelu")(x)
    x = layers.Conv2D(2 * width, 4, strides=2, padding="same", name="down7")(x)
    x = layers.LeakyReLU(0.2, name="down7_lrelu")(x)
    x = layers.Flatten(name="flatten")(x)
    if dropout > 0:
        x = layers.Dropout(dropout, name="dropout")(x)
    return x


def _discriminator_trunk(x, width: int, dropout: float):
    """The features of :func:`_discriminator_features`, then one logit.

    The features are built first: layers draw their initial weights in the order they are
    created, so this order keeps seeded models identical to the hand-built ones in lessons.
    """
    features = _discriminator_features(x, width, dropout)
    return layers.Dense(1, name="logit")(features)


def build_discriminator(
    width: int = 48,
    dropout: float = 0.0,
    channels: int = 1,
    name: str = "discriminator",
    n_classes: int = 0,
    n_continuous: int = 0,
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
        n_classes: with ``n_classes > 0``, a second head on the same features returns
            ``n_classes`` class logits (an auxiliary classifier, as in AC-GAN; see
            :class:`gan_helpers.AuxiliaryClassifierGAN`). 0 (default): no such head.
        n_continuous: with ``n_continuous > 0`` (needs ``n_classes > 0``), a third head
            returns ``n_continuous`` estimates of the generator's continuous codes (InfoGAN's
            Q network; see :class:`gan_helpers.InfoGAN`). 0 (default): no such head.

    Returns:
        A functional ``keras.Model`` from ``(28, 28, channels)`` to a logit ``(1,)``, to
        ``[logit (1,), class logits (n_classes,)]`` with ``n_classes > 0``, or to
        ``[logit, class logits, code estimates (n_continuous,)]`` with ``n_continuous > 0``.

    Raises:
        TypeError, ValueError: for a size that is not a positive int, a dropout outside
            [0, 1), an empty ``name``, or ``n_continuous > 0`` without ``n_classes``.

    Example:
        >>> discriminator = build_discriminator()
        >>> discriminator(np.zeros((2, 28, 28, 1), "float32")).shape
        TensorShape([2, 1])
    """
    width = checks.positive_int(width, "width", 48)
    channels = checks.positive_int(channels, "channels", 1)
    dropout = _dropout(dropout)
    name = checks.text(name, "name", "discriminator")
    n_classes = _class_count(n_classes)
    n_continuous = checks.int_at_least(n_continuous, "n_continuous", 0, 2)
    if n_continuous and not n_classes:
        raise ValueError(
            f"n_continuous={n_continuous} needs a class head too (InfoGAN's codes are a class "
            "code plus continuous ones); pass n_classes=10 as well, or n_continuous=0."
        )
    image = keras.Input((28, 28, channels), name="image")
    if not n_classes:
        return keras.Model(image, _discriminator_trunk(image, width, dropout), name=name)
    features = _discriminator_features(image, width, dropout)
    outputs = [
        layers.Dense(1, name="logit")(features),
        layers.Dense(n_classes, name="class_logits")(features),
    ]
    if n_continuous:
        outputs.append(layers.Dense(n_continuous, name="code_means")(features))
    return keras.Model(image, outputs, name=name)


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
        name: the model's name.

    Returns:
        A ``keras.Model`` with inputs ``[z (latent_dim,), label (int, shape ())]``.

    Raises:
        TypeError, ValueError: for a size that is not a positive int, an unknown
            ``upsampling`` or an empty ``name``.

    Example:
        >>> generator = build_conditional_generator()
        >>> generator([np.zeros((2, 64), "float32"), np.array([3, 7])]).shape
        TensorShape([2, 28, 28, 1])
    """
    latent_dim = checks.positive_int(latent_dim, "latent_dim", 64)
    width = checks.positive_int(width, "width", 32)
    n_classes = checks.positive_int(n_classes, "n_classes", 10)
    embedding_dim = checks.positive_int(embedding_dim, "embedding_dim", 16)
    upsampling = _upsampling_choice(upsampling)
    name = checks.text(name, "name", "conditional_generator")
    z = keras.Input((latent_dim,), name="z")
    label = keras.Input((), dtype="int32", name="label")
    embedded = layers.Embedding(n_classes, embedding_dim, name="label_embedding")(label)
    joined = layers.Concatenate(name="z_and_label")([z, embedded])
    return keras.Model([z, label], _generator_trunk(joined, width, upsampling), name=name)


def _labelled_discriminator_inputs(width, n_classes, dropout, name, default_name: str):
    """Checked arguments and the ``image`` and ``label`` inputs of a label-aware discriminator."""
    width = checks.positive_int(width, "width", 32)
    n_classes = checks.positive_int(n_classes, "n_classes", 10)
    dropout = _dropout(dropout)
    name = checks.text(name, "name", default_name)
    image = keras.Input(IMAGE_SHAPE, name="image")
    label = keras.Input((), dtype="int32", name="label")
    return width, n_classes, dropout, name, image, label


def build_conditional_discriminator(
    width: int = 32,
    n_classes: int = 10,
    dropout: float = 0.0,
    name: str = "conditional_discriminator",
) -> keras.Model:
    """Discriminator taking ``[image, label]``: the label becomes an extra image channel.

    The label's embedding (28*28 values) is reshaped to a 28x28 plane and stacked on the
    image, so every convolution sees which digit the image claims to be.

    Args:
        width, dropout: as :func:`build_discriminator`.
        n_classes: number of labels (10 digits).
        name: the model's name.

    Returns:
        A ``keras.Model`` with inputs ``[image (28, 28, 1), label (int, shape ())]`` and one
        logit per image.

    Raises:
        TypeError, ValueError: for a size that is not a positive int, a dropout outside
            [0, 1) or an empty ``name``.

    Example:
        >>> discriminator = build_conditional_discriminator()
        >>> discriminator([np.zeros((2, 28, 28, 1), "float32"), np.array([3, 7])]).shape
        TensorShape([2, 1])
    """
    width, n_classes, dropout, name, image, label = _labelled_discriminator_inputs(
        width, n_classes, dropout, name, "conditional_discriminator"
    )
    plane = layers.Embedding(n_classes, 28 * 28, name="label_embedding")(label)
    plane = layers.Reshape((28, 28, 1), name="label_plane")(plane)
    joined = layers.Concatenate(name="image_and_label")([image, plane])
    return keras.Model([image, label], _discriminator_trunk(joined, width, dropout), name=name)


def build_projection_discriminator(
    width: int = 32,
    n_classes: int = 10,
    dropout: float = 0.0,
    name: str = "projection_discriminator",
) -> keras.Model:
    """Projection discriminator (Miyato and Koyama, 2018) on the DCGAN trunk of this module.

    The logit is ``psi(phi(x)) + <e_y, phi(x)>``: image features ``phi(x)`` (two strided
    convolutions, as in :func:`build_discriminator`, computed without the label), an
    unconditional score ``psi`` of them (a Dense layer), plus their dot product with a learned
    vector ``e_y`` for the claimed label ``y``. The label enters only at the end, as the
    question "do these features look like a ``y``?". Lesson 6 and
    ``scripts/train_conditional_gan.py`` train the bundled conditional generator against it.

    Args:
        width: channels of the first convolution (the second has 2x), so ``phi(x)`` has
            ``7 * 7 * 2 * width`` features.
        n_classes: number of labels (10 digits).
        dropout: dropout rate on ``phi(x)`` (0, the default, adds no layer).
        name: the model's name.

    Returns:
        A ``keras.Model`` from ``[image, label]`` (as :func:`build_conditional_discriminator`)
        to one logit per image, the sum of its layers ``logit`` and ``projection``.

    Raises:
        TypeError, ValueError: as :func:`build_conditional_discriminator`.

    Example:
        >>> discriminator = build_projection_discriminator(width=16)
        >>> discriminator.get_layer("label_vector").output.shape  # e_y: 7 * 7 * 2 * 16 values
        (None, 1568)
    """
    width, n_classes, dropout, name, image, label = _labelled_discriminator_inputs(
        width, n_classes, dropout, name, "projection_discriminator"
    )
    features = _discriminator_features(image, width, dropout)
    unconditional = layers.Dense(1, name="logit")(features)
    class_vector = layers.Embedding(n_classes, features.shape[-1], name="label_vector")(label)
    projection = layers.Dot(axes=1, name="projection")([class_vector, features])
    logit = layers.Add(name="logit_plus_projection")([unconditional, projection])
    return keras.Model([image, label], logit, name=name)


@keras.saving.register_keras_serializable(package="gan_helpers")
class MinibatchStdDev(layers.Layer):
    """Append one feature: the standard deviation across the batch, averaged over features.

    A generator that has collapsed to a few points yields batches with a small spread; this
    feature lets the discriminator see that at once (Karras et al., 2018).

    Args:
        **kwargs: Keras layer arguments such as ``name``.

    Returns:
        (when called) the inputs ``(batch, features)`` with one more feature,
        ``(batch, features + 1)``.

    Raises:
        Nothing of its own; Keras checks the layer arguments.

    Example:
        >>> MinibatchStdDev()(np.ones((4, 3), "float32")).shape
        TensorShape([4, 4])
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
    """A dense maxout layer: ``units`` outputs, each the max of ``pieces`` linear functions.

    Args:
        units: number of outputs (positive int).
        pieces: linear functions per output (positive int; PacGAN uses 5).
        kernel_initializer: initializer of the linear functions' weights (Keras name or object).

    Returns:
        (when called) ``(batch, units)``: per output, the largest of its ``pieces`` values.

    Raises:
        TypeError, ValueError: if ``units`` or ``pieces`` is not a positive int.

    Example:
        >>> Maxout(16, pieces=5)(np.zeros((3, 2), "float32")).shape
        TensorShape([3, 16])
    """

    def __init__(self, units: int, pieces: int = 5, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.units = checks.positive_int(units, "units", 200)
        self.pieces = checks.positive_int(pieces, "pieces", 5)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.dense = layers.Dense(
            self.units * self.pieces, kernel_initializer=self.kernel_initializer
        )

    def build(self, input_shape):
        self.dense.build(input_shape)

    def call(self, inputs):
        values = self.dense(inputs)
        values = ops.reshape(values, (-1, self.units, self.pieces))
        return ops.max(values, axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "pieces": self.pieces,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
        }


def _kernel_initializer(weight_std):
    """Glorot uniform for None, else N(0, weight_std^2) (the MLP builders' ``weight_std``).

    Returns a function that makes a new initializer per layer: one unseeded Keras initializer
    object shared by several layers gives them all the same values.
    """
    if weight_std is None:
        return lambda: "glorot_uniform"
    stddev = checks.positive_number(weight_std, "weight_std", 0.02)
    return lambda: keras.initializers.RandomNormal(stddev=stddev)


def _mlp_settings(hidden, n_layers, weight_std, name, role: str):
    """The MLP builders' shared arguments, checked: sizes, initializer factory and name."""
    return (
        checks.positive_int(hidden, "hidden", 128),
        checks.positive_int(n_layers, "n_layers", 3),
        _kernel_initializer(weight_std),
        checks.text(name, "name", f"mlp_{role}"),
    )


def build_mlp_generator(
    latent_dim: int = 2,
    hidden: int = 128,
    n_layers: int = 3,
    batch_norm: bool = True,
    output_dim: int = 2,
    weight_std: float | None = None,
    name: str = "mlp_generator",
) -> keras.Model:
    """MLP generator for 2-D points: ``n_layers`` x (Dense ``hidden``, [batch norm], ReLU).

    PacGAN's set-up is ``latent_dim=2, hidden=400, n_layers=4, batch_norm=True,
    weight_std=0.02``.

    Args:
        latent_dim: size of the latent vector.
        hidden: units per hidden layer.
        n_layers: number of hidden layers.
        batch_norm: batch norm after each hidden Dense layer (which then has no bias).
        output_dim: size of a generated point (2 for the plane).
        weight_std: draw every Dense kernel from N(0, weight_std^2) (PacGAN: 0.02); None keeps
            Keras' default (Glorot uniform).
        name: the model's name.

    Returns:
        A functional ``keras.Model`` from ``(latent_dim,)`` to ``(output_dim,)`` (linear).

    Raises:
        TypeError, ValueError: for a size that is not a positive int, a non-bool
            ``batch_norm``, a ``weight_std`` that is not a positive number, or an empty
            ``name``.

    Example:
        >>> generator = build_mlp_generator(latent_dim=2)
        >>> generator(np.zeros((5, 2), "float32")).shape
        TensorShape([5, 2])
    """
    latent_dim = checks.positive_int(latent_dim, "latent_dim", 2)
    hidden, n_layers, kernel, name = _mlp_settings(hidden, n_layers, weight_std, name, "generator")
    batch_norm = checks.boolean(batch_norm, "batch_norm")
    output_dim = checks.positive_int(output_dim, "output_dim", 2)
    z = keras.Input((latent_dim,), name="z")
    x = z
    for index in range(n_layers):
        x = layers.Dense(
            hidden, use_bias=not batch_norm, kernel_initializer=kernel(), name=f"dense{index}"
        )(x)
        if batch_norm:
            x = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"bn{index}")(x)
        x = layers.ReLU(name=f"relu{index}")(x)
    points = layers.Dense(output_dim, kernel_initializer=kernel(), name="points")(x)
    return keras.Model(z, points, name=name)


def build_mlp_discriminator(
    hidden: int = 128,
    n_layers: int = 3,
    pack: int = 1,
    input_dim: int = 2,
    maxout_pieces: int | None = None,
    minibatch_std: bool = False,
    weight_std: float | None = None,
    name: str = "mlp_discriminator",
) -> keras.Model:
    """MLP discriminator for 2-D points, returning one logit per (packed) input.

    Args:
        hidden, n_layers, weight_std, name: as :func:`build_mlp_generator`.
        pack: how many samples it judges jointly (PacGAN): its input has ``pack * input_dim``
            features; ``gan_helpers.GAN(pack=...)`` concatenates the samples.
        input_dim: features of one sample (2 for points in the plane).
        maxout_pieces: use maxout layers with this many pieces (PacGAN uses 5) instead of
            LeakyReLU(0.2) layers.
        minibatch_std: append the batch's standard deviation as a feature before the logit.

    Returns:
        A functional ``keras.Model`` from ``(pack * input_dim,)`` to a logit ``(1,)``.

    Raises:
        TypeError, ValueError: as :func:`build_mlp_generator`, with a non-bool
            ``minibatch_std`` in place of ``batch_norm``.

    Example:
        >>> discriminator = build_mlp_discriminator(pack=4)
        >>> discriminator(np.zeros((5, 8), "float32")).shape
        TensorShape([5, 1])
    """
    hidden, n_layers, kernel, name = _mlp_settings(
        hidden, n_layers, weight_std, name, "discriminator"
    )
    pack = checks.positive_int(pack, "pack", 1)
    input_dim = checks.positive_int(input_dim, "input_dim", 2)
    if maxout_pieces is not None:
        maxout_pieces = checks.positive_int(maxout_pieces, "maxout_pieces", 5)
    minibatch_std = checks.boolean(minibatch_std, "minibatch_std")
    points = keras.Input((pack * input_dim,), name="points")
    x = points
    for index in range(n_layers):
        if maxout_pieces:
            x = Maxout(hidden, maxout_pieces, kernel_initializer=kernel(), name=f"maxout{index}")(x)
        else:
            x = layers.Dense(hidden, kernel_initializer=kernel(), name=f"dense{index}")(x)
            x = layers.LeakyReLU(0.2, name=f"lrelu{index}")(x)
    if minibatch_std:
        x = MinibatchStdDev(name="minibatch_std")(x)
    logit = layers.Dense(1, kernel_initializer=kernel(), name="logit")(x)
    return keras.Model(points, logit, name=name)


def _describe_model(model: keras.Model) -> str:
    inputs = [tuple(tensor.shape) for tensor in model.inputs]
    outputs = [tuple(tensor.shape) for tensor in model.outputs]
    return f"model {model.name!r} with input shapes {inputs} and output shapes {outputs}"


def _is_generator(model) -> bool:
    """A flat latent input (and optionally an integer label), one (28, 28, 1) output."""
    if not isinstance(model, keras.Model) or not model.inputs or not model.outputs:
        return False
    z, *rest = model.inputs
    if len(z.shape) != 2 or z.shape[1] is None or len(rest) > 1:
        return False
    if rest and (len(rest[0].shape) > 2 or "int" not in str(rest[0].dtype)):
        return False
    return len(model.outputs) == 1 and tuple(model.outputs[0].shape[1:]) == IMAGE_SHAPE


def _load_pretrained(name, directory, default: str, what: str) -> tuple[keras.Model, Path]:
    """Load ``<directory>/<name>.keras`` in safe mode, with messages that say how to restore it.

    Returns:
        The model and the path it was loaded from.
    """
    name = checks.text(name, "name", default)
    if Path(name).name != name:
        raise ValueError(
            f"name must be a file name without directory, got {name!r}; pass the folder as "
            f"directory=..., e.g. name={default!r}, directory='assets'."
        )
    folder = (
        checks.path(directory, "directory", "assets") if directory is not None else PRETRAINED_DIR
    )
    path = folder / f"{name.removesuffix('.keras')}.keras"
    script = PRETRAINED_SCRIPTS.get(path.stem, PRETRAINED_SCRIPT)
    regenerate = (
        f"Regenerate it with `python {script}` from the repository root (a few minutes on a CPU)"
    )
    if folder == PRETRAINED_DIR:
        regenerate += f" or restore it with `git checkout -- assets/{path.name}`"
    if not path.is_file():
        raise checks.MissingFileError(
            f"No pretrained {what} at {path}. {regenerate}, or pass another name/directory."
        )
    size = path.stat().st_size
    if size == 0:
        raise ValueError(f"{path} is empty (0 bytes), not a saved model. {regenerate}.")
    if not zipfile.is_zipfile(path):
        raise ValueError(
            f"{path} ({size:,} bytes) is not a .keras file (those are zip archives): it is "
            f"truncated or damaged, e.g. by an interrupted copy. {regenerate}."
        )
    try:
        model = keras.models.load_model(path)
    except (ValueError, TypeError, KeyError, OSError, zipfile.BadZipFile, zlib.error) as error:
        raise ValueError(
            f"{path} ({size:,} bytes) could not be loaded as a Keras model "
            f"({type(error).__name__}: {error}). {regenerate}."
        ) from error
    return model, path


def load_pretrained_discriminator(
    name: str = "mnist_infogan_discriminator", directory: str | os.PathLike | None = None
) -> keras.Model:
    """Load a discriminator bundled in ``assets/`` (``<name>.keras``) in Keras' safe mode.

    The default name is the file ``scripts/train_mnist_gan.py --recipe info`` writes next to
    its generator: an InfoGAN discriminator, whose class head is the InfoGAN's ``Q``. It is not
    bundled (no InfoGAN run here learned a code worth shipping; see
    ``benchmarks/results/infogan.md``), so train it first or pass another name.

    Args:
        name: the file name without ``.keras``.
        directory: where to look (default: the repository's ``assets/``).

    Returns:
        A ``keras.Model`` from images ``(28, 28, 1)`` to a logit ``(1,)``, possibly followed
        by more heads (``[logit, class logits, code estimates]`` for the InfoGAN's).

    Raises:
        TypeError, ValueError, MissingFileError: as :func:`load_pretrained_generator`, and
            ``ValueError`` if the model in the file is not a discriminator.

    Example:
        >>> logit, code_logits, code_means = load_pretrained_discriminator()(images)
    """
    model, path = _load_pretrained(name, directory, "mnist_infogan_discriminator", "discriminator")
    inputs, outputs = model.inputs, model.outputs
    if (
        len(inputs) != 1
        or tuple(inputs[0].shape[1:]) != IMAGE_SHAPE
        or tuple(outputs[0].shape[1:]) != (1,)
    ):
        raise ValueError(
            f"{path} holds a {_describe_model(model)}, not a "
            "discriminator: expected an image input (None, 28, 28, 1) and a first output "
            "(None, 1). Pass a discriminator's name, e.g. name='mnist_infogan_discriminator'."
        )
    return model


def load_pretrained_generator(
    name: str = "mnist_generator", directory: str | os.PathLike | None = None
) -> keras.Model:
    """Load a generator bundled in ``assets/`` (``<name>.keras``) in Keras' safe mode.

    The default, ``"mnist_generator"``, is the default DCGAN generator trained by
    ``scripts/train_mnist_gan.py`` (see ``assets/README.md`` for its scores); fast-mode lessons
    show it instead of training for minutes. ``"mnist_conditional_generator"`` is lesson 6's
    conditional one (inputs ``[z, label]``).

    Args:
        name: the file name without ``.keras``.
        directory: where to look (default: the repository's ``assets/``).

    Returns:
        The generator, a ``keras.Model`` from ``(latent_dim,)`` (and an integer label for a
        conditional one) to ``(28, 28, 1)`` in [-1, 1].

    Raises:
        TypeError: if ``name`` is not a string or ``directory`` not a path.
        ValueError: if ``name`` contains a directory; if the file is empty, truncated or
            otherwise not a loadable ``.keras`` file; if the model in it is not a generator
            (e.g. the digit classifier ``mnist_classifier``).
        MissingFileError: (a FileNotFoundError and ValueError) if the file is missing; it says
            which script regenerates it.

    Example:
        >>> generator = load_pretrained_generator()
        >>> generator(np.zeros((1, 64), "float32")).shape
        TensorShape([1, 28, 28, 1])
    """
    model, path = _load_pretrained(name, directory, "mnist_generator", "generator")
    if not _is_generator(model):
        raise ValueError(
            f"{path} holds a {_describe_model(model)}, not a generator: expected a flat latent "
            "input (None, latent_dim) (plus an integer label for a conditional generator) and "
            "one output (None, 28, 28, 1). Pass a generator's name, e.g. "
            "name='mnist_generator' or name='mnist_conditional_generator'."
        )
    return model
