"""Tests for gan_helpers.plotting: image grids, training curves and 2-D scatter plots."""

import matplotlib

matplotlib.use("Agg")

from gan_helpers import plotting  # noqa: E402
from gan_helpers.data import ring_mixture  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _images(n: int) -> np.ndarray:
    return np.random.default_rng(0).uniform(-1, 1, size=(n, 28, 28, 1)).astype(np.float32)


def test_image_grid_shape_values_and_layout():
    images = np.stack([np.full((4, 5, 1), value, np.float32) for value in (-1.0, 0.0, 1.0)])
    grid = plotting.image_grid(images, n_cols=2, padding=1)
    assert grid.dtype == np.uint8 and grid.shape == (2 * 5 + 1, 2 * 6 + 1)
    assert grid[1, 1] == 0 and grid[1, 7] == 128 and grid[6, 1] == 255
    assert grid[0, 0] == plotting.GRID_PAD_VALUE and grid[6, 7] == plotting.GRID_PAD_VALUE
    pixels = (np.arange(6 * 28 * 28) % 256).astype(np.uint8).reshape(6, 28, 28)
    np.testing.assert_array_equal(
        plotting.image_grid(pixels, n_cols=3, padding=0)[:28, 28:56], pixels[1]
    )
    assert plotting.image_grid(pixels[..., None], n_cols=10).shape == (32, 6 * 30 + 2)


def test_show_images_one_axes_per_image():
    fig = plotting.show_images(_images(10), n_cols=4, titles=[str(i) for i in range(10)], title="x")
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 12
    drawn = [ax for ax in fig.axes if ax.images]
    assert len(drawn) == 10
    assert drawn[3].get_title() == "3" and drawn[0].images[0].get_cmap().name == "gray"
    assert drawn[0].get_xticks().size == 0


def test_show_images_into_an_existing_axes_with_uint8():
    fig, ax = plt.subplots()
    pixels = np.zeros((5, 28, 28), np.uint8)
    assert plotting.show_images(pixels, n_cols=5, ax=ax, title="grid") is fig
    assert len(ax.images) == 1 and ax.get_title() == "grid"


@pytest.mark.parametrize(
    ("images", "kwargs", "error", "match"),
    [
        (np.zeros((2, 28, 28, 1), np.int64), {}, TypeError, "images must be float32"),
        (np.zeros((2, 28, 28, 1), np.float32) + 3, {}, ValueError, r"images must lie in"),
        (np.full((2, 28, 28, 1), np.nan, np.float32), {}, ValueError, "images contains NaN"),
        (np.zeros((2, 28, 28), np.float32), {}, ValueError, "channel axis"),
        (np.zeros((2, 28, 28, 3), np.float32), {}, ValueError, "single-channel"),
        (np.zeros((0, 28, 28), np.uint8), {}, ValueError, "images as uint8"),
        (np.zeros((28, 28), np.uint8), {}, ValueError, "images as uint8"),
        ("digits", {}, TypeError, "images must be a float32 array"),
        (None, {}, TypeError, "images must be a float32 array"),
        (np.zeros((2, 28, 28, 1), np.float32), {"n_cols": 0}, ValueError, "n_cols"),
        (np.zeros((2, 28, 28, 1), np.float32), {"n_cols": 2.0}, TypeError, "n_cols"),
        (np.zeros((2, 28, 28, 1), np.float32), {"n_cols": True}, TypeError, "n_cols"),
        (np.zeros((2, 28, 28, 1), np.float32), {"titles": ["a"]}, ValueError, "titles"),
        (np.zeros((2, 28, 28, 1), np.float32), {"titles": "ab"}, TypeError, "titles"),
        (np.zeros((2, 28, 28, 1), np.float32), {"ax": "left"}, TypeError, "ax must be"),
        (np.zeros((2, 28, 28, 1), np.float32), {"title": 3}, TypeError, "title must be"),
    ],
)
def test_show_images_rejects_bad_input(images, kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.show_images(images, **kwargs)


def test_show_images_accepts_float64_and_numpy_titles():
    fig = plotting.show_images(_images(3).astype(np.float64), titles=np.array(["a", "b", "c"]))
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["a", "b", "c"]


def test_show_images_rejects_titles_with_ax():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="titles or ax"):
        plotting.show_images(_images(2), titles=["a", "b"], ax=ax)


def test_image_grid_rejects_bad_padding():
    with pytest.raises(ValueError, match="padding"):
        plotting.image_grid(_images(2), padding=-1)
    with pytest.raises(TypeError, match="padding"):
        plotting.image_grid(_images(2), padding=None)
    with pytest.raises(TypeError, match="padding"):
        plotting.image_grid(_images(2), padding=1.5)


