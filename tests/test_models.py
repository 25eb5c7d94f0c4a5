import gan_helpers as gh
from gan_helpers.models import PRETRAINED_DIR, build_projection_discriminator

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


@pytest.mark.parametrize(
    ("build", "kwargs", "error", "match"),
    [
        (gh.build_generator, {"latent_dim": 8.0}, TypeError, "latent_dim must be a positive int"),
        (gh.build_generator, {"latent_dim": True}, TypeError, "latent_dim must be a positive"),
        (gh.build_generator, {"width": 0}, ValueError, "width must be a positive int"),
        (gh.build_generator, {"width": "16"}, TypeError, "width must be a positive int"),
        (gh.build_generator, {"upsampling": "bilinear"}, ValueError, "upsampling must be one of"),
        (gh.build_generator, {"name": ""}, ValueError, "name must be a non-empty string"),
        (gh.build_discriminator, {"dropout": 1.5}, ValueError, "dropout must be a number in"),
        (gh.build_discriminator, {"dropout": float("nan")}, ValueError, "dropout must be"),
        (gh.build_discriminator, {"dropout": "0.3"}, TypeError, "dropout must be a number"),
        (gh.build_discriminator, {"channels": -1}, ValueError, "channels must be a positive"),
        (gh.build_mlp_discriminator, {"pack": 0}, ValueError, "pack must be a positive int"),
        (gh.build_mlp_discriminator, {"maxout_pieces": 0}, ValueError, "maxout_pieces must"),
        (gh.build_mlp_discriminator, {"minibatch_std": 1}, TypeError, "minibatch_std must be"),
        (gh.build_mlp_generator, {"batch_norm": "no"}, TypeError, "batch_norm must be True"),
        (gh.build_mlp_generator, {"n_layers": 0}, ValueError, "n_layers must be a positive"),
        (gh.build_mlp_generator, {"weight_std": 0.0}, ValueError, "weight_std must be a positive"),
        (gh.build_mlp_discriminator, {"weight_std": "0.02"}, TypeError, "weight_std must be a"),
        (gh.build_conditional_generator, {"n_classes": 0}, ValueError, "n_classes must be"),
        (gh.build_conditional_generator, {"embedding_dim": 2.5}, TypeError, "embedding_dim"),
        (gh.build_conditional_discriminator, {"width": None}, TypeError, "width must be"),
        (build_projection_discriminator, {"n_classes": 0}, ValueError, "n_classes must be"),
        (build_projection_discriminator, {"dropout": -0.1}, ValueError, "dropout must be"),
        (build_projection_discriminator, {"width": 3.0}, TypeError, "width must be"),
        (build_projection_discriminator, {"name": 5}, TypeError, "name must be a string"),
        (gh.Maxout, {"units": 0}, ValueError, "units must be a positive int"),
        (gh.Maxout, {"units": 4, "pieces": 1.0}, TypeError, "pieces must be a positive int"),
    ],
)
def test_model_argument_errors(build, kwargs, error, match):
    with pytest.raises(error, match=match):
        build(**kwargs)


def test_projection_discriminator_shapes_and_parameters():
    width = 4
    model = build_projection_discriminator(width=width, n_classes=10)
    images = np.random.default_rng(3).uniform(-1, 1, size=(5, 28, 28, 1)).astype("float32")
    assert model([images, np.arange(5)]).shape == (5, 1)
    assert [tuple(tensor.shape) for tensor in model.inputs] == [(None, 28, 28, 1), (None,)]
    features = 7 * 7 * 2 * width
    convolutions = (4 * 4 * 1 * width + width) + (4 * 4 * width * 2 * width + 2 * width)
    assert model.count_params() == convolutions + (features + 1) + 10 * features
    assert model.get_layer("label_vector").output.shape[-1] == features
    assert model.layers[-1].name == "logit_plus_projection"


