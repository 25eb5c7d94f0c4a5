"""Tests for gan_helpers.callbacks: fixed-noise snapshots, the GIF writer and the NaN stop."""

import matplotlib

matplotlib.use("Agg")

import gan_helpers as gh  # noqa: E402
from gan_helpers.callbacks import Snapshots, StopOnNaN, TrainingDiverged, save_gif  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
from PIL import Image  # noqa: E402

LATENT_DIM = 4


def _image_gan(seed=0):
    keras.utils.set_random_seed(seed)
    gan = gh.GAN(
        gh.build_generator(latent_dim=LATENT_DIM, width=2),
        gh.build_discriminator(width=2),
        seed=seed,
    )
    gan.compile(*gh.default_optimizers())
    return gan


def _images(n=16, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, size=(n, 28, 28, 1)).astype(np.float32)


def _ring_gan(seed=0):
    keras.utils.set_random_seed(seed)
    gan = gh.GAN(
        gh.build_mlp_generator(hidden=16), gh.build_mlp_discriminator(hidden=16), seed=seed
    )
    gan.compile(*gh.default_optimizers())
    return gan


def _ring_dataset(n=200, batch=50):
    points = gh.ring_mixture().sample(n, seed=0)
    return tf.data.Dataset.from_tensor_slices(points).batch(batch)


# Snapshots


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One short run of a tiny image GAN with snapshots (PNG grids too), shared by tests."""
    grids = tmp_path_factory.mktemp("grids")
    gan = _image_gan()
    snapshots = Snapshots(n=4, seed=3, save_dir=grids)
    gan.fit(gh.make_dataset(_images(), batch_size=8), epochs=2, verbose=0, callbacks=[snapshots])
    return gan, snapshots, grids


def test_snapshots_use_the_same_noise_every_epoch(trained):
    gan, snapshots, _ = trained
    assert snapshots.epochs == [0, 1, 2]
    assert [s.shape for s in snapshots.samples] == [(4, 28, 28, 1)] * 3
    # The last snapshot is what generate() draws now from the same seed: the same noise.
    np.testing.assert_allclose(snapshots.samples[-1], gan.generate(4, seed=3), atol=1e-6)
    # Training changed the generator, so frames differ although the noise did not.
    assert np.abs(snapshots.samples[-1] - snapshots.samples[0]).max() > 1e-4
    frames = snapshots.frames
    assert len(frames) == 3 and frames[0].dtype == np.uint8 and frames[0].shape == (62, 62)


def test_snapshots_save_png_grids(trained):
    _, _, grids = trained
    names = sorted(p.name for p in grids.iterdir())
    assert names == ["epoch_000.png", "epoch_001.png", "epoch_002.png"]
    assert Image.open(grids / "epoch_002.png").size == (62, 62)


def test_snapshots_with_explicit_z_and_labels():
    keras.utils.set_random_seed(0)
    cgan = gh.ConditionalGAN(
        gh.build_conditional_generator(latent_dim=LATENT_DIM, width=2),
        gh.build_conditional_discriminator(width=2),
        seed=0,
    )
    cgan.compile(*gh.default_optimizers())
    style = np.random.default_rng(1).standard_normal((1, LATENT_DIM)).astype(np.float32)
    z = np.repeat(style, 3, axis=0)  # one noise vector, three digits
    labels = np.array([1, 4, 7])
    snapshots = Snapshots(z=z, labels=labels, every=2)
    assert snapshots.n == 3
    dataset = gh.make_dataset(_images(8), batch_size=4, labels=np.arange(8))
    cgan.fit(dataset, epochs=2, verbose=0, callbacks=[snapshots])
    assert snapshots.epochs == [0, 2]
    expected = cgan.generator([z, labels], training=False).numpy()
    np.testing.assert_allclose(snapshots.samples[-1], expected, atol=1e-6)


def test_snapshots_of_points_have_no_frames():
    gan = _ring_gan()
    snapshots = Snapshots(n=50, every=1)
    gan.fit(_ring_dataset(), epochs=1, verbose=0, callbacks=[snapshots])
    assert snapshots.samples[0].shape == (50, 2)
    with pytest.raises(ValueError, match="not images.*plot_2d"):
        _ = snapshots.frames


def test_snapshots_z_of_the_wrong_size_fails_before_training():
    gan = _image_gan()
    snapshots = Snapshots(z=np.zeros((4, LATENT_DIM + 1)))
    with pytest.raises(ValueError, match=r"z has 5 values per latent vector.*takes 4"):
        gan.fit(gh.make_dataset(_images(8)), epochs=1, verbose=0, callbacks=[snapshots])
    assert int(gan.g_optimizer.iterations.numpy()) == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 0}, ValueError, "n must be a positive int"),
        ({"n": 4.0}, TypeError, "n must be a positive int"),
        ({"n": True}, TypeError, "n must be a positive int"),
        ({"every": 0}, ValueError, "every must be a positive int"),
        ({"seed": -1}, ValueError, "seed must be an int >= 0"),
        ({"seed": None}, TypeError, "seed must be an int >= 0"),
        ({"n": 3, "labels": [1, 2]}, ValueError, "n=3, len.labels.=2"),
        ({"labels": [0.5, 1.5]}, TypeError, "labels must be integer class labels"),
        ({"labels": [-1, 2]}, ValueError, "labels must be class indices >= 0"),
        ({"z": np.zeros((4, 2)), "n": 5}, ValueError, "n=5, len.z.=4"),
        ({"z": np.full((2, 2), np.nan)}, ValueError, "z contains NaN"),
        ({"z": np.zeros(4)}, ValueError, "z must be 2-D"),
        ({"save_dir": 3}, TypeError, "save_dir must be a path"),
        ({"at_start": "yes"}, TypeError, "at_start must be True or False"),
    ],
)
def test_snapshots_reject_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        Snapshots(**kwargs)


# StopOnNaN


class PoisonAfterFirstEpoch(keras.callbacks.Callback):
    """Fill the generator's weights with NaN after the first epoch."""

    def on_epoch_end(self, epoch, logs=None):
        if epoch == 0:
            for weight in self.model.generator.trainable_variables:
                weight.assign(tf.fill(weight.shape, float("nan")))


