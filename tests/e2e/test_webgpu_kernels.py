"""The WebGPU backend's kernels in headless Chromium (SwiftShader here), each against NumPy in the
same Pyodide: element-wise (broadcast, strided, boolean, numbers as operands), reductions and
softmax, matrix products, convolution and pooling, indexing, the optimisers' fused updates, and
work larger than one dispatch.

Tolerances (float32; references are NumPy in the same Pyodide, in float64 where stated):
  element-wise, gathers, copies        |gpu - ref| <= 1e-6 + 1e-5 |ref|   (transcendentals: 2e-6 + 1e-5 |ref|)
  reductions, softmax                  |gpu - ref| <= 1e-5 + 1e-5 |ref|   (sums of up to 10⁴ terms: 1e-4 relative)
  matrix products, convolution         |gpu - ref64| <= 1e-4 (1 + |ref|)  (K <= 300, standard-normal inputs)
"""

import pytest
from test_webgpu import gpu_page, run  # noqa: F401  (gpu_page is a fixture)

KERNEL_CHECKS = r"""
import json, math
import numpy as np
from pizarra.backend import conv_launchers as C, launchers as K, numpy_conv
from pizarra.backend.device import device
from pizarra.backend.gpu_array import GPUArray, to_device

rng = np.random.default_rng(7)
R = lambda *s: rng.standard_normal(s).astype(np.float32)
dev = device()
failures = []

def check(name, got, ref, atol=1e-6, rtol=1e-5):
    got = np.asarray(got.get() if isinstance(got, GPUArray) else got)
    ref = np.asarray(ref)
    if got.shape != ref.shape:
        failures.append(f"{name}: shape {got.shape} != {ref.shape}")
        return
    if got.dtype == bool or ref.dtype == bool:
        if not np.array_equal(got.astype(bool), ref.astype(bool)):
            failures.append(f"{name}: booleans differ")
        return
    bad = ~(np.abs(got.astype(np.float64) - ref) <= atol + rtol * np.abs(ref)) & ~(np.isnan(got) & np.isnan(ref))
    bad &= ~((got == ref) & np.isinf(ref))
    if bad.any():
        failures.append(f"{name}: max error {np.nanmax(np.abs(got - ref))} at {np.argwhere(bad)[0].tolist()}")

G = to_device
"""