def test_projection_discriminator_logit_is_score_plus_projection():
    model = build_projection_discriminator(width=4)
    images = np.random.default_rng(4).uniform(-1, 1, size=(3, 28, 28, 1)).astype("float32")
    labels = np.array([0, 5, 9])
    phi = keras.Model(model.inputs[0], model.get_layer("flatten").output)(images).numpy()
    kernel, bias = model.get_layer("logit").get_weights()
    table = model.get_layer("label_vector").get_weights()[0]
    expected = phi @ kernel[:, 0] + bias[0] + np.sum(phi * table[labels], axis=1)
    np.testing.assert_allclose(model([images, labels]).numpy()[:, 0], expected, rtol=1e-4)


def test_projection_discriminator_label_changes_the_logit():
    keras.utils.set_random_seed(0)
    model = build_projection_discriminator(width=4)
    images = np.random.default_rng(5).uniform(-1, 1, size=(4, 28, 28, 1)).astype("float32")
    per_label = np.stack(
        [model([images, np.full(4, k)]).numpy()[:, 0] for k in range(10)]
    )  # (label, image)
    assert per_label.std(axis=0).min() > 1e-4
    np.testing.assert_allclose(per_label[3], model([images, np.full(4, 3)]).numpy()[:, 0])


def test_projection_discriminator_dropout_and_training_in_a_conditional_gan():
    model = build_projection_discriminator(width=4, dropout=0.3, name="proj")
    assert model.name == "proj" and model.get_layer("dropout").rate == pytest.approx(0.3)
    cgan = gh.ConditionalGAN(gh.build_conditional_generator(latent_dim=8, width=4), model, seed=0)
    cgan.compile(*gh.default_optimizers())
    images = np.random.default_rng(6).uniform(-1, 1, size=(8, 28, 28, 1)).astype("float32")
    batch = (keras.ops.convert_to_tensor(images), keras.ops.convert_to_tensor(np.arange(8)))
    logs = cgan.train_step(batch)
    assert np.isfinite(float(logs["d_loss"])) and np.isfinite(float(logs["g_loss"]))


def test_projection_discriminator_survives_safe_keras_save(tmp_path):
    model = build_projection_discriminator(width=2)
    model.save(tmp_path / "projection.keras")
    loaded = keras.models.load_model(tmp_path / "projection.keras")
    images = np.zeros((2, 28, 28, 1), "float32")
    np.testing.assert_allclose(
        loaded([images, np.array([1, 2])]), model([images, np.array([1, 2])])
    )


def test_load_pretrained_generator_round_trip_and_missing_file(tmp_path):
    generator = gh.build_generator(latent_dim=4, width=2)
    generator.save(tmp_path / "tiny_generator.keras")
    loaded = gh.load_pretrained_generator("tiny_generator", directory=tmp_path)
    z = np.random.default_rng(2).normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(loaded(z).numpy(), generator(z).numpy(), rtol=1e-6)
    with pytest.raises(FileNotFoundError, match="scripts/train_mnist_gan.py"):
        gh.load_pretrained_generator("missing", directory=tmp_path)
    with pytest.raises(ValueError, match="name must be a file name without directory"):
        gh.load_pretrained_generator("../mnist_generator")


def test_bundled_generators_load():
    generator = gh.load_pretrained_generator()
    assert generator(np.zeros((2, 64), "float32")).shape == (2, 28, 28, 1)
    conditional = gh.load_pretrained_generator("mnist_conditional_generator")
    assert conditional([np.zeros((2, 64), "float32"), np.array([1, 2])]).shape == (2, 28, 28, 1)


