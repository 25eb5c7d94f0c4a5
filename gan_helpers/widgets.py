"""Interactive widgets for the lessons (ipywidgets 8 and matplotlib).

- :func:`latent_explorer` (lesson 2): slide between two latent codes and watch the image.
- :func:`digit_picker` (lesson 6): ask a conditional generator for a digit in eight styles.
- :class:`Playground` (lesson 5): a live 2-D GAN in the spirit of GAN Lab.
- :func:`style_explorer` (lesson 9): pick a digit and a style and move along latent directions.

Each one *is* an ``ipywidgets`` box: put it last in a cell (or ``display`` it) to show it.
Each also exposes what it currently shows (``.image``, ``.images``, ``.stats``...) so that a
test or a notebook cell can move a control from code and check the picture changed. When a
notebook is viewed where widgets cannot run (GitHub, a saved copy without a kernel), the
display falls back to a still picture of the widget's state when it was shown.

Pictures are drawn on pyplot-free matplotlib figures, so nothing appears outside the widget,
and no work happens at import time.

Example:
    >>> from gan_helpers.widgets import Playground
    >>> playground = Playground(data="ring")
    >>> playground.train(2000)  # a trained first frame, then press Play
    >>> playground
"""

from __future__ import annotations

import base64
import html
import io
import re
import threading
import time
import traceback
import weakref
from collections.abc import Mapping

import ipywidgets as widgets
import keras
import matplotlib
import numpy as np
import PIL.Image
import tensorflow as tf
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import checks
from .data import GaussianMixture2D, grid_mixture, ring_mixture
from .gan import GAN
from .losses import LOSSES, check_loss_kind, generator_loss
from .measures import mode_stats
from .models import build_mlp_discriminator, build_mlp_generator
from .scoring import _conditional_generator_of, classify

__all__ = [
    "DigitPicker",
    "LatentExplorer",
    "Playground",
    "StyleExplorer",
    "digit_picker",
    "latent_explorer",
    "style_explorer",
]

_PNG_SIGNATURE = b"\x89PNG"


def _figure_bytes(fig: Figure, image_format: str = "png") -> bytes:
    """Encode ``fig`` as PNG or JPEG bytes (JPEG is about 3x faster to encode than PNG)."""
    buffer = io.BytesIO()
    options = {"pil_kwargs": {"quality": 85}} if image_format == "jpeg" else {}
    fig.savefig(buffer, format=image_format, **options)
    return buffer.getvalue()


def _new_figure(width: float, height: float, dpi: int = 80) -> Figure:
    """A matplotlib Figure with an Agg canvas and no pyplot state (never shown by accident)."""
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def _int_between(value, name: str, low: int, high: int, example: int) -> int:
    value = checks.int_at_least(value, name, low, example)
    if value > high:
        raise ValueError(
            f"{name} must be an int from {low} to {high}, got {value}; pass e.g. {name}={example}."
        )
    return value


class _StillFallback:
    """Adds a still picture to the widget's display data for viewers that cannot run widgets.

    JupyterLab, Notebook 7 and VS Code prefer the live widget view; GitHub and nbviewer show
    the picture instead.
    """

    picture: widgets.Image

    def _start_picture(self) -> None:
        """The still picture and the figure behind it (for the one-image explorers)."""
        self.picture = widgets.Image(format="png")
        self._fig = _new_figure(2.6, 2.8)
        self._ax = self._fig.subplots()
        self._ax.axis("off")
        self._artist = None

    def _show_code(self, code: np.ndarray, title: str) -> None:
        """Draw ``generator(code)`` titled ``title`` (plus the classifier's verdict, if any)."""
        self.code = code
        self.image = np.asarray(self.generator(self.code[None], training=False))[0]
        self.label = self.confidence = None
        if self.classify is not None:
            labels, probabilities = self.classify(self.image[None])
            self.label, self.confidence = int(labels[0]), float(probabilities[0].max())
            title += f"\nclassifier: {self.label} ({self.confidence:.0%})"
        shown = self.image[..., 0] if self.image.shape[-1] == 1 else (self.image + 1) / 2
        if self._artist is None:
            self._artist = self._ax.imshow(shown, cmap="gray", vmin=-1, vmax=1)
        else:
            self._artist.set_data(shown)
        self._ax.set_title(title, fontsize=10)
        self.picture.value = _figure_bytes(self._fig)

    def _watch_controls(self) -> None:
        """Redraw whenever a control changes, and draw the first picture now."""
        for control in self.controls.values():
            control.observe(self._redraw, names="value")
        self._redraw()

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None and self.picture.value:
            # Notebook files store images as base64 text; raw bytes would make the saved
            # notebook invalid (nbformat refuses it when nbconvert writes an executed copy).
            encoded = base64.b64encode(self.picture.value).decode("ascii")
            bundle[f"image/{self.picture.format}"] = encoded
        return bundle


# ---------------------------------------------------------------------------------------------
# Lesson 2: the latent explorer


def _flat_latent_dim(generator: keras.Model, name: str, n_inputs: int = 1) -> int:
    """The latent size of ``generator``, whose first input must be ``(batch, latent_dim)``."""
    shapes = [tuple(tensor.shape) for tensor in generator.inputs]
    if len(shapes) != n_inputs or len(shapes[0]) != 2 or shapes[0][-1] is None:
        wanted = "[z, label]" if n_inputs == 2 else "z"
        raise ValueError(
            f"{name} must take {wanted} with z of shape (batch, latent_dim), got input shapes "
            f"{shapes}; pass e.g. gan_helpers.load_pretrained_generator()."
        )
    return int(shapes[0][-1])


class LatentExplorer(_StillFallback, widgets.HBox):
    """The latent explorer of lesson 2; build it with :func:`latent_explorer`.

    Attributes:
        controls: the sliders, ``{"seed_a": ..., "seed_b": ..., "t": ...}``.
        picture: the ``ipywidgets.Image`` showing the current image (PNG bytes).
        code: the current latent vector ``(latent_dim,)``.
        image: the current image ``(height, width, channels)`` in [-1, 1].
        label, confidence: the classifier's verdict on it (None without a classifier).
    """

    def __init__(
        self, generator: keras.Model, seed_a: int, seed_b: int, t: float, max_seed: int, classify
    ):
        self.generator = generator
        self.latent_dim = _flat_latent_dim(generator, "generator")
        self.classify = classify
        self.controls = {
            "seed_a": widgets.IntSlider(
                seed_a, min=0, max=max_seed, description="seed A", continuous_update=False
            ),
            "seed_b": widgets.IntSlider(
                seed_b, min=0, max=max_seed, description="seed B", continuous_update=False
            ),
            "t": widgets.FloatSlider(
                t, min=0.0, max=1.0, step=0.05, description="t", continuous_update=False
            ),
        }
        self._start_picture()
        super().__init__([widgets.VBox(list(self.controls.values())), self.picture])
        self._watch_controls()

    def _code_for_seed(self, seed: int) -> np.ndarray:
        return np.random.default_rng(seed).standard_normal(self.latent_dim).astype(np.float32)

    def _redraw(self, change=None) -> None:
        seed_a, seed_b, t = (self.controls[k].value for k in ("seed_a", "seed_b", "t"))
        code = (1 - t) * self._code_for_seed(seed_a) + t * self._code_for_seed(seed_b)
        self._show_code(code, f"t = {t:.2f}")


