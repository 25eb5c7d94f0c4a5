"""Tests for gan_helpers.widgets, without a browser: build each widget, move a control from
code, check that what it shows changed (and how); Play and Pause in a background thread; every
argument check."""

import gan_helpers as gh
from gan_helpers import widgets

import base64
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter
from keras import layers
from matplotlib.figure import Figure

LATENT_DIM = 4


@pytest.fixture(scope="module")
def tiny_generator() -> keras.Model:
    """z (4,) -> a 28x28x1 image in [-1, 1]: small, so tests run fast."""
    keras.utils.set_random_seed(1)
    z = keras.Input((LATENT_DIM,))
    pixels = layers.Dense(28 * 28, activation="tanh")(z)
    return keras.Model(z, layers.Reshape((28, 28, 1))(pixels))


def _tiny_conditional_generator(seed: int) -> keras.Model:
    keras.utils.set_random_seed(seed)
    z = keras.Input((LATENT_DIM,))
    label = keras.Input((), dtype="int32")
    joined = layers.Concatenate()([z, layers.Embedding(10, 3)(label)])
    pixels = layers.Dense(28 * 28, activation="tanh")(joined)
    return keras.Model([z, label], layers.Reshape((28, 28, 1))(pixels))


@pytest.fixture(scope="module")
def tiny_conditional() -> keras.Model:
    return _tiny_conditional_generator(2)


def _display_data(widget) -> dict:
    """What IPython sends to the front end for ``display(widget)``: mime type -> data."""
    return DisplayFormatter().format(widget)[0]