def _damaged(raw: bytes, how: str) -> bytes:
    if how == "truncated":
        return raw[: len(raw) // 2]
    if how == "empty":
        return b""
    return raw[:5000] + bytes(3000) + raw[8000:]  # zeroed bytes inside the archive


@pytest.mark.parametrize(
    ("how", "match"),
    [
        ("truncated", r"is not a .keras file \(those are zip archives\): it is truncated"),
        ("empty", r"is empty \(0 bytes\)"),
        ("zeroed", "could not be loaded as a Keras model"),
    ],
)
def test_damaged_generator_file_is_a_clear_error(tmp_path, how, match):
    raw = (PRETRAINED_DIR / "mnist_generator.keras").read_bytes()
    (tmp_path / "mnist_generator.keras").write_bytes(_damaged(raw, how))
    with pytest.raises(ValueError, match=match) as caught:
        gh.load_pretrained_generator(directory=tmp_path)
    assert "File not found" not in str(caught.value)
    assert "scripts/train_mnist_gan.py" in str(caught.value)


def test_a_classifier_is_not_a_generator(tmp_path):
    with pytest.raises(
        ValueError, match=r"'mnist_classifier'.*not a generator.*\(None, 28, 28, 1\)"
    ):
        gh.load_pretrained_generator("mnist_classifier")
    gh.build_discriminator(width=2).save(tmp_path / "critic.keras")
    with pytest.raises(ValueError, match="not a generator"):
        gh.load_pretrained_generator("critic", directory=tmp_path)
    gh.build_mlp_generator().save(tmp_path / "points.keras")
    with pytest.raises(ValueError, match=r"output shapes \[\(None, 2\)\]"):
        gh.load_pretrained_generator("points", directory=tmp_path)


def test_load_pretrained_discriminator_round_trip_and_refusals(tmp_path):
    discriminator = gh.build_discriminator(width=2, n_classes=10, n_continuous=2)
    discriminator.save(tmp_path / "q.keras")
    loaded = gh.load_pretrained_discriminator("q", directory=tmp_path)
    images = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    for mine, theirs in zip(loaded(images), discriminator(images), strict=True):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-6)
    gh.build_generator(latent_dim=4, width=2).save(tmp_path / "g.keras")
    with pytest.raises(ValueError, match=r"g.keras holds a model .* not a discriminator"):
        gh.load_pretrained_discriminator("g", directory=tmp_path)
    with pytest.raises(FileNotFoundError, match="No pretrained discriminator at .*--recipe info"):
        gh.load_pretrained_discriminator(directory=tmp_path)
    with pytest.raises(ValueError, match="name must be a file name without directory"):
        gh.load_pretrained_discriminator("../q")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"name": 3}, TypeError, "name must be a string"),
        ({"name": ""}, ValueError, "name must be a non-empty string"),
        ({"directory": 5}, TypeError, "directory must be a path"),
    ],
)
def test_load_pretrained_generator_argument_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        gh.load_pretrained_generator(**kwargs)


def test_default_optimizers_are_two_adams():
    d_optimizer, g_optimizer = gh.default_optimizers()
    assert d_optimizer is not g_optimizer
    assert float(d_optimizer.learning_rate) == pytest.approx(gh.DEFAULT_D_LEARNING_RATE)
    assert float(g_optimizer.learning_rate) == pytest.approx(gh.DEFAULT_G_LEARNING_RATE)
    with pytest.raises(ValueError, match="d_learning_rate must be a positive number"):
        gh.default_optimizers(d_learning_rate=0)


def test_missing_generator_is_also_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="No pretrained generator at"):
        gh.load_pretrained_generator("nope", directory=tmp_path)


def test_missing_conditional_generator_names_its_own_script(tmp_path):
    with pytest.raises(FileNotFoundError, match="scripts/train_conditional_gan.py"):
        gh.load_pretrained_generator("mnist_conditional_generator", directory=tmp_path)
    with pytest.raises(FileNotFoundError, match="scripts/train_mnist_gan.py"):
        gh.load_pretrained_generator("mnist_generator", directory=tmp_path)


def _seeded_weights(build, **kwargs):
    keras.utils.set_random_seed(0)
    return build(**kwargs).get_weights()


