import gan_helpers.data as data
from gan_helpers import (
    ChecksumError,
    check_images,
    grid_mixture,
    load_mnist,
    make_dataset,
    ring_mixture,
    scale_images,
    unscale_images,
)

import io
import math
import shutil

import numpy as np
import pytest


def _check_sample_arrays(arrays):
    (x_train, y_train), (x_test, y_test) = arrays
    assert x_train.shape == (4000, 28, 28) and x_test.shape == (1000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [400] * 10
    assert np.bincount(y_test).tolist() == [100] * 10


def test_sample_loads_and_says_why(capsys):
    _check_sample_arrays(load_mnist(source="sample"))
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "bundled sample" in out and "source='sample'" in out


def test_offline_env_forces_sample(monkeypatch, capsys, empty_keras_home, no_network):
    monkeypatch.setenv("GAN_OFFLINE", "1")
    _check_sample_arrays(load_mnist())
    assert "GAN_OFFLINE=1" in capsys.readouterr().out


def test_failed_download_falls_back_to_sample(monkeypatch, capsys, empty_keras_home, no_network):
    monkeypatch.delenv("GAN_OFFLINE", raising=False)
    _check_sample_arrays(load_mnist("auto"))
    out = capsys.readouterr().out
    assert "bundled sample" in out and "simulated: network unreachable" in out
    assert not (empty_keras_home / "datasets" / "mnist.npz").exists()


def test_explicit_keras_source_has_no_fallback(monkeypatch, empty_keras_home, no_network):
    monkeypatch.delenv("GAN_OFFLINE", raising=False)
    with pytest.raises(OSError, match="simulated"):
        load_mnist("keras")
    monkeypatch.setenv("GAN_OFFLINE", "1")
    with pytest.raises(FileNotFoundError, match="GAN_OFFLINE"):
        load_mnist("keras")


def test_keras_cache_is_used(monkeypatch, capsys, empty_keras_home):
    monkeypatch.delenv("GAN_OFFLINE", raising=False)
    cache = empty_keras_home / "datasets" / "mnist.npz"
    cache.parent.mkdir(parents=True)
    shutil.copy(data.SAMPLE_PATH, cache)
    _check_sample_arrays(load_mnist("auto"))
    assert "Keras' cached" in capsys.readouterr().out


def test_successful_download_is_checked_and_cached(monkeypatch, capsys, empty_keras_home):
    monkeypatch.delenv("GAN_OFFLINE", raising=False)
    payload = data.SAMPLE_PATH.read_bytes()
    monkeypatch.setattr(data, "KERAS_MNIST_SHA256", data.SAMPLE_SHA256)
    monkeypatch.setattr(data.urllib.request, "urlopen", lambda *a, **k: io.BytesIO(payload))
    _check_sample_arrays(load_mnist("auto"))
    assert "downloaded" in capsys.readouterr().out
    assert (empty_keras_home / "datasets" / "mnist.npz").read_bytes() == payload


def test_corrupt_download_is_rejected_then_falls_back(monkeypatch, capsys, empty_keras_home):
    monkeypatch.delenv("GAN_OFFLINE", raising=False)
    monkeypatch.setattr(data.urllib.request, "urlopen", lambda *a, **k: io.BytesIO(b"junk"))
    _check_sample_arrays(load_mnist("auto"))
    out = capsys.readouterr().out
    assert "ChecksumError" in out and "bundled sample" in out
    assert list((empty_keras_home / "datasets").iterdir()) == []


def test_damaged_sample_fails_checksum(tmp_path):
    damaged = tmp_path / "mnist_sample.npz"
    raw = bytearray(data.SAMPLE_PATH.read_bytes())
    raw[-10] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    with pytest.raises(ChecksumError, match="damaged.*git checkout"):
        load_mnist("sample", sample_path=damaged)


def test_missing_sample(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing"):
        load_mnist("sample", sample_path=tmp_path / "nope.npz")


@pytest.mark.parametrize("bad", ["mnist", "", None, 3])
def test_unknown_source(bad):
    with pytest.raises(ValueError, match="source must be one of"):
        load_mnist(bad)


def test_scaling_round_trip():
    pixels = np.array([[[0, 255], [127, 128]]], dtype=np.uint8)
    scaled = scale_images(pixels)
    assert scaled.shape == (1, 2, 2, 1) and scaled.dtype == np.float32
    assert scaled.min() == -1.0 and scaled.max() == 1.0
    np.testing.assert_array_equal(unscale_images(scaled)[..., 0], pixels)
    assert scale_images(pixels[..., None]).shape == (1, 2, 2, 1)


def test_scale_images_errors():
    with pytest.raises(TypeError, match="images must be a uint8"):
        scale_images(np.zeros((2, 28, 28), np.float32))
    with pytest.raises(TypeError, match="images must be a uint8"):
        scale_images([[1, 2]])
    with pytest.raises(ValueError, match="shape"):
        scale_images(np.zeros((2, 28, 28, 3), np.uint8))


def test_check_images_errors():
    good = np.zeros((2, 28, 28, 1), np.float32)
    assert check_images(good) is not None
    with pytest.raises(TypeError, match="scale_images"):
        check_images(np.zeros((2, 28, 28, 1), np.uint8))
    with pytest.raises(TypeError, match="float32"):
        check_images(np.zeros((2, 28, 28, 1), np.float64))
    with pytest.raises(ValueError, match="channel axis"):
        check_images(np.zeros((2, 28, 28), np.float32), name="fakes")
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        check_images(good + 2)
    with pytest.raises(ValueError, match="empty"):
        check_images(np.zeros((0, 28, 28, 1), np.float32))
    with pytest.raises(ValueError, match="NaN"):
        check_images(np.full((1, 2, 2, 1), np.nan, np.float32))


def test_dataset_keeps_partial_last_batch():
    images = np.zeros((10, 4, 4, 1), np.float32)
    sizes = [int(batch.shape[0]) for batch in make_dataset(images, batch_size=4)]
    assert sizes == [4, 4, 2]
    dropped = [int(b.shape[0]) for b in make_dataset(images, batch_size=4, drop_remainder=True)]
    assert dropped == [4, 4]


def test_dataset_shuffle_is_seeded_and_labels_follow():
    images = np.linspace(-1, 1, 20, dtype=np.float32).reshape(20, 1, 1, 1)
    labels = np.arange(20)
    first = [b for b in make_dataset(images, 5, labels=labels, seed=1)]
    second = [b for b in make_dataset(images, 5, labels=labels, seed=1)]
    for (xa, ya), (xb, yb) in zip(first, second, strict=True):
        np.testing.assert_array_equal(xa.numpy(), xb.numpy())
        np.testing.assert_array_equal(ya.numpy(), yb.numpy())
        np.testing.assert_allclose(xa.numpy().ravel(), images.ravel()[ya.numpy()])
    order = np.concatenate([y.numpy() for _, y in first])
    assert sorted(order.tolist()) == list(range(20)) and order.tolist() != list(range(20))


def test_dataset_errors():
    images = np.zeros((10, 4, 4, 1), np.float32)
    with pytest.raises(TypeError, match="batch_size must be a positive int"):
        make_dataset(images, batch_size=2.0)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        make_dataset(images, batch_size=0)
    with pytest.raises(ValueError, match="drop_remainder"):
        make_dataset(images, batch_size=11, drop_remainder=True)
    with pytest.raises(ValueError, match="labels must be integers"):
        make_dataset(images, labels=np.zeros(9, int))
    with pytest.raises(TypeError, match="scale_images"):
        make_dataset(np.zeros((10, 4, 4, 1), np.uint8))


def test_ring_mixture_has_eight_distinct_modes():
    ring = ring_mixture()
    assert ring.n_modes == 8 and ring.std == 0.01
    np.testing.assert_allclose(np.linalg.norm(ring.centers, axis=1), 1.0)
    gaps = np.linalg.norm(ring.centers - np.roll(ring.centers, 1, axis=0), axis=1)
    np.testing.assert_allclose(gaps, 2 * math.sin(math.pi / 8))
    np.testing.assert_allclose(ring.centers[2], [0.0, 1.0], atol=1e-12)


def test_grid_mixture_centers():
    grid = grid_mixture()
    assert grid.n_modes == 25 and grid.std == 0.05
    assert sorted(set(grid.centers[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]


def test_mixture_sampling_is_seeded_and_near_centers():
    ring = ring_mixture()
    points = ring.sample(2500, seed=0)
    assert points.shape == (2500, 2) and points.dtype == np.float32
    np.testing.assert_array_equal(points, ring.sample(2500, seed=0))
    nearest = np.min(np.linalg.norm(points[:, None] - ring.centers[None], axis=2), axis=1)
    assert np.mean(nearest < 3 * ring.std) > 0.98
    with pytest.raises(ValueError, match="n must be a positive int"):
        ring.sample(0)
    with pytest.raises(TypeError, match="n must be a positive int"):
        ring.sample(2.5)


def test_mixture_argument_errors():
    with pytest.raises(ValueError, match="n_modes"):
        ring_mixture(n_modes=0)
    with pytest.raises(ValueError, match="std"):
        ring_mixture(std=-1)
    with pytest.raises(ValueError, match="spacing"):
        grid_mixture(spacing=0)