def _code(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(LATENT_DIM).astype(np.float32)


# ----- latent explorer ------------------------------------------------------------------------


def test_latent_explorer_redraws_when_a_slider_moves(tiny_generator):
    explorer = widgets.latent_explorer(tiny_generator, seed_a=1, seed_b=2, classify_digits=False)
    assert isinstance(explorer, widgets.LatentExplorer) and explorer.picture.value[:4] == b"\x89PNG"
    expected_a = np.asarray(tiny_generator(_code(1)[None]))[0]
    np.testing.assert_allclose(explorer.image, expected_a, atol=1e-6)
    first_picture, first_image = explorer.picture.value, explorer.image.copy()

    explorer.controls["t"].value = 1.0
    np.testing.assert_allclose(explorer.code, _code(2), atol=1e-6)
    assert not np.allclose(explorer.image, first_image)
    assert explorer.picture.value != first_picture
    explorer.controls["t"].value = 0.5
    np.testing.assert_allclose(explorer.code, 0.5 * _code(1) + 0.5 * _code(2), atol=1e-6)
    explorer.controls["t"].value = 0.0
    np.testing.assert_allclose(explorer.image, first_image, atol=1e-6)
    explorer.controls["seed_a"].value = 6
    assert not np.allclose(explorer.image, first_image)
    assert explorer.label is None and explorer.confidence is None


def test_latent_explorer_titles_with_the_classifier():
    explorer = widgets.latent_explorer(gh.load_pretrained_generator(), seed_a=3)
    assert explorer.image.shape == (28, 28, 1)
    assert 0 <= explorer.label <= 9 and 0.1 <= explorer.confidence <= 1.0
    assert explorer.label == int(gh.classify(explorer.image[None])[0][0])


def test_latent_explorer_shows_a_still_picture_where_widgets_cannot_run(tiny_generator):
    explorer = widgets.latent_explorer(tiny_generator, classify_digits=False)
    bundle = _display_data(explorer)
    assert "application/vnd.jupyter.widget-view+json" in bundle
    # base64 text, as notebook files store images (raw bytes made saved notebooks invalid)
    assert isinstance(bundle["image/png"], str)
    assert base64.b64decode(bundle["image/png"]) == explorer.picture.value
    assert plt.get_fignums() == []  # nothing drawn outside the widget


def test_latent_explorer_rejects_bad_arguments(tiny_generator, tiny_conditional):
    with pytest.raises(TypeError, match="generator must be a keras.Model"):
        widgets.latent_explorer(lambda z: z)
    with pytest.raises(ValueError, match=r"generator must take z .*\[\(None, 4\), \(None,\)\]"):
        widgets.latent_explorer(tiny_conditional)
    with pytest.raises(ValueError, match=r"seed_a must be an int from 0 to 99, got 100"):
        widgets.latent_explorer(tiny_generator, seed_a=100)
    with pytest.raises(TypeError, match="seed_b must be an int"):
        widgets.latent_explorer(tiny_generator, seed_b=2.0)
    with pytest.raises(ValueError, match=r"t must be a number in \[0.0, 1.0\], got 1.5"):
        widgets.latent_explorer(tiny_generator, t=1.5)
    with pytest.raises(TypeError, match="classify_digits must be True or False"):
        widgets.latent_explorer(tiny_generator, classify_digits="yes")


# ----- digit picker ---------------------------------------------------------------------------


def test_digit_picker_draws_the_requested_digit_from_seeded_styles(tiny_conditional):
    picker = widgets.digit_picker(tiny_conditional, digit=3, style_seed=5, classify_digits=False)
    z = np.random.default_rng(5).standard_normal((8, LATENT_DIM)).astype(np.float32)
    expected = np.asarray(tiny_conditional([z, np.full(8, 3, "int32")]))
    np.testing.assert_allclose(picker.images, expected, atol=1e-6)
    assert "model" not in picker.controls and picker.predicted is None
    first_picture = picker.picture.value

    picker.controls["digit"].value = 4
    expected = np.asarray(tiny_conditional([z, np.full(8, 4, "int32")]))
    np.testing.assert_allclose(picker.images, expected, atol=1e-6)
    assert picker.picture.value != first_picture
    picker.controls["style_seed"].value = 6
    assert not np.allclose(picker.images, expected)


def test_digit_picker_switches_between_models_and_classifies(tiny_conditional):
    other = gh.ConditionalGAN(_tiny_conditional_generator(3), gh.build_conditional_discriminator())
    picker = widgets.digit_picker({"first": tiny_conditional, "second": other}, n_samples=4)
    assert picker.controls["model"].options == ("first", "second")
    assert picker.images.shape == (4, 28, 28, 1) and picker.predicted.shape == (4,)
    first_images = picker.images.copy()
    picker.controls["model"].value = "second"
    assert picker.model_name == "second"
    expected = other.generate(seed=0, labels=np.full(4, 7, "int32"))
    np.testing.assert_allclose(picker.images, expected, atol=1e-6)
    assert not np.allclose(picker.images, first_images)
    assert "image/png" in _display_data(picker)


def test_digit_picker_rejects_bad_arguments(tiny_generator, tiny_conditional):
    with pytest.raises(TypeError, match=r"generator must be a gan_helpers.ConditionalGAN .*\[z, "):
        widgets.digit_picker(tiny_generator)
    with pytest.raises(TypeError, match=r"conditional_generator\['b'\] must be"):
        widgets.digit_picker({"a": tiny_conditional, "b": "not a model"})
    with pytest.raises(ValueError, match="empty dict"):
        widgets.digit_picker({})
    with pytest.raises(ValueError, match="digit must be an int from 0 to 9, got 10"):
        widgets.digit_picker(tiny_conditional, digit=10)
    with pytest.raises(ValueError, match="n_samples must be an int >= 1, got 0"):
        widgets.digit_picker(tiny_conditional, n_samples=0)


# ----- playground -----------------------------------------------------------------------------

SMALL = {"hidden": 16, "n_layers": 2, "steps_per_frame": 5}


@pytest.fixture(scope="module")
def playground():
    playground = widgets.Playground(**SMALL)
    yield playground
    playground.close()


def test_playground_steps_update_the_frame_and_counters_and_reset_restores(playground):
    playground.reset()
    assert playground.step_count == 0 and playground.stats["step"] == 0
    first_image, first_counters = playground.image, playground.counters.value
    assert first_image[:2] == b"\xff\xd8"  # a JPEG
    assert "step 0</b>" in first_counters and "of 8" in first_counters

    stats = playground.step(3)
    assert playground.step_count == 15 and stats["step"] == 15
    assert playground.image != first_image and playground.counters.value != first_counters
    assert set(stats) >= {"modes", "n_modes", "high_quality", "reverse_kl", "gradient_size"}
    assert 0 <= stats["modes"] <= 8 and 0 <= stats["high_quality"] <= 1 and stats["n_modes"] == 8
    assert stats["gradient_size"] > 0

    playground.controls["steps_per_frame"].value = 7
    playground.step()
    assert playground.step_count == 22
    assert playground.train(100)["step"] == 122

    playground.reset()
    assert playground.step_count == 0
    assert playground.image == first_image  # the same starting weights: the same frame
    playground.controls["steps_per_frame"].value = 5


def test_playground_figure_is_a_still_copy_with_title(playground):
    fig = playground.figure()
    assert isinstance(fig, Figure)
    assert fig.axes[0].get_title().startswith(f"step {playground.step_count}")
    assert plt.get_fignums() == []
    bundle = _display_data(playground)
    assert base64.b64decode(bundle["image/jpeg"]) == bytes(playground.image)


def test_playground_learns_the_ring_in_a_few_thousand_steps():
    playground = widgets.Playground(hidden=32, n_layers=2, seed=0)
    before = playground.stats
    after = playground.train(2000)
    playground.close()
    print(f"before: {before}\nafter 2,000 steps: {after}")
    assert before["modes"] <= 2 and before["high_quality"] < 0.05
    assert after["modes"] >= 5 and after["high_quality"] >= 0.1
    assert after["reverse_kl"] < before["reverse_kl"] - 0.5


def test_playground_settings_rebuild_and_reset(playground):
    playground.step(2)
    playground.controls["loss"].value = "wasserstein"
    assert playground.step_count == 0 and playground.gan.loss_kind == "wasserstein"
    playground.step()
    assert playground.step_count == 5
    playground.configure(loss="hinge")  # any registered loss; its score is rescaled
    assert playground.step()["step"] == 5 and playground.gan.loss_kind == "hinge"
    playground.configure(loss="non_saturating", pack=3, minibatch_std=True, d_steps=2)
    assert playground.step_count == 0
    stats = playground.step(2)
    assert stats["step"] == 10 and np.isfinite(stats["gradient_size"])
    playground.configure(pack=1, minibatch_std=False, d_steps=1)
    assert playground.step_count == 0
    playground.step()
    playground.configure(steps_per_frame=5, d_learning_rate=1e-3)  # no rebuild, no reset
    assert playground.step_count == 5
    assert playground.settings == {
        "data": "ring",
        "loss": "non_saturating",
        "pack": 1,
        "minibatch_std": False,
        "d_steps": 1,
        "d_learning_rate": 1e-3,
        "g_learning_rate": 1e-3,
        "steps_per_frame": 5,
    }
    with pytest.raises(TypeError, match=r"unknown settings \['batch'\]"):
        playground.configure(batch=3)
    with pytest.raises(ValueError, match="pack must be an int from 1 to 4, got 9"):
        playground.configure(pack=9)


def test_playground_learning_rates_apply_at_once(playground):
    playground.step()
    steps = playground.step_count
    playground.controls["g_learning_rate"].value = 1e-4
    optimizer = playground.gan.g_optimizer
    assert float(optimizer.learning_rate) == pytest.approx(1e-4)
    assert playground.step_count == steps  # no reset
    playground.reset()
    assert float(optimizer.learning_rate) == pytest.approx(1e-4)  # reset keeps the setting
    playground.controls["g_learning_rate"].value = 1e-3


def test_playground_data_sets_and_typed_points(playground):
    playground.set_data("grid")
    assert playground.stats["n_modes"] == 25 and playground.controls["data"].value == "grid"
    playground.set_data("points", points="0, 0\n2, 1; -1 3")
    assert playground.stats["n_modes"] == 3 and playground.controls["data"].value == "points"
    np.testing.assert_array_equal(playground.mixture.centers, [[0, 0], [2, 1], [-1, 3]])
    assert playground.step()["step"] == 5

    # typed into the text box: a mistake is shown, the data stay
    playground.controls["points"].value = "1, 1\n2, x"
    playground.controls["use_points"].click()
    assert "entry 2" in playground.status.value and playground.stats["n_modes"] == 3
    playground.controls["points"].value = "1, 1\n2, 2"
    playground.controls["use_points"].click()
    assert playground.stats["n_modes"] == 2 and playground.status.value == ""

    playground.controls["data"].value = "ring"
    assert playground.stats["n_modes"] == 8 and playground.step_count == 0


def test_playground_play_trains_in_the_background_and_pause_stops_it(playground):
    playground.reset()
    playground.play()
    assert playground.playing
    deadline = time.monotonic() + 60
    while playground.step_count < 20 and time.monotonic() < deadline:
        time.sleep(0.1)
    playground.pause()
    assert not playground.playing and playground.step_count >= 20
    stopped_at = playground.step_count
    time.sleep(0.3)
    assert playground.step_count == stopped_at
    assert playground.frames_per_second > 0 and playground.error is None


def test_playground_play_stops_by_itself_at_max_steps():
    playground = widgets.Playground(**SMALL, max_steps=12)
    playground.play()
    deadline = time.monotonic() + 60
    while playground.playing and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not playground.playing and playground.step_count == 12
    assert "max_steps=12" in playground.status.value
    playground.close()


def test_playground_rejects_bad_arguments(playground):
    cases = [
        ({"loss": "softmax"}, ValueError, "loss must be one of 'minimax', 'non_saturating'"),
        ({"data": "moons"}, ValueError, "data must be one of 'ring', 'grid', 'points'"),
        ({"data": "points"}, ValueError, "data='points' needs points"),
        ({"data": "points", "points": [[0, 0, 1]]}, ValueError, r"points must have shape \(n, 2\)"),
        ({"data": "points", "points": "1, 2\n3"}, ValueError, "entry 2 \\('3'\\) is not two"),
        ({"pack": 5}, ValueError, "pack must be an int from 1 to 4, got 5"),
        ({"minibatch_std": 1}, TypeError, "minibatch_std must be True or False"),
        ({"d_steps": 0}, ValueError, "d_steps must be an int >= 1, got 0"),
        ({"steps_per_frame": 1000}, ValueError, "steps_per_frame must be an int from 1 to 100"),
        ({"d_learning_rate": -1e-3}, ValueError, "d_learning_rate must be a positive number"),
        ({"points_std": 0}, ValueError, "points_std must be a positive number"),
        ({"seed": None}, TypeError, "seed must be a non-negative int"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            widgets.Playground(**kwargs)
    with pytest.raises(ValueError, match="frames must be a positive int"):
        playground.step(frames=0)
    with pytest.raises(TypeError, match="steps must be a positive int"):
        playground.train(100.0)
    with pytest.raises(ValueError, match="data must be one of"):
        playground.set_data("moons")


# ----- style explorer (lesson 9) --------------------------------------------------------------


@pytest.fixture(scope="module")
def coded_generator() -> keras.Model:
    """A tiny class-coded generator: z (16,) -> ClassCode(10) -> 28x28x1 in [-1, 1]."""
    keras.utils.set_random_seed(4)
    z = keras.Input((16,))
    coded = gh.ClassCode(10)(z)
    pixels = layers.Dense(28 * 28, activation="tanh")(coded)
    return keras.Model(z, layers.Reshape((28, 28, 1))(pixels))


def test_style_explorer_morphs_along_a_direction_and_keeps_the_digit(coded_generator):
    direction = np.zeros(16)
    direction[[0, 12]] = 1.0  # the class-code entry must be ignored
    explorer = widgets.style_explorer(
        coded_generator, {"thicker": direction}, digit=4, classify_digits=False
    )
    assert isinstance(explorer, widgets.StyleExplorer) and explorer.picture.value[:4] == b"\x89PNG"
    start_code, start_image = explorer.code.copy(), explorer.image.copy()
    np.testing.assert_allclose(start_code, gh.latent_for_classes([4], 16, seed=0)[0], atol=1e-6)
    explorer.controls["thicker"].value = 2.0
    expected = start_code.copy()
    expected[12] += 2.0
    np.testing.assert_allclose(explorer.code, expected, atol=1e-6)
    assert gh.latent_classes(explorer.code[None])[0] == 4
    assert not np.allclose(explorer.image, start_image)
    explorer.controls["digit"].value = 7
    assert gh.latent_classes(explorer.code[None])[0] == 7
    explorer.controls["style_seed"].value = 5
    assert explorer.label is None


def test_style_explorer_defaults_and_classifier():
    explorer = widgets.style_explorer(gh.load_pretrained_generator(), digit=6)
    assert list(explorer.controls) == ["digit", "style_seed", "z[10]", "z[11]", "z[12]"]
    assert explorer.label == int(gh.classify(explorer.image[None])[0][0])


def test_style_explorer_rejects_bad_arguments(coded_generator, tiny_conditional):
    with pytest.raises(TypeError, match="generator must be a keras.Model"):
        widgets.style_explorer("generator")
    with pytest.raises(ValueError, match="generator must take z"):
        widgets.style_explorer(tiny_conditional)
    with pytest.raises(TypeError, match="directions must be a dict"):
        widgets.style_explorer(coded_generator, [np.ones(16)])
    with pytest.raises(ValueError, match=r"directions\['a'\] must be a finite vector of shape"):
        widgets.style_explorer(coded_generator, {"a": np.ones(15)})
    with pytest.raises(ValueError, match="directions must hold 1 to 4"):
        widgets.style_explorer(coded_generator, {str(i): np.ones(16) for i in range(5)})
    with pytest.raises(ValueError, match="digit must be an int from 0 to 9"):
        widgets.style_explorer(coded_generator, digit=10)
    with pytest.raises(ValueError, match="limit must be a positive number"):
        widgets.style_explorer(coded_generator, limit=0.0)
