"""gan_helpers.distribute: equality with single-device training, local workers, checks.

Logical CPU devices must be configured before TensorFlow's runtime starts, so the
MirroredStrategy checks run in a fresh Python process.
"""

import gan_helpers as gh

import json
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import tensorflow as tf

MIRRORED_SCRIPT = textwrap.dedent(
    """
    import gan_helpers as gh
    devices = gh.split_cpu(2)
    assert gh.split_cpu(2) == devices
    import keras
    import numpy as np
    import tensorflow as tf

    class ComparableGAN(gh.GAN):
        def draw_latent(self, batch_size):
            return gh.replica_latent(self, batch_size)

    def linear_critic():
        points = keras.Input((2,))
        return keras.Model(points, keras.layers.Dense(1)(keras.layers.Dense(8)(points)))

    def build(loss):
        keras.utils.set_random_seed(0)
        generator = gh.build_mlp_generator(hidden=16, batch_norm=False)
        if loss == "wasserstein":
            gan = ComparableGAN(generator, linear_critic(), loss=loss, d_steps=2, seed=0)
        else:
            gan = ComparableGAN(generator, gh.build_mlp_discriminator(hidden=16), seed=0)
        gan.compile(*gh.default_optimizers())
        return gan

    dataset = tf.data.Dataset.from_tensor_slices(gh.ring_mixture().sample(64 * 50, seed=0))
    dataset = dataset.batch(64)
    strategy = tf.distribute.MirroredStrategy(devices)
    with strategy.scope():
        gan = build("non_saturating")
    both = strategy.experimental_local_results(
        strategy.run(tf.function(lambda: gh.replica_latent(gan, 3)))
    )
    same = np.concatenate([z.numpy() for z in both])
    np.testing.assert_allclose(same, gh.replica_latent(gan, 6).numpy(), atol=1e-6)
    def compare(build, prefix):  # each loss on one device and mirrored: the largest gap
        for loss in ("non_saturating", "wasserstein"):
            single = build(loss)
            single.fit(dataset, epochs=1, verbose=0)
            with strategy.scope():
                mirrored = build(loss)
            mirrored.fit(dataset, epochs=1, verbose=0)
            worst = max(
                float(np.max(np.abs(a.numpy() - b.numpy())))
                for a, b in zip(single.weights, mirrored.weights)
            )
            print(prefix + loss, worst, int(single.g_optimizer.iterations.numpy()))

    compare(build, "")
    def build_plain(loss):
        keras.utils.set_random_seed(0)
        generator = gh.build_mlp_generator(hidden=16, batch_norm=False)
        critic = gh.build_mlp_discriminator(hidden=16)
        d_steps = 2 if loss == "wasserstein" else 1
        gan = gh.GAN(generator, critic, loss=loss, d_steps=d_steps, seed=0)
        gan.compile(*gh.default_optimizers())
        return gan

    with strategy.scope():
        probe = build_plain("non_saturating")
    def both_draws(gan, n):
        return tf.function(lambda: (gan.draw_latent(n), gan.draw_interpolation_weights(n)))

    rows = strategy.experimental_local_results(strategy.run(both_draws(probe, 3)))
    one_z, one_alpha = both_draws(build_plain("non_saturating"), 6)()
    z_rows = np.concatenate([r[0].numpy() for r in rows])
    alpha_rows = np.concatenate([r[1].numpy() for r in rows])
    replicas_apart = float(np.max(np.abs(rows[0][0].numpy() - rows[1][0].numpy())))
    print("plain_noise", float(np.max(np.abs(z_rows - one_z.numpy()))), replicas_apart)
    print("plain_alpha", float(np.max(np.abs(alpha_rows - one_alpha.numpy()))))
    compare(build_plain, "plain_")
    try:
        gh.split_cpu(3)
    except RuntimeError as error:
        print("refused:", error)
    """
)


@pytest.fixture(scope="module")
def mirrored_run(tmp_path_factory):
    script = tmp_path_factory.mktemp("mirrored") / "mirrored.py"
    script.write_text(MIRRORED_SCRIPT)
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.parametrize("loss", ["non_saturating", "wasserstein"])
def test_mirrored_training_equals_single_device_training(mirrored_run, loss):
    """50 steps on two replicas with half the batch each give one device's weights."""
    line = next(line for line in mirrored_run.splitlines() if line.startswith(loss))
    _, worst, steps = line.split()
    assert int(steps) == 50
    assert float(worst) < 1e-5


def test_plain_gan_draws_different_noise_on_each_replica_equal_to_one_device(mirrored_run):
    """GAN.draw_latent and draw_interpolation_weights split one global draw between replicas."""
    lines = {line.split()[0]: line.split()[1:] for line in mirrored_run.splitlines()}
    to_one_device, between_replicas = (float(v) for v in lines["plain_noise"])
    assert to_one_device < 1e-6 and between_replicas > 0.1
    assert float(lines["plain_alpha"][0]) < 1e-6


