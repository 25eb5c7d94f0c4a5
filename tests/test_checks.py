"""Tests for gan_helpers.checks: every check's normal value and every error path."""

from gan_helpers import checks

from pathlib import Path

import numpy as np
import pytest


def test_missing_file_error_is_caught_both_ways():
    for kind in (FileNotFoundError, ValueError):
        with pytest.raises(kind):
            raise checks.MissingFileError("no such file")


def test_describe_names_type_shape_and_dtype():
    assert checks.describe(np.zeros((2, 3), np.float32)) == (
        "an array of shape (2, 3) and dtype float32"
    )
    assert checks.describe("abc") == "'abc' (str)"
    assert checks.describe("x" * 100).endswith("... (str)")


@pytest.mark.parametrize("value", [1, 7, np.int64(3)])
def test_positive_int_accepts_ints(value):
    assert checks.positive_int(value, "epochs", 5) == int(value)
    assert type(checks.positive_int(value, "epochs", 5)) is int


@pytest.mark.parametrize(
    ("value", "error"),
    [(0, ValueError), (-2, ValueError), (2.0, TypeError), (True, TypeError), ("3", TypeError)],
)
def test_positive_int_errors_name_argument_and_fix(value, error):
    with pytest.raises(error, match=r"epochs must be a positive int, got .*pass e.g. epochs=5"):
        checks.positive_int(value, "epochs", 5)


def test_int_at_least():
    assert checks.int_at_least(0, "padding", 0, 2) == 0
    with pytest.raises(ValueError, match="padding must be an int >= 0, got -1"):
        checks.int_at_least(-1, "padding", 0, 2)
    with pytest.raises(TypeError, match="padding must be an int >= 0"):
        checks.int_at_least(None, "padding", 0, 2)


@pytest.mark.parametrize(
    ("value", "error"),
    [(0, ValueError), (-1.5, ValueError), (float("nan"), ValueError), (float("inf"), ValueError)]
    + [("1", TypeError), (False, TypeError), (None, TypeError)],
)
def test_positive_number_errors(value, error):
    with pytest.raises(error, match="std must be a"):
        checks.positive_number(value, "std", 0.05)


def test_positive_number_returns_float():
    assert checks.positive_number(np.float32(0.5), "std", 0.05) == 0.5


def test_number_in_range_bounds():
    assert checks.number_in_range(0, "dropout", 0.0, 1.0, 0.3, high_inclusive=False) == 0.0
    for bad in (1.0, -0.1, float("nan")):
        with pytest.raises(ValueError, match=r"dropout must be a number in \[0.0, 1.0\)"):
            checks.number_in_range(bad, "dropout", 0.0, 1.0, 0.3, high_inclusive=False)
    with pytest.raises(TypeError, match="dropout must be a number"):
        checks.number_in_range("0.3", "dropout", 0.0, 1.0, 0.3)


def test_choice_lists_the_options():
    assert checks.choice("ring", "kind", ("ring", "grid")) == "ring"
    with pytest.raises(ValueError, match="kind must be one of 'ring', 'grid'; got 'line'"):
        checks.choice("line", "kind", ("ring", "grid"))
    with pytest.raises(ValueError, match="kind must be one of"):
        checks.choice(None, "kind", ("ring", "grid"))


def test_seed():
    assert checks.seed(None) is None and checks.seed(np.int32(4)) == 4
    with pytest.raises(ValueError, match="seed must be a non-negative int or None"):
        checks.seed(-1)
    with pytest.raises(TypeError, match="seed must be a non-negative int or None"):
        checks.seed(1.0)


def test_boolean_refuses_truthy_stand_ins():
    assert checks.boolean(np.bool_(True), "shuffle") is True
    for bad in (0, 1, "no", None):
        with pytest.raises(TypeError, match="shuffle must be True or False"):
            checks.boolean(bad, "shuffle")