def latent_explorer(
    generator: keras.Model,
    seed_a: int = 1,
    seed_b: int = 2,
    t: float = 0.0,
    max_seed: int = 99,
    classify_digits: bool = True,
) -> LatentExplorer:
    """A widget that walks the straight line between two latent codes.

    Each seed gives a code ``z = N(0, 1)`` drawn with ``np.random.default_rng(seed)``; the
    picture is ``G((1 - t) * z_a + t * z_b)``, titled with the bundled MNIST classifier's
    verdict. Sliders redraw when released (or moved with the arrow keys).

    Args:
        generator: a ``keras.Model`` from ``(latent_dim,)`` to images in [-1, 1].
        seed_a, seed_b: the two starting seeds, in ``[0, max_seed]``.
        t: the starting position on the line, in [0, 1].
        max_seed: the largest seed the sliders offer.
        classify_digits: title the image with the digit classifier's verdict (MNIST-shaped
            images only).

    Returns:
        A :class:`LatentExplorer` (an ``ipywidgets.HBox``); ``.image`` is the image shown and
        ``.controls`` the sliders.

    Raises:
        TypeError: ``generator`` is not a Keras model, or an argument has the wrong type.
        ValueError: the generator does not take a flat latent vector, or a seed or ``t`` is
            out of range.

    Example:
        >>> explorer = latent_explorer(gan_helpers.load_pretrained_generator())
        >>> explorer.controls["t"].value = 0.5  # moves the slider; explorer.image changes
        >>> explorer
    """
    checks.keras_model(generator, "generator", "gan_helpers.load_pretrained_generator()")
    max_seed = checks.positive_int(max_seed, "max_seed", 99)
    seed_a = _int_between(seed_a, "seed_a", 0, max_seed, 1)
    seed_b = _int_between(seed_b, "seed_b", 0, max_seed, 2)
    t = checks.number_in_range(t, "t", 0.0, 1.0, 0.5)
    classify_digits = checks.boolean(classify_digits, "classify_digits")
    return LatentExplorer(
        generator, seed_a, seed_b, t, max_seed, classify if classify_digits else None
    )


# ---------------------------------------------------------------------------------------------
# Lesson 6: the digit picker


def _conditional_generator(model, name: str) -> keras.Model:
    model = _conditional_generator_of(model, name)
    _flat_latent_dim(model, name, n_inputs=2)
    return model


class DigitPicker(_StillFallback, widgets.VBox):
    """The digit picker of lesson 6; build it with :func:`digit_picker`.

    Attributes:
        controls: ``{"digit": ..., "style_seed": ..., "model": ...}`` (the last only when
            several models are offered).
        picture: the ``ipywidgets.Image`` showing the current row of samples (PNG bytes).
        images: the samples shown, ``(n_samples, 28, 28, 1)`` in [-1, 1].
        predicted: the classifier's digit for each sample (None without a classifier).
    """

    def __init__(
        self,
        generators: dict[str, keras.Model],
        digit: int,
        style_seed: int,
        n_samples: int,
        n_classes: int,
        max_seed: int,
        classify,
    ):
        self.generators = generators
        self.n_samples = n_samples
        self.classify = classify
        self.controls = {
            "digit": widgets.IntSlider(digit, min=0, max=n_classes - 1, description="digit"),
            "style_seed": widgets.IntSlider(
                style_seed, min=0, max=max_seed, description="style seed"
            ),
        }
        rows = [widgets.HBox(list(self.controls.values()))]
        if len(generators) > 1:
            self.controls["model"] = widgets.ToggleButtons(
                options=list(generators), description="model"
            )
            rows.append(self.controls["model"])
        self.picture = widgets.Image(format="png")
        self._fig = _new_figure(1.1 * n_samples, 1.5)
        self._axes = np.atleast_1d(self._fig.subplots(1, n_samples))
        self._artists = []
        for ax in self._axes:
            ax.axis("off")
        super().__init__([*rows, self.picture])
        for control in self.controls.values():
            control.observe(self._redraw, names="value")
        self._redraw()

    @property
    def model_name(self) -> str:
        """The name of the model shown."""
        if "model" in self.controls:
            return self.controls["model"].value
        return next(iter(self.generators))

    def _redraw(self, change=None) -> None:
        generator = self.generators[self.model_name]
        latent_dim = _flat_latent_dim(generator, "generator", n_inputs=2)
        seed = self.controls["style_seed"].value
        z = np.random.default_rng(seed).standard_normal((self.n_samples, latent_dim))
        labels = np.full(self.n_samples, self.controls["digit"].value, dtype=np.int32)
        self.images = np.asarray(generator([z.astype(np.float32), labels], training=False))
        self.predicted = None
        if self.classify is not None:
            self.predicted = self.classify(self.images)[0]
        for index, ax in enumerate(self._axes):
            if len(self._artists) <= index:
                self._artists.append(
                    ax.imshow(self.images[index, ..., 0], cmap="gray", vmin=-1, vmax=1)
                )
            else:
                self._artists[index].set_data(self.images[index, ..., 0])
            if self.predicted is not None:
                ax.set_title(f"classified {self.predicted[index]}", fontsize=8)
        self.picture.value = _figure_bytes(self._fig)


def digit_picker(
    conditional_generator,
    digit: int = 7,
    style_seed: int = 0,
    n_samples: int = 8,
    n_classes: int = 10,
    max_seed: int = 99,
    classify_digits: bool = True,
) -> DigitPicker:
    """A widget that asks a conditional generator for one digit in ``n_samples`` styles.

    The styles are ``n_samples`` noise vectors drawn with ``np.random.default_rng(style_seed)``
    (the same vectors as ``ConditionalGAN.generate(seed=style_seed, labels=...)``), so keeping
    the seed and changing the digit writes one set of styles as another digit.

    Args:
        conditional_generator: a ``gan_helpers.ConditionalGAN``, a ``keras.Model`` taking
            ``[z, label]``, or a dict ``{name: model}`` of several (a toggle picks one).
        digit: the starting digit, in ``[0, n_classes)``.
        style_seed: the starting style seed, in ``[0, max_seed]``.
        n_samples: samples per row.
        n_classes: number of labels the generator knows.
        max_seed: the largest seed the slider offers.
        classify_digits: title each sample with the bundled digit classifier's verdict.

    Returns:
        A :class:`DigitPicker` (an ``ipywidgets.VBox``); ``.images`` are the samples shown,
        ``.controls`` the sliders.

    Raises:
        TypeError: a model is not a conditional generator, or an argument has the wrong type.
        ValueError: an empty dict, or a digit, seed or count out of range.

    Example:
        >>> bundled = gan_helpers.load_pretrained_generator("mnist_conditional_generator")
        >>> picker = digit_picker(bundled, digit=3)
        >>> picker.controls["digit"].value = 5  # picker.images are now fives
    """
    if isinstance(conditional_generator, Mapping):
        if not conditional_generator:
            raise ValueError(
                "conditional_generator is an empty dict; pass e.g. {'bundled': generator}."
            )
        generators = {
            str(name): _conditional_generator(model, f"conditional_generator[{name!r}]")
            for name, model in conditional_generator.items()
        }
    else:
        generators = {"model": _conditional_generator(conditional_generator, "generator")}
    n_classes = checks.int_at_least(n_classes, "n_classes", 2, 10)
    digit = _int_between(digit, "digit", 0, n_classes - 1, 7)
    max_seed = checks.positive_int(max_seed, "max_seed", 99)
    style_seed = _int_between(style_seed, "style_seed", 0, max_seed, 0)
    n_samples = _int_between(n_samples, "n_samples", 1, 16, 8)
    classify_digits = checks.boolean(classify_digits, "classify_digits")
    return DigitPicker(
        generators,
        digit,
        style_seed,
        n_samples,
        n_classes,
        max_seed,
        classify if classify_digits else None,
    )


