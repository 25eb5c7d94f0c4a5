import gan_helpers
from gan_helpers import config

import random

import numpy as np
import pytest


def test_fast_mode_follows_env(monkeypatch):
    monkeypatch.setenv("GAN_FAST", "1")
    assert config.fast_mode() is True
    assert config.budget(full=100, fast=3) == 3
    monkeypatch.setenv("GAN_FAST", "0")
    assert config.fast_mode() is False
    assert config.budget(full=100, fast=3) == 100
    monkeypatch.delenv("GAN_FAST")
    assert config.budget(full="long", fast="short") == "long"


def test_offline_mode_follows_env(monkeypatch):
    monkeypatch.setenv("GAN_OFFLINE", "1")
    assert config.offline_mode()
    monkeypatch.setenv("GAN_OFFLINE", "")
    assert not config.offline_mode()


@pytest.mark.parametrize("value", ["1", "true", " Yes ", "ON"])
def test_env_flags_accept_on_values(monkeypatch, value):
    monkeypatch.setenv("GAN_FAST", value)
    monkeypatch.setenv("GAN_OFFLINE", value)
    assert config.fast_mode() is True and config.offline_mode() is True


@pytest.mark.parametrize("value", ["0", "false", "No", "off", "", "  "])
def test_env_flags_accept_off_values(monkeypatch, value):
    monkeypatch.setenv("GAN_FAST", value)
    monkeypatch.setenv("GAN_OFFLINE", value)
    assert config.fast_mode() is False and config.offline_mode() is False


@pytest.mark.parametrize("variable", ["GAN_FAST", "GAN_OFFLINE"])
@pytest.mark.parametrize("value", ["maybe", "2", "y", "enabled"])
def test_env_flags_refuse_other_values(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=rf"{variable} must be one of 1, true.*got '{value}'"):
        config.fast_mode() if variable == "GAN_FAST" else config.offline_mode()


def test_bad_fast_flag_fails_budget_and_import(monkeypatch):
    import subprocess
    import sys

    monkeypatch.setenv("GAN_FAST", "maybe")
    with pytest.raises(ValueError, match="GAN_FAST"):
        config.budget(full=10, fast=1)
    result = subprocess.run(
        [sys.executable, "-c", "import gan_helpers.config"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "GAN_FAST must be one of" in result.stderr


def test_budget_rejects_mismatched_kinds():
    with pytest.raises(TypeError, match="budget"):
        config.budget(full=10, fast="2")


def test_budget_accepts_int_and_float():
    assert config.budget(full=1.5, fast=1) == 1


def test_setup_prints_one_line_and_seeds(capsys):
    info = gan_helpers.setup(seed=7)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert "TensorFlow 2.21" in lines[0] and "Keras 3" in lines[0] and "seed 7" in lines[0]
    assert "FAST mode" in lines[0]
    assert info["seed"] == 7 and info["fast"] is True and info["device"] in ("CPU", "1 GPU")
    first = (random.random(), np.random.rand())
    gan_helpers.setup(seed=7, verbose=False)
    assert (random.random(), np.random.rand()) == first


def test_setup_seeds_keras():
    import keras

    gan_helpers.setup(seed=3, verbose=False)
    a = keras.random.normal((4,)).numpy()
    gan_helpers.setup(seed=3, verbose=False)
    b = keras.random.normal((4,)).numpy()
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("bad", ["42", 1.5, None, True])
def test_seed_type_errors(bad):
    with pytest.raises(TypeError, match=r"seed must be an int >= 0, got .*seed=42"):
        gan_helpers.setup(seed=bad)


def test_seed_negative():
    with pytest.raises(ValueError, match=r"seed must be an int >= 0, got -1"):
        gan_helpers.seed_everything(-1)


def test_setup_verbose_must_be_bool():
    with pytest.raises(TypeError, match="verbose must be True or False"):
        gan_helpers.setup(seed=1, verbose="no")


def test_import_prints_no_tensorflow_noise():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import gan_helpers, tensorflow; print('ok')"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert "oneDNN" not in result.stderr and "cpu_feature_guard" not in result.stderr
