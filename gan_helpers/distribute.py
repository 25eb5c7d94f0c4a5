"""Data-parallel training with ``tf.distribute``: devices, noise, strategies and local workers.

``GAN.fit`` already runs under any ``tf.distribute`` strategy (its ``train_step`` divides each
loss by the number of replicas). This module adds what lesson 10, the tests and a training
script with a ``--strategy`` option need around it:

- :func:`split_cpu`: one CPU seen as several logical devices, to try ``MirroredStrategy``
  without GPUs (it must run before TensorFlow starts its runtime);
- :func:`replica_latent`: noise that does not depend on the number of replicas, so that
  distributed training can be compared with single-device training;
- :func:`make_strategy` and :func:`is_chief`: pick a strategy by name; decide who saves files;
- :func:`logs_for_workers` and :func:`build_in_strategy`: let ``fit`` run on several workers;
- :func:`local_cluster` and :func:`run_local_workers`: start ``MultiWorkerMirroredStrategy``
  workers as processes on this machine (free ports, timeouts, cleanup, clear failures).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import tensorflow as tf

from . import checks
from .gan import GAN

STRATEGIES = ("default", "mirrored", "multiworker")
"""Names accepted by :func:`make_strategy` (e.g. as the choices of a ``--strategy`` option)."""

RESULT_VARIABLE = "GAN_WORKER_RESULT"
"""Environment variable holding the path where a worker started by
:func:`run_local_workers` must write its result."""

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class WorkerError(RuntimeError):
    """A worker process started by :func:`run_local_workers` failed, hung or wrote nothing."""


def split_cpu(n_devices: int = 2) -> list[str]:
    """Show the machine's CPU to TensorFlow as ``n_devices`` logical devices.

    ``tf.distribute.MirroredStrategy(split_cpu(2))`` then has two replicas on one CPU: enough
    to check that distributed training computes the same thing (not to make it faster, since
    the logical devices share the same cores). TensorFlow fixes its devices when its runtime
    starts (at the first operation), so call this first, right after importing the package.

    Args:
        n_devices: number of logical CPU devices (at least 1).

    Returns:
        The device names, e.g. ``["/cpu:0", "/cpu:1"]``.

    Raises:
        TypeError, ValueError: ``n_devices`` is not an int >= 1.
        RuntimeError: TensorFlow's runtime already started with another number of CPU
            devices (restart the kernel or process and call this first).

    Example:
        >>> devices = split_cpu(2)
        >>> strategy = tf.distribute.MirroredStrategy(devices)
    """
    n_devices = checks.int_at_least(n_devices, "n_devices", 1, 2)
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(n_devices)]
        )
    except RuntimeError:
        present = len(tf.config.list_logical_devices("CPU"))
        if present != n_devices:
            raise RuntimeError(
                f"TensorFlow already started with {present} CPU device(s), so it cannot be split "
                f"into {n_devices} any more; restart the kernel (or process) and call "
                f"gan_helpers.split_cpu({n_devices}) before anything else runs TensorFlow."
            ) from None
    return [f"/cpu:{index}" for index in range(n_devices)]


def replica_latent(gan: GAN, batch_size, seed: int = 0):
    """This replica's share of one global draw of latent vectors (call it inside ``train_step``).

    The global batch of noise is drawn at once from a seed made of ``seed`` and the two
    optimizers' step counters, and each replica takes its own rows. Any number of replicas
    (with equal per-replica batches) therefore sees exactly the noise one device sees, which
    is what comparisons between devices need. ``GAN.draw_latent`` reaches the same rows another
    way: one draw for the global batch from the model's seed stream, of which each replica
    keeps its own rows.

    Args:
        gan: a compiled :class:`GAN` (its ``latent_dim`` and optimizer step counters are used).
        batch_size: this replica's batch size (an int or a scalar tensor).
        seed: an int that selects the noise sequence.

    Returns:
        A float32 tensor ``(batch_size, gan.latent_dim)``.

    Raises:
        TypeError: ``gan`` is not a ``GAN``, or a bad ``seed``.
        ValueError: ``gan`` is not compiled, or a negative ``seed``.

    Example:
        >>> class ComparableGAN(GAN):
        ...     def draw_latent(self, batch_size):
        ...         return replica_latent(self, batch_size)
    """
    if not isinstance(gan, GAN):
        raise TypeError(
            f"gan must be a gan_helpers.GAN, got {checks.describe(gan)}; call it as "
            "replica_latent(self, batch_size) inside a GAN subclass's draw_latent."
        )
    if getattr(gan, "d_optimizer", None) is None or getattr(gan, "g_optimizer", None) is None:
        raise ValueError(
            "replica_latent needs a compiled GAN (it reads the optimizers' step counters); call "
            "gan.compile(*gan_helpers.default_optimizers()) first."
        )
    seed = checks.seed(seed)
    if seed is None:
        raise TypeError("seed must be a non-negative int, got None; pass e.g. seed=0.")
    context = tf.distribute.get_replica_context()
    replicas = 1 if context is None else context.num_replicas_in_sync
    replica = 0 if context is None else context.replica_id_in_sync_group
    d_step = tf.cast(gan.d_optimizer.iterations, tf.int64)
    g_step = tf.cast(gan.g_optimizer.iterations, tf.int64)
    step_seed = tf.stack([tf.constant(seed, tf.int64), d_step * 2**31 + g_step])
    batch_size = tf.cast(batch_size, tf.int32)
    everyone = tf.random.stateless_normal((batch_size * replicas, gan.latent_dim), seed=step_seed)
    start = tf.cast(replica, tf.int32) * batch_size
    return everyone[start : start + batch_size]


def logs_for_workers(logs: dict) -> dict:
    """``train_step`` logs in a shape that Keras 3 can average across workers.

    Under ``MultiWorkerMirroredStrategy``, Keras 3 (3.15 at the time of writing) averages the
    values a ``train_step`` returns along axis 0, which a scalar does not have, and ``fit``
    fails with "Invalid reduction dimension 0 for input with 0 dimensions"
    (tensorflow/tensorflow#72388). One-element vectors average correctly. Under any other
    strategy the logs are returned unchanged.

    Args:
        logs: the dict a ``train_step`` returns (name to scalar tensor).

    Returns:
        The same dict, with each value reshaped to ``(1,)`` under ``MultiWorkerMirroredStrategy``.

    Raises:
        TypeError: ``logs`` is not a dict.

    Example:
        >>> class ClusterGAN(GAN):
        ...     def train_step(self, data):
        ...         return logs_for_workers(super().train_step(data))
    """
    if not isinstance(logs, dict):
        raise TypeError(f"logs must be the dict a train_step returns, got {checks.describe(logs)}.")
    if not isinstance(tf.distribute.get_strategy(), tf.distribute.MultiWorkerMirroredStrategy):
        return logs
    return {name: tf.reshape(value, (1,)) for name, value in logs.items()}


def make_strategy(name: str = "default") -> tf.distribute.Strategy:
    """A ``tf.distribute`` strategy by name: ``"default"``, ``"mirrored"`` or ``"multiworker"``.

    - ``"default"``: no distribution (one device, as without a strategy);
    - ``"mirrored"``: ``MirroredStrategy()``: one replica per local GPU (the CPU if none);
    - ``"multiworker"``: ``MultiWorkerMirroredStrategy()``: one process per machine, each
      told the cluster and its own index by the ``TF_CONFIG`` environment variable. Create it
      at the very start of the program, before other TensorFlow work.

    Build the model and its optimizers inside ``with strategy.scope():``; ``fit`` then splits
    each global batch across the replicas.

    Args:
        name: one of :data:`STRATEGIES`.

    Returns:
        A ``tf.distribute.Strategy``.

    Raises:
        ValueError: an unknown name, or ``"multiworker"`` without ``TF_CONFIG`` set.

    Example:
        >>> strategy = make_strategy("mirrored")
        >>> with strategy.scope():
        ...     gan = GAN(build_generator(), build_discriminator())
    """
    name = checks.choice(name, "name", STRATEGIES)
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if not os.environ.get("TF_CONFIG"):
        raise ValueError(
            "name='multiworker' needs the TF_CONFIG environment variable (the cluster's "
            "addresses and this worker's index); set it on every machine, e.g. with "
            "gan_helpers.local_cluster(2)[index] serialized by json.dumps, or use "
            "name='mirrored' on one machine."
        )
    return tf.distribute.MultiWorkerMirroredStrategy()


def build_in_strategy(strategy: tf.distribute.Strategy, build: Callable[[], GAN]) -> GAN:
    """Build and compile a GAN inside ``strategy.scope()``, ready for ``fit`` on that strategy.

    ``build`` must create the networks, the ``GAN`` and its optimizers (and call ``compile``):
    everything that owns variables is then mirrored on every replica. Under
    ``MultiWorkerMirroredStrategy`` the GAN's ``train_step`` also passes its logs through
    :func:`logs_for_workers`, so that Keras 3's ``fit`` can average them across workers.

    Args:
        strategy: e.g. ``make_strategy("mirrored")`` (create it first thing in the program).
        build: a function without arguments returning a compiled :class:`GAN`.

    Returns:
        The GAN ``build`` returned.

    Raises:
        TypeError: ``strategy`` is not a strategy, ``build`` is not callable or did not return
            a ``GAN``.
        ValueError: the GAN is not compiled.

    Example:
        >>> strategy = make_strategy("mirrored")
        >>> def build():
        ...     gan = GAN(build_generator(), build_discriminator(), seed=0)
        ...     gan.compile(*default_optimizers())
        ...     return gan
        >>> gan = build_in_strategy(strategy, build)
    """
    if not isinstance(strategy, tf.distribute.Strategy):
        raise TypeError(
            f"strategy must be a tf.distribute.Strategy, got {checks.describe(strategy)}; pass "
            "e.g. gan_helpers.make_strategy('mirrored')."
        )
    if not callable(build):
        raise TypeError(
            f"build must be a function returning a compiled GAN, got {checks.describe(build)}."
        )
    with strategy.scope():
        gan = build()
    if not isinstance(gan, GAN):
        raise TypeError(f"build must return a gan_helpers.GAN, got {checks.describe(gan)}.")
    if getattr(gan, "d_optimizer", None) is None:
        raise ValueError(
            "build must compile the GAN inside itself (gan.compile(*default_optimizers())), so "
            "that the optimizers' variables are created under the strategy."
        )
    if isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        step = gan.train_step
        gan.train_step = lambda data: logs_for_workers(step(data))
    return gan


def is_chief(strategy: tf.distribute.Strategy | None = None) -> bool:
    """Whether this process should write files (checkpoints, saved models, logs).

    In a cluster every worker runs the same script; only one (the ``"chief"`` task, or worker
    0 when there is none) should save, or the workers overwrite each other's files. Without a
    cluster the answer is True.

    Args:
        strategy: the strategy in use (default: the current one).

    Returns:
        True for the chief or a single process.

    Raises:
        TypeError: ``strategy`` is not a ``tf.distribute.Strategy``.

    Example:
        >>> if is_chief(strategy):
        ...     gan.generator.save("generator.keras")
    """
    if strategy is None:
        strategy = tf.distribute.get_strategy()
    if not isinstance(strategy, tf.distribute.Strategy):
        raise TypeError(
            f"strategy must be a tf.distribute.Strategy, got {checks.describe(strategy)}; pass "
            "e.g. gan_helpers.make_strategy('mirrored')."
        )
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or resolver.task_type in (None, "chief"):
        return True
    has_chief = "chief" in resolver.cluster_spec().as_dict()
    return resolver.task_type == "worker" and resolver.task_id == 0 and not has_chief


def _free_ports(count: int, host: str) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((host, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def local_cluster(n_workers: int = 2, host: str = "localhost") -> list[dict]:
    """``TF_CONFIG`` dictionaries for ``n_workers`` workers on this machine, on free ports.

    The ports are free when this returns; another program could take one before the workers
    start, which only makes that run fail (run it again).

    Args:
        n_workers: number of workers (at least 1).
        host: the address the workers listen on.

    Returns:
        One dict per worker: ``{"cluster": {"worker": ["localhost:PORT", ...]},
        "task": {"type": "worker", "index": i}}``; pass ``json.dumps(config)`` as ``TF_CONFIG``.

    Raises:
        TypeError, ValueError: ``n_workers`` is not an int >= 1, or ``host`` is not a string.

    Example:
        >>> configs = local_cluster(2)
        >>> configs[1]["task"]
        {'type': 'worker', 'index': 1}
    """
    n_workers = checks.int_at_least(n_workers, "n_workers", 1, 2)
    if not isinstance(host, str) or not host:
        raise TypeError(f"host must be a non-empty string, got {checks.describe(host)}.")
    addresses = [f"{host}:{port}" for port in _free_ports(n_workers, host)]
    return [
        {"cluster": {"worker": addresses}, "task": {"type": "worker", "index": index}}
        for index in range(n_workers)
    ]


def _log_tail(path: Path, lines: int = 25) -> str:
    text = path.read_text(errors="replace").strip().splitlines() if path.exists() else []
    return "\n".join(text[-lines:]) or "(no output)"


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.kill()
    for process in processes:
        process.wait()


def run_local_workers(
    script: str | os.PathLike,
    n_workers: int = 2,
    timeout: float = 180.0,
    args: Sequence[str] = (),
    workdir: str | os.PathLike | None = None,
) -> list[Path]:
    """Run ``script`` as ``n_workers`` cooperating worker processes and wait for all of them.

    Each worker runs ``python script *args`` with its own ``TF_CONFIG`` (from
    :func:`local_cluster`, free ports picked now) and the environment variable
    ``GAN_WORKER_RESULT`` naming the file it must write its result to. Output goes to
    ``workdir/worker<i>.log``. If a worker exits with an error, the others are stopped at once
    (TensorFlow would leave them waiting: without a time limit while the cluster forms, and
    until its 30-second health check gives up afterwards); if the time runs out, all are
    stopped. Workers never outlive this call, whatever happens.

    Args:
        script: a Python file that creates ``MultiWorkerMirroredStrategy()`` first, trains,
            and writes ``os.environ["GAN_WORKER_RESULT"]``.
        n_workers: number of worker processes (at least 1).
        timeout: seconds to wait for all of them (positive).
        args: extra command-line arguments for the script, a list such as ``["--steps", "50"]``
            (not one string).
        workdir: directory for logs and results (default: a new temporary directory).

    Returns:
        The result paths, worker 0 first.

    Raises:
        ValueError, TypeError: a missing script, a script, ``args`` or ``workdir`` of the wrong
            type, or bad numbers.
        WorkerError: a worker failed (its exit code and last output are in the message), the
            timeout passed, or a worker exited without writing its result.

    Example:
        >>> paths = run_local_workers("worker.py", n_workers=2, timeout=120)
        >>> results = [np.load(path) for path in paths]
    """
    script = checks.path(script, "script", "worker.py")
    if not script.is_file():
        raise ValueError(
            f"script must be an existing Python file, got {str(script)!r}, which does not exist; "
            "write the worker script first (e.g. with %%writefile worker.py in a notebook)."
        )
    n_workers = checks.int_at_least(n_workers, "n_workers", 1, 2)
    timeout = checks.positive_number(timeout, "timeout", 180.0)
    if isinstance(args, (str, bytes)) or not isinstance(args, Sequence):
        raise TypeError(
            f"args must be a list of command-line arguments, got {checks.describe(args)}; pass "
            "e.g. args=['--steps', '50'] (a single string would be split into characters)."
        )
    if workdir is None:
        workdir = Path(tempfile.mkdtemp(prefix="workers_"))
    else:
        workdir = checks.path(workdir, "workdir", "workers")
    workdir.mkdir(parents=True, exist_ok=True)
    logs = [workdir / f"worker{index}.log" for index in range(n_workers)]
    results = [workdir / f"worker{index}.npz" for index in range(n_workers)]
    for path in results:
        path.unlink(missing_ok=True)
    python_path = os.pathsep.join(filter(None, [str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))
    processes: list[subprocess.Popen] = []
    try:
        for index, config in enumerate(local_cluster(n_workers)):
            env = dict(os.environ, TF_CONFIG=json.dumps(config), PYTHONPATH=python_path)
            env[RESULT_VARIABLE] = str(results[index])
            with open(logs[index], "w") as log:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, str(script.resolve()), *map(str, args)],
                        env=env,
                        cwd=workdir,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        deadline = time.monotonic() + timeout
        while True:
            codes = [process.poll() for process in processes]
            failed = [index for index, code in enumerate(codes) if code not in (None, 0)]
            if failed:
                index = failed[0]
                raise WorkerError(
                    f"worker {index} of {n_workers} exited with code {codes[index]}; the others "
                    f"were stopped. Its last output ({logs[index]}):\n{_log_tail(logs[index])}"
                )
            if all(code == 0 for code in codes):
                break
            if time.monotonic() > deadline:
                waiting = [index for index, code in enumerate(codes) if code is None]
                raise WorkerError(
                    f"workers {waiting} were still running after {timeout:.0f} s and were "
                    f"stopped (raise timeout= on a slow machine). Last output of worker "
                    f"{waiting[0]}:\n{_log_tail(logs[waiting[0]])}"
                )
            time.sleep(0.1)
    finally:
        _stop(processes)
    missing = [index for index, path in enumerate(results) if not path.exists()]
    if missing:
        raise WorkerError(
            f"workers {missing} finished without writing a result: the script must write to "
            f"os.environ['{RESULT_VARIABLE}']. Last output of worker {missing[0]}:\n"
            f"{_log_tail(logs[missing[0]])}"
        )
    return results
