"""Root pytest configuration: the notebooks run in fast, offline mode.

Set here (not only in tests/) so that `pytest notebooks/02_the_generator.ipynb` also runs
in fast mode. The kernels nbval starts inherit these variables.

It also measures each notebook kernel's peak memory (VmHWM, Linux) when its last cell has
run, and fails that cell if the kernel needed more than ``GAN_KERNEL_MEMORY_LIMIT_MB``
(default 1,536 MiB: Binder gives a learner 2 GB, and the server needs some of it).
"""

import os
import time
from pathlib import Path

import pytest

os.environ["GAN_FAST"] = "1"
os.environ.setdefault("GAN_OFFLINE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

KERNEL_MEMORY_LIMIT_MB = float(os.environ.get("GAN_KERNEL_MEMORY_LIMIT_MB", "1536"))
KERNEL_PEAKS_MB: dict[str, float] = {}
NOTEBOOK_SECONDS: dict[str, float] = {}
_NOTEBOOK_STARTS: dict[str, float] = {}
NOTEBOOK_PROPERTY = "notebook_seconds_and_peak_mb"


def pytest_collectstart(collector):
    """nbval: never compare stderr (TensorFlow and Keras warnings vary between machines)."""
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr", "application/vnd.jupyter.widget-view+json")


def _kernel_peak_mb(notebook) -> float | None:
    kernel = getattr(notebook, "kernel", None)
    process = getattr(getattr(getattr(kernel, "km", None), "provisioner", None), "process", None)
    status = Path(f"/proc/{getattr(process, 'pid', -1)}/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def _notebook_name(item) -> str | None:
    path = str(getattr(item.parent, "fspath", ""))
    return Path(path).name if path.endswith(".ipynb") else None


def pytest_runtest_setup(item):
    name = _notebook_name(item)
    if name is not None:
        _NOTEBOOK_STARTS.setdefault(name, time.perf_counter())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """After a notebook's last cell, record its run time and check its kernel's peak memory."""
    notebook, name = item.parent, _notebook_name(item)
    if name is None or (nextitem is not None and nextitem.parent is notebook):
        return
    seconds = time.perf_counter() - _NOTEBOOK_STARTS[name]
    peak = _kernel_peak_mb(notebook)
    # Carried on the teardown report, so that under pytest-xdist (`make test`) the controlling
    # process, which prints the summary, learns what the workers measured.
    item.user_properties.append((NOTEBOOK_PROPERTY, (name, seconds, peak)))
    if peak is not None and peak > KERNEL_MEMORY_LIMIT_MB:
        pytest.fail(
            f"{Path(str(notebook.fspath)).name}: the kernel peaked at {peak:.0f} MiB, above the "
            f"{KERNEL_MEMORY_LIMIT_MB:.0f} MiB budget for Binder (2 GB per learner); use "
            "smaller budgets or data subsets in fast mode."
        )


def pytest_runtest_logreport(report):
    """Collect the notebook figures from teardown reports (this process's or a worker's)."""
    if report.when != "teardown":
        return
    for key, value in report.user_properties:
        if key == NOTEBOOK_PROPERTY:
            name, seconds, peak = value
            NOTEBOOK_SECONDS[name] = seconds
            if peak is not None:
                KERNEL_PEAKS_MB[name] = peak


def pytest_terminal_summary(terminalreporter):
    """Print every notebook's run time and kernel peak memory at the end of the run."""
    if NOTEBOOK_SECONDS:
        terminalreporter.section("notebooks: run time and kernel peak memory")
        for name, seconds in sorted(NOTEBOOK_SECONDS.items()):
            peak = KERNEL_PEAKS_MB.get(name)
            memory = f"{peak:7.0f} MiB" if peak is not None else "    n/a"
            terminalreporter.write_line(f"{name:45s} {seconds:6.1f} s {memory}")