@pytest.mark.parametrize(
    ("images", "error", "match"),
    [
        (np.zeros((2, 28, 28, 1), np.float32) - 2, ValueError, r"images must lie in \[-1, 1\]"),
        (np.zeros((2, 28, 28, 1), np.float32) + 200, ValueError, "scale_images"),
        (np.zeros((2, 28, 28, 1), np.uint16), TypeError, "float32"),
        (np.zeros((2, 28, 28, 2), np.uint8), ValueError, "single-channel"),
        ([[1, 2], [3, 4]], TypeError, "float32"),
    ],
)
def test_image_grid_rejects_bad_images(images, error, match):
    with pytest.raises(error, match=match):
        plotting.image_grid(images)


class FakeHistory:
    """Stands in for keras.callbacks.History (only its .history dict is read)."""

    history = {"d_loss": [0.7, 0.6, 0.65], "g_loss": [0.9, 1.1, 1.0]}


def test_plot_history_from_a_history_and_a_dict():
    fig = plotting.plot_history(FakeHistory(), title="losses")
    assert isinstance(fig, Figure)
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["d_loss", "g_loss"]
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])
    assert fig.axes[0].get_xlabel() == "epoch"
    fig = plotting.plot_history({"loss": [1.0, 0.5], "acc": [0.1, 0.9]}, keys=["acc"])
    assert len(fig.axes[0].get_lines()) == 1


@pytest.mark.parametrize(
    ("history", "keys", "error", "match"),
    [
        ([1, 2, 3], None, TypeError, "history must be a keras History"),
        ({}, None, ValueError, "history is empty"),
        ({"loss": [1.0]}, ["acc"], ValueError, "not in history"),
        ({"loss": [1.0]}, "loss", TypeError, "keys must be a list"),
        ({"loss": ["a"]}, None, ValueError, r"history\['loss'\]"),
        ({"loss": []}, None, ValueError, r"history\['loss'\] must be a non-empty list"),
        ({"loss": [[1.0, 2.0], [3.0]]}, None, ValueError, r"history\['loss'\]"),
        ({"loss": [1.0]}, [], ValueError, "not in history"),
        ({"loss": [1.0]}, [3], ValueError, "not in history"),
        (None, None, TypeError, "history must be a keras History"),
        ("history", None, TypeError, "history must be a keras History"),
    ],
)
def test_plot_history_rejects_bad_input(history, keys, error, match):
    with pytest.raises(error, match=match):
        plotting.plot_history(history, keys=keys)


def test_plot_history_bad_key_draws_nothing():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"history\['g_loss'\]"):
        plotting.plot_history({"d_loss": [0.5, 0.4], "g_loss": ["x", "y"]}, ax=ax)
    assert ax.get_lines() == []


@pytest.mark.parametrize(
    ("kwargs", "match"), [({"ax": "left"}, "ax must be"), ({"title": 1}, "title")]
)
def test_plot_history_rejects_bad_ax_and_title(kwargs, match):
    with pytest.raises(TypeError, match=match):
        plotting.plot_history(FakeHistory(), **kwargs)


def test_plot_2d_with_mixture_and_real_samples():
    ring = ring_mixture()
    fig, ax = plt.subplots()
    returned = plotting.plot_2d(ring.sample(100, seed=0), ring, ax=ax, real=ring.sample(50, seed=1))
    assert returned is fig
    assert [len(collection.get_offsets()) for collection in ax.collections] == [50, 100, 8]
    fig = plotting.plot_2d(np.zeros((3, 2)), title="t")
    assert isinstance(fig, Figure) and len(fig.axes[0].collections) == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"samples": np.zeros((3, 3))}, ValueError, r"samples must have shape \(n, 2\)"),
        ({"samples": np.array([["a", "b"]])}, TypeError, "samples must be a 2-D array of real"),
        ({"samples": np.array([[np.nan, 0.0]])}, ValueError, "samples contains NaN"),
        ({"samples": np.zeros((0, 2))}, ValueError, "samples needs at least 1 rows"),
        ({"samples": "points"}, TypeError, "samples must be a 2-D array"),
        ({"samples": np.zeros(4)}, ValueError, "samples must be 2-D"),
        ({"samples": np.zeros((3, 2)), "real": np.zeros(4)}, ValueError, "real must be 2-D"),
        ({"samples": np.zeros((3, 2)), "title": ["t"]}, TypeError, "title must be"),
        ({"samples": np.zeros((3, 2)), "mixture": "ring"}, TypeError, "mixture must be"),
        ({"samples": np.zeros((3, 2)), "ax": 1}, TypeError, "ax must be"),
    ],
)
def test_plot_2d_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.plot_2d(**kwargs)
