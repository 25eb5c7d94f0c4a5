"""Repository hygiene, checked by the test command: stripped notebooks and ruff."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINTED = ["gan_helpers", "tests", "notebooks", "scripts", "benchmarks", "conftest.py"]


def _notebooks() -> list[Path]:
    tracked = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True
    )
    if tracked.returncode == 0 and tracked.stdout.strip():
        return [ROOT / line for line in tracked.stdout.split()]
    return sorted(ROOT.glob("notebooks/*.ipynb"))


def test_there_are_notebooks():
    assert any(p.name.startswith("00_") for p in _notebooks())


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_notebook_outputs_are_stripped(path):
    notebook = json.loads(path.read_text())
    dirty = [
        index
        for index, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; strip them before committing"


def _ruff(*args: str) -> subprocess.CompletedProcess:
    paths = [p for p in LINTED if (ROOT / p).exists()]
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *paths], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_check_passes():
    result = _ruff("check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = _ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
