"""Shared fixtures for the unit tests.

Fast and offline mode (GAN_FAST=1, GAN_OFFLINE=1) and nbval's stderr handling are set in
the root ``conftest.py`` so that they also apply when only ``notebooks/`` is collected.
"""

import os

import pytest

os.environ["GAN_FAST"] = "1"
os.environ.setdefault("GAN_OFFLINE", "1")


@pytest.fixture
def empty_keras_home(tmp_path, monkeypatch):
    """A KERAS_HOME with no cached datasets, so no test sees the developer's cache."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    return tmp_path / "keras_home"


@pytest.fixture
def no_network(monkeypatch):
    """Make any download attempt fail at once, the way an offline machine does."""
    import gan_helpers.data as data

    def refuse(*args, **kwargs):
        raise OSError("simulated: network unreachable")

    monkeypatch.setattr(data.urllib.request, "urlopen", refuse)
