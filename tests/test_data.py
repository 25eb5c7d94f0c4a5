import gan_helpers.data as data
from gan_helpers import (
    ChecksumError,
    GaussianMixture2D,
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


def _corrupt_cache(home, payload: bytes):
    cache = home / "datasets" / "mnist.npz"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(payload)
    return cache


def _interrupted(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _zeroed_middle(raw: bytes) -> bytes:
    middle = len(raw) // 2
    return raw[:middle] + bytes(500) + raw[middle + 500 :]


@pytest.mark.parametrize(
    "damage", [_interrupted, _zeroed_middle, lambda raw: b""], ids=["truncated", "crc", "empty"]
)
def test_corrupt_keras_cache_is_reported_and_kept(monkeypatch, capsys, empty_keras_home, damage):
    monkeypatch.delenv("GAN_OFFLINE", raising=False)
    payload = damage(data.SAMPLE_PATH.read_bytes())
    cache = _corrupt_cache(empty_keras_home, payload)
    _check_sample_arrays(load_mnist("auto"))
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    assert "bundled sample" in out and "not a readable .npz" in out and str(cache) in out
    assert cache.read_bytes() == payload  # reported, bypassed, not deleted
    with pytest.raises(ValueError, match="interrupted download; it was left in place"):
        load_mnist("keras")
    assert cache.read_bytes() == payload


def test_keras_cache_with_wrong_arrays_is_refused(monkeypatch, capsys, empty_keras_home, tmp_path):
    monkeypatch.delenv("GAN_OFFLINE", raising=False)
    wrong = tmp_path / "wrong.npz"
    pixels = np.zeros((3, 28, 28), np.float32)
    labels = np.zeros(3, np.uint8)
    np.savez(wrong, x_train=pixels, y_train=labels, x_test=pixels, y_test=labels)
    _corrupt_cache(empty_keras_home, wrong.read_bytes())
    with pytest.raises(ValueError, match="x_train must be uint8 images"):
        load_mnist("keras")
    _check_sample_arrays(load_mnist("auto"))
    assert "x_train must be uint8" in capsys.readouterr().out


def test_sample_path_must_be_a_path():
    with pytest.raises(TypeError, match="sample_path must be a path"):
        load_mnist("sample", sample_path=3)


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
    with pytest.raises(ValueError, match="git checkout"):  # MissingFileError is both
        load_mnist("sample", sample_path=tmp_path / "nope.npz")


def test_sha256_of(tmp_path):
    (tmp_path / "abc.txt").write_bytes(b"abc")
    expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert data.sha256_of(tmp_path / "abc.txt") == expected
    with pytest.raises(ValueError, match="path .* is not an existing file"):
        data.sha256_of(tmp_path / "nope")
    with pytest.raises(TypeError, match="path must be a path"):
        data.sha256_of(None)


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
    with pytest.raises(ValueError, match="n >= 1"):
        scale_images(np.zeros((0, 28, 28), np.uint8))


def test_check_images_errors():
    good = np.zeros((2, 28, 28, 1), np.float32)
    assert check_images(good) is good
    assert check_images(good.astype(np.float64)).dtype == np.float32
    with pytest.raises(TypeError, match="scale_images"):
        check_images(np.zeros((2, 28, 28, 1), np.uint8))
    with pytest.raises(TypeError, match="float32"):
        check_images(np.zeros((2, 28, 28, 1), np.int64))
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


GOOD = np.zeros((10, 4, 4, 1), np.float32)
NAN_IMAGES = GOOD.copy()
NAN_IMAGES[3, 1, 1, 0] = np.nan


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"images": np.zeros((10, 4, 4, 1), np.uint8)}, TypeError, "scale_images"),
        ({"images": np.zeros((10, 4, 4), np.float32)}, ValueError, "channel axis"),
        ({"images": NAN_IMAGES}, ValueError, "images contains NaN"),
        ({"images": GOOD + 254.0}, ValueError, "0..255.*scale_images"),
        ({"images": GOOD - 3.0}, ValueError, r"images must lie in \[-1, 1\]"),
        ({"images": np.zeros((0, 4, 4, 1), np.float32)}, ValueError, "empty batch"),
        ({"images": "mnist"}, TypeError, "images must be a float32 array"),
        ({"batch_size": 2.0}, TypeError, "batch_size must be a positive int"),
        ({"batch_size": True}, TypeError, "batch_size must be a positive int"),
        ({"batch_size": 0}, ValueError, "batch_size must be a positive int"),
        ({"batch_size": 11, "drop_remainder": True}, ValueError, "drop_remainder"),
        ({"labels": np.zeros(9, int)}, ValueError, r"labels must have one label per sample"),
        ({"labels": np.zeros(10, np.float32)}, TypeError, "labels must be integer class labels"),
        ({"labels": np.zeros((10, 1), int)}, ValueError, "labels must be 1-D"),
        ({"labels": np.full(10, -1)}, ValueError, "labels must be class indices >= 0"),
        ({"labels": "0123456789"}, TypeError, "labels must be an array"),
        ({"shuffle": "yes"}, TypeError, "shuffle must be True or False"),
        ({"seed": -1}, ValueError, "seed must be a non-negative int"),
        ({"seed": 0.5}, TypeError, "seed must be a non-negative int"),
        ({"drop_remainder": 1}, TypeError, "drop_remainder must be True or False"),
    ],
)
def test_dataset_errors(kwargs, error, match):
    kwargs = {"images": GOOD, **kwargs}
    with pytest.raises(error, match=match):
        make_dataset(**kwargs)