ELEMENTWISE = (
    KERNEL_CHECKS
    + r"""
a, b, row, col = R(7, 13), R(7, 13), R(13), R(7, 1)
pos = np.abs(a) + 0.1
for name, f, tol in [
    ("add", lambda x, y: x + y, 1e-6), ("sub", lambda x, y: x - y, 1e-6), ("mul", lambda x, y: x * y, 1e-6),
    ("div", lambda x, y: x / y, 1e-6), ("maximum", np.maximum, 1e-6), ("minimum", np.minimum, 1e-6),
    ("logaddexp", np.logaddexp, 2e-6), ("gt", np.greater, 0), ("le", np.less_equal, 0), ("eq", np.equal, 0),
]:
    for tag, (x, y) in {"same": (a, b), "row-broadcast": (a, row), "col-broadcast": (col, a),
                        "transposed": (a.T, b.T), "scalar-right": (a, np.float32(0.7)), "scalar-left": (0.7, a)}.items():
        gx = G(x) if isinstance(x, np.ndarray) else x
        gy = G(y) if isinstance(y, np.ndarray) else y
        if tag == "transposed":
            gx, gy = G(a).T, G(b).T
        check(f"{name}/{tag}", f(gx, gy), f(np.asarray(x, np.float64) if isinstance(x, np.ndarray) else x,
                                              np.asarray(y, np.float64) if isinstance(y, np.ndarray) else y), tol)
for name, f, x, tol in [
    ("neg", np.negative, a, 1e-6), ("exp", np.exp, a, 2e-6), ("expm1", np.expm1, a, 2e-6), ("log", np.log, pos, 2e-6),
    ("log1p", np.log1p, pos, 2e-6), ("sqrt", np.sqrt, pos, 1e-6), ("abs", np.abs, a, 0), ("sign", np.sign, a, 0),
    ("tanh", np.tanh, a * 8, 2e-6), ("square", np.square, a, 1e-6), ("reciprocal", np.reciprocal, pos, 1e-6),
    ("pow-int", lambda v: v ** 3, a, 1e-6), ("pow-2", lambda v: v ** 2, a, 1e-6), ("pow-half", lambda v: v ** 0.5, pos, 1e-6),
    ("pow-neg-int", lambda v: v ** -1, pos, 1e-6), ("sigmoid-as-ops", lambda v: np.exp(-np.logaddexp(0, -v)), a * 30, 2e-6),
]:
    check(name, f(G(x)), f(x.astype(np.float64)), tol)
mask = a > 0
check("where", np.where(mask, G(a), G(b)), np.where(mask, a, b))
check("where-scalar", np.where(G(a) > 0, G(a), 0), np.where(a > 0, a, 0))
check("bool-and-or-not", (G(a) > 0) & ~(G(b) > 0) | (G(a) == G(a)), (a > 0) & ~(b > 0) | (a == a))
check("bool-times-float", G(a) * (G(b) > 0), a * (b > 0))
check("clip", np.clip(G(a), -0.5, 0.5), np.clip(a, -0.5, 0.5))
check("strided-view-plus-row", np.add(G(a)[::2], G(row)), a[::2].astype(np.float64) + row)
# Shapes: 1×N, N×1, empty, 0-d; views and copies.
for shape in [(1, 301), (301, 1), (0, 4), (4, 0), ()]:
    x, y = R(*shape), R(*shape)
    check(f"add{shape}", G(x) + G(y), x.astype(np.float64) + y)
    check(f"exp{shape}", np.exp(G(x)), np.exp(x.astype(np.float64)), 2e-6)
z = R(4, 6, 5)
check("slice-view", G(z)[1:, ::2, -1], z[1:, ::2, -1])
check("transpose-copy", np.ascontiguousarray(np.transpose(G(z), (2, 0, 1))), np.transpose(z, (2, 0, 1)))
check("reshape-noncontiguous", G(z).transpose(1, 0, 2).reshape(6, 20), z.transpose(1, 0, 2).reshape(6, 20))
check("concatenate", np.concatenate([G(z), G(z[:, :2])], axis=1), np.concatenate([z, z[:, :2]], axis=1))
check("stack", np.stack([G(a), G(b)], axis=1), np.stack([a, b], axis=1))
check("pad", np.pad(G(a), ((1, 2), (0, 3))), np.pad(a, ((1, 2), (0, 3))))
parts = np.split(G(z), [1, 3], axis=1)
for i, (p, q) in enumerate(zip(parts, np.split(z, [1, 3], axis=1))):
    check(f"split{i}", p, q)
target, ref = G(np.zeros((5, 6), np.float32)), np.zeros((5, 6), np.float32)
target[1:4, ::2] = G(R(3, 3) * 0 + 2)
ref[1:4, ::2] = 2
target[0] = 7.0
ref[0] = 7.0
check("setitem", target, ref)
check("zeros_like-shape", np.zeros_like(G(a), shape=(3, 2)), np.zeros((3, 2)))
check("ones_like", np.ones_like(G(a)), np.ones_like(a))
json.dumps(failures)
"""
)

