"""Tests for gan_helpers.recipe: the default MNIST GAN in one object."""

import gan_helpers as gh

from dataclasses import replace

import numpy as np
import pytest


def test_defaults_agree_with_the_recipe():
    recipe = gh.MNIST_RECIPE
    gan = gh.GAN(gh.build_generator(), gh.build_discriminator())
    assert gan.label_smoothing == recipe.label_smoothing
    assert gan.latent_dim == recipe.latent_dim
    assert gh.GAN(gh.build_generator(), gh.build_discriminator(), loss="hinge").label_smoothing == 0
    assert gh.DEFAULT_BATCH_SIZE == recipe.batch_size
    images = np.zeros((recipe.batch_size + 1, 28, 28, 1), np.float32)
    default_batches = [int(batch.shape[0]) for batch in gh.make_dataset(images)]
    assert default_batches == [recipe.batch_size, 1]
    d_optimizer, g_optimizer = gh.default_optimizers()
    assert float(d_optimizer.learning_rate) == pytest.approx(recipe.d_learning_rate)
    assert float(g_optimizer.learning_rate) == pytest.approx(recipe.g_learning_rate)
    assert float(d_optimizer.beta_1) == pytest.approx(recipe.beta_1)
    built = recipe.build_gan(seed=0)
    assert built.generator.count_params() == gh.build_generator().count_params()
    assert built.discriminator.count_params() == gh.build_discriminator().count_params()
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        gh.MnistRecipe(batch_size=0)
    with pytest.raises(ValueError, match="loss must be one of"):
        gh.MnistRecipe(loss="nope")


def test_recipe_variations_are_copies_and_the_budget_follows_fast_mode():
    wider = replace(gh.MNIST_RECIPE, g_width=32)
    assert gh.MNIST_RECIPE.g_width == 16 and wider.g_width == 32
    assert wider.build_generator().count_params() > gh.MNIST_RECIPE.build_generator().count_params()
    assert gh.MNIST_RECIPE.epochs == gh.MNIST_RECIPE.epochs_fast  # the tests run in fast mode
    with pytest.raises(AttributeError):
        gh.MNIST_RECIPE.batch_size = 64  # frozen: change a copy, not the course's default


def test_recipe_dataset_uses_its_batch_size():
    images = np.zeros((70, 28, 28, 1), np.float32)
    batches = [int(batch.shape[0]) for batch in gh.MNIST_RECIPE.dataset(images)]
    assert batches == [32, 32, 6]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("latent_dim", 0, ValueError),
        ("g_width", 2.5, TypeError),
        ("d_learning_rate", -1.0, ValueError),
        ("beta_1", 1.0, ValueError),
        ("label_smoothing", "0.1", TypeError),
        ("steps_per_execution", True, TypeError),
    ],
)
def test_recipe_rejects_bad_numbers_by_name(field, value, error):
    with pytest.raises(error, match=field):
        replace(gh.MNIST_RECIPE, **{field: value})


def test_tail_decay_is_flat_then_falls_linearly_to_zero():
    schedule = gh.TailDecay(1e-3, total_steps=100, tail=0.5)
    rates = [float(schedule(step)) for step in (0, 50, 75, 100, 150)]
    assert rates == pytest.approx([1e-3, 1e-3, 5e-4, 0.0, 0.0])
    assert gh.TailDecay(**schedule.get_config()).start == 50
    with pytest.raises(ValueError, match="tail must be a number in"):
        gh.TailDecay(1e-3, 100, 1.5)
    with pytest.raises(ValueError, match="total_steps must be a positive int"):
        gh.TailDecay(1e-3, 0, 0.5)


def test_recipe_optimizers_decay_both_rates_over_the_tail():
    recipe = replace(gh.MNIST_RECIPE, d_learning_rate=4e-4, g_learning_rate=2e-4)
    constant = recipe.optimizers()
    assert [float(opt.learning_rate) for opt in constant] == pytest.approx([4e-4, 2e-4])
    d_optimizer, g_optimizer = recipe.optimizers(total_steps=100, lr_decay=0.5)
    for optimizer, rate in ((d_optimizer, 4e-4), (g_optimizer, 2e-4)):
        schedule = optimizer._learning_rate
        assert isinstance(schedule, gh.TailDecay)
        assert float(optimizer.beta_1) == pytest.approx(recipe.beta_1)
        rates = [float(schedule(step)) for step in (0, 50, 75, 100)]
        assert rates == pytest.approx([rate, rate, rate / 2, 0.0])
    assert d_optimizer is not g_optimizer
    with pytest.raises(ValueError, match="lr_decay=0.5 needs total_steps"):
        recipe.optimizers(lr_decay=0.5)
    with pytest.raises(ValueError, match="lr_decay must be a number in"):
        recipe.optimizers(total_steps=100, lr_decay=1.5)
    with pytest.raises(TypeError, match="total_steps must be a positive int"):
        recipe.optimizers(total_steps=10.0, lr_decay=0.5)


def test_class_coded_recipe_builds_an_auxiliary_classifier_gan_and_needs_labels():
    recipe = gh.MNIST_AC_RECIPE
    assert recipe.n_classes == 10 and gh.MNIST_RECIPE.n_classes == 0
    gan = recipe.build_gan(seed=0)
    assert isinstance(gan, gh.AuxiliaryClassifierGAN) and gan.n_classes == 10
    assert gan.latent_dim == recipe.latent_dim
    images = np.zeros((40, 28, 28, 1), np.float32)
    with pytest.raises(ValueError, match="labels"):
        recipe.dataset(images)
    images_batch, labels_batch = next(iter(recipe.dataset(images, labels=np.arange(40) % 10)))
    assert images_batch.shape == (32, 28, 28, 1) and labels_batch.shape == (32,)
    with pytest.raises(ValueError, match="n_classes"):
        replace(recipe, n_classes=1)
    with pytest.raises(ValueError, match="class_weight"):
        replace(recipe, class_weight=0.0)


def test_info_recipe_builds_an_info_gan_that_needs_no_labels():
    recipe = gh.MNIST_INFO_RECIPE
    gan = recipe.build_gan(seed=0)
    assert isinstance(gan, gh.InfoGAN) and gan.n_classes == 10 and gan.n_continuous == 2
    assert gan.info_weight == recipe.class_weight
    batch = next(iter(recipe.dataset(np.zeros((40, 28, 28, 1), np.float32))))
    assert batch.shape == (32, 28, 28, 1)
    with pytest.raises(ValueError, match="need a class code"):
        replace(recipe, n_classes=0)
    with pytest.raises(ValueError, match="needs learned_code=True"):
        replace(recipe, learned_code=False)
    with pytest.raises(TypeError, match="learned_code must be True or False"):
        replace(recipe, learned_code="yes")
    with pytest.raises(ValueError, match="n_continuous must be an int >= 0"):
        replace(recipe, n_continuous=-1)
