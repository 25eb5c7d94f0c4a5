"""Differentiable augmentation for GANs trained on little data (DiffAugment-style).

With a few thousand images the discriminator memorizes the training set: it becomes sure of
every real image and its gradient stops telling the generator anything useful. Showing it
randomly shifted and partly erased images instead, *both real and fake and in both players'
steps*, keeps it from memorizing, while the generator still learns the un-augmented
distribution (the augmentation is the same for both sides, and gradients flow through it).

:class:`DiffAugment` is a Keras layer; pass it to ``GAN(..., augment=DiffAugment())``.
:func:`translate` and :func:`cutout` are its two parts, usable on their own.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

from . import checks

__all__ = ["DiffAugment", "cutout", "translate"]

BACKGROUND = -1.0
"""The value of an empty pixel in images scaled to [-1, 1]: black."""


def _check_batch(images, name: str = "images"):
    shape = getattr(images, "shape", None)
    if shape is None or len(shape) != 4:
        raise ValueError(
            f"{name} must be a 4-D batch (n, height, width, channels), got "
            f"{checks.describe(images)}; add a channel axis with images[..., None]."
        )
    return ops.convert_to_tensor(images, dtype="float32")


def _batch_and_size(images, pixels, name: str, example: int):
    """The checked batch, ``pixels`` as an int >= 0, and the batch's n, height and width."""
    images = _check_batch(images)
    pixels = checks.int_at_least(pixels, name, 0, example)
    return images, pixels, ops.shape(images)[0], int(images.shape[1]), int(images.shape[2])


def translate(images, max_shift: int, seed=None, fill: float = BACKGROUND):
    """Shift each image by its own random whole number of pixels, filling with ``fill``.

    Args:
        images: float tensor ``(n, height, width, channels)``.
        max_shift: largest shift in pixels along each axis (0 returns ``images`` unchanged).
        seed: an int or a ``keras.random.SeedGenerator`` for the shifts.
        fill: the value of pixels shifted in from outside (-1, black, for [-1, 1] images).

    Returns:
        A tensor of the same shape; gradients flow back to ``images``.

    Raises:
        TypeError, ValueError: for a batch that is not 4-D or a negative ``max_shift``.

    Example:
        >>> shifted = translate(images, max_shift=3, seed=0)
    """
    images, max_shift, n, height, width = _batch_and_size(images, max_shift, "max_shift", 3)
    if max_shift == 0:
        return images
    shifts = keras.random.randint((n, 2), -max_shift, max_shift + 1, seed=seed)
    padded = tf.pad(
        images, [[0, 0], [max_shift] * 2, [max_shift] * 2, [0, 0]], constant_values=fill
    )
    rows = tf.range(height)[None, :, None] + max_shift - shifts[:, 0, None, None]
    cols = tf.range(width)[None, None, :] + max_shift - shifts[:, 1, None, None]
    rows = tf.broadcast_to(rows, (n, height, width))
    cols = tf.broadcast_to(cols, (n, height, width))
    return tf.gather_nd(padded, tf.stack([rows, cols], axis=-1), batch_dims=1)


def cutout(images, size: int, seed=None, fill: float = BACKGROUND):
    """Erase one random ``size`` x ``size`` square per image (it may hang over the border).

    Args:
        images, seed: as :func:`translate` (``seed`` places the squares).
        size: side of the erased square in pixels (0 returns ``images`` unchanged).
        fill: the value written into the square (-1, black, for [-1, 1] images).

    Returns:
        A tensor of the same shape; gradients flow back to the pixels that were kept.

    Raises:
        TypeError, ValueError: for a batch that is not 4-D or a negative ``size``.

    Example:
        >>> erased = cutout(np.ones((2, 28, 28, 1), "float32"), size=14, seed=0)
        >>> [int(ops.sum(image < 0)) for image in erased]  # pixels erased per image, <= 196
    """
    images, size, n, height, width = _batch_and_size(images, size, "size", 14)
    if size == 0:
        return images
    centers = keras.random.uniform((n, 2), 0.0, 1.0, seed=seed)
    top = ops.cast(centers[:, 0] * height, "int32") - size // 2
    left = ops.cast(centers[:, 1] * width, "int32") - size // 2
    rows = ops.arange(height)[None, :]
    cols = ops.arange(width)[None, :]
    in_rows = (rows >= top[:, None]) & (rows < top[:, None] + size)
    in_cols = (cols >= left[:, None]) & (cols < left[:, None] + size)
    erased = ops.cast(in_rows[:, :, None] & in_cols[:, None, :], images.dtype)[..., None]
    return images * (1.0 - erased) + fill * erased


@keras.saving.register_keras_serializable(package="gan_helpers")
class DiffAugment(keras.layers.Layer):
    """Random translation, then cutout: the augmentation a GAN applies before its discriminator.

    Active only with ``training=True`` (the GAN's train step calls it that way); in inference
    it returns its input. The defaults suit 28 x 28 digits: shifts up to 3 pixels (1/8 of the
    side) and a 14 x 14 square erased (half the side), as in Zhao et al. (2020),
    "Differentiable Augmentation for Data-Efficient GAN Training".

    Args:
        max_shift: largest translation in pixels (0 disables translation).
        cutout_size: side of the erased square in pixels (0 disables cutout).
        probability: chance that an image is augmented at all (per image, per call).
        seed: seed of the layer's own random stream (None: fresh each run).

    Raises:
        TypeError, ValueError: for negative sizes, a probability outside [0, 1] or a bad seed.

    Example:
        >>> gan = GAN(build_generator(), build_discriminator(), augment=DiffAugment(seed=0))
    """

    def __init__(
        self,
        max_shift: int = 3,
        cutout_size: int = 14,
        probability: float = 1.0,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.max_shift = checks.int_at_least(max_shift, "max_shift", 0, 3)
        self.cutout_size = checks.int_at_least(cutout_size, "cutout_size", 0, 14)
        self.probability = checks.number_in_range(probability, "probability", 0.0, 1.0, 1.0)
        self.seed = checks.seed(seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    def call(self, inputs, training=False):
        if not training or self.probability == 0:
            return inputs
        augmented = translate(inputs, self.max_shift, seed=self.seed_generator)
        augmented = cutout(augmented, self.cutout_size, seed=self.seed_generator)
        if self.probability == 1:
            return augmented
        n = ops.shape(inputs)[0]
        chosen = keras.random.uniform((n, 1, 1, 1), seed=self.seed_generator) < self.probability
        return ops.where(chosen, augmented, inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "max_shift": self.max_shift,
            "cutout_size": self.cutout_size,
            "probability": self.probability,
            "seed": self.seed,
        }
