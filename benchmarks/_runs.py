"""Results files shared by the benchmarks: one JSON line per finished run."""

from __future__ import annotations

import json
from pathlib import Path


def load_runs(path: Path, config: dict, key: tuple[str, ...]) -> list[dict]:
    """Finished runs with this exact set-up; runs of other set-ups in the file are ignored.

    Several processes may append to the same file and finish the same run: the first line for
    each ``key`` (e.g. method, data and seed) wins.
    """
    if not path.is_file():
        return []
    runs = {}
    for line in path.read_text().splitlines():
        run = json.loads(line) if line.strip() else None
        if run and run["config"] == config:
            runs.setdefault(tuple(run[field] for field in key), run)
    return list(runs.values())