# ---------------------------------------------------------------------------------------------
# Lesson 5: the playground, a live 2-D GAN

_DATA_OPTIONS = {"ring": "ring of 8", "grid": "grid of 25", "points": "your points"}
_LOSS_LABELS = {"wasserstein": "Wasserstein + GP"}  # others: the name with spaces
_PROBABILITY_LOSSES = ("minimax", "non_saturating")  # D(x) = sigmoid(logit) is a probability
_MAX_PACK = 4
_MAX_D_STEPS = 5
_MAX_STEPS_PER_FRAME = 100
_HEAT_RESOLUTION = 40
_N_STATS = 2000  # generated points scored by mode_stats each frame
_N_SHOWN = 500  # of which this many are drawn
_N_REAL_SHOWN = 500
_N_ARROWS = 30
_HEAT_COLORMAP = "PRGn"  # green: "real", purple: "fake", as in GAN Lab
_HEAT_ALPHA = 0.8


def _parse_points(text: str) -> np.ndarray:
    """Points ``(n, 2)`` from text with one ``x, y`` (or ``x y``) pair per line or per ``;``."""
    if not isinstance(text, str):
        raise TypeError(f"points text must be a string, got {checks.describe(text)}.")
    rows = []
    for number, line in enumerate(re.split(r"[;\n]", text), start=1):
        fields = [field for field in re.split(r"[,\s]+", line.strip()) if field]
        if not fields:
            continue
        try:
            values = [float(field) for field in fields]
        except ValueError:
            values = []
        if len(values) != 2:
            raise ValueError(
                f"points: entry {number} ({line.strip()!r}) is not two numbers; write one "
                "point per line as 'x, y', e.g. '0.5, -1'."
            )
        rows.append(values)
    if not rows:
        raise ValueError("points: no points found; write one point per line as 'x, y'.")
    return np.asarray(rows)


def _points_mixture(points, points_std: float) -> GaussianMixture2D:
    if isinstance(points, str):
        points = _parse_points(points)
    centers = checks.float_matrix(points, "points", min_rows=1, columns=2)
    return GaussianMixture2D("points", centers, float(points_std))


def _format_points(centers: np.ndarray) -> str:
    return "\n".join(f"{x:g}, {y:g}" for x, y in centers)