def test_dataset_accepts_float64_images_as_float32():
    batch = next(iter(make_dataset(GOOD.astype(np.float64), batch_size=4, shuffle=False)))
    assert batch.dtype.name == "float32"


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


@pytest.mark.parametrize(
    ("build", "kwargs", "error", "match"),
    [
        (ring_mixture, {"n_modes": 0}, ValueError, "n_modes must be a positive int"),
        (ring_mixture, {"n_modes": 8.0}, TypeError, "n_modes must be a positive int"),
        (ring_mixture, {"std": -1}, ValueError, "std must be a finite number > 0"),
        (ring_mixture, {"std": float("nan")}, ValueError, "std must be a finite number > 0"),
        (ring_mixture, {"radius": 0}, ValueError, "radius must be a finite number > 0"),
        (ring_mixture, {"radius": float("nan")}, ValueError, "radius must be a finite"),
        (ring_mixture, {"radius": "1"}, TypeError, "radius must be a positive number"),
        (grid_mixture, {"spacing": 0}, ValueError, "spacing must be a finite number > 0"),
        (grid_mixture, {"spacing": float("inf")}, ValueError, "spacing must be a finite"),
        (grid_mixture, {"std": True}, TypeError, "std must be a positive number"),
        (grid_mixture, {"side": -5}, ValueError, "side must be a positive int"),
    ],
)
def test_mixture_argument_errors(build, kwargs, error, match):
    with pytest.raises(error, match=match):
        build(**kwargs)


@pytest.mark.parametrize(
    ("centers", "std", "error", "match"),
    [
        (np.zeros((4, 3)), 0.1, ValueError, r"centers must have shape \(n, 2\)"),
        (np.zeros(4), 0.1, ValueError, "centers must be 2-D"),
        (np.array([[0.0, np.nan]]), 0.1, ValueError, "centers contains NaN"),
        (np.zeros((0, 2)), 0.1, ValueError, "centers needs at least 1 rows"),
        (np.zeros((2, 2)), 0.0, ValueError, "std must be a finite number > 0"),
        (np.zeros((2, 2)), float("nan"), ValueError, "std must be a finite number > 0"),
        (np.zeros((2, 2)), "0.1", TypeError, "std must be a positive number"),
    ],
)
def test_custom_mixture_is_checked(centers, std, error, match):
    with pytest.raises(error, match=match):
        GaussianMixture2D("custom", centers, std)


def test_custom_mixture_samples_near_its_centers():
    pair = GaussianMixture2D("pair", [[-3, 0], [3, 0]], 0.01)
    points = pair.sample(200, seed=0)
    assert pair.centers.dtype == np.float64
    assert set(np.round(points[:, 0]).astype(int).tolist()) == {-3, 3}
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        pair.sample(10, seed=-1)