class CountBatches(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1


def test_stop_on_nan_stops_at_the_first_bad_batch_and_keeps_the_checkpoint(tmp_path):
    gan = _ring_gan()
    checkpoint = tmp_path / "last_good.weights.h5"
    counter = CountBatches()
    callbacks = [
        keras.callbacks.ModelCheckpoint(checkpoint, save_weights_only=True),
        PoisonAfterFirstEpoch(),
        counter,
        StopOnNaN(),
    ]
    with pytest.raises(TrainingDiverged, match=r"loss became nan at epoch 2, batch 1.*kept"):
        gan.fit(_ring_dataset(), epochs=5, verbose=0, callbacks=callbacks)
    assert counter.batches == 4 + 1  # one full epoch of 4 batches, then the first bad one
    assert checkpoint.exists()
    restored = _ring_gan(seed=1)
    restored.load_weights(checkpoint)
    assert all(np.isfinite(w.numpy()).all() for w in restored.generator.weights)
    assert np.isfinite(restored.generate(10, seed=0)).all()


def test_stop_on_nan_ignores_finite_losses_and_non_loss_entries():
    stop = StopOnNaN()
    stop.on_epoch_begin(0)
    stop.on_batch_end(0, {"d_loss": 0.7, "g_loss": 1.2, "d_acc": float("nan")})
    with pytest.raises(TrainingDiverged, match="g_loss became inf at epoch 1, batch 3"):
        stop.on_batch_end(2, {"d_loss": 0.7, "g_loss": float("inf")})


# save_gif


def _read_gif(path):
    gif = Image.open(path)
    frames = []
    for index in range(gif.n_frames):
        gif.seek(index)
        frames.append(np.asarray(gif.convert("L")))
    return frames


def test_gif_keeps_the_grays_of_later_frames(tmp_path):
    """Regression: the gray scale was fixed by the first frame, clipping later ones."""
    rng = np.random.default_rng(0)
    flat_start = rng.integers(120, 137, size=(40, 60)).astype(np.uint8)  # an untrained generator
    later = np.full((40, 60), 64, np.uint8)
    later[:, 30:] = 192
    frames = _read_gif(save_gif([flat_start, later], tmp_path / "grays.gif"))
    assert len(frames) == 2
    height, width = frames[1].shape
    dark, light = frames[1][height // 2, width // 4], frames[1][height // 2, 3 * width // 4]
    assert abs(int(dark) - 64) <= 8 and abs(int(light) - 192) <= 8, (dark, light)
    assert abs(int(frames[0][height // 2, width // 2]) - 128) <= 12


def test_gif_from_image_batches_and_float_grids(tmp_path):
    mid_gray = np.zeros((4, 28, 28, 1), np.float32)  # 0.0 is mid-gray
    white = np.ones((4, 28, 28, 1), np.float32)
    path = save_gif([mid_gray, white], tmp_path / "sub" / "batches.GIF", fps=2, titles=["a", "b"])
    assert path.exists() and Image.open(path).n_frames == 2
    frames = _read_gif(path)
    height, width = frames[0].shape
    center = (slice(height // 2 - 2, height // 2 + 2), slice(width // 2 - 2, width // 2 + 2))
    assert abs(float(np.median(frames[0][center])) - 128) <= 8
    grid = np.linspace(-1, 1, 30 * 30, dtype=np.float32).reshape(30, 30)
    assert _read_gif(save_gif([grid, -grid], tmp_path / "floats.gif"))[0].shape == (height, width)


def test_gif_from_snapshots(tmp_path, trained):
    _, snapshots, _ = trained
    titles = [f"epoch {epoch}" for epoch in snapshots.epochs]
    assert Image.open(save_gif(snapshots.frames, tmp_path / "t.gif", titles=titles)).n_frames == 3


GRID = np.zeros((10, 12), np.uint8)


@pytest.mark.parametrize(
    ("frames", "kwargs", "error", "match"),
    [
        (
            [GRID, np.zeros((10, 14), np.uint8)],
            {},
            ValueError,
            r"same size.*frames\[1\] is \(10, 14",
        ),
        (
            [np.zeros((4, 28, 28, 1), np.float32), np.zeros((9, 28, 28, 1), np.float32)],
            {},
            ValueError,
            "same size",
        ),  # noqa: E501
        ([], {}, ValueError, "frames is empty"),
        (None, {}, TypeError, "frames must be a list"),
        ("frames", {}, TypeError, "frames must be a list"),
        (GRID, {}, TypeError, "frames must be a list"),
        (5, {}, TypeError, "frames must be a list"),
        ([GRID, "x"], {}, TypeError, r"frames\[1\] must be a 2-D grid"),
        ([[GRID, GRID[:5]]], {}, ValueError, r"frames\[0\] must be a 2-D grid.*different sizes"),
        ([np.zeros((3, 10, 12))], {}, ValueError, r"frames\[0\] must be a 2-D grid"),
        ([np.full((10, 12), 2.0)], {}, ValueError, r"frames\[0\] must lie in \[-1, 1\]"),
        ([np.full((10, 12), np.nan)], {}, ValueError, r"frames\[0\] contains NaN"),
        ([np.zeros((10, 12), np.int64)], {}, TypeError, "uint8 pixels"),
        ([np.zeros((2, 28, 28, 1), np.float32) + 5], {}, ValueError, r"frames\[0\] must lie"),
        ([GRID], {"path": "movie.mp4"}, ValueError, r"path must end in \.gif"),
        ([GRID], {"path": 3}, TypeError, "path must be a path"),
        ([GRID], {"fps": 0}, ValueError, "fps must be a positive number"),
        ([GRID], {"fps": "4"}, TypeError, "fps must be a positive number"),
        ([GRID], {"titles": ["a", "b"]}, ValueError, "titles must have one entry per frame"),
        ([GRID], {"titles": "a"}, TypeError, "titles must be a list"),
    ],
)
def test_save_gif_rejects_bad_input(tmp_path, frames, kwargs, error, match):
    kwargs = {"path": tmp_path / "bad.gif", **kwargs}
    with pytest.raises(error, match=match):
        save_gif(frames, **kwargs)
    assert not (tmp_path / "bad.gif").exists()
