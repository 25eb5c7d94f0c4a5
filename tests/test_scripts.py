"""Smoke tests for the training and benchmark scripts: they run end to end on a tiny budget."""

import gan_helpers as gh

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(relative: str):
    spec = importlib.util.spec_from_file_location(Path(relative).stem, ROOT / relative)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_train_mnist_gan_trains_the_class_coded_recipe_and_saves_a_loadable_generator(tmp_path):
    script = _load("scripts/train_mnist_gan.py")
    output = tmp_path / "generator.keras"
    scores = script.main(["--epochs", "1", "--n-samples", "200", "--output", str(output)])
    generator = gh.load_pretrained_generator(output.stem, directory=output.parent)
    codes = [layer for layer in generator.layers if isinstance(layer, gh.ClassCode)]
    assert len(codes) == 1 and codes[0].n_classes == gh.MNIST_AC_RECIPE.n_classes
    assert 0.0 <= scores.confident_share <= 1.0 and scores.n == 200


def test_train_mnist_gan_trains_the_info_recipe_and_saves_g_and_q(tmp_path, capsys):
    script = _load("scripts/train_mnist_gan.py")
    output = tmp_path / "info_generator.keras"
    argv = ["--recipe", "info", "--epochs", "1", "--report-every", "1", "--n-samples", "200"]
    script.main([*argv, "--ema", "0", "--output", str(output)])
    printed = capsys.readouterr().out
    assert "epoch 1: code agreement" in printed and "Q as a classifier of the 1,000" in printed
    discriminator = gh.load_pretrained_discriminator("info_discriminator", directory=tmp_path)
    assert [tuple(out.shape[1:]) for out in discriminator.outputs] == [(1,), (10,), (2,)]
    generator = gh.load_pretrained_generator(output.stem, directory=tmp_path)
    assert generator.inputs[0].shape[-1] == gh.MNIST_INFO_RECIPE.latent_dim


def test_train_mnist_gan_runs_under_a_mirrored_strategy(tmp_path):
    script = _load("scripts/train_mnist_gan.py")
    output = tmp_path / "mirrored.keras"
    argv = ["--strategy", "mirrored", "--epochs", "1", "--n-samples", "100", "--ema", "0"]
    scores = script.main([*argv, "--output", str(output)])
    assert output.exists() and scores.n == 100


@pytest.mark.parametrize("recipe", ["ac", "plain"])
def test_time_to_quality_scores_each_recipe_on_the_clock(recipe, capsys):
    benchmark = _load("benchmarks/time_to_quality.py")
    rows = benchmark.main(["--recipe", recipe, "--max-seconds", "4", "--interval", "4"])
    assert len(rows) == 1 and rows[0]["steps"] > 0
    assert f"recipe {recipe}:" in capsys.readouterr().out


def test_train_conditional_gan_trains_without_label_smoothing_like_the_bundled_run(tmp_path):
    script = _load("scripts/train_conditional_gan.py")
    output = tmp_path / "conditional.keras"
    argv = ["--epochs", "1", "--batch-size", "64", "--report-every", "0"]
    result = script.main([*argv, "--output", str(output)])
    generator = gh.load_pretrained_generator(output.stem, directory=output.parent)
    assert len(generator.inputs) == 2 and output.exists()
    assert result["label_smoothing"] == 0.0 and len(result["label_accuracy"]) == 10
    assert script.parse_args(["--label-smoothing", "0.1"]).label_smoothing == 0.1


def test_infogan_variants_scores_the_code_and_skips_finished_runs(tmp_path, capsys):
    benchmark = _load("benchmarks/infogan_variants.py")
    results = tmp_path / "runs.jsonl"
    argv = ["--variants", "noise_0.5", "--epochs", "1", "--report-every", "1"]
    argv += ["--n-images", "256", "--results", str(results)]
    benchmark.main(argv)
    run = json.loads(results.read_text())
    report = run["reports"][0]
    assert run["variant"] == "noise_0.5" and report["epoch"] == 1
    assert 0.1 <= report["agreement"] <= 1 and sorted(report["mapping"]) == list(range(10))
    benchmark.main(argv)
    assert "already in" in capsys.readouterr().out
    assert len(results.read_text().splitlines()) == 1
    benchmark.main(["--table", "--results", str(results)])
    assert "| noise_0.5 | 42 | 1 |" in capsys.readouterr().out
