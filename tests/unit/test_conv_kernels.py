"""Array-level checks of the NumPy convolution and pooling kernels.

Forward passes are compared with the course formula written as plain loops;
backward passes with central finite differences in float64.
"""

import numpy as np
import pytest

from pizarra.backend import numpy_conv as K
from pizarra.backend.conv_geometry import pair
from pizarra.gradcheck import numerical_gradient


def conv_by_formula(x, w, b, stride, padding):
    """Z[i, j, k] = Σ_{l,m,n} V[l, j·s + m, k·s + n] K[i, l, m, n] + b[i], looped."""
    (sh, sw), (ph, pw) = stride, padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, _, hp, wp = xp.shape
    c_out, c_in, kh, kw = w.shape
    h_out, w_out = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    z = np.zeros((n, c_out, h_out, w_out))
    for s in range(n):
        for i in range(c_out):
            for j in range(h_out):
                for k in range(w_out):
                    for l in range(c_in):
                        for m in range(kh):
                            for q in range(kw):
                                z[s, i, j, k] += xp[s, l, j * sh + m, k * sw + q] * w[i, l, m, q]
            if b is not None:
                z[s, i] += b[i]
    return z


CONV_CASES = [
    # (N, C_in, H, W), (C_out, kH, kW), stride, padding, bias
    ((1, 1, 5, 5), (1, 3, 3), (1, 1), (0, 0), True),
    ((2, 3, 6, 5), (4, 3, 2), (1, 1), (1, 1), True),
    ((2, 2, 7, 6), (3, 3, 3), (2, 2), (1, 1), False),
    ((1, 2, 5, 7), (2, 2, 3), (2, 1), (2, 1), True),
    ((3, 1, 4, 4), (2, 3, 3), (1, 2), (2, 2), True),
]


@pytest.mark.parametrize("xshape, wshape, stride, padding, bias", CONV_CASES)
def test_conv2d_forward_matches_formula(xshape, wshape, stride, padding, bias):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(xshape)
    w = rng.standard_normal((wshape[0], xshape[1]) + wshape[1:])
    b = rng.standard_normal(wshape[0]) if bias else None
    out, _ = K.conv2d_forward(x, w, b, stride, padding)
    np.testing.assert_allclose(out, conv_by_formula(x, w, b, stride, padding), atol=1e-12)


@pytest.mark.parametrize("xshape, wshape, stride, padding, bias", CONV_CASES)
def test_conv2d_backward_matches_finite_differences(xshape, wshape, stride, padding, bias):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(xshape)
    w = rng.standard_normal((wshape[0], xshape[1]) + wshape[1:])
    b = rng.standard_normal(wshape[0]) if bias else None
    out, cache = K.conv2d_forward(x, w, b, stride, padding)
    r = rng.standard_normal(out.shape)  # loss L = Σ r · out

    def loss():
        return np.sum(r * K.conv2d_forward(x, w, b, stride, padding)[0])

    dx, dw, db = K.conv2d_backward(r, cache)
    np.testing.assert_allclose(dx, numerical_gradient(loss, x), atol=1e-7)
    np.testing.assert_allclose(dw, numerical_gradient(loss, w), atol=1e-7)
    if bias:
        np.testing.assert_allclose(db, numerical_gradient(loss, b), atol=1e-7)
    else:
        assert db is None


def test_conv2d_accepts_int_stride_and_padding_and_keeps_float32():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 8, 8)).astype(np.float32)
    w = rng.standard_normal((5, 3, 3, 3)).astype(np.float32)
    b = np.zeros(5, np.float32)
    out, cache = K.conv2d_forward(x, w, b, 2, 1)
    assert out.shape == (2, 5, 4, 4) and out.dtype == np.float32
    dx, dw, db = K.conv2d_backward(np.ones_like(out), cache)
    assert dx.shape == x.shape and dw.shape == w.shape and db.shape == b.shape
    assert dx.dtype == dw.dtype == db.dtype == np.float32


def test_conv2d_rejects_channel_mismatch():
    with pytest.raises(ValueError, match="channels"):
        K.conv2d_forward(np.zeros((1, 2, 4, 4)), np.zeros((1, 3, 2, 2)), None, 1, 0)


POOL_CASES = [
    # (N, C, H, W), kernel, stride, padding
    ((1, 1, 4, 4), 2, None, 0),
    ((2, 3, 5, 6), (2, 3), (1, 2), (1, 1)),
    ((2, 2, 7, 7), 3, 2, 1),
    ((1, 2, 6, 5), (3, 2), (2, 1), (1, 0)),
]


def pool_by_formula(x, kernel, stride, padding, reduce, pad_value):
    (kh, kw) = pair(kernel)
    (sh, sw) = pair(kernel if stride is None else stride)
    (ph, pw) = pair(padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=pad_value)
    h_out, w_out = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.zeros(x.shape[:2] + (h_out, w_out))
    for j in range(h_out):
        for k in range(w_out):
            out[:, :, j, k] = reduce(xp[:, :, j * sh : j * sh + kh, k * sw : k * sw + kw], axis=(2, 3))
    return out


@pytest.mark.parametrize("xshape, kernel, stride, padding", POOL_CASES)
def test_max_pool2d_forward_and_backward(xshape, kernel, stride, padding):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(xshape)  # distinct values: the max is unique, f is smooth
    out, cache = K.max_pool2d_forward(x, kernel, stride, padding)
    np.testing.assert_array_equal(out, pool_by_formula(x, kernel, stride, padding, np.max, -np.inf))
    r = rng.standard_normal(out.shape)
    dx = K.max_pool2d_backward(r, cache)
    expected = numerical_gradient(lambda: np.sum(r * K.max_pool2d_forward(x, kernel, stride, padding)[0]), x)
    np.testing.assert_allclose(dx, expected, atol=1e-7)


@pytest.mark.parametrize("xshape, kernel, stride, padding", POOL_CASES)
def test_avg_pool2d_forward_and_backward(xshape, kernel, stride, padding):
    rng = np.random.default_rng(4)
    x = rng.standard_normal(xshape)
    out, cache = K.avg_pool2d_forward(x, kernel, stride, padding)
    np.testing.assert_allclose(out, pool_by_formula(x, kernel, stride, padding, np.mean, 0.0), atol=1e-12)
    r = rng.standard_normal(out.shape)
    dx = K.avg_pool2d_backward(r, cache)
    expected = numerical_gradient(lambda: np.sum(r * K.avg_pool2d_forward(x, kernel, stride, padding)[0]), x)
    np.testing.assert_allclose(dx, expected, atol=1e-7)


def test_max_pool2d_tie_sends_gradient_to_first_maximum():
    x = np.array([[[[1.0, 1.0], [0.0, 1.0]]]])
    out, cache = K.max_pool2d_forward(x, 2, 2, 0)
    assert out[0, 0, 0, 0] == 1.0
    dx = K.max_pool2d_backward(np.ones_like(out), cache)
    np.testing.assert_array_equal(dx, [[[[1.0, 0.0], [0.0, 0.0]]]])


def test_max_pool2d_overlapping_windows_accumulate_gradient():
    # The centre pixel is the max of all four 2×2 windows (stride 1).
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 5.0
    out, cache = K.max_pool2d_forward(x, 2, 1, 0)
    np.testing.assert_array_equal(out, np.full((1, 1, 2, 2), 5.0))
    dx = K.max_pool2d_backward(np.ones_like(out), cache)
    assert dx[0, 0, 1, 1] == 4.0 and dx.sum() == 4.0