def test_discriminators_draw_weights_in_layer_order():
    """Regression: the logit layer was created before the convolutions, which changed the
    initial weights of a seeded discriminator compared with one built by hand (lesson 6)."""

    def by_hand():
        image = keras.Input((28, 28, 1))
        x = keras.layers.Conv2D(8, 4, strides=2, padding="same")(image)
        x = keras.layers.LeakyReLU(0.2)(x)
        x = keras.layers.Conv2D(16, 4, strides=2, padding="same")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
        return keras.Model(image, keras.layers.Dense(1)(keras.layers.Flatten()(x)))

    expected = _seeded_weights(by_hand)
    for actual, wanted in zip(
        _seeded_weights(gh.build_discriminator, width=8), expected, strict=True
    ):
        np.testing.assert_array_equal(actual, wanted)


def test_projection_discriminator_matches_a_seeded_hand_built_one():
    def by_hand():
        image = keras.Input((28, 28, 1))
        label = keras.Input((), dtype="int32")
        x = keras.layers.Conv2D(4, 4, strides=2, padding="same")(image)
        x = keras.layers.LeakyReLU(0.2)(x)
        x = keras.layers.Conv2D(8, 4, strides=2, padding="same")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
        features = keras.layers.Flatten()(x)
        unconditional = keras.layers.Dense(1)(features)
        class_vector = keras.layers.Embedding(10, features.shape[-1])(label)
        projection = keras.layers.Dot(axes=1)([class_vector, features])
        return keras.Model([image, label], keras.layers.Add()([unconditional, projection]))

    built = _seeded_weights(build_projection_discriminator, width=4)
    for actual, wanted in zip(built, _seeded_weights(by_hand), strict=True):
        np.testing.assert_array_equal(actual, wanted)


def test_class_code_turns_the_first_entries_of_z_into_a_uniform_one_hot_code():
    z = gh.sample_latent(20_000, 64, seed=0)
    classes = gh.latent_classes(z, 10)
    shares = np.bincount(classes, minlength=10) / len(z)
    assert np.all(np.abs(shares - 0.1) < 0.01)  # argmax of iid normals is uniform
    coded = gh.ClassCode(10)(z[:5]).numpy()
    assert coded.shape == (5, 64)
    np.testing.assert_array_equal(coded[:, :54], z[:5, 10:])
    np.testing.assert_array_equal(coded[:, 54:], np.eye(10, dtype=np.float32)[classes[:5]])


def test_latent_for_classes_chooses_the_class_and_keeps_a_gaussian_draw():
    wanted = np.array([7, 7, 3, 0, 9])
    z = gh.latent_for_classes(wanted, latent_dim=64, seed=1)
    np.testing.assert_array_equal(gh.latent_classes(z), wanted)
    plain = np.random.default_rng(1).standard_normal((5, 64)).astype(np.float32)
    np.testing.assert_array_equal(np.sort(z, axis=1), np.sort(plain, axis=1))  # only swapped
    np.testing.assert_array_equal(z[:, 10:], plain[:, 10:])
    with pytest.raises(ValueError, match="classes"):
        gh.latent_for_classes([10])
    with pytest.raises(ValueError, match="n_classes"):
        gh.latent_classes(z, n_classes=0)


def test_class_coded_generator_and_classifying_discriminator(tmp_path):
    generator = gh.build_generator(n_classes=10)
    z = gh.latent_for_classes([1, 2], seed=0)
    assert generator(z).shape == (2, 28, 28, 1)
    path = tmp_path / "coded.keras"
    generator.save(path)
    reloaded = keras.models.load_model(path)
    np.testing.assert_allclose(reloaded(z).numpy(), generator(z).numpy(), atol=1e-6)
    logit, class_logits = gh.build_discriminator(n_classes=10)(np.zeros((3, 28, 28, 1), "float32"))
    assert logit.shape == (3, 1) and class_logits.shape == (3, 10)
    assert gh.build_generator().count_params() == gh.build_generator(n_classes=0).count_params()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"n_classes": 1}, ValueError),
        ({"n_classes": 64}, ValueError),
        ({"n_classes": -2}, ValueError),
        ({"n_classes": "10"}, TypeError),
        ({"n_classes": True}, TypeError),
    ],
)
def test_class_code_sizes_are_checked_by_name(kwargs, error):
    with pytest.raises(error, match="n_classes"):
        gh.build_generator(latent_dim=64, **kwargs)