REDUCTIONS = (
    KERNEL_CHECKS
    + r"""
x = R(5, 7, 3)
for op, f in (("sum", np.sum), ("max", np.max), ("min", np.min)):
    for axis in (None, 0, 1, 2, -1, (0, 2), (1, 2)):
        for keep in (False, True):
            check(f"{op} axis={axis} keepdims={keep}", f(G(x), axis=axis, keepdims=keep),
                  f(x.astype(np.float64), axis=axis, keepdims=keep), 1e-5, 1e-5)
check("sum-transposed", np.sum(G(x).transpose(2, 0, 1), axis=1), np.sum(x.transpose(2, 0, 1).astype(np.float64), axis=1), 1e-5, 1e-5)
v = R(1, 7)
check("sum-broadcast-values", np.sum(G(v).broadcast_to((300, 7)), axis=0), 300 * v[0].astype(np.float64), 1e-4, 1e-5)
big = R(10007)
check("sum-long-row", np.sum(G(big)), np.sum(big.astype(np.float64)), 1e-4, 1e-4)
row = R(1, 301)
check("sum-1xN-values", np.sum(G(row), axis=1), np.sum(row.astype(np.float64), axis=1), 1e-5, 1e-5)
colv = R(301, 1)
check("max-Nx1", np.max(G(colv), axis=0), np.max(colv, axis=0))
check("sum-empty-axis", np.sum(G(np.zeros((5, 0), np.float32)), axis=1), np.zeros(5))
check("sum-empty-rows", np.sum(G(np.zeros((0, 5), np.float32)), axis=1), np.zeros(0))
try:
    np.max(G(np.zeros((0, 3), np.float32)), axis=0)
    failures.append("max over an empty axis did not raise")
except ValueError:
    pass
for shape, axis in [((6, 10), -1), ((6, 10), 0), ((1, 301), -1), ((301, 1), -1), ((301, 1), 0), ((0, 5), -1), ((3, 4, 5), 1)]:
    x = R(*shape) * 5
    e = np.exp(x.astype(np.float64) - x.max(axis=axis, keepdims=True)) if x.size else x.astype(np.float64)
    ref = e / e.sum(axis=axis, keepdims=True) if x.size else e
    check(f"softmax{shape} axis={axis}", K.softmax(G(x), axis), ref, 1e-6, 1e-5)
    check(f"log_softmax{shape} axis={axis}", K.softmax(G(x), axis, log=True), np.log(ref) if x.size else ref, 1e-5, 1e-5)
extreme = np.array([[1000.0, -1000.0, 0.0]], np.float32)
check("log_softmax-extreme", K.softmax(G(extreme), -1, log=True), np.array([[0.0, -2000.0, -1000.0]]), 1e-3, 1e-6)
json.dumps(failures)
"""
)

MATMUL = (
    KERNEL_CHECKS
    + r"""
def mm(name, a, b, **kw):
    ref = np.matmul(a.astype(np.float64), b.astype(np.float64))
    check(name, K.matmul(G(a), G(b), **kw) if kw else np.matmul(G(a), G(b)), ref, 1e-4, 1e-4)
for m, k, n in [(65, 33, 67), (1, 129, 70), (70, 129, 1), (64, 64, 64), (3, 1, 5), (130, 300, 2)]:
    mm(f"matmul {m}x{k}x{n}", R(m, k), R(k, n))
a, b = R(37, 21), R(21, 45)
check("matmul a.T-view", np.matmul(G(a.T.copy()).T, G(b)), a.astype(np.float64) @ b, 1e-4, 1e-4)
check("matmul b.T-view", np.matmul(G(a), G(b.T.copy()).T), a.astype(np.float64) @ b, 1e-4, 1e-4)
check("matmul both transposed", np.matmul(G(b).T, G(a).T), (a.astype(np.float64) @ b).T, 1e-4, 1e-4)
mm("batched", R(3, 17, 9), R(3, 9, 5))
mm("batched broadcast 2-D right", R(3, 17, 9), R(9, 5))
mm("batched broadcast 4-D", R(2, 1, 5, 4), R(3, 4, 6))
mm("vector left", R(9), R(9, 4))
mm("vector right", R(4, 9), R(9))
mm("vector dot", R(9), R(9))
mm("empty rows", R(0, 5), R(5, 3))
mm("empty inner", R(4, 0), R(0, 3))
x, w, bias = R(19, 23), R(23, 70), R(70)
check("fused bias", K.matmul(G(x), G(w), bias=G(bias)), x.astype(np.float64) @ w + bias, 1e-4, 1e-4)
check("fused bias, empty inner", K.matmul(G(R(4, 0)), G(R(0, 70)), bias=G(bias)), np.broadcast_to(bias, (4, 70)), 1e-6, 0)
# Convolution forward and backward against the NumPy kernels (stride, padding, odd sizes, bias or not).
for (n, c, h, wd), (co, kh, kw), stride, pad, with_bias in [
        ((2, 3, 9, 11), (4, 3, 3), (1, 1), (1, 1), True), ((3, 2, 10, 7), (5, 5, 2), (2, 3), (2, 0), False),
        ((1, 1, 5, 5), (1, 5, 5), (1, 1), (0, 0), True), ((0, 2, 6, 6), (3, 3, 3), (1, 1), (1, 1), True)]:
    x, k, bb = R(n, c, h, wd), R(co, c, kh, kw), R(co) if with_bias else None
    out, cache = C.conv2d_forward(G(x), G(k), G(bb) if with_bias else None, stride, pad)
    ref, ref_cache = numpy_conv.conv2d_forward(x, k, bb, stride, pad)
    tag = f"conv{(n, c, h, wd)}k{(co, kh, kw)}s{stride}p{pad}"
    check(tag, out, ref, 1e-4, 1e-4)
    g = R(*ref.shape)
    dx, dw, db = C.conv2d_backward(G(g), cache)
    rdx, rdw, rdb = numpy_conv.conv2d_backward(g, ref_cache)
    check(tag + " dx", dx, rdx, 1e-4, 1e-4)
    check(tag + " dw", dw, rdw, 1e-4, 1e-4)
    if with_bias:
        check(tag + " db", db, rdb, 1e-4, 1e-4)
for kind in ("max", "avg"):
    for shape, kernel, stride, pad in [((2, 3, 8, 8), 2, None, 0), ((1, 2, 7, 9), (3, 2), (2, 1), (1, 1)), ((1, 1, 1, 5), 1, None, 0)]:
        x = R(*shape)
        out, cache = C.pool_forward(kind, G(x), kernel, stride, pad)
        fwd = getattr(numpy_conv, f"{kind}_pool2d_forward")
        bwd = getattr(numpy_conv, f"{kind}_pool2d_backward")
        ref, ref_cache = fwd(x, kernel, stride, pad)
        check(f"{kind}pool{shape}", out, ref)
        g = R(*ref.shape)
        check(f"{kind}pool{shape} backward", C.pool_backward(G(g), cache), bwd(g, ref_cache), 1e-5, 1e-5)
json.dumps(failures)
"""
)

