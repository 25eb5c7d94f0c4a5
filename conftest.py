"""Root pytest configuration: the notebooks run in fast, offline mode.

Set here (not only in tests/) so that `pytest notebooks/02_the_generator.ipynb` also runs
in fast mode. The kernels nbval starts inherit these variables.
"""

import os

os.environ["GAN_FAST"] = "1"
os.environ.setdefault("GAN_OFFLINE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def pytest_collectstart(collector):
    """nbval: never compare stderr (TensorFlow and Keras warnings vary between machines)."""
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr", "application/vnd.jupyter.widget-view+json")