@pytest.mark.parametrize("loss", ["non_saturating", "wasserstein"])
def test_plain_gan_on_two_replicas_equals_one_device(mirrored_run, loss):
    """No override needed: 50 steps of gh.GAN (WGAN-GP with a nonlinear critic too) match."""
    line = next(line for line in mirrored_run.splitlines() if line.startswith("plain_" + loss))
    _, worst, steps = line.split()
    assert int(steps) == 50
    assert float(worst) < 1e-5


def test_split_cpu_refuses_to_change_a_started_runtime(mirrored_run):
    assert "refused: TensorFlow already started with 2 CPU device(s)" in mirrored_run
    assert "split_cpu(3) before anything else" in mirrored_run


WORKER_SCRIPT = textwrap.dedent(
    """
    import os
    import gan_helpers as gh
    strategy = gh.make_strategy("multiworker")
    import keras
    import numpy as np
    import tensorflow as tf

    class ComparableGAN(gh.GAN):
        def draw_latent(self, batch_size):
            return gh.replica_latent(self, batch_size)

    def build():
        keras.utils.set_random_seed(0)
        gan = ComparableGAN(gh.build_mlp_generator(hidden=16, batch_norm=False),
                            gh.build_mlp_discriminator(hidden=16), seed=0)
        gan.compile(*gh.default_optimizers())
        return gan

    gan = gh.distribute.build_in_strategy(strategy, build)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    points = gh.ring_mixture().sample(64 * 20, seed=0)
    dataset = tf.data.Dataset.from_tensor_slices(points).batch(64).with_options(options)
    gan.fit(dataset, epochs=1, verbose=0)
    weights = [w.numpy() for w in gan.weights]
    np.savez(os.environ["GAN_WORKER_RESULT"], *weights, chief=gh.is_chief(strategy),
             replicas=strategy.num_replicas_in_sync)
    """
)


