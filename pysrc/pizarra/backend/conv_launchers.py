"""Convolution and pooling on the GPU, with the NumPy backend's interface (see
:mod:`pizarra.backend.numpy_conv` for the formulas): a convolution is im2col then one matrix
product, its backward two products and col2im; pooling is one kernel each way. Every forward
returns ``(out, cache)``; the backward takes ``(grad_out, cache)``."""

from __future__ import annotations

from .conv_geometry import output_size, pair
from .gpu_array import empty, to_device
from .launchers import matmul, reduce


def _params(n, image, kernel, out_size, stride, padding, in_offset):
    """The "conv" kernels' parameters for ``n`` threads: ``image`` (N, C, H, W) is the image (or its
    gradient) as a GPU array; the array read starts at ``in_offset``."""
    return {
        "n": n,
        "in_offset": in_offset,
        "image": image.shape,
        "image_strides": image.strides_el,
        "kernel": kernel,
        "out_size": out_size,
        "stride": stride,
        "padding": padding,
    }


def conv2d_forward(x, w, b, stride, padding):
    x, w = to_device(x), to_device(w)
    stride, padding = pair(stride), pair(padding)
    n, c, h, wd = x.shape
    cout, _, kh, kw = w.shape
    out_size = (output_size(h, kh, stride[0], padding[0]), output_size(wd, kw, stride[1], padding[1]))
    cols = empty((n * out_size[0] * out_size[1], c * kh * kw))
    if cols.size:
        params = _params(cols.size, x, (kh, kw), out_size, stride, padding, x.offset)
        x.storage.device.launch_per_element("im2col", [cols.storage, x.storage], params)
    wmat = w.reshape(cout, c * kh * kw)
    out = matmul(cols, wmat.T, bias=b)  # (N·OH·OW, C_out)
    out = out.reshape(n, *out_size, cout).transpose(0, 3, 1, 2)
    return out, (x.shape, cols, wmat, stride, padding, (kh, kw), out_size, b is not None)


def conv2d_backward(grad_out, cache):
    x_shape, cols, wmat, stride, padding, kernel, out_size, has_bias = cache
    n, c, _, _ = x_shape
    cout = wmat.shape[0]
    g = to_device(grad_out).transpose(0, 2, 3, 1).reshape(n * out_size[0] * out_size[1], cout)
    dw = matmul(g.T, cols).reshape(cout, c, *kernel)
    db = reduce("sum", g, 0) if has_bias else None
    dcols = matmul(g, wmat)
    dx = empty(x_shape)
    if dx.size:
        params = _params(dx.size, dx, kernel, out_size, stride, padding, dcols.offset)
        dx.storage.device.launch_per_element("col2im", [dx.storage, dcols.storage], params)
    return dx, dw, db


def pool_forward(kind, x, kernel_size, stride, padding):
    """``kind`` "max" or "avg" pooling; max also keeps each window's arg-max for the backward."""
    x = to_device(x)
    kernel = pair(kernel_size)
    stride = kernel if stride is None else pair(stride)
    padding = pair(padding)
    n, c, h, w = x.shape
    out_size = tuple(output_size(*dims) for dims in zip((h, w), kernel, stride, padding))
    out = empty((n, c, *out_size))
    argmax = empty(out.shape) if kind == "max" else None
    if out.size:
        params = _params(out.size, x, kernel, out_size, stride, padding, x.offset)
        storages = [out.storage, x.storage, argmax.storage if argmax is not None else None]
        x.storage.device.launch_per_element(f"pool:{kind}_fwd", storages, params)
    return out, (kind, x.shape, argmax, kernel, stride, padding, out_size)


def pool_backward(grad_out, cache):
    kind, x_shape, argmax, kernel, stride, padding, out_size = cache
    g = to_device(grad_out).compact()
    dx = empty(x_shape)
    if dx.size:
        params = _params(dx.size, dx, kernel, out_size, stride, padding, g.offset)
        storages = [dx.storage, g.storage, argmax.storage if argmax is not None else None]
        dx.storage.device.launch_per_element(f"pool:{kind}_bwd", storages, params)
    return dx