def test_text():
    assert checks.text("gen", "name", "generator") == "gen"
    assert checks.text(None, "title", "t", allow_none=True) is None
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        checks.text("  ", "name", "generator")
    with pytest.raises(TypeError, match="name must be a string, got 3"):
        checks.text(3, "name", "generator")


def test_path():
    assert checks.path("a/b.gif", "path", "x.gif", suffix=".gif") == Path("a/b.gif")
    assert checks.path(Path("B.GIF"), "path", "x.gif", suffix=".gif") == Path("B.GIF")
    with pytest.raises(ValueError, match="path must end in .gif"):
        checks.path("a.png", "path", "x.gif", suffix=".gif")
    with pytest.raises(TypeError, match="path must be a path"):
        checks.path(3, "path", "x.gif")
    with pytest.raises(ValueError, match="path is an empty string"):
        checks.path("", "path", "x.gif")


def test_int_labels():
    labels = checks.int_labels([0, 3, 9], "labels", length=3, n_classes=10)
    assert labels.dtype == np.int32 and labels.tolist() == [0, 3, 9]
    cases = [
        ([0.0, 1.0], {}, TypeError, "astype"),
        (["a"], {}, TypeError, "integer class labels"),
        ([True, False], {}, TypeError, "integer class labels"),
        ([[0, 1]], {}, ValueError, "1-D"),
        ([0, 1], {"length": 3}, ValueError, r"one label per sample, shape \(3,\)"),
        ([], {}, ValueError, "empty"),
        ([0, 10], {"n_classes": 10}, ValueError, r"in \[0, 9\], got values from 0 to 10"),
        ([-1, 2], {}, ValueError, ">= 0"),
        (None, {}, TypeError, "labels must be an array"),
    ]
    for values, kwargs, error, match in cases:
        with pytest.raises(error, match=match):
            checks.int_labels(values, "labels", **kwargs)


def test_float_matrix():
    matrix = checks.float_matrix([[1, 2], [3, 4]], "centers", columns=2)
    assert matrix.dtype == np.float64 and matrix.shape == (2, 2)
    cases = [
        ([1.0, 2.0], ValueError, r"centers must be 2-D"),
        ([[1.0, 2.0, 3.0]], ValueError, r"shape \(n, 2\)"),
        ([[np.nan, 0.0]], ValueError, "NaN"),
        ([["a", "b"]], TypeError, "real numbers"),
        ("ring", TypeError, "centers must be a 2-D array"),
        (np.zeros((0, 2)), ValueError, "at least 1 rows"),
    ]
    for values, error, match in cases:
        with pytest.raises(error, match=match):
            checks.float_matrix(values, "centers", columns=2)


def test_images_normal_cases():
    images = np.zeros((2, 4, 4, 1), np.float32)
    assert checks.images(images) is images
    converted = checks.images(images.astype(np.float64))
    assert converted.dtype == np.float32
    pixels = checks.images(np.zeros((2, 4, 4), np.uint8), allow_uint8=True)
    assert pixels.shape == (2, 4, 4, 1) and pixels.dtype == np.uint8


@pytest.mark.parametrize(
    ("values", "kwargs", "error", "match"),
    [
        (np.zeros((2, 4, 4, 1), np.uint8), {}, TypeError, "scale_images"),
        (np.zeros((2, 4, 4, 1), np.int64), {}, TypeError, "float32"),
        (np.zeros((2, 4, 4, 1), bool), {}, TypeError, "float32"),
        (np.zeros((2, 28, 28), np.float32), {"shape": (28, 28, 1)}, ValueError, "no channel"),
        (np.zeros((2, 4, 4), np.float32), {}, ValueError, "channel axis"),
        (np.zeros((2, 4, 4, 1), np.float32), {"shape": (28, 28, 1)}, ValueError, "28, 28, 1"),
        (np.zeros((0, 4, 4, 1), np.float32), {}, ValueError, "empty batch"),
        (np.full((1, 2, 2, 1), np.nan, np.float32), {}, ValueError, "NaN"),
        (np.full((1, 2, 2, 1), 255.0, np.float32), {}, ValueError, "0..255"),
        (np.full((1, 2, 2, 1), 1.5, np.float32), {}, ValueError, "tanh"),
        ("images", {}, TypeError, "images must be a float32 array"),
        (np.zeros((0, 4, 4), np.uint8), {"allow_uint8": True}, ValueError, "as uint8"),
    ],
)
def test_images_errors(values, kwargs, error, match):
    with pytest.raises(error, match=match):
        checks.images(values, "images", **kwargs)