def test_two_local_workers_train_like_one_device(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(WORKER_SCRIPT)
    paths = gh.run_local_workers(script, n_workers=2, timeout=240, workdir=tmp_path / "run")
    results = [np.load(path) for path in paths]
    assert [bool(r["chief"]) for r in results] == [True, False]
    assert [int(r["replicas"]) for r in results] == [2, 2]
    tf.keras.utils.set_random_seed(0)

    class ComparableGAN(gh.GAN):
        def draw_latent(self, batch_size):
            return gh.replica_latent(self, batch_size)

    single = ComparableGAN(
        gh.build_mlp_generator(hidden=16, batch_norm=False),
        gh.build_mlp_discriminator(hidden=16),
        seed=0,
    )
    single.compile(*gh.default_optimizers())
    points = gh.ring_mixture().sample(64 * 20, seed=0)
    single.fit(tf.data.Dataset.from_tensor_slices(points).batch(64), epochs=1, verbose=0)
    for result in results:
        for index, weight in enumerate(single.weights):
            np.testing.assert_allclose(result[f"arr_{index}"], weight.numpy(), atol=1e-5)


def test_a_failing_worker_stops_the_others_at_once(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(
        "import json, os, sys, time\n"
        "index = json.loads(os.environ['TF_CONFIG'])['task']['index']\n"
        "print('worker', index, 'started')\n"
        "if index == 1:\n"
        "    sys.exit('simulated crash')\n"
        "time.sleep(60)\n"
    )
    start = time.monotonic()
    with pytest.raises(gh.WorkerError, match=r"(?s)worker 1 of 2 exited with code 1.*crash"):
        gh.run_local_workers(script, timeout=50, workdir=tmp_path / "run")
    assert time.monotonic() - start < 20


def test_a_hanging_worker_times_out_and_is_stopped(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text("import os, time\nprint(os.getpid(), flush=True)\ntime.sleep(60)\n")
    with pytest.raises(gh.WorkerError, match=r"still running after 2 s"):
        gh.run_local_workers(script, timeout=2, workdir=tmp_path / "run")
    for log in (tmp_path / "run").glob("worker*.log"):
        pid = int(log.read_text().split()[0])
        assert not _alive(pid)


def test_a_worker_without_a_result_is_reported(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text("print('done, but forgot to write')\n")
    with pytest.raises(gh.WorkerError, match=r"GAN_WORKER_RESULT"):
        gh.run_local_workers(script, n_workers=1, timeout=30, workdir=tmp_path / "run")


def _alive(pid: int) -> bool:
    try:
        status = open(f"/proc/{pid}/status").read()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


def test_local_cluster_gives_each_worker_the_same_cluster_and_its_index():
    configs = gh.local_cluster(3)
    addresses = configs[0]["cluster"]["worker"]
    assert len(set(addresses)) == 3 and all(a.startswith("localhost:") for a in addresses)
    assert [c["task"] for c in configs] == [{"type": "worker", "index": i} for i in range(3)]
    assert all(c["cluster"]["worker"] == addresses for c in configs)
    json.dumps(configs)


def test_make_strategy_and_is_chief_in_a_single_process(monkeypatch):
    assert gh.STRATEGIES == ("default", "mirrored", "multiworker")
    default = gh.make_strategy("default")
    assert default.num_replicas_in_sync == 1 and gh.is_chief(default) and gh.is_chief()
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(ValueError, match="needs the TF_CONFIG environment variable"):
        gh.make_strategy("multiworker")
    with pytest.raises(ValueError, match="name must be one of 'default', 'mirrored'"):
        gh.make_strategy("horovod")
    with pytest.raises(TypeError, match="strategy must be a tf.distribute.Strategy"):
        gh.is_chief("mirrored")


def test_bad_arguments_are_refused_with_a_fix(tmp_path):
    with pytest.raises(ValueError, match="n_devices must be an int >= 1"):
        gh.split_cpu(0)
    with pytest.raises(TypeError, match="n_workers must be an int >= 1"):
        gh.local_cluster(2.0)
    with pytest.raises(ValueError, match="script must be an existing Python file.*%%writefile"):
        gh.run_local_workers(tmp_path / "missing.py")
    script = tmp_path / "worker.py"
    script.write_text("")
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        gh.run_local_workers(script, timeout=0)
    with pytest.raises(TypeError, match=r"script must be a path .*got 123"):
        gh.run_local_workers(123)
    with pytest.raises(TypeError, match=r"args must be a list .*split into characters"):
        gh.run_local_workers(script, args="--steps 50")
    with pytest.raises(TypeError, match=r"workdir must be a path"):
        gh.run_local_workers(script, workdir=3)
    gan = gh.GAN(gh.build_mlp_generator(hidden=4), gh.build_mlp_discriminator(hidden=4))
    with pytest.raises(ValueError, match="replica_latent needs a compiled GAN"):
        gh.replica_latent(gan, 4)
    with pytest.raises(TypeError, match="gan must be a gan_helpers.GAN"):
        gh.replica_latent("gan", 4)
    with pytest.raises(TypeError, match="logs must be the dict a train_step returns"):
        gh.logs_for_workers([1.0])
    logs = {"d_loss": tf.constant(1.0)}
    assert gh.logs_for_workers(logs) is logs


def test_replica_latent_on_one_device_is_seeded_by_the_step_counters():
    gan = gh.GAN(gh.build_mlp_generator(hidden=4), gh.build_mlp_discriminator(hidden=4))
    gan.compile(*gh.default_optimizers())
    first = gh.replica_latent(gan, 5).numpy()
    assert first.shape == (5, 2)
    np.testing.assert_array_equal(first, gh.replica_latent(gan, 5).numpy())
    assert not np.array_equal(first, gh.replica_latent(gan, 5, seed=1).numpy())
    gan.d_optimizer.iterations.assign(1)
    assert not np.array_equal(first, gh.replica_latent(gan, 5).numpy())


def test_build_in_strategy_builds_in_scope_and_checks_what_it_gets():
    strategy = gh.make_strategy("default")

    def build():
        gan = gh.GAN(gh.build_mlp_generator(hidden=4), gh.build_mlp_discriminator(hidden=4))
        gan.compile(*gh.default_optimizers())
        return gan

    gan = gh.distribute.build_in_strategy(strategy, build)
    assert isinstance(gan, gh.GAN) and gan.d_optimizer is not None
    with pytest.raises(TypeError, match="build must be a function"):
        gh.distribute.build_in_strategy(strategy, "gan")
    with pytest.raises(TypeError, match="strategy must be a tf.distribute.Strategy"):
        gh.distribute.build_in_strategy("default", build)
    with pytest.raises(TypeError, match="build must return a gan_helpers.GAN"):
        gh.distribute.build_in_strategy(strategy, lambda: "gan")
    uncompiled = gh.GAN(gh.build_mlp_generator(hidden=4), gh.build_mlp_discriminator(hidden=4))
    with pytest.raises(ValueError, match="build must compile the GAN"):
        gh.distribute.build_in_strategy(strategy, lambda: uncompiled)


def test_run_local_workers_passes_args_as_separate_arguments(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(
        "import os, sys\nimport numpy as np\n"
        "np.savez(os.environ['GAN_WORKER_RESULT'], argv=np.array(sys.argv[1:]))\n"
    )
    (path,) = gh.run_local_workers(
        script, n_workers=1, timeout=60, args=["--steps", 50], workdir=tmp_path / "run"
    )
    assert list(np.load(path)["argv"]) == ["--steps", "50"]
