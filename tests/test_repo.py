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


def _private_names() -> set[str]:
    """Names starting with one underscore defined by gan_helpers: module-level and on classes."""
    import gan_helpers

    import inspect

    names = set()
    for module_name in dir(gan_helpers):
        module = getattr(gan_helpers, module_name)
        if not inspect.ismodule(module) or not module.__name__.startswith("gan_helpers"):
            continue
        for name, value in vars(module).items():
            if name.startswith("_") and not name.startswith("__"):
                names.add(name)
            if inspect.isclass(value) and value.__module__.startswith("gan_helpers"):
                names.update(
                    attr
                    for attr in vars(value)
                    if attr.startswith("_") and not attr.startswith("__")
                )
    for name in ("checks", "losses", "measures", "scoring", "recipe", "gan", "data", "models"):
        module = getattr(gan_helpers, name, None)
        if module is not None:
            names.update(n for n in vars(module) if n.startswith("_") and not n.startswith("__"))
    return names


def _code_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return path.read_text()


def _users_of_the_package() -> list[Path]:
    paths = list(_notebooks())
    for folder in ("scripts", "benchmarks", "tests"):
        paths += sorted((ROOT / folder).glob("*.py"))
    return paths


@pytest.mark.parametrize("path", _users_of_the_package(), ids=lambda p: p.name)
def test_only_public_gan_helpers_names_are_used(path):
    """Lessons, scripts, benchmarks and tests use the public API, never a `_name` of ours."""
    import re

    code = _code_of(path)
    private = _private_names()
    found = set()
    module_access = re.compile(r"\b(?:gh|gan_helpers)(?:\.\w+)*\.(_[A-Za-z]\w*)")
    found.update(module_access.findall(code))
    imports = re.findall(r"from gan_helpers(?:\.\w+)* import \(([^)]*)\)", code)
    imports += re.findall(r"from gan_helpers(?:\.\w+)* import ([^(\n]+)", code)
    for names in imports:
        found.update(re.findall(r"\b_[A-Za-z]\w*", names))
    defined_here = set(re.findall(r"(?:def|class)\s+(_\w+)|\b(_\w+)\s*=", code))
    defined_here = {name for pair in defined_here for name in pair if name}
    attribute = re.compile(r"\.(_[A-Za-z]\w*)\b")
    found.update(
        name for name in attribute.findall(code) if name in private and name not in defined_here
    )
    allowed: set[str] = set()
    assert not (found - allowed), f"{path.name} uses private gan_helpers names: {sorted(found)}"


MAX_CELL_LINES = 40


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_notebook_code_cells_are_short(path):
    """One idea per cell: long set-up belongs in gan_helpers or in several cells with prose."""
    cells = json.loads(path.read_text())["cells"]
    long_cells = {
        cell.get("id", index): len("".join(cell["source"]).splitlines())
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "code"
        and len("".join(cell["source"]).splitlines()) > MAX_CELL_LINES
    }
    assert not long_cells, f"{path.name}: cells over {MAX_CELL_LINES} lines: {long_cells}"