def test_images_ragged_list_is_a_clear_error():
    with pytest.raises(ValueError, match="equally sized images"):
        checks.images([np.zeros((2, 2, 1)), np.zeros((3, 3, 1))], "frames")


def test_keras_model():
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    assert checks.keras_model(model, "generator", "build_generator()") is model
    with pytest.raises(TypeError, match=r"generator must be a keras.Model.*build_generator\(\)"):
        checks.keras_model("gen", "generator", "build_generator()")


# Bad input to every public function of config, data, models, plotting and callbacks: the
# error is a TypeError/ValueError raised by gan_helpers itself (not deep inside NumPy, Keras or
# matplotlib) and names the argument.

NAN = float("nan")
IMAGES = np.zeros((4, 28, 28, 1), np.float32)
GRID = np.zeros((10, 12), np.uint8)


def _bad_calls():
    import gan_helpers as gh
    from gan_helpers import config, data, models, plotting

    return [
        ("setup", "seed", lambda: gh.setup(seed="42")),
        ("setup", "verbose", lambda: gh.setup(seed=1, verbose="no")),
        ("seed_everything", "seed", lambda: gh.seed_everything(True)),
        ("budget", "budget", lambda: gh.budget(full=10, fast="1")),
        ("env_flag", "name", lambda: config.env_flag(None)),
        ("load_mnist", "source", lambda: gh.load_mnist("mnist")),
        ("load_mnist", "sample_path", lambda: gh.load_mnist("sample", sample_path=3)),
        ("sha256_of", "path", lambda: data.sha256_of(1.5)),
        ("scale_images", "images", lambda: gh.scale_images(IMAGES)),
        ("check_images", "images", lambda: gh.check_images(IMAGES + 254)),
        ("unscale_images", "images", lambda: gh.unscale_images(IMAGES[..., 0])),
        ("make_dataset", "images", lambda: gh.make_dataset(IMAGES.astype(np.uint8))),
        ("make_dataset", "images", lambda: gh.make_dataset(IMAGES + NAN)),
        ("make_dataset", "batch_size", lambda: gh.make_dataset(IMAGES, batch_size=True)),
        ("make_dataset", "labels", lambda: gh.make_dataset(IMAGES, labels=[1, 2])),
        ("make_dataset", "labels", lambda: gh.make_dataset(IMAGES, labels=[0.0, 1, 2, 3])),
        ("make_dataset", "shuffle", lambda: gh.make_dataset(IMAGES, shuffle="no")),
        ("ring_mixture", "radius", lambda: gh.ring_mixture(radius=NAN)),
        ("ring_mixture", "std", lambda: gh.ring_mixture(std=0)),
        ("grid_mixture", "spacing", lambda: gh.grid_mixture(spacing=-2)),
        ("grid_mixture", "side", lambda: gh.grid_mixture(side=2.5)),
        ("GaussianMixture2D", "centers", lambda: gh.GaussianMixture2D("m", np.zeros((3, 3)), 1)),
        ("GaussianMixture2D", "std", lambda: gh.GaussianMixture2D("m", np.zeros((3, 2)), NAN)),
        ("sample", "n", lambda: gh.ring_mixture().sample("10")),
        ("build_generator", "latent_dim", lambda: gh.build_generator(latent_dim=True)),
        ("build_generator", "upsampling", lambda: gh.build_generator(upsampling=None)),
        ("build_discriminator", "dropout", lambda: gh.build_discriminator(dropout=NAN)),
        (
            "build_conditional_generator",
            "n_classes",
            lambda: gh.build_conditional_generator(n_classes=0),
        ),  # noqa: E501
        (
            "build_conditional_discriminator",
            "width",
            lambda: gh.build_conditional_discriminator(width="32"),
        ),  # noqa: E501
        (
            "build_projection_discriminator",
            "width",
            lambda: models.build_projection_discriminator(width=0),
        ),  # noqa: E501
        ("build_mlp_generator", "batch_norm", lambda: gh.build_mlp_generator(batch_norm=1)),
        ("build_mlp_discriminator", "pack", lambda: gh.build_mlp_discriminator(pack=-1)),
        ("Maxout", "units", lambda: gh.Maxout(units=2.0)),
        ("load_pretrained_generator", "name", lambda: gh.load_pretrained_generator(3)),
        (
            "load_pretrained_generator",
            "name",
            lambda: gh.load_pretrained_generator("mnist_classifier"),
        ),  # noqa: E501
        (
            "load_pretrained_generator",
            "directory",
            lambda: gh.load_pretrained_generator(directory=5),
        ),  # noqa: E501
        ("image_grid", "images", lambda: gh.image_grid(IMAGES - 3)),
        ("image_grid", "padding", lambda: gh.image_grid(IMAGES, padding=-1)),
        ("show_images", "n_cols", lambda: gh.show_images(IMAGES, n_cols=0)),
        ("show_images", "ax", lambda: gh.show_images(IMAGES, ax="left")),
        ("plot_history", "history", lambda: gh.plot_history({"d_loss": []})),
        ("plot_history", "keys", lambda: gh.plot_history({"d_loss": [1.0]}, keys=["g_loss"])),
        ("plot_2d", "samples", lambda: gh.plot_2d(np.zeros((3, 3)))),
        ("plot_2d", "mixture", lambda: gh.plot_2d(np.zeros((3, 2)), mixture="ring")),
        ("plotting.plot_2d", "title", lambda: plotting.plot_2d(np.zeros((3, 2)), title=1)),
        ("Snapshots", "every", lambda: gh.Snapshots(every=0)),
        ("Snapshots", "labels", lambda: gh.Snapshots(labels=[0.5])),
        ("Snapshots", "z", lambda: gh.Snapshots(z=[[NAN]])),
        ("save_gif", "frames", lambda: gh.save_gif([GRID, GRID[:5]], "a.gif")),
        ("save_gif", "frames", lambda: gh.save_gif([np.full((10, 12), 3.0)], "a.gif")),
        ("save_gif", "path", lambda: gh.save_gif([GRID], "a.png")),
        ("save_gif", "fps", lambda: gh.save_gif([GRID], "a.gif", fps=NAN)),
    ]


BAD_CALLS = _bad_calls()


@pytest.mark.parametrize(
    ("function", "argument", "call"),
    BAD_CALLS,
    ids=[
        f"{function}-{argument}-{index}" for index, (function, argument, _) in enumerate(BAD_CALLS)
    ],
)
def test_bad_call_gets_a_clear_error_from_gan_helpers(function, argument, call, tmp_path):
    import traceback

    import matplotlib

    matplotlib.use("Agg")
    with pytest.raises((TypeError, ValueError)) as caught:
        call()
    raiser = traceback.extract_tb(caught.tb)[-1].filename
    assert f"{Path('gan_helpers')}" in raiser, f"{function}: raised in {raiser}"
    assert argument in str(caught.value), f"{function}: {argument!r} not in {caught.value}"
    assert not (tmp_path / "a.gif").exists() and not Path("a.gif").exists()