class _Engine:
    """One compiled 2-D GAN for one (loss, pack, minibatch std, D steps) combination.

    Holds the models, the optimizers, a copy of their starting state (which :meth:`restart`
    restores) and two ``tf.function``s: :meth:`train` runs many training steps in one call
    (an in-graph ``tf.range`` loop, so no Python runs between steps) and :meth:`snapshot`
    computes everything a frame shows.
    """

    def __init__(self, loss, pack, minibatch_std, d_steps, hidden, n_layers, batch_size, gp, seed):
        self.loss, self.pack, self.minibatch_std = loss, pack, minibatch_std
        self.batch_size = batch_size
        self.usable = (batch_size // pack) * pack  # samples that fill whole packs
        generator = build_mlp_generator(
            latent_dim=2, hidden=hidden, n_layers=n_layers, batch_norm=False
        )
        discriminator = build_mlp_discriminator(
            hidden=hidden, n_layers=n_layers, pack=pack, minibatch_std=minibatch_std
        )
        kernel_seeds = iter(range(seed * 1000, seed * 1000 + 1000))
        for weight in [*generator.weights, *discriminator.weights]:
            if len(weight.shape) == 2:  # kernels: Glorot uniform from our own seeds
                initializer = keras.initializers.GlorotUniform(seed=next(kernel_seeds))
                weight.assign(initializer(weight.shape))
        self.gan = GAN(
            generator, discriminator, loss=loss, d_steps=d_steps, pack=pack, gp_weight=gp, seed=seed
        )
        beta_2 = 0.9 if loss == "wasserstein" else 0.999
        self.gan.compile(
            d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5, beta_2=beta_2),
            g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5, beta_2=beta_2),
        )
        if minibatch_std:
            self.features = keras.Model(
                discriminator.inputs, discriminator.get_layer("minibatch_std").input
            )
            self.logit_layer = discriminator.get_layer("logit")
        self.state = [
            *generator.weights,
            *discriminator.weights,
            *(
                variable
                for optimizer in (self.gan.d_optimizer, self.gan.g_optimizer)
                for variable in optimizer.variables
                if variable.name != "learning_rate"
            ),
            self.gan.seed_generator.state,
            *(v for metric in self.gan.metrics for v in metric.variables),
        ]
        self.initial = [np.array(v.numpy()) for v in self.state]
        points = tf.TensorSpec([None, 2], tf.float32)
        self.train = tf.function(
            self._train,
            input_signature=[points, tf.TensorSpec([], tf.float32), tf.TensorSpec([], tf.int32)],
        )
        self.snapshot = tf.function(self._snapshot, input_signature=[points, points])
        # trace now (zero steps change nothing), so the first Step or Play does not wait for it
        self.train(tf.zeros((1, 2)), tf.constant(1.0), tf.constant(0, tf.int32))

    def restart(self, d_learning_rate: float, g_learning_rate: float) -> None:
        """Back to the starting weights, optimizer moments and random stream."""
        for variable, value in zip(self.state, self.initial, strict=True):
            variable.assign(value)
        self.set_learning_rates(d_learning_rate, g_learning_rate)

    def set_learning_rates(self, d_learning_rate: float, g_learning_rate: float) -> None:
        self.gan.d_optimizer.learning_rate = d_learning_rate
        self.gan.g_optimizer.learning_rate = g_learning_rate

    @property
    def steps(self) -> int:
        return int(self.gan.g_optimizer.iterations.numpy())

    def _train(self, centers, std, steps):
        n_modes = tf.shape(centers)[0]
        seed = self.gan.seed_generator
        for _ in tf.range(steps):
            which = keras.random.randint((self.batch_size,), 0, n_modes, seed=seed)
            noise = keras.random.normal((self.batch_size, 2), seed=seed)
            self.gan.train_step(tf.gather(centers, which) + std * noise)
        return self.gan.g_optimizer.iterations

    def _pack(self, points):
        return tf.reshape(
            points[: (tf.shape(points)[0] // self.pack) * self.pack], (-1, 2 * self.pack)
        )

    def _snapshot(self, z, grid):
        fakes = self.gan.generator(z, training=False)
        batch = fakes[: self.usable]
        with tf.GradientTape() as tape:
            tape.watch(batch)
            logits = self.gan.discriminator(self._pack(batch), training=False)
            # the batch's total loss, so each sample's gradient does not shrink with batch size
            total = generator_loss(logits, self.loss) * tf.cast(tf.shape(logits)[0], tf.float32)
        push = -tape.gradient(total, batch)
        return fakes, self._heat(grid, batch), push

    def _heat(self, grid, batch):
        """D's logit for a generated sample at each grid point, the rest of its pack and batch
        being the current generated samples (that is what the generator's gradient sees)."""
        inputs = grid
        if self.pack > 1:
            partners = tf.reshape(batch[: self.pack - 1], (1, 2 * (self.pack - 1)))
            inputs = tf.concat([grid, tf.tile(partners, [tf.shape(grid)[0], 1])], axis=1)
        if not self.minibatch_std:
            return self.gan.discriminator(inputs, training=False)[:, 0]
        reference = self.features(self._pack(batch), training=False)
        spread = tf.reduce_mean(tf.sqrt(tf.math.reduce_variance(reference, axis=0) + 1e-8))
        features = self.features(inputs, training=False)
        column = tf.ones_like(features[:, :1]) * spread
        return self.logit_layer(tf.concat([features, column], axis=1))[:, 0]


class _PlaygroundCanvas:
    """A persistent figure: only the artists' data change from frame to frame.

    Live frames (``annotated=False``) are drawn in two layers, because matplotlib spends most
    of a frame resampling the heatmap: matplotlib draws the points and arrows on a transparent
    figure, NumPy paints the heatmap (bilinear upsampling and a color table) behind them, and
    Pillow encodes the result as JPEG. Still figures (``annotated=True``) are plain matplotlib
    with a title and a legend.
    """

    def __init__(self, annotated: bool):
        self.annotated = annotated
        self.fig = _new_figure(4.6, 4.8 if annotated else 4.6)
        self.ax = self.fig.add_axes((0.01, 0.01, 0.98, 0.9) if annotated else (0, 0, 1, 1))
        self.ax.set_xticks([])
        self.ax.set_yticks([])
        self.real = self.ax.scatter([], [], s=5, color="tab:blue", linewidths=0, label="real")
        self.fake = self.ax.scatter(
            [], [], s=5, color="tab:orange", linewidths=0, label="generated"
        )
        zeros = np.zeros(_N_ARROWS)
        self.arrows = self.ax.quiver(
            zeros, zeros, zeros, zeros, angles="xy", scale_units="xy", scale=1, width=0.005
        )
        colors = matplotlib.colormaps[_HEAT_COLORMAP](np.linspace(0, 1, 256))[:, :3]
        if annotated:
            blank = np.zeros((_HEAT_RESOLUTION, _HEAT_RESOLUTION))
            self.heat = self.ax.imshow(
                blank,
                origin="lower",
                cmap=_HEAT_COLORMAP,
                vmin=0,
                vmax=1,
                alpha=_HEAT_ALPHA,
                interpolation="bilinear",
                zorder=0,
            )
            self.ax.legend(loc="lower right", fontsize=8, markerscale=2, framealpha=0.8)
            self.title = self.ax.set_title("", fontsize=9)
        else:
            self.fig.patch.set_alpha(0.0)
            self.ax.patch.set_visible(False)
            # the same colors as imshow(alpha=_HEAT_ALPHA) over white
            blended = _HEAT_ALPHA * colors + (1 - _HEAT_ALPHA)
            opaque = np.ones((256, 1))
            self.color_table = np.round(255 * np.hstack([blended, opaque])).astype(np.uint8)
            width, height = self.fig.canvas.get_width_height()
            rows = _linear_upsampling(_HEAT_RESOLUTION, height)[::-1]  # y grows upward
            self.upsample_rows = np.ascontiguousarray(rows, dtype=np.float32)
            self.upsample_columns = _linear_upsampling(_HEAT_RESOLUTION, width).T.astype(np.float32)

    def set_data(self, mixture: GaussianMixture2D, real_points: np.ndarray) -> np.ndarray:
        """Fit the view to ``mixture``; returns the heatmap's grid points ``(r * r, 2)``."""
        low, high = mixture.centers.min(axis=0), mixture.centers.max(axis=0)
        middle, span = (low + high) / 2, float(np.max(high - low))
        half = span / 2 + max(0.2 * span, 0.4, 6 * mixture.std)
        self.limits = (middle[0] - half, middle[0] + half, middle[1] - half, middle[1] + half)
        self.span = 2 * half
        self.ax.set_xlim(self.limits[:2])
        self.ax.set_ylim(self.limits[2:])
        if self.annotated:
            self.heat.set_extent(self.limits)
        self.real.set_offsets(real_points)
        xs = np.linspace(*self.limits[:2], _HEAT_RESOLUTION, dtype=np.float32)
        ys = np.linspace(*self.limits[2:], _HEAT_RESOLUTION, dtype=np.float32)
        return np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)

    def draw(self, heat, fakes, origins, pushes, title: str) -> bytes:
        """Draw one frame; returns it as JPEG bytes."""
        heat = heat.reshape(_HEAT_RESOLUTION, _HEAT_RESOLUTION)
        low, high = np.array(self.limits[::2]), np.array(self.limits[1::2])
        self.fake.set_offsets(np.clip(fakes, low, high))
        self.arrows.set_offsets(origins)
        self.arrows.set_UVC(pushes[:, 0], pushes[:, 1])
        if self.annotated:
            self.heat.set_data(heat)
            self.title.set_text(title)
            return _figure_bytes(self.fig, "jpeg")
        self.fig.canvas.draw()
        width, height = self.fig.canvas.get_width_height()
        layer = PIL.Image.frombuffer("RGBA", (width, height), self.fig.canvas.buffer_rgba())
        # heat is in [0, 1], so its linear interpolation is too: no clipping needed
        fine = self.upsample_rows @ heat.astype(np.float32) @ self.upsample_columns
        colors = np.take(self.color_table, (fine * 255 + 0.5).astype(np.uint8), axis=0)
        frame = PIL.Image.alpha_composite(PIL.Image.fromarray(colors, "RGBA"), layer)
        buffer = io.BytesIO()
        frame.convert("RGB").save(buffer, format="jpeg", quality=85)
        return buffer.getvalue()


def _linear_upsampling(n_in: int, n_out: int) -> np.ndarray:
    """The ``(n_out, n_in)`` matrix of linear interpolation from ``n_in`` to ``n_out`` samples."""
    position = np.linspace(0, n_in - 1, n_out)
    left = np.clip(np.floor(position).astype(int), 0, n_in - 2)
    weight = position - left
    matrix = np.zeros((n_out, n_in))
    matrix[np.arange(n_out), left] = 1 - weight
    matrix[np.arange(n_out), left + 1] = weight
    return matrix


class Playground(_StillFallback, widgets.VBox):
    """A live 2-D GAN in the notebook, in the spirit of GAN Lab.

    Blue dots are real samples, orange dots generated ones (the same 500 latent vectors every
    frame, so you see them move). The background is the discriminator's verdict on a generated
    sample at each spot: green "real", purple "fake" (for losses whose output is a score, not
    a probability, such as Wasserstein or hinge: the score rescaled to its range in the frame).
    Black arrows show where the generator's gradient pushes 30 of the generated samples (the
    longest is a tenth of the view wide; the counters give the mean size of the gradient,
    which falls toward 0 when it vanishes). With packing or minibatch standard deviation the
    discriminator judges groups, so the background is its verdict on a sample at that spot
    whose pack mates and batch are the current generated samples.

    Controls: the data (ring, grid, or points you type, one ``x, y`` per line), the loss,
    packing, minibatch std, discriminator steps per generator step, the two learning rates and
    the training steps per frame; **Play** trains in a background thread (the kernel stays
    free; it stops by itself after ``max_steps``), **Pause**, **Step** (one frame's worth of
    steps) and **Reset** (back to the starting weights). Changing the data, loss, packing,
    minibatch std or D steps resets; learning rates apply at once.

    Each frame runs ``steps_per_frame`` training steps in one compiled call (a ``tf.range``
    loop in a ``tf.function``: no Python between steps), then draws. The counters score 2,000
    generated samples with :func:`gan_helpers.mode_stats`.

    Args:
        data: ``"ring"``, ``"grid"``, ``"points"`` (then pass ``points``) or a
            ``GaussianMixture2D``.
        points: the learner's points, ``(n, 2)`` numbers or text with one ``x, y`` per line;
            each becomes a mode with standard deviation ``points_std``.
        points_std: the spread of each typed point's mode.
        loss: a registered loss name (``gan_helpers.LOSS_KINDS``); ``"wasserstein"`` comes
            with its gradient penalty.
        pack: samples per discriminator input (PacGAN), 1 to 4.
        minibatch_std: give the discriminator the batch's standard deviation as a feature.
        d_learning_rate, g_learning_rate: Adam learning rates (beta_1 = 0.5).
        d_steps: discriminator updates per generator update, 1 to 5.
        steps_per_frame: training steps (generator updates) per frame, 1 to 100.
        hidden, n_layers: width and depth of both MLPs.
        batch_size: real (and generated) samples per training step.
        gp_weight: gradient-penalty weight (default: the loss's own, as in ``gan_helpers.GAN``).
        max_steps: Play stops by itself at this step count.
        max_fps: Play draws at most this many frames per second.
        seed: seeds the starting weights, the training's random stream and the shown samples.

    Raises:
        TypeError, ValueError: for bad arguments; the message names the argument.

    Example:
        >>> playground = Playground(data="grid", pack=2)
        >>> playground.train(2000)   # so the first frame shows a trained state
        >>> playground               # last in a cell: shows it; then press Play
        >>> playground.stats["modes"], playground.step_count
    """

    _all_playgrounds: weakref.WeakSet = weakref.WeakSet()

    def __init__(
        self,
        data: str | GaussianMixture2D = "ring",
        points=None,
        points_std: float = 0.05,
        loss: str = "non_saturating",
        pack: int = 1,
        minibatch_std: bool = False,
        d_learning_rate: float = 1e-3,
        g_learning_rate: float = 1e-3,
        d_steps: int = 1,
        steps_per_frame: int = 10,
        hidden: int = 64,
        n_layers: int = 3,
        batch_size: int = 128,
        gp_weight: float | None = None,
        max_steps: int = 100_000,
        max_fps: float = 25.0,
        seed: int = 0,
    ):
        self.points_std = checks.positive_number(points_std, "points_std", 0.05)
        mixture = self._check_data(data, points)
        loss = check_loss_kind(loss)
        pack = _int_between(pack, "pack", 1, _MAX_PACK, 2)
        minibatch_std = checks.boolean(minibatch_std, "minibatch_std")
        d_learning_rate = checks.positive_number(d_learning_rate, "d_learning_rate", 1e-3)
        g_learning_rate = checks.positive_number(g_learning_rate, "g_learning_rate", 1e-3)
        d_steps = _int_between(d_steps, "d_steps", 1, _MAX_D_STEPS, 1)
        steps_per_frame = _int_between(
            steps_per_frame, "steps_per_frame", 1, _MAX_STEPS_PER_FRAME, 10
        )
        self.hidden = checks.positive_int(hidden, "hidden", 64)
        self.n_layers = checks.positive_int(n_layers, "n_layers", 3)
        self.batch_size = checks.int_at_least(batch_size, "batch_size", _MAX_PACK, 128)
        if gp_weight is not None:
            gp_weight = checks.positive_number(gp_weight, "gp_weight", 0.1)
        self.gp_weight = gp_weight
        self.max_steps = checks.positive_int(max_steps, "max_steps", 100_000)
        self.max_fps = checks.positive_number(max_fps, "max_fps", 25.0)
        self.seed = checks.seed(seed)
        if self.seed is None:
            raise TypeError("seed must be a non-negative int, got None; pass e.g. seed=0.")

        Playground._all_playgrounds.add(self)
        self.error: BaseException | None = None
        self.frames_per_second = 0.0
        self.stats: dict = {}
        self._engines: dict[tuple, _Engine] = {}
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._quiet = False  # True while controls are set from code, to skip their observers
        self._z = np.random.default_rng(self.seed).standard_normal((_N_STATS, 2)).astype("float32")
        self._canvas = _PlaygroundCanvas(annotated=False)
        self._build_controls(
            mixture,
            loss,
            pack,
            minibatch_std,
            d_learning_rate,
            g_learning_rate,
            d_steps,
            steps_per_frame,
        )
        super().__init__(self._layout())
        self._use_mixture(mixture)
        self._switch_engine()
        self._restart()

    # ----- construction -------------------------------------------------------------------
    def _check_data(self, data, points) -> GaussianMixture2D:
        if isinstance(data, GaussianMixture2D):
            return data
        data = checks.choice(data, "data", list(_DATA_OPTIONS))
        if data == "ring":
            return ring_mixture()
        if data == "grid":
            return grid_mixture()
        if points is None:
            raise ValueError(
                "data='points' needs points: pass points=[[0, 0], [1, 1]] or text with one "
                "'x, y' per line."
            )
        return _points_mixture(points, self.points_std)

    def _build_controls(
        self, mixture, loss, pack, minibatch_std, d_rate, g_rate, d_steps, steps_per_frame
    ):
        data_options = [(label, key) for key, label in _DATA_OPTIONS.items()]
        data_value = mixture.name if mixture.name in _DATA_OPTIONS else "custom"
        if data_value == "custom":
            data_options.append((f"{mixture.name} ({mixture.n_modes} modes)", "custom"))
        self._custom_mixture = mixture if data_value == "custom" else None
        short = widgets.Layout(width="300px")
        rate = {"base": 10, "min": -4.5, "max": -2, "step": 0.25, "readout_format": ".1e"}
        self.controls = {
            "data": widgets.Dropdown(
                options=data_options, value=data_value, description="data", layout=short
            ),
            "points": widgets.Textarea(
                value=_format_points(mixture.centers) if data_value == "points" else "0, 0\n1, 1",
                placeholder="one point per line: x, y",
                description="points",
                layout=widgets.Layout(width="300px", height="70px"),
            ),
            "use_points": widgets.Button(description="use these points", layout=short),
            "loss": widgets.Dropdown(
                options=[(_LOSS_LABELS.get(k, k.replace("_", " ")), k) for k in LOSSES],
                value=loss,
                description="loss",
                layout=short,
            ),
            "pack": widgets.IntSlider(pack, min=1, max=_MAX_PACK, description="packing"),
            "minibatch_std": widgets.Checkbox(minibatch_std, description="minibatch std"),
            "d_steps": widgets.IntSlider(d_steps, min=1, max=_MAX_D_STEPS, description="D steps"),
            "d_learning_rate": widgets.FloatLogSlider(d_rate, description="D rate", **rate),
            "g_learning_rate": widgets.FloatLogSlider(g_rate, description="G rate", **rate),
            "steps_per_frame": widgets.IntSlider(
                steps_per_frame, min=1, max=_MAX_STEPS_PER_FRAME, description="steps/frame"
            ),
        }
        for key in ("pack", "d_steps", "d_learning_rate", "g_learning_rate"):
            self.controls[key].continuous_update = False
        self.buttons = {
            "play": widgets.Button(description="Play", icon="play", button_style="success"),
            "pause": widgets.Button(description="Pause", icon="pause"),
            "step": widgets.Button(description="Step", icon="step-forward"),
            "reset": widgets.Button(description="Reset", icon="refresh"),
        }
        for button in self.buttons.values():
            button.layout = widgets.Layout(width="90px")
        self.picture = widgets.Image(format="jpeg", width=368)
        self.counters = widgets.HTML()
        self.status = widgets.HTML()

        self.buttons["play"].on_click(lambda _: self.play())
        self.buttons["pause"].on_click(lambda _: self.pause())
        self.buttons["step"].on_click(lambda _: self._run_from_ui(self.step))
        self.buttons["reset"].on_click(lambda _: self._run_from_ui(self.reset))
        self.controls["use_points"].on_click(lambda _: self._on_points())
        self.controls["data"].observe(self._on_data, names="value")
        for key in ("loss", "pack", "minibatch_std", "d_steps"):
            self.controls[key].observe(self._on_structure, names="value")
        for key in ("d_learning_rate", "g_learning_rate"):
            self.controls[key].observe(self._on_learning_rate, names="value")

    def _layout(self) -> list:
        settings = widgets.VBox(
            [
                self.controls[key]
                for key in (
                    "data",
                    "points",
                    "use_points",
                    "loss",
                    "pack",
                    "minibatch_std",
                    "d_steps",
                    "d_learning_rate",
                    "g_learning_rate",
                )
            ]
        )
        top = widgets.HBox([*self.buttons.values(), self.controls["steps_per_frame"]])
        return [top, widgets.HBox([self.picture, settings]), self.counters, self.status]

    # ----- public API ---------------------------------------------------------------------
    @property
    def step_count(self) -> int:
        """Training steps (generator updates) since the last reset."""
        return self._engine.steps

    @property
    def gan(self) -> GAN:
        """The ``gan_helpers.GAN`` being trained (its ``generator``, ``discriminator``...)."""
        return self._engine.gan

    @property
    def settings(self) -> dict:
        """The current settings: data, loss, packing, minibatch std, D steps, rates, steps."""
        names = ("loss", "pack", "minibatch_std", "d_steps", "d_learning_rate", "g_learning_rate")
        return {
            "data": self.mixture.name,
            **{name: self.controls[name].value for name in names},
            "steps_per_frame": self.controls["steps_per_frame"].value,
        }

    @property
    def playing(self) -> bool:
        """True while Play's background thread is training."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def image(self) -> bytes:
        """The current frame as JPEG bytes."""
        return self.picture.value

    def play(self) -> None:
        """Train and redraw continuously in a background thread until :meth:`pause`.

        Only one playground plays at a time (they would share the CPU): starting one pauses
        the others. An error during Play stops it and is shown under the picture (and kept
        in ``.error``). Play stops by itself at ``max_steps``.

        Example:
            >>> playground.play(); time.sleep(2); playground.pause()
        """
        if self.playing:
            return
        for other in list(Playground._all_playgrounds):
            if other is not self:
                other.pause()
        self._stop.clear()
        self._thread = threading.Thread(target=self._play_loop, name="gan-playground", daemon=True)
        self._thread.start()

    def pause(self) -> None:
        """Stop Play after the frame being drawn (waits for it); does nothing when paused.

        Example:
            >>> playground.pause()
            >>> playground.playing
            False
        """
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._thread = None

    def step(self, frames: int = 1) -> dict:
        """Pause, then train and draw ``frames`` frames of ``steps_per_frame`` steps each.

        Args:
            frames: how many frames.

        Returns:
            The counters after the last frame: ``{"step", "modes", "n_modes", "high_quality",
            "reverse_kl", "counts"}``.

        Raises:
            TypeError, ValueError: if ``frames`` is not a positive int.
        """
        frames = checks.positive_int(frames, "frames", 1)
        self.pause()
        for _ in range(frames):
            with self._lock:
                self._advance(self.controls["steps_per_frame"].value)
        return self.stats

    def train(self, steps: int) -> dict:
        """Pause, train ``steps`` steps without drawing in between, then draw one frame.

        Use it before showing the playground, so its first frame shows a trained state.

        Args:
            steps: training steps (generator updates).

        Returns:
            The counters, as :meth:`step`.

        Raises:
            TypeError, ValueError: if ``steps`` is not a positive int.
        """
        steps = checks.positive_int(steps, "steps", 1000)
        self.pause()
        with self._lock:
            self._engine.train(self._centers, self._std, tf.constant(steps, tf.int32))
            self._refresh()
        return self.stats

    def reset(self) -> None:
        """Pause and go back to the starting weights (the same ones every time: ``seed``).

        The optimizers' moments and the random stream restart too; the learning rates and
        other settings stay as they are.

        Example:
            >>> playground.reset()
            >>> playground.step_count
            0
        """
        self.pause()
        with self._lock:
            self._restart()

    def configure(self, **settings) -> None:
        """Change several settings at once, then rebuild and reset once.

        Args:
            settings: any of ``loss``, ``pack``, ``minibatch_std``, ``d_steps``,
                ``d_learning_rate``, ``g_learning_rate`` and ``steps_per_frame``, checked as in
                the constructor. Learning rates and steps per frame alone do not reset.

        Raises:
            TypeError, ValueError: for an unknown setting or a bad value.

        Example:
            >>> playground.configure(loss="wasserstein", d_steps=5)
        """
        checkers = {
            "loss": check_loss_kind,
            "pack": lambda v: _int_between(v, "pack", 1, _MAX_PACK, 2),
            "minibatch_std": lambda v: checks.boolean(v, "minibatch_std"),
            "d_steps": lambda v: _int_between(v, "d_steps", 1, _MAX_D_STEPS, 1),
            "d_learning_rate": lambda v: checks.positive_number(v, "d_learning_rate", 1e-3),
            "g_learning_rate": lambda v: checks.positive_number(v, "g_learning_rate", 1e-3),
            "steps_per_frame": lambda v: _int_between(
                v, "steps_per_frame", 1, _MAX_STEPS_PER_FRAME, 10
            ),
        }
        unknown = sorted(set(settings) - set(checkers))
        if unknown:
            raise TypeError(
                f"configure() got unknown settings {unknown}; use any of {sorted(checkers)}."
            )
        values = {name: checkers[name](value) for name, value in settings.items()}
        self._quiet = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._quiet = False
        self._on_learning_rate(None)
        if self._engine_key() != self._engine_key_in_use:
            self._with_play_resumed(self._rebuild)

    def set_data(self, data: str | GaussianMixture2D, points=None) -> None:
        """Switch the data set and reset.

        Args:
            data: ``"ring"``, ``"grid"``, ``"points"`` or a ``GaussianMixture2D``.
            points: with ``"points"``: ``(n, 2)`` numbers or text with one ``x, y`` per line.

        Raises:
            TypeError, ValueError: for unknown data or badly formed points.
        """
        mixture = self._check_data(data, points)
        self.pause()
        with self._lock:
            self._use_mixture(mixture)
            self._quiet = True
            try:
                if mixture.name == "points":
                    self.controls["points"].value = _format_points(mixture.centers)
                if mixture.name in _DATA_OPTIONS:
                    self.controls["data"].value = mixture.name
            finally:
                self._quiet = False
            self._restart()

    def figure(self) -> Figure:
        """A still copy of the current frame, with a title and a legend (for static pages).

        Returns:
            A pyplot-free matplotlib ``Figure``: last in a cell it is shown once; or
            ``savefig`` it.

        Example:
            >>> playground.figure().savefig("playground.png")
        """
        with self._lock:
            canvas = _PlaygroundCanvas(annotated=True)
            canvas.set_data(self.mixture, self._real_points)
            canvas.draw(*self._frame_data, title=self._title())
        return canvas.fig

    def close(self) -> None:
        """Stop Play and close the widget and its children (their views disappear).

        Example:
            >>> playground.close()
        """
        if not hasattr(self, "_stop"):  # construction failed before the widget existed
            return
        self.pause()
        for child in [*self.controls.values(), *self.buttons.values(), self.picture]:
            child.close()
        super().close()

    # ----- engine and data ----------------------------------------------------------------
    def _engine_key(self) -> tuple:
        return tuple(self.controls[k].value for k in ("loss", "pack", "minibatch_std", "d_steps"))

    def _switch_engine(self) -> None:
        key = self._engine_key()
        if key not in self._engines:
            self._set_status("compiling the networks for these settings...")
            self._engines[key] = _Engine(
                *key, self.hidden, self.n_layers, self.batch_size, self.gp_weight, self.seed
            )
            self._set_status("")
        self._engine = self._engines[key]
        self._engine_key_in_use = key

    def _use_mixture(self, mixture: GaussianMixture2D) -> None:
        self.mixture = mixture
        self._centers = tf.constant(mixture.centers, tf.float32)
        self._std = tf.constant(mixture.std, tf.float32)
        self._real_points = mixture.sample(_N_REAL_SHOWN, seed=self.seed)
        self._grid = self._canvas.set_data(mixture, self._real_points)

    def _restart(self) -> None:
        self._engine.restart(
            self.controls["d_learning_rate"].value, self.controls["g_learning_rate"].value
        )
        self.error = None
        self._refresh()

    # ----- frames -------------------------------------------------------------------------
    def _advance(self, steps: int) -> None:
        self._engine.train(self._centers, self._std, tf.constant(steps, tf.int32))
        self._refresh()

    def _refresh(self) -> None:
        fakes, logits, pushes = (np.asarray(t) for t in self._engine.snapshot(self._z, self._grid))
        if self._engine.loss in _PROBABILITY_LOSSES:
            heat = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        else:  # a score, not a probability: rescale it to this frame's range
            heat = (logits - logits.min()) / max(float(np.ptp(logits)), 1e-12)
        gradient_size = float(np.mean(np.linalg.norm(pushes, axis=1)))
        pushes = pushes[:_N_ARROWS]
        norms = np.linalg.norm(pushes, axis=1)
        # the longest arrow is a tenth of the view; the counters give the true size
        pushes = pushes * (0.1 * self._canvas.span / max(float(norms.max()), 1e-12))
        self._frame_data = (heat, fakes[:_N_SHOWN], fakes[:_N_ARROWS], pushes)
        if not np.all(np.isfinite(fakes)):
            raise FloatingPointError(
                "the generator produced NaN or infinite points: training diverged; press Reset "
                "and lower the learning rates."
            )
        stats = mode_stats(fakes, self.mixture)
        self.stats = {
            "step": self.step_count,
            "n_modes": self.mixture.n_modes,
            **stats,
            "gradient_size": gradient_size,
        }
        self.picture.value = self._canvas.draw(*self._frame_data, title=self._title())
        self.counters.value = self._counter_html()

    def _title(self) -> str:
        s = self.stats
        return (
            f"step {s['step']:,}: {s['modes']}/{s['n_modes']} modes, "
            f"high quality {s['high_quality']:.0%}, reverse KL {s['reverse_kl']:.2f}"
        )

    def _counter_html(self) -> str:
        s = self.stats
        kl_note = " (no high-quality samples: ln K)" if s["high_quality"] == 0 else ""
        fps = f" &middot; {self.frames_per_second:.1f} frames/s" if self.playing else ""
        return (
            f"<b>step {s['step']:,}</b> &middot; modes covered {s['modes']} of {s['n_modes']} "
            f"&middot; high quality {s['high_quality']:.1%} &middot; reverse KL "
            f"{s['reverse_kl']:.3f}{kl_note} &middot; generator gradient {s['gradient_size']:.2g}"
            f"{fps}"
        )

    def _play_loop(self) -> None:
        try:
            while not self._stop.is_set():
                start = time.perf_counter()
                with self._lock:
                    remaining = self.max_steps - self.step_count
                    if remaining <= 0:
                        self._set_status(f"Play stopped at max_steps={self.max_steps:,}.")
                        break
                    self._advance(min(self.controls["steps_per_frame"].value, remaining))
                elapsed = time.perf_counter() - start
                self._stop.wait(max(0.0, 1.0 / self.max_fps - elapsed))
                rate = 1.0 / max(time.perf_counter() - start, 1e-6)
                self.frames_per_second = (
                    rate
                    if not self.frames_per_second
                    else 0.8 * self.frames_per_second + 0.2 * rate
                )
        except Exception as error:  # shown in the widget: a thread has nowhere else to report
            self.error = error
            self._set_status(
                f"Play stopped by an error: {type(error).__name__}: {error}<pre>"
                f"{html.escape(traceback.format_exc(limit=3))}</pre>",
                error=True,
            )

    # ----- control callbacks --------------------------------------------------------------
    def _set_status(self, text: str, error: bool = False) -> None:
        color = "#b00020" if error else "#555"
        self.status.value = f"<span style='color:{color}'>{text}</span>" if text else ""

    def _run_from_ui(self, action) -> None:
        try:
            action()
        except Exception as error:
            self.error = error
            self._set_status(f"{type(error).__name__}: {html.escape(str(error))}", error=True)
            raise

    def _with_play_resumed(self, action) -> None:
        was_playing = self.playing
        self.pause()
        with self._lock:
            action()
        if was_playing:
            self.play()

    def _on_structure(self, change) -> None:
        if not self._quiet:
            self._with_play_resumed(self._rebuild)

    def _rebuild(self) -> None:
        self._switch_engine()
        self._restart()

    def _on_learning_rate(self, change) -> None:
        self._engine.set_learning_rates(
            self.controls["d_learning_rate"].value, self.controls["g_learning_rate"].value
        )

    def _on_data(self, change) -> None:
        if self._quiet:
            return
        if change["new"] == "points":
            self._on_points()
            return
        mixture = self._custom_mixture if change["new"] == "custom" else change["new"]

        def use_data():
            self._use_mixture(self._check_data(mixture, None))
            self._restart()

        self._with_play_resumed(use_data)

    def _on_points(self) -> None:
        try:
            mixture = _points_mixture(self.controls["points"].value, self.points_std)
        except (TypeError, ValueError) as error:
            self._set_status(html.escape(str(error)), error=True)
            return
        self._set_status("")

        def use_points():
            self._use_mixture(mixture)
            self._quiet = True
            self.controls["data"].value = "points"
            self._quiet = False
            self._restart()

        self._with_play_resumed(use_points)


# ---------------------------------------------------------------------------------------------
# Lesson 9: the style explorer


class StyleExplorer(_StillFallback, widgets.HBox):
    """The style explorer of lesson 9; build it with :func:`style_explorer`.

    Attributes:
        controls: ``{"digit": ..., "style_seed": ..., <direction name>: ...}``.
        picture: the ``ipywidgets.Image`` showing the current image (PNG bytes).
        code: the current latent vector ``(latent_dim,)``.
        image: the current image ``(28, 28, 1)`` in [-1, 1].
        label, confidence: the classifier's verdict on it (None without a classifier).
    """

    def __init__(self, generator, directions, digit, style_seed, n_classes, limit, classify):
        from .models import latent_for_classes

        self.generator = generator
        self.latent_dim = _flat_latent_dim(generator, "generator")
        self.n_classes = n_classes
        self.directions = directions
        self.classify = classify
        self._latent_for_classes = latent_for_classes
        self.controls = {
            "digit": widgets.IntSlider(digit, min=0, max=n_classes - 1, description="digit"),
            "style_seed": widgets.IntSlider(style_seed, min=0, max=999, description="style seed"),
        }
        for name in directions:
            self.controls[name] = widgets.FloatSlider(
                0.0, min=-limit, max=limit, step=0.25, description=name, continuous_update=False
            )
        self._start_picture()
        super().__init__([widgets.VBox(list(self.controls.values())), self.picture])
        self._watch_controls()

    def _redraw(self, change=None) -> None:
        digit = self.controls["digit"].value
        code = self._latent_for_classes(
            [digit], self.latent_dim, self.n_classes, seed=self.controls["style_seed"].value
        )[0]
        for name, direction in self.directions.items():
            code = code + self.controls[name].value * direction
        self._show_code(code.astype(np.float32), f"digit code {digit}")


def style_explorer(
    generator: keras.Model,
    directions: Mapping | None = None,
    digit: int = 3,
    style_seed: int = 0,
    n_classes: int = 10,
    limit: float = 3.0,
    classify_digits: bool = True,
) -> StyleExplorer:
    """A widget that morphs one digit of a class-coded generator along named latent directions.

    The code is ``latent_for_classes([digit], seed=style_seed)`` plus ``amount * direction``
    for each slider. Entries of a direction inside the class code (the first ``n_classes``) are
    set to 0, so the sliders change the style and the digit picker alone changes the digit.

    Args:
        generator: a class-coded generator (``build_generator(n_classes=...)``, e.g.
            ``gan_helpers.load_pretrained_generator()``).
        directions: ``{name: vector (latent_dim,)}``, one slider each (at most 4); the default
            is the first three style entries of the code (``z[n_classes]``, ...).
        digit: the starting digit, in ``[0, n_classes)``.
        style_seed: the starting style seed, in [0, 999].
        n_classes: size of the generator's class code.
        limit: each slider runs from ``-limit`` to ``limit``.
        classify_digits: title the image with the bundled digit classifier's verdict.

    Returns:
        A :class:`StyleExplorer` (an ``ipywidgets.HBox``); ``.image`` is the image shown and
        ``.controls`` the digit, seed and direction sliders.

    Raises:
        TypeError: ``generator`` is not a Keras model, ``directions`` is not a dict, or an
            argument has the wrong type.
        ValueError: a direction of the wrong size, more than 4 directions, or a digit, seed or
            limit out of range.

    Example:
        >>> explorer = style_explorer(gan_helpers.load_pretrained_generator(),
        ...                           {"thicker": thickness_direction})
        >>> explorer.controls["thicker"].value = 2.0  # explorer.image changes
        >>> explorer
    """
    checks.keras_model(generator, "generator", "gan_helpers.load_pretrained_generator()")
    latent_dim = _flat_latent_dim(generator, "generator")
    n_classes = _int_between(n_classes, "n_classes", 2, latent_dim - 1, 10)
    if directions is None:
        directions = {f"z[{i}]": np.eye(latent_dim)[i] for i in range(n_classes, n_classes + 3)}
    if not isinstance(directions, Mapping):
        raise TypeError(
            f"directions must be a dict {{name: vector}}, got {checks.describe(directions)}; "
            "pass e.g. directions={'thicker': np.ones(64)}."
        )
    if not 1 <= len(directions) <= 4:
        raise ValueError(
            f"directions must hold 1 to 4 vectors (one slider each), got {len(directions)}; "
            "pass fewer, e.g. the two you care about."
        )
    checked = {}
    for name, vector in directions.items():
        array = np.asarray(vector, dtype=np.float64) if not isinstance(vector, str) else None
        if array is None or array.shape != (latent_dim,) or not np.all(np.isfinite(array)):
            raise ValueError(
                f"directions[{name!r}] must be a finite vector of shape ({latent_dim},), got "
                f"{checks.describe(vector)}; pass one entry per latent dimension."
            )
        array = array.copy()
        array[:n_classes] = 0.0
        checked[str(name)] = array.astype(np.float32)
    digit = _int_between(digit, "digit", 0, n_classes - 1, 3)
    style_seed = _int_between(style_seed, "style_seed", 0, 999, 0)
    limit = checks.positive_number(limit, "limit", 3.0)
    classify_digits = checks.boolean(classify_digits, "classify_digits")
    return StyleExplorer(
        generator,
        checked,
        digit,
        style_seed,
        n_classes,
        limit,
        classify if classify_digits else None,
    )
