"""Convolution and pooling layers (course, section 5): gradients by finite
differences, output sizes, hand-computed examples, equivariance, learning."""

import numpy as np
import pytest

import pizarra
from pizarra import nn, optim
from pizarra.gradcheck import gradcheck
from pizarra.nn import functional as F


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


# --- gradients -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kernel, stride, padding",
    [
        ((3, 3), 1, 0),
        ((3, 2), 2, 1),
        ((2, 3), (1, 2), (2, 1)),
        ((3, 3), 1, "same"),
        ((2, 2), 1, "same"),  # even kernel: PyTorch pads one more on the bottom / right
        ((2, 3), 1, "valid"),
    ],
)
def test_conv2d_gradients(kernel, stride, padding):
    x, w, b = rand(2, 2, 5, 4), rand(3, 2, *kernel, seed=1), rand(3, seed=2)
    assert gradcheck(lambda x, w, b: F.conv2d(x, w, b, stride, padding), [x, w, b])


def test_conv2d_gradients_without_bias_and_unbatched():
    assert gradcheck(lambda x, w: F.conv2d(x, w, padding=1), [rand(2, 4, 4), rand(2, 2, 3, 3, seed=1)])


def test_conv2d_module_gradients_through_parameters():
    pizarra.manual_seed(0)
    layer = nn.Conv2d(2, 3, kernel_size=(2, 3), stride=2, padding=1).double()
    assert gradcheck(lambda x, *params: layer(x), [rand(2, 2, 5, 5), *layer.parameters()])


@pytest.mark.parametrize("pool", [F.max_pool2d, F.avg_pool2d])
@pytest.mark.parametrize("kernel, stride, padding", [(2, None, 0), (3, 2, 1), ((2, 3), (1, 2), (1, 1))])
def test_pool_gradients(pool, kernel, stride, padding):
    assert gradcheck(lambda x: pool(x, kernel, stride, padding), [rand(2, 2, 5, 6)])


@pytest.mark.parametrize("module", [nn.MaxPool2d(2), nn.AvgPool2d(3, stride=1, padding=1)])
def test_pool_modules_gradients(module):
    assert gradcheck(module, [rand(1, 2, 4, 4)])


# --- shapes and parameters ---------------------------------------------------------------


def test_valid_convolution_shrinks_to_m_minus_k_plus_1_and_same_keeps_size():
    x = pizarra.tensor(rand(1, 1, 7, 6))
    for k in (1, 2, 3, 4):
        assert nn.Conv2d(1, 2, k, padding="valid")(x).shape == (1, 2, 7 - k + 1, 6 - k + 1)
        assert nn.Conv2d(1, 2, k)(x).shape == (1, 2, 7 - k + 1, 6 - k + 1)
        assert nn.Conv2d(1, 2, k, padding="same")(x).shape == (1, 2, 7, 6)


def test_strided_output_size():
    # (m + 2p - k) // s + 1 = (7 + 2 - 3) // 2 + 1 = 4 and (6 + 2 - 3) // 2 + 1 = 3
    assert nn.Conv2d(1, 1, 3, stride=2, padding=1)(pizarra.tensor(rand(1, 1, 7, 6))).shape == (1, 1, 4, 3)


def test_conv2d_layout_parameter_count_and_default_init():
    pizarra.manual_seed(0)
    layer = nn.Conv2d(3, 8, kernel_size=(5, 4))
    state = layer.state_dict()
    assert list(state) == ["weight", "bias"]
    assert state["weight"].shape == (8, 3, 5, 4) and state["bias"].shape == (8,)
    assert state["weight"].dtype == np.float32
    assert sum(p.numel() for p in layer.parameters()) == 8 * (3 * 5 * 4 + 1)
    bound = 1 / np.sqrt(3 * 5 * 4)  # PyTorch: U(-1/√fan_in, 1/√fan_in)
    assert np.abs(state["weight"]).max() <= bound and np.abs(state["weight"]).max() > 0.9 * bound
    assert np.abs(state["bias"]).max() <= bound
    assert list(nn.Conv2d(3, 8, 3, bias=False).state_dict()) == ["weight"]


def test_invalid_arguments_are_rejected():
    x = pizarra.tensor(rand(1, 1, 5, 5))
    with pytest.raises(ValueError, match="strided"):
        F.conv2d(x, pizarra.tensor(rand(1, 1, 3, 3)), stride=2, padding="same")
    with pytest.raises(ValueError, match="padding"):
        F.conv2d(x, pizarra.tensor(rand(1, 1, 3, 3)), padding="full")
    with pytest.raises(ValueError, match="half"):
        F.max_pool2d(x, 2, padding=2)
    with pytest.raises(ValueError, match="shape"):
        F.conv2d(pizarra.tensor(rand(5, 5)), pizarra.tensor(rand(1, 1, 3, 3)))


