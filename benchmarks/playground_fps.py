"""Frames and training steps per second of the lesson 5 playground on ONE CPU core.

Binder gives a learner one CPU, so this script pins itself to a single core before TensorFlow
starts (``os.sched_setaffinity``; the same as running it under ``taskset -c 0``) unless
``--all-cores`` is given. For each setting it measures, over ``--seconds`` each:

- ``step()``: the synchronous path (Step button): train ``steps_per_frame`` steps in one
  compiled call, compute the frame (samples, heatmap, gradient arrows, ``mode_stats``), draw
  and encode it;
- ``play()``: the same in Play's background thread, with the frame-rate cap lifted, counting
  frames and steps while the main thread sleeps;
- ``train()``: training alone (one compiled call of many steps), the ceiling for steps/s.

Each rate is given twice: per second of wall-clock time, and per second of CPU time used by
this process (``time.process_time``). Pinned to one core, the second is what the process
gets out of a core it has to itself, as on an idle Binder machine; the first is lower when
other processes share the core (the load average is printed).

Usage (from the repository root)::

    python benchmarks/playground_fps.py                  # a minute or two
    python benchmarks/playground_fps.py --seconds 3      # quicker
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("GAN_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SETTINGS = {
    "ring, non-saturating": {"data": "ring"},
    "grid, pack 2 + minibatch std": {"data": "grid", "pack": 2, "minibatch_std": True},
    "ring, Wasserstein-GP, 5 D steps": {"data": "ring", "loss": "wasserstein", "d_steps": 5},
}


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="timing per measurement")
    parser.add_argument("--steps-per-frame", type=int, nargs="+", default=[5, 10, 20])
    parser.add_argument("--all-cores", action="store_true", help="do not pin to one core")
    return parser.parse_args()


class _Clock:
    """Wall-clock and CPU seconds since creation."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def rates(self, count: float) -> tuple[float, float]:
        """``count`` per wall-clock second and per CPU second."""
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        return count / wall, count / max(cpu, 1e-9)


def _timed_steps(playground, seconds: float) -> tuple[float, float]:
    clock, frames = _Clock(), 0
    while time.perf_counter() - clock.wall < seconds:
        playground.step()
        frames += 1
    return clock.rates(frames)


def _timed_play(playground, seconds: float) -> tuple[float, float]:
    playground.max_fps = 1000.0  # measure the pipeline, not the cap
    start_step, clock = playground.step_count, _Clock()
    playground.play()
    time.sleep(seconds)
    playground.pause()
    frames = (playground.step_count - start_step) / playground.settings["steps_per_frame"]
    return clock.rates(frames)


def _timed_training(playground, seconds: float) -> tuple[float, float]:
    steps = 200
    while True:  # grow the call until it lasts about `seconds`
        clock = _Clock()
        playground.train(steps)
        if time.perf_counter() - clock.wall > seconds / 3:
            return clock.rates(steps)
        steps *= 3


def _pair(rates: tuple[float, float]) -> str:
    return f"{rates[0]:7.1f} /{rates[1]:7.1f}"


def main() -> None:
    args = _parse_args()
    if not args.all_cores:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
    cores = sorted(os.sched_getaffinity(0))

    from gan_helpers.widgets import Playground  # imports TensorFlow, now on one core

    print(f"CPU cores used: {cores} of {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}")
    print("rates: per wall-clock second / per CPU second")
    print(
        f"{'setting':34s} {'steps/frame':>11s} {'step() frames/s':>16s} "
        f"{'play() frames/s':>16s} {'play() steps/s':>16s} {'train() steps/s':>16s}"
    )
    for name, setting in SETTINGS.items():
        start = time.perf_counter()
        playground = Playground(**setting)
        playground.step()
        ready = time.perf_counter() - start
        training = _timed_training(playground, args.seconds)
        for steps_per_frame in args.steps_per_frame:
            playground.configure(steps_per_frame=steps_per_frame)
            stepping = _timed_steps(playground, args.seconds)
            playing = _timed_play(playground, args.seconds)
            play_steps = (playing[0] * steps_per_frame, playing[1] * steps_per_frame)
            print(
                f"{name:34s} {steps_per_frame:11d} {_pair(stepping)} {_pair(playing)} "
                f"{_pair(play_steps)} {_pair(training)}",
                flush=True,
            )
        stats = playground.stats
        print(
            f"    built and compiled in {ready:.1f} s; after {stats['step']:,} steps: "
            f"{stats['modes']}/{stats['n_modes']} modes, high quality {stats['high_quality']:.0%}"
        )
        playground.close()
    print(f"load average at the end {os.getloadavg()[0]:.1f} (other processes share the CPU)")


if __name__ == "__main__":
    main()