INDEXING_AND_OPTIMISERS = (
    KERNEL_CHECKS
    + r"""
w = R(11, 6)
idx = np.array([[3, 0, 3], [10, 3, 5]])
check("embedding gather", G(w)[idx], w[idx])
rows, cols = np.arange(4), np.array([2, 0, 5, 5])
check("two-array gather", G(w)[rows, cols], w[rows, cols])
check("boolean mask gather", G(w)[w[:, 0] > 0], w[w[:, 0] > 0])
check("negative-step gather", G(w)[::-2, 1], w[::-2, 1])
g = R(2, 3, 6)
out, ref = np.zeros_like(G(w)), np.zeros_like(w, dtype=np.float64)
np.add.at(out, idx, G(g))
np.add.at(ref, idx, g)
check("embedding scatter-add (repeated rows)", out, ref, 1e-6, 1e-5)
out = G(np.zeros((4, 6), np.float32))
vals = R(4)
np.add.at(out, (rows, cols), G(vals))
ref = np.zeros((4, 6)); np.add.at(ref, (rows, cols), vals)
check("two-array scatter-add", out, ref)
t = G(np.zeros((11, 6), np.float32)); r = np.zeros((11, 6), np.float32)
t[np.array([1, 4])] = G(R(2, 6) * 0 + 3); r[np.array([1, 4])] = 3
check("advanced setitem", t, r)
# Optimisers: one fused kernel each, against pizarra.optim's NumPy formulas; θ, its gradient and
# its state may start anywhere in their buffers (here 5 and 3 elements in).
from pizarra import optim
from pizarra.backend import fused_optimizers
def placed(values, at):
    return G(np.concatenate([R(at), values]))[at:]
for momentum, nesterov, damp, wd in ((0.9, False, 0.0, 0.0), (0.9, True, 0.0, 0.01), (0.9, False, 0.3, 0.0), (0.0, False, 0.0, 0.01)):
    theta, grads = R(301), [R(301) for _ in range(3)]
    group = dict(lr=0.1, momentum=momentum, dampening=damp, weight_decay=wd, nesterov=nesterov)
    reference, state, ref = optim.SGD([], **group), {}, theta.copy()
    gt, gb = placed(theta, 5), placed(np.zeros(301, np.float32), 3) if momentum else None
    for step, gr in enumerate(grads):
        ref = reference.update(ref, gr, state, group)
        fused_optimizers.sgd_step(gt, placed(gr, 3), gb, 0.1, momentum, damp, wd, nesterov, first_step=step == 0)
    check(f"sgd momentum={momentum} nesterov={nesterov} dampening={damp} wd={wd}", gt, ref, 1e-6, 1e-5)
    if momentum:
        check(f"sgd momentum={momentum} nesterov={nesterov} buffer", gb, state["momentum_buffer"], 1e-6, 1e-5)
theta, grads = R(301), [R(301) for _ in range(3)]
group, state, ref = dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01), {}, theta.copy()
reference = optim.Adam([], **group)
gt, gm, gv = placed(theta, 5), placed(np.zeros(301, np.float32), 3), G(np.zeros(301, np.float32))
for step, gr in enumerate(grads, 1):
    ref = reference.update(ref, gr, state, group)
    fused_optimizers.adam_step(gt, placed(gr, 1), gm, gv, step, 0.01, (0.9, 0.999), 1e-8, 0.01)
check("adam", gt, ref, 1e-6, 1e-5)
check("adam m", gm, state["exp_avg"], 1e-6, 1e-5)
check("adam v", gv, state["exp_avg_sq"], 1e-6, 1e-5)
json.dumps(failures)
"""
)