# --- hand-computed examples --------------------------------------------------------------

V = np.array([[1.0, 2.0, 0.0, 1.0], [0.0, 1.0, 3.0, 1.0], [2.0, 1.0, 0.0, 0.0], [1.0, 0.0, 1.0, 2.0]])


def test_hand_computed_3x3_convolution():
    K = np.array(
        [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]
    )  # an "X": corners and centre of each window
    # Z[j, k] = V[j, k] + V[j, k+2] + V[j+1, k+1] + V[j+2, k] + V[j+2, k+2] + b
    expected = (
        np.array([[1 + 0 + 1 + 2 + 0, 2 + 1 + 3 + 1 + 0], [0 + 3 + 1 + 1 + 1, 1 + 1 + 0 + 0 + 2]]) + 0.5
    )
    z = F.conv2d(pizarra.tensor(V[None, None]), pizarra.tensor(K[None, None]), pizarra.tensor([0.5]))
    np.testing.assert_allclose(z.data[0, 0], expected)
    np.testing.assert_allclose(expected, [[4.5, 7.5], [6.5, 4.5]])


def test_hand_computed_pooling():
    x = pizarra.tensor(V[None, None])
    np.testing.assert_allclose(F.max_pool2d(x, 2).data[0, 0], [[2, 3], [2, 2]])
    np.testing.assert_allclose(F.avg_pool2d(x, 2).data[0, 0], [[4 / 4, 5 / 4], [4 / 4, 3 / 4]])
    # Padding: max ignores it (-inf), mean counts it as zeros.
    np.testing.assert_allclose(
        F.max_pool2d(x, 2, stride=2, padding=1).data[0, 0], [[1, 2, 1], [2, 3, 1], [1, 1, 2]]
    )
    np.testing.assert_allclose(
        F.avg_pool2d(x, 2, stride=2, padding=1).data[0, 0],
        [[1 / 4, 2 / 4, 1 / 4], [2 / 4, 5 / 4, 1 / 4], [1 / 4, 1 / 4, 2 / 4]],
    )


def test_max_pool_gradient_goes_to_the_maximum_only():
    x = pizarra.tensor(V[None, None], requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    expected = np.zeros((4, 4))
    expected[0, 1] = expected[1, 2] = expected[2, 0] = expected[3, 3] = 1
    np.testing.assert_array_equal(x.grad[0, 0], expected)


def test_convolution_is_translation_equivariant():
    """Shifting the image shifts the feature map (away from the borders)."""
    pizarra.manual_seed(0)
    layer = nn.Conv2d(2, 3, 3, padding="same").double()
    image = np.zeros((1, 2, 10, 10))
    image[:, :, 2:5, 1:4] = rand(2, 3, 3)
    shifted = np.roll(image, (3, 4), axis=(2, 3))
    z, z_shifted = layer(pizarra.tensor(image)).data, layer(pizarra.tensor(shifted)).data
    np.testing.assert_allclose(z_shifted, np.roll(z, (3, 4), axis=(2, 3)), atol=1e-12)


def test_max_pooling_is_invariant_to_a_small_shift_inside_its_window():
    image = np.zeros((1, 1, 4, 4))
    image[0, 0, 0, 0] = 1
    moved = np.roll(image, 1, axis=3)  # same 2×2 window
    np.testing.assert_array_equal(
        F.max_pool2d(pizarra.tensor(image), 2).data, F.max_pool2d(pizarra.tensor(moved), 2).data
    )


# --- learning ----------------------------------------------------------------------------------


def bars(count, rng):
    """6×6 images with one horizontal (label 0) or vertical (label 1) bar, plus noise."""
    labels = rng.integers(0, 2, count)
    images = 0.1 * rng.standard_normal((count, 1, 6, 6))
    for n, (label, where) in enumerate(zip(labels, rng.integers(0, 6, count))):
        if label:
            images[n, 0, :, where] += 1
        else:
            images[n, 0, where, :] += 1
    return images.astype(np.float32), labels


def test_small_cnn_learns_horizontal_versus_vertical_bars():
    pizarra.manual_seed(0)
    rng = np.random.default_rng(0)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding="same"),
        nn.ReLU(),
        nn.MaxPool2d(2),  # CONV → RELU → POOL
        nn.Flatten(),
        nn.Linear(4 * 3 * 3, 2),
    )
    opt = optim.Adam(model.parameters(), lr=0.02)
    images, labels = bars(64, rng)
    x, y = pizarra.tensor(images), pizarra.tensor(labels)
    losses = []
    for _ in range(40):
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.25 * losses[0]
    test_images, test_labels = bars(64, np.random.default_rng(1))
    with pizarra.no_grad():
        accuracy = (model(pizarra.tensor(test_images)).data.argmax(1) == test_labels).mean()
    assert accuracy > 0.9
