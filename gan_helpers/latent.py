"""Walking a generator's latent space (lesson 9): interpolation, truncation and inversion.

- :func:`lerp` and :func:`slerp`: points on the straight line or on the arc between two codes.
- :func:`truncated_latent`: Gaussian codes pulled toward the mean (the truncation trick).
- :func:`invert`: the code whose image is closest to a given image, by gradient descent from
  several random starts.

Example:
    >>> from gan_helpers.latent import invert, slerp
    >>> path = slerp(z_a, z_b, np.linspace(0, 1, 9))  # (9, latent_dim)
    >>> codes, errors = invert(generator, images, steps=200, restarts=4, seed=0)
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from . import checks

__all__ = ["invert", "lerp", "slerp", "truncated_latent"]


def _latent_pair(z_a, z_b) -> tuple[np.ndarray, np.ndarray]:
    """Two float arrays of equal shape ``(latent_dim,)`` or ``(n, latent_dim)``."""
    arrays = []
    for value, name in ((z_a, "z_a"), (z_b, "z_b")):
        array = checks.array(
            value,
            name,
            "a latent vector (latent_dim,) or a batch (n, latent_dim) of numbers",
            f"pass e.g. {name}=gan_helpers.sample_latent(1, 64, seed=0)[0]",
            numeric=True,
        )
        if array.ndim not in (1, 2) or array.shape[-1] == 0:
            raise ValueError(
                f"{name} must have shape (latent_dim,) or (n, latent_dim), got {array.shape}; "
                f"reshape it, e.g. {name}.reshape(-1, latent_dim)."
            )
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} contains NaN or infinite values; pass finite codes.")
        arrays.append(array.astype(np.float32))
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(
            f"z_a and z_b must have the same shape, got {arrays[0].shape} and {arrays[1].shape}; "
            "draw both with the same latent_dim (and the same number of rows)."
        )
    return arrays[0], arrays[1]


def _fractions(t) -> tuple[np.ndarray, bool]:
    """``t`` as a float32 1-D array of fractions (any real numbers) and whether it was a scalar."""
    if isinstance(t, (bool, np.bool_, str, bytes)) or t is None:
        raise TypeError(
            f"t must be a number or a 1-D array of numbers, got {checks.describe(t)}; pass e.g. "
            "t=np.linspace(0, 1, 9)."
        )
    array = np.asarray(t)
    if array.dtype.kind not in "fiu":
        raise TypeError(
            f"t must be a number or a 1-D array of numbers, got {checks.describe(t)}; pass e.g. "
            "t=np.linspace(0, 1, 9)."
        )
    if array.ndim > 1 or array.size == 0 or not np.all(np.isfinite(array)):
        raise ValueError(
            f"t must be a finite number or a non-empty 1-D array, got {checks.describe(t)}; "
            "pass e.g. t=np.linspace(0, 1, 9)."
        )
    return array.astype(np.float32).reshape(-1), array.ndim == 0


def _shape_steps(points: np.ndarray, scalar: bool) -> np.ndarray:
    return points[0] if scalar else points


def lerp(z_a, z_b, t) -> np.ndarray:
    """Points on the straight line from ``z_a`` to ``z_b``: ``(1 - t) z_a + t z_b``.

    Args:
        z_a, z_b: codes of the same shape, ``(latent_dim,)`` or ``(n, latent_dim)``.
        t: a fraction (0 gives ``z_a``, 1 gives ``z_b``) or a 1-D array of fractions.

    Returns:
        float32 of ``z_a``'s shape for a number ``t``; ``(len(t), *z_a.shape)`` for an array.

    Raises:
        TypeError: codes or ``t`` that are not numbers.
        ValueError: codes of different or unsupported shapes, empty ``t``, NaN.

    Example:
        >>> lerp(np.zeros(2), np.ones(2), [0.0, 0.5])
        array([[0. , 0. ],
               [0.5, 0.5]], dtype=float32)
    """
    z_a, z_b = _latent_pair(z_a, z_b)
    fractions, scalar = _fractions(t)
    weights = fractions.reshape((-1,) + (1,) * z_a.ndim)
    return _shape_steps((1 - weights) * z_a + weights * z_b, scalar)


def slerp(z_a, z_b, t) -> np.ndarray:
    """Points on the arc from ``z_a`` to ``z_b`` (spherical interpolation).

    The direction turns at constant speed along the great circle through the two codes'
    directions, and the length changes linearly from ``|z_a|`` to ``|z_b|``. So every point is
    as long as its ends (about ``sqrt(latent_dim)`` for Gaussian codes), where a straight line
    between two independent Gaussian codes dips to about ``sqrt(latent_dim / 2)`` halfway. For
    (almost) parallel codes, where the arc is undefined, the direction is the straight line's.

    Args:
        z_a, z_b, t: as :func:`lerp`.

    Returns:
        float32 points shaped as :func:`lerp`'s.

    Raises:
        TypeError, ValueError: as :func:`lerp`, and a ``ValueError`` for a zero code.

    Example:
        >>> path = slerp(np.array([1.0, 0.0]), np.array([0.0, 1.0]), [0.5])
        >>> np.linalg.norm(path[0])  # 1.0; lerp's midpoint has length 0.71
    """
    z_a, z_b = _latent_pair(z_a, z_b)
    fractions, scalar = _fractions(t)
    a, b = z_a.astype(np.float64), z_b.astype(np.float64)
    norm_a = np.linalg.norm(a, axis=-1, keepdims=True)
    norm_b = np.linalg.norm(b, axis=-1, keepdims=True)
    if np.any(norm_a == 0) or np.any(norm_b == 0):
        raise ValueError(
            "slerp needs codes with a direction, got a zero vector in z_a or z_b; use lerp for "
            "paths that start or end at the origin."
        )
    unit_a, unit_b = a / norm_a, b / norm_b
    cosine = np.clip(np.sum(unit_a * unit_b, axis=-1, keepdims=True), -1.0, 1.0)
    angle = np.arccos(cosine)
    sine = np.sin(angle)
    steps = fractions.astype(np.float64).reshape((-1,) + (1,) * a.ndim)
    parallel = sine < 1e-6
    safe_sine = np.where(parallel, 1.0, sine)
    weight_a = np.where(parallel, 1 - steps, np.sin((1 - steps) * angle) / safe_sine)
    weight_b = np.where(parallel, steps, np.sin(steps * angle) / safe_sine)
    direction = weight_a * unit_a + weight_b * unit_b
    direction /= np.maximum(np.linalg.norm(direction, axis=-1, keepdims=True), 1e-12)
    length = (1 - steps) * norm_a + steps * norm_b
    return _shape_steps((direction * length).astype(np.float32), scalar)


def truncated_latent(n: int, latent_dim: int, psi: float, seed: int | None = None) -> np.ndarray:
    """Gaussian codes shrunk toward the mean: ``psi * z`` with ``z ~ N(0, I)``.

    The truncation trick by scaling, also called reduced-temperature sampling (as in Glow;
    StyleGAN instead pulls its intermediate codes toward their mean in W space): ``psi = 1`` is
    the training distribution, ``psi = 0`` puts every code at the mean, and in between the
    codes are Gaussian with standard deviation ``psi``. We scale rather than redraw entries
    beyond a threshold (BigGAN's variant) because scaling is one smooth knob defined down to 0,
    and because it keeps the order of the entries: a class-coded generator
    (``build_generator(n_classes=10)``) still draws the digit each code chose, for any
    ``psi > 0``. The same seed gives the same directions for every ``psi``.

    Args:
        n: number of codes.
        latent_dim: size of each code.
        psi: the scale, in [0, 1].
        seed: an int for repeatable codes, or None.

    Returns:
        float32 ``(n, latent_dim)``.

    Raises:
        TypeError, ValueError: a non-positive ``n`` or ``latent_dim``, ``psi`` outside [0, 1],
            or a bad ``seed``.

    Example:
        >>> z = truncated_latent(16, 64, psi=0.5, seed=0)  # z.std() is about 0.5
    """
    n = checks.positive_int(n, "n", 64)
    latent_dim = checks.positive_int(latent_dim, "latent_dim", 64)
    psi = checks.number_in_range(psi, "psi", 0.0, 1.0, 0.7)
    seed = checks.seed(seed)
    z = np.random.default_rng(seed).standard_normal((n, latent_dim))
    # Adding 0.0 turns the -0.0 entries of psi = 0 into +0.0: an argmax (a class code) tells
    # the two apart, so without it every "center" code would choose a different class.
    return (psi * z + 0.0).astype(np.float32)


def _generator_latent_dim(generator) -> int:
    checks.keras_model(generator, "generator", "gan_helpers.load_pretrained_generator()")
    shapes = [tuple(tensor.shape) for tensor in generator.inputs]
    if len(shapes) != 1 or len(shapes[0]) != 2 or shapes[0][1] is None:
        raise ValueError(
            f"generator must take one flat latent input (batch, latent_dim), got input shapes "
            f"{shapes}; for a conditional generator wrap it, e.g. keras.Model(z, "
            "conditional([z, fixed_labels]))."
        )
    return int(shapes[0][1])


def _starting_codes(initial, n: int, restarts: int, latent_dim: int, seed) -> np.ndarray:
    if initial is None:
        rng = np.random.default_rng(seed)
        return rng.standard_normal((n, restarts, latent_dim)).astype(np.float32)
    array = np.asarray(initial)
    if array.dtype.kind not in "fiu":
        raise TypeError(
            f"initial must be float codes (n, restarts, latent_dim), got "
            f"{checks.describe(initial)}; pass e.g. np.random.standard_normal(({n}, {restarts}, "
            f"{latent_dim}))."
        )
    if array.shape != (n, restarts, latent_dim) or not np.all(np.isfinite(array)):
        raise ValueError(
            f"initial must be finite codes of shape (n, restarts, latent_dim) = ({n}, {restarts}, "
            f"{latent_dim}), got {checks.describe(array)}; one start per image and restart."
        )
    return array.astype(np.float32)


@tf.function(reduce_retracing=True)
def _descend(generator, targets, codes, steps, learning_rate):
    """Adam on the per-code mean squared pixel error; returns final codes and their errors."""
    beta_1, beta_2, epsilon = 0.9, 0.999, 1e-8
    first = tf.zeros_like(codes)
    second = tf.zeros_like(codes)
    for step in tf.range(1, steps + 1):
        with tf.GradientTape() as tape:
            tape.watch(codes)
            images = generator(codes, training=False)
            total_error = tf.reduce_sum(tf.reduce_mean(tf.square(images - targets), axis=[1, 2, 3]))
        gradient = tape.gradient(total_error, codes)
        first = beta_1 * first + (1 - beta_1) * gradient
        second = beta_2 * second + (1 - beta_2) * tf.square(gradient)
        count = tf.cast(step, codes.dtype)
        corrected = first / (1 - beta_1**count)
        scale = tf.sqrt(second / (1 - beta_2**count)) + epsilon
        codes = codes - learning_rate * corrected / scale
    images = generator(codes, training=False)
    return codes, tf.reduce_mean(tf.square(images - targets), axis=[1, 2, 3])


def invert(
    generator: keras.Model,
    images,
    steps: int = 300,
    restarts: int = 4,
    seed: int | None = 0,
    learning_rate: float = 0.05,
    initial=None,
    batch_size: int = 256,
) -> tuple[np.ndarray, np.ndarray]:
    """Find codes whose generated images match ``images``, by gradient descent on the pixels.

    For each image, ``restarts`` starting codes (Gaussian, or ``initial``) take ``steps`` Adam
    steps on the mean squared pixel error ``mean((G(z) - image)^2)``, all in one compiled
    TensorFlow loop; the code with the smallest final error is kept. Restarts matter because
    the error has many local minima, and because a part of the code that the generator reads
    through a step function (such as the class code of ``build_generator(n_classes=...)``)
    gets no gradient: only a start that already chose the right value can find it. The
    generator runs with ``training=False`` and its weights do not change.

    Args:
        generator: a ``keras.Model`` from ``(latent_dim,)`` to images in [-1, 1].
        images: float32 targets ``(n, height, width, channels)`` in [-1, 1], of the generator's
            output shape (``gan_helpers.scale_images`` converts uint8 pixels).
        steps: Adam steps per start.
        restarts: starting codes per image.
        seed: seed for the Gaussian starts (ignored with ``initial``), or None.
        learning_rate: Adam's step size.
        initial: optional starting codes ``(n, restarts, latent_dim)``, e.g. one per class.
        batch_size: images optimized together (each with all its restarts).

    Returns:
        ``(codes, errors)``: the best code per image, float32 ``(n, latent_dim)``, and its mean
        squared pixel error, float64 ``(n,)``.

    Raises:
        TypeError: a generator that is not a Keras model; images that are not float32; a size
            or rate of the wrong type.
        ValueError: a generator without a flat latent input; images of the wrong shape or
            outside [-1, 1]; a non-positive size or rate; ``initial`` of the wrong shape.

    Example:
        >>> codes, errors = invert(generator, generator(z_true), steps=300, restarts=4)
    """
    latent_dim = _generator_latent_dim(generator)
    output_shape = tuple(generator.outputs[0].shape[1:])
    targets = checks.images(images, "images", shape=output_shape)
    steps = checks.positive_int(steps, "steps", 300)
    restarts = checks.positive_int(restarts, "restarts", 4)
    seed = checks.seed(seed)
    learning_rate = checks.positive_number(learning_rate, "learning_rate", 0.05)
    batch_size = checks.positive_int(batch_size, "batch_size", 256)
    n = len(targets)
    starts = _starting_codes(initial, n, restarts, latent_dim, seed)
    best_codes = np.empty((n, latent_dim), np.float32)
    best_errors = np.empty(n, np.float64)
    for begin in range(0, n, batch_size):
        chunk = slice(begin, min(begin + batch_size, n))
        count = chunk.stop - chunk.start
        repeated = np.repeat(targets[chunk], restarts, axis=0)
        codes, errors = _descend(
            generator,
            tf.constant(repeated),
            tf.constant(starts[chunk].reshape(count * restarts, latent_dim)),
            tf.constant(steps),
            tf.constant(learning_rate, tf.float32),
        )
        codes = codes.numpy().reshape(count, restarts, latent_dim)
        errors = errors.numpy().astype(np.float64).reshape(count, restarts)
        pick = np.argmin(errors, axis=1)
        best_codes[chunk] = codes[np.arange(count), pick]
        best_errors[chunk] = errors[np.arange(count), pick]
    return best_codes, best_errors