SEVERAL_DISPATCHES = (
    KERNEL_CHECKS
    + r"""
# With the per-dispatch workgroup limit lowered, every kernel family splits its work into several
# dispatches; the results must not change.
limit = dev.max_groups
dev.max_groups = 2
try:
    before = dev.stats()["dispatches"]
    x = R(5, 300)
    check("ew split", np.exp(G(x)), np.exp(x.astype(np.float64)), 2e-6)
    check("reduce split", np.sum(G(x), axis=1), x.astype(np.float64).sum(axis=1), 1e-5, 1e-5)
    check("softmax split", K.softmax(G(x), -1), (lambda e: e / e.sum(1, keepdims=True))(np.exp(x - x.max(1, keepdims=True)).astype(np.float64)))
    a, b = R(5, 7, 3), R(3, 4)
    check("batched matmul split", np.matmul(G(a), G(b)), a.astype(np.float64) @ b, 1e-4, 1e-4)
    xs = R(2, 3, 9, 9)
    out, _ = C.pool_forward("max", G(xs), 2, None, 0)
    check("pool split", out, numpy_conv.max_pool2d_forward(xs, 2, None, 0)[0])
    split_dispatches = dev.stats()["dispatches"] - before
finally:
    dev.max_groups = limit
# One real size above the device's limit of workgroups per dispatch (65535 × 256 elements).
n = limit * 256 + 4099
big = np.arange(n, dtype=np.float32) % 1000
before = dev.stats()["dispatches"]
got = -G(big)
real_dispatches = dev.stats()["dispatches"] - before
tail = got[-5000:].get()
check("ew above the dispatch limit (tail)", tail, -big[-5000:])
check("ew above the dispatch limit (head)", got[:5000], -big[:5000])
json.dumps({"failures": failures, "split_dispatches": split_dispatches, "real_dispatches": real_dispatches, "limit": limit})
"""
)


@pytest.mark.parametrize(
    "checks",
    [ELEMENTWISE, REDUCTIONS, MATMUL, INDEXING_AND_OPTIMISERS],
    ids=["elementwise", "reductions-softmax", "matmul-conv-pool", "indexing-optimisers"],
)
def test_kernels_match_numpy(gpu_page, checks):
    assert run(gpu_page, checks) == []


def test_work_larger_than_one_dispatch_is_split(gpu_page):
    result = run(gpu_page, SEVERAL_DISPATCHES)
    assert result["failures"] == []
    assert result["limit"] >= 65535
    # 256 elements per workgroup: one element-wise kernel over limit·256 + 4099 elements needs 2 dispatches.
    assert result["real_dispatches"] == 2
    assert result["split_dispatches"] >= 5 * 2