def test_bundled_generator_is_class_coded_and_draws_the_digit_its_code_chooses():
    generator = gh.load_pretrained_generator()
    codes = [layer for layer in generator.layers if isinstance(layer, gh.ClassCode)]
    assert [code.n_classes for code in codes] == [10]
    wanted = np.repeat(np.arange(10), 20)
    images = np.asarray(generator(gh.latent_for_classes(wanted, seed=0), training=False))
    predicted, probabilities = gh.classify(images)
    # The bundled run scored 96.6% confident on 10,000 samples; these margins catch a broken
    # or wrong file, not small changes of quality.
    assert np.mean(predicted == wanted) > 0.9
    assert np.mean(probabilities.max(axis=1) >= 0.9) > 0.85


def test_mlp_weight_std_draws_kernels_with_that_spread():
    keras.utils.set_random_seed(0)
    generator = gh.build_mlp_generator(hidden=400, n_layers=4, weight_std=0.02)
    critic = gh.build_mlp_discriminator(hidden=200, maxout_pieces=5, weight_std=0.02)
    kernels = [w.numpy() for w in generator.weights + critic.weights if "kernel" in w.path]
    assert len(kernels) == 5 + 4  # 4 hidden + output; 3 maxout + logit
    big = [kernel for kernel in kernels if kernel.size >= 1000]
    for kernel in big:
        assert abs(kernel.std() - 0.02) < 0.002 and abs(kernel.mean()) < 0.002
    assert not np.allclose(big[1], big[2])  # every layer draws its own values
    default = gh.build_mlp_generator(hidden=400, n_layers=4)
    glorot = default.get_layer("dense1").kernel.numpy()  # U(+-sqrt(6 / 800)): std 0.05
    assert abs(glorot.std() - 0.05) < 0.003


def test_maxout_keeps_its_initializer_through_save(tmp_path):
    model = gh.build_mlp_discriminator(hidden=8, maxout_pieces=3, weight_std=0.02)
    path = tmp_path / "critic.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    initializer = loaded.get_layer("maxout0").kernel_initializer
    assert isinstance(initializer, keras.initializers.RandomNormal)
    assert initializer.stddev == pytest.approx(0.02)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: gh.latent_classes([["a"] * 12]), TypeError, "z must be a 2-D array"),
        (lambda: gh.latent_classes(np.full((2, 64), np.nan)), ValueError, "finite"),
        (lambda: gh.latent_classes(np.zeros(12)), ValueError, "2-D batch"),
        (lambda: gh.ClassCode(10)(np.zeros((2, 5), "float32")), ValueError, "more than 10"),
        (lambda: gh.latent_for_classes([1.5]), TypeError, "classes"),
    ],
)
def test_class_code_helpers_reject_bad_input_clearly(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_discriminator_estimates_continuous_codes_only_next_to_a_class_head():
    discriminator = gh.build_discriminator(width=4, n_classes=10, n_continuous=2)
    logit, classes, codes = discriminator(np.zeros((3, 28, 28, 1), np.float32))
    assert logit.shape == (3, 1) and classes.shape == (3, 10) and codes.shape == (3, 2)
    with pytest.raises(ValueError, match="n_continuous=2 needs a class head"):
        gh.build_discriminator(n_continuous=2)
    with pytest.raises(ValueError, match="n_continuous must be an int >= 0"):
        gh.build_discriminator(n_classes=10, n_continuous=-1)
    with pytest.raises(TypeError, match="n_continuous"):
        gh.build_discriminator(n_classes=10, n_continuous=1.5)
