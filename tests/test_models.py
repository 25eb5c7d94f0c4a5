import gan_helpers as gh

import keras
import numpy as np
import pytest


@pytest.mark.parametrize("upsampling", ["transpose", "resize"])
def test_generator_shapes_and_range(upsampling):
    generator = gh.build_generator(latent_dim=8, width=4, upsampling=upsampling)
    images = generator(np.random.default_rng(0).normal(size=(3, 8)).astype("float32")).numpy()
    assert images.shape == (3, 28, 28, 1)
    assert images.min() >= -1 and images.max() <= 1
    assert generator.layers[-1].activation.__name__ == "tanh"


def test_generator_parameter_count_by_hand():
    latent, width = 8, 4
    dense = latent * 49 * 4 * width
    bn = lambda c: 4 * c  # noqa: E731  gamma, beta, moving mean, moving variance
    up14 = 4 * 4 * (4 * width) * (2 * width)
    up28 = 4 * 4 * (2 * width) * width
    out = 3 * 3 * width * 1 + 1
    expected = dense + bn(49 * 4 * width) + up14 + bn(2 * width) + up28 + bn(width) + out
    assert gh.build_generator(latent, width).count_params() == expected


def test_discriminator_returns_one_logit():
    discriminator = gh.build_discriminator(width=4, dropout=0.3)
    logits = discriminator(np.zeros((5, 28, 28, 1), "float32"))
    assert logits.shape == (5, 1)
    assert discriminator.layers[-1].activation.__name__ == "linear"


def test_conditional_models():
    generator = gh.build_conditional_generator(latent_dim=8, width=4)
    images = generator([np.zeros((2, 8), "float32"), np.array([3, 7])])
    assert images.shape == (2, 28, 28, 1)
    logits = gh.build_conditional_discriminator(width=4)([images.numpy(), np.array([3, 7])])
    assert logits.shape == (2, 1)


def test_mlp_models_and_packing():
    generator = gh.build_mlp_generator(latent_dim=2, hidden=16, n_layers=2)
    assert generator(np.zeros((4, 2), "float32")).shape == (4, 2)
    packed = gh.build_mlp_discriminator(hidden=16, pack=4, maxout_pieces=5, minibatch_std=True)
    assert packed.inputs[0].shape[-1] == 8
    assert packed(np.zeros((3, 8), "float32")).shape == (3, 1)


def test_minibatch_std_sees_collapse():
    layer = gh.MinibatchStdDev()
    spread = layer(np.random.default_rng(0).normal(size=(64, 3)).astype("float32")).numpy()
    collapsed = layer(np.ones((64, 3), "float32")).numpy()
    assert spread[0, -1] > 0.8 and collapsed[0, -1] < 1e-3


def test_custom_layers_survive_safe_keras_save(tmp_path):
    model = gh.build_mlp_discriminator(hidden=8, maxout_pieces=3, minibatch_std=True)
    points = np.random.default_rng(1).normal(size=(6, 2)).astype("float32")
    path = tmp_path / "critic.keras"
    model.save(path)
    loaded = keras.models.load_model(path)  # safe_mode=True is Keras' default
    np.testing.assert_allclose(loaded(points).numpy(), model(points).numpy(), rtol=1e-6)


def test_model_argument_errors():
    with pytest.raises(TypeError, match="latent_dim must be a positive int"):
        gh.build_generator(latent_dim=8.0)
    with pytest.raises(ValueError, match="width must be a positive int"):
        gh.build_generator(width=0)
    with pytest.raises(ValueError, match="upsampling must be one of"):
        gh.build_generator(upsampling="bilinear")
    with pytest.raises(ValueError, match="dropout must be a number in"):
        gh.build_discriminator(dropout=1.5)
    with pytest.raises(ValueError, match="pack must be a positive int"):
        gh.build_mlp_discriminator(pack=0)
    with pytest.raises(ValueError, match="n_classes must be a positive int"):
        gh.build_conditional_generator(n_classes=0)


def test_load_pretrained_generator_round_trip_and_missing_file(tmp_path):
    generator = gh.build_generator(latent_dim=4, width=2)
    generator.save(tmp_path / "tiny_generator.keras")
    loaded = gh.load_pretrained_generator("tiny_generator", directory=tmp_path)
    z = np.random.default_rng(2).normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(loaded(z).numpy(), generator(z).numpy(), rtol=1e-6)
    with pytest.raises(FileNotFoundError, match="scripts/train_mnist_gan.py"):
        gh.load_pretrained_generator("missing", directory=tmp_path)
    with pytest.raises(TypeError, match="name must be a file name"):
        gh.load_pretrained_generator("../mnist_generator")


def test_default_optimizers_are_two_adams():
    d_optimizer, g_optimizer = gh.default_optimizers()
    assert d_optimizer is not g_optimizer
    assert float(d_optimizer.learning_rate) == pytest.approx(gh.DEFAULT_D_LEARNING_RATE)
    assert float(g_optimizer.learning_rate) == pytest.approx(gh.DEFAULT_G_LEARNING_RATE)
    with pytest.raises(ValueError, match="d_learning_rate must be a positive number"):
        gh.default_optimizers(d_learning_rate=0)


def test_missing_conditional_generator_names_its_own_script(tmp_path):
    with pytest.raises(FileNotFoundError, match="scripts/train_conditional_gan.py"):
        gh.load_pretrained_generator("mnist_conditional_generator", directory=tmp_path)
    with pytest.raises(FileNotFoundError, match="scripts/train_mnist_gan.py"):
        gh.load_pretrained_generator("mnist_generator", directory=tmp_path)
