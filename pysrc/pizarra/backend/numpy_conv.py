"""Convolution and pooling kernels on plain NumPy arrays (the NumPy backend).

Layouts follow PyTorch: images ``x`` are ``(N, C, H, W)``, filters ``w`` are
``(C_out, C_in, kH, kW)``. A convolution is a cross-correlation, as in the
course (1-based indices there, 0-based here)::

    Z[i, j, k] = Σ_{l,m,n} V[l, j·s + m, k·s + n] K[i, l, m, n]   (+ b[i])

It is computed as one matrix product ("im2col"): every receptive field of the
(padded) input becomes one row of a matrix ``cols`` with ``C_in·kH·kW``
columns, and the filters become a ``(C_out, C_in·kH·kW)`` matrix. The backward
pass is two more matrix products plus "col2im", which adds every column back
into the pixel it came from (one loop over the kH×kW kernel offsets).

Every forward function returns ``(out, cache)``; the matching backward takes
``(grad_out, cache)``. The WebGPU backends run their own kernels with the same
interface (:mod:`pizarra.backend.conv_launchers`) when the data is on the GPU.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .conv_geometry import pair


def _windows(x_padded, kernel, stride):
    """Receptive fields as a view ``(N, C, H_out, W_out, kH, kW)``, no copy."""
    (sh, sw) = stride
    view = sliding_window_view(x_padded, kernel, axis=(2, 3))
    return view[:, :, ::sh, ::sw]


def _pad_spatial(x, padding, value=0.0):
    """``x`` (N, C, H, W) with ``padding = (ph, pw)`` rows and columns of ``value`` on each side."""
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


def _col2im(dwindows, padded_shape, padding, stride):
    """Adjoint of ``_windows`` followed by padding: sum every window entry
    back into the input pixel it was read from, then drop the padding.

    ``dwindows`` has shape ``(N, C, H_out, W_out, kH, kW)``.
    """
    (ph, pw), (sh, sw) = padding, stride
    _, _, h_out, w_out, kh, kw = dwindows.shape
    dx = np.zeros(padded_shape, dtype=dwindows.dtype)
    for m in range(kh):
        for n in range(kw):
            dx[:, :, m : m + sh * h_out : sh, n : n + sw * w_out : sw] += dwindows[..., m, n]
    return dx[:, :, ph : padded_shape[2] - ph, pw : padded_shape[3] - pw]


# --- convolution ---------------------------------------------------------------


def conv2d_forward(x, w, b, stride, padding):
    """2-D cross-correlation of ``x (N, C_in, H, W)`` with ``w (C_out, C_in, kH, kW)``.

    Output ``(N, C_out, H_out, W_out)`` with ``H_out = (H + 2p - kH) // s + 1``
    (so "valid", p = 0, s = 1, gives ``H - kH + 1``).
    """
    stride, padding = pair(stride), pair(padding)
    n = x.shape[0]
    c_out, c_in, kh, kw = w.shape
    if x.shape[1] != c_in:
        raise ValueError(f"conv2d: input has {x.shape[1]} channels, weight expects {c_in}")
    x_padded = _pad_spatial(x, padding)
    windows = _windows(x_padded, (kh, kw), stride)  # (N, C, Ho, Wo, kH, kW)
    h_out, w_out = windows.shape[2:4]
    # One row per output pixel, one column per (channel, kernel offset).
    cols = windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * h_out * w_out, c_in * kh * kw)
    w_mat = w.reshape(c_out, c_in * kh * kw)
    out = cols @ w_mat.T  # (N·Ho·Wo, C_out)
    if b is not None:
        out += b
    out = out.reshape(n, h_out, w_out, c_out).transpose(0, 3, 1, 2)
    cache = (cols, w, b is not None, x_padded.shape, stride, padding)
    return np.ascontiguousarray(out), cache


def conv2d_backward(grad_out, cache):
    """Gradients ``(dx, dw, db)`` of a loss, given ``grad_out = ∂L/∂out``."""
    cols, w, has_bias, padded_shape, stride, padding = cache
    n, c_out, h_out, w_out = grad_out.shape
    _, c_in, kh, kw = w.shape
    g = grad_out.transpose(0, 2, 3, 1).reshape(n * h_out * w_out, c_out)
    dw = (g.T @ cols).reshape(w.shape)
    db = grad_out.sum(axis=(0, 2, 3)) if has_bias else None
    dcols = g @ w.reshape(c_out, c_in * kh * kw)  # (N·Ho·Wo, C·kH·kW)
    dwindows = dcols.reshape(n, h_out, w_out, c_in, kh, kw).transpose(0, 3, 1, 2, 4, 5)
    dx = _col2im(dwindows, padded_shape, padding, stride)
    return dx, dw, db


# --- pooling ---------------------------------------------------------------------


def max_pool2d_forward(x, kernel_size, stride=None, padding=0):
    """Maximum over each ``kH×kW`` window; padding counts as ``-inf``.

    The backward pass sends each output gradient to the arg-max of its window
    (the first one in row-major order when there is a tie, as PyTorch does).
    """
    kernel = pair(kernel_size)
    stride = kernel if stride is None else pair(stride)
    padding = pair(padding)
    x_padded = _pad_spatial(x, padding, value=-np.inf)
    windows = _windows(x_padded, kernel, stride)
    n, c, h_out, w_out = windows.shape[:4]
    flat = windows.reshape(n, c, h_out, w_out, kernel[0] * kernel[1])
    argmax = flat.argmax(axis=-1)
    out = np.take_along_axis(flat, argmax[..., None], axis=-1)[..., 0]
    return out, (argmax, kernel, x_padded.shape, stride, padding)


def max_pool2d_backward(grad_out, cache):
    argmax, (kh, kw), padded_shape, stride, padding = cache
    offsets = np.arange(kh * kw).reshape(kh, kw)
    # dwindows[..., m, n] = grad_out where the window's max sits at offset (m, n).
    dwindows = np.where(argmax[..., None, None] == offsets, grad_out[..., None, None], 0)
    return _col2im(dwindows.astype(grad_out.dtype, copy=False), padded_shape, padding, stride)


def avg_pool2d_forward(x, kernel_size, stride=None, padding=0):
    """Mean over each ``kH×kW`` window; zero padding counts in the mean
    (PyTorch's default ``count_include_pad=True``)."""
    kernel = pair(kernel_size)
    stride = kernel if stride is None else pair(stride)
    padding = pair(padding)
    x_padded = _pad_spatial(x, padding)
    out = _windows(x_padded, kernel, stride).mean(axis=(-2, -1))
    return out, (kernel, x_padded.shape, stride, padding)


def avg_pool2d_backward(grad_out, cache):
    (kh, kw), padded_shape, stride, padding = cache
    share = grad_out / (kh * kw)
    dwindows = np.broadcast_to(share[..., None, None], share.shape + (kh, kw))
    return _col2im(dwindows, padded_shape, padding, stride)
