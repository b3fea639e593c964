"""The WebGPU backend in headless Chromium (SwiftShader here): every kernel against NumPy, full
training steps against NumPy with one readback per step, the backend choice, and failures.

Tolerances (float32; references are NumPy in the same Pyodide, in float64 where stated):
  element-wise, gathers, copies        |gpu - ref| <= 1e-6 + 1e-5 |ref|   (transcendentals: 2e-6 + 1e-5 |ref|)
  reductions, softmax                  |gpu - ref| <= 1e-5 + 1e-5 |ref|   (sums of up to 10⁴ terms: 1e-4 relative)
  matrix products, convolution         |gpu - ref64| <= 1e-4 (1 + |ref|)  (K <= 300, standard-normal inputs)
  training steps (loss, gradients)     relative 1e-4 of the largest entry of each gradient
"""

import json

import pytest

from conftest import wait_engine

KERNEL_CHECKS = r'''
import json, math
import numpy as np
from pizarra.backend import webgpu as W
from pizarra.backend import numpy_conv

rng = np.random.default_rng(7)
R = lambda *s: rng.standard_normal(s).astype(np.float32)
dev = W.device()
failures = []

def check(name, got, ref, atol=1e-6, rtol=1e-5):
    got = np.asarray(got.get() if isinstance(got, W.GPUArray) else got)
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

G = W.to_device
'''

ELEMENTWISE = KERNEL_CHECKS + r'''
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
# Fused bias + activation and the activations' gradients.
x, bias, gr = R(9, 5), R(5), R(9, 5)
check("bias_relu", W._ew("bias_relu", [G(x), G(bias).broadcast_to((9, 5))], (9, 5)), np.maximum(x + bias, 0))
check("bias_tanh", W._ew("bias_tanh", [G(x), G(bias).broadcast_to((9, 5))], (9, 5)), np.tanh(x.astype(np.float64) + bias), 2e-6)
sig = 1 / (1 + np.exp(-(x.astype(np.float64) + bias)))
check("bias_sigmoid", W._ew("bias_sigmoid", [G(x), G(bias).broadcast_to((9, 5))], (9, 5)), sig, 2e-6)
check("relu_grad", W._ew("relu_grad", [G(gr), G(x)], (9, 5)), gr * (x > 0))
t = np.tanh(x)
check("tanh_grad", W._ew("tanh_grad", [G(gr), G(t)], (9, 5)), gr * (1 - t.astype(np.float64) ** 2))
s = sig.astype(np.float32)
check("sigmoid_grad", W._ew("sigmoid_grad", [G(gr), G(s)], (9, 5)), gr * s.astype(np.float64) * (1 - s))
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
'''

REDUCTIONS = KERNEL_CHECKS + r'''
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
    check(f"softmax{shape} axis={axis}", W.softmax(G(x), axis), ref, 1e-6, 1e-5)
    check(f"log_softmax{shape} axis={axis}", W.softmax(G(x), axis, log=True), np.log(ref) if x.size else ref, 1e-5, 1e-5)
extreme = np.array([[1000.0, -1000.0, 0.0]], np.float32)
check("log_softmax-extreme", W.softmax(G(extreme), -1, log=True), np.array([[0.0, -2000.0, -1000.0]]), 1e-3, 1e-6)
json.dumps(failures)
'''

MATMUL = KERNEL_CHECKS + r'''
def mm(name, a, b, **kw):
    ref = np.matmul(a.astype(np.float64), b.astype(np.float64))
    check(name, W.matmul(G(a), G(b), **kw) if kw else np.matmul(G(a), G(b)), ref, 1e-4, 1e-4)
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
ref = x.astype(np.float64) @ w + bias
check("fused bias", W.matmul(G(x), G(w), bias=G(bias)), ref, 1e-4, 1e-4)
check("fused bias+relu", W.matmul(G(x), G(w), bias=G(bias), activation="relu"), np.maximum(ref, 0), 1e-4, 1e-4)
check("fused bias+tanh", W.matmul(G(x), G(w), bias=G(bias), activation="tanh"), np.tanh(ref), 1e-4, 1e-4)
check("fused bias+sigmoid", W.matmul(G(x), G(w), bias=G(bias), activation="sigmoid"), 1 / (1 + np.exp(-ref)), 1e-4, 1e-4)
# Convolution forward and backward against the NumPy kernels (stride, padding, odd sizes, bias or not).
for (n, c, h, wd), (co, kh, kw), stride, pad, with_bias in [
        ((2, 3, 9, 11), (4, 3, 3), (1, 1), (1, 1), True), ((3, 2, 10, 7), (5, 5, 2), (2, 3), (2, 0), False),
        ((1, 1, 5, 5), (1, 5, 5), (1, 1), (0, 0), True), ((0, 2, 6, 6), (3, 3, 3), (1, 1), (1, 1), True)]:
    x, k, bb = R(n, c, h, wd), R(co, c, kh, kw), R(co) if with_bias else None
    out, cache = W.conv2d_forward(G(x), G(k), G(bb) if with_bias else None, stride, pad)
    ref, ref_cache = numpy_conv.conv2d_forward(x, k, bb, stride, pad)
    tag = f"conv{(n, c, h, wd)}k{(co, kh, kw)}s{stride}p{pad}"
    check(tag, out, ref, 1e-4, 1e-4)
    g = R(*ref.shape)
    dx, dw, db = W.conv2d_backward(G(g), cache)
    rdx, rdw, rdb = numpy_conv.conv2d_backward(g, ref_cache)
    check(tag + " dx", dx, rdx, 1e-4, 1e-4)
    check(tag + " dw", dw, rdw, 1e-4, 1e-4)
    if with_bias:
        check(tag + " db", db, rdb, 1e-4, 1e-4)
for kind in ("max", "avg"):
    for shape, kernel, stride, pad in [((2, 3, 8, 8), 2, None, 0), ((1, 2, 7, 9), (3, 2), (2, 1), (1, 1)), ((1, 1, 1, 5), 1, None, 0)]:
        x = R(*shape)
        out, cache = W.pool_forward(kind, G(x), kernel, stride, pad)
        fwd = getattr(numpy_conv, f"{kind}_pool2d_forward")
        bwd = getattr(numpy_conv, f"{kind}_pool2d_backward")
        ref, ref_cache = fwd(x, kernel, stride, pad)
        check(f"{kind}pool{shape}", out, ref)
        g = R(*ref.shape)
        check(f"{kind}pool{shape} backward", W.pool_backward(G(g), cache), bwd(g, ref_cache), 1e-5, 1e-5)
json.dumps(failures)
'''

INDEXING_AND_OPTIMISERS = KERNEL_CHECKS + r'''
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
# Optimisers: one fused kernel each, against pizarra.optim's NumPy formulas.
from pizarra import optim
for nesterov, damp, wd in ((False, 0.0, 0.0), (True, 0.0, 0.01), (False, 0.3, 0.0)):
    theta, grads = R(301), [R(301) for _ in range(3)]
    ref_opt = optim.SGD([], lr=0.1, momentum=0.9, dampening=damp, weight_decay=wd, nesterov=nesterov)
    group, state, ref = ref_opt.param_groups[0] if ref_opt.param_groups else None, {}, theta.copy()
    group = dict(lr=0.1, momentum=0.9, dampening=damp, weight_decay=wd, nesterov=nesterov)
    gt, gb = G(theta), G(np.zeros(301, np.float32))
    for step, gr in enumerate(grads):
        ref = ref_opt.update(ref, gr, state, group)
        W.sgd_update(gt, G(gr), gb, 0.1, 0.9, damp, wd, nesterov, first=step == 0)
    check(f"sgd nesterov={nesterov} dampening={damp} wd={wd}", gt, ref, 1e-6, 1e-5)
theta, grads = R(301), [R(301) for _ in range(3)]
ref_opt = optim.Adam([], lr=0.01, weight_decay=0.01)
group, state, ref = dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01), {}, theta.copy()
gt, gm, gv = G(theta), G(np.zeros(301, np.float32)), G(np.zeros(301, np.float32))
for step, gr in enumerate(grads, 1):
    ref = ref_opt.update(ref, gr, state, group)
    W.adam_update(gt, G(gr), gm, gv, step, 0.01, (0.9, 0.999), 1e-8, 0.01)
check("adam", gt, ref, 1e-6, 1e-5)
check("adam m", gm, state["exp_avg"], 1e-6, 1e-5)
check("adam v", gv, state["exp_avg_sq"], 1e-6, 1e-5)
json.dumps(failures)
'''

SEVERAL_DISPATCHES = KERNEL_CHECKS + r'''
# With the per-dispatch workgroup limit lowered, every kernel family splits its work into several
# dispatches; the results must not change.
limit = dev.max_groups
dev.max_groups = 2
try:
    before = dev.stats()["dispatches"]
    x = R(5, 300)
    check("ew split", np.exp(G(x)), np.exp(x.astype(np.float64)), 2e-6)
    check("reduce split", np.sum(G(x), axis=1), x.astype(np.float64).sum(axis=1), 1e-5, 1e-5)
    check("softmax split", W.softmax(G(x), -1), (lambda e: e / e.sum(1, keepdims=True))(np.exp(x - x.max(1, keepdims=True)).astype(np.float64)))
    a, b = R(5, 7, 3), R(3, 4)
    check("batched matmul split", np.matmul(G(a), G(b)), a.astype(np.float64) @ b, 1e-4, 1e-4)
    xs = R(2, 3, 9, 9)
    out, _ = W.pool_forward("max", G(xs), 2, None, 0)
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
'''

TRAINING = r'''
import json, numpy as np
import pizarra
from pizarra import nn, optim, backend
from pizarra.nn import functional as F
from pizarra.vision import LeNet5
from pizarra.backend import webgpu as W

def make(kind):
    pizarra.manual_seed(0)
    rng = np.random.default_rng(1)
    if kind == "mlp":
        model = nn.Sequential(nn.Linear(20, 33), nn.ReLU(), nn.Linear(33, 7))
        x, y = rng.standard_normal((17, 20)).astype(np.float32), rng.integers(0, 7, 17)
        opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        return opt, lambda: F.cross_entropy(model(pizarra.tensor(x)), pizarra.tensor(y)), list(model.parameters())
    if kind == "lenet":
        model = LeNet5()
        x, y = rng.random((5, 1, 28, 28)).astype(np.float32), rng.integers(0, 10, 5)
        opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        return opt, lambda: F.cross_entropy(model(pizarra.tensor(x)), pizarra.tensor(y)), list(model.parameters())
    lstm, head = nn.LSTM(6, 19, batch_first=True), nn.Linear(19, 1)
    x, y = rng.standard_normal((3, 5, 6)).astype(np.float32), rng.standard_normal((3, 5, 1)).astype(np.float32)
    params = list(lstm.parameters()) + list(head.parameters())
    return optim.Adam(params, lr=1e-2), lambda: F.mse_loss(head(lstm(pizarra.tensor(x))[0]), pizarra.tensor(y)), params

def train(kind, name, steps=2):
    old = backend.use(name)
    try:
        opt, loss_fn, params = make(kind)
        losses, readbacks, fallbacks = [], [], []
        for _ in range(steps):
            before, seen = W.device().stats()["readbacks"], len(W.device().fallbacks)
            opt.zero_grad()
            loss = loss_fn()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            readbacks.append(W.device().stats()["readbacks"] - before)
            fallbacks += W.device().fallbacks[seen:]
        resident = all(isinstance(p.data, W.GPUArray) and isinstance(p.grad, W.GPUArray) for p in params) if name == "webgpu" else None
        return losses, [np.asarray(p.grad) for p in params], [np.asarray(p.data) for p in params], readbacks, fallbacks, resident
    finally:
        backend.use(old)

result = {}
for kind in ("mlp", "lenet", "lstm"):
    l0, g0, v0, _, _, _ = train(kind, "numpy")
    l1, g1, v1, readbacks, fallbacks, resident = train(kind, "webgpu")
    result[kind] = {
        "loss_numpy": l0, "loss_webgpu": l1, "readbacks": readbacks, "fallbacks": fallbacks, "resident": resident,
        "grad_rel_err": max(float(np.abs(a - b).max() / max(np.abs(a).max(), 1e-12)) for a, b in zip(g0, g1)),
        "param_rel_err": max(float(np.abs(a - b).max() / max(np.abs(a).max(), 1e-12)) for a, b in zip(v0, v1)),
    }
json.dumps(result)
'''


def run(page, code, timeout_ms=300_000):
    return json.loads(page.evaluate("([code, t]) => pizarra.run(code, {timeoutMs: t})", [code, timeout_ms]))


@pytest.fixture(scope="module")
def gpu_page(browser, site):
    """One page with the WebGPU backend forced, shared by the kernel tests (booting is the slow part)."""
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(site + "?backend=webgpu#/")
    wait_engine(page)
    info = page.evaluate("pizarra.info")
    assert info["backend"] == "webgpu" and info["backend_mode"] == "webgpu", info
    yield page
    context.close()


@pytest.mark.parametrize("checks", [ELEMENTWISE, REDUCTIONS, MATMUL, INDEXING_AND_OPTIMISERS],
                         ids=["elementwise", "reductions-softmax", "matmul-conv-pool", "indexing-optimisers"])
def test_kernels_match_numpy(gpu_page, checks):
    assert run(gpu_page, checks) == []


def test_work_larger_than_one_dispatch_is_split(gpu_page):
    result = run(gpu_page, SEVERAL_DISPATCHES)
    assert result["failures"] == []
    assert result["limit"] >= 65535
    # 256 elements per workgroup: one element-wise kernel over limit·256 + 4099 elements needs 2 dispatches.
    assert result["real_dispatches"] == 2
    assert result["split_dispatches"] >= 5 * 2


def test_training_steps_match_numpy_with_one_readback(gpu_page):
    result = run(gpu_page, TRAINING)
    for kind, r in result.items():
        for a, b in zip(r["loss_numpy"], r["loss_webgpu"]):
            assert abs(a - b) <= 1e-4 * max(1.0, abs(a)), (kind, r)
        assert r["grad_rel_err"] <= 1e-4, (kind, r)
        assert r["param_rel_err"] <= 1e-4, (kind, r)
        assert r["readbacks"] == [1, 1], (kind, r)  # the loss, nothing else
        assert r["fallbacks"] == [], (kind, r)
        assert r["resident"] is True, (kind, r)


def test_device_loss_leaves_the_page_working_on_numpy(browser, site):
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(site + "?backend=webgpu#/")
    wait_engine(page)
    code = ("import numpy as np, pizarra\nfrom pizarra import backend\n"
            "x = pizarra.tensor(np.arange(6, dtype=np.float32).reshape(2, 3), requires_grad=True)\n"
            "loss = (x @ x.T).sum()\nloss.backward()\n"
            "[backend.current().name, loss.item(), x.grad.tolist()]")
    x = [[0, 1, 2], [3, 4, 5]]
    grad = [[2 * sum(row[j] for row in x) for j in range(3)] for _ in range(2)]  # ∂/∂x Σ x xᵀ = 2 · 1 1ᵀ x
    total = sum(sum(a * b for a, b in zip(r1, r2)) for r1 in x for r2 in x)
    assert page.evaluate("c => pizarra.run(c)", code) == ["webgpu", total, grad]
    assert page.evaluate("pizarra.gpu('destroy-device')") is True
    # The same computation again: it fails on the GPU, runs again on NumPy, and the page is told why.
    assert page.evaluate("c => pizarra.run(c)", code) == ["numpy", total, grad]
    check = page.evaluate("pizarra.call('engine_check')")
    assert check["r"] == ((3 * -4) + max(2, 0)) * 2
    info = page.evaluate("pizarra.info")
    assert info["backend"] == "numpy" and info["fallback_reason"] == "lost"
    status = page.get_by_test_id("engine-status")
    page.wait_for_function("document.querySelector('[data-testid=engine-status]').dataset.fallback === 'lost'")
    assert "Se perdió la GPU" in page.get_by_test_id("engine-details").text_content()
    assert "Se perdió la GPU" in page.get_by_test_id("notice-warning").inner_text()
    context.close()


def test_shader_compile_error_falls_back_to_numpy(browser, site):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(site + "?backend=webgpu#/")
    wait_engine(page)
    assert page.evaluate("pizarra.gpu('break-shaders')") is True
    code = "import numpy as np, pizarra\nfrom pizarra import backend\n" \
           "t = pizarra.tensor(np.full((3, 4), 2, np.float32))\n[backend.current().name, (t @ t.T).sum().item()]"
    assert page.evaluate("c => pizarra.run(c)", code) == ["numpy", 3 * 3 * 4 * 2 * 2]
    assert page.evaluate("pizarra.info")["fallback_reason"] == "shader"
    assert "did not compile" in page.get_by_test_id("engine-details").text_content()
    context.close()


def test_backend_numpy_in_the_address_forces_numpy(new_page, site):
    page, errors = new_page(locale="es-ES")
    page.goto(site + "?backend=numpy#/")
    wait_engine(page)
    info = page.evaluate("pizarra.info")
    assert info["backend"] == "numpy" and info["backend_mode"] == "numpy" and info["gpu"] == "not-requested"
    assert page.evaluate("pizarra.run('from pizarra import backend; backend.current().name')") == "numpy"
    assert "forzado" in page.get_by_test_id("engine-details").text_content()
    assert errors == []


def test_auto_backend_is_chosen_by_measurement_and_cached(new_page, site):
    page, errors = new_page(locale="en-GB")
    page.goto(site)
    wait_engine(page)
    page.wait_for_function("pizarra.info && pizarra.info.calibration !== null", timeout=120_000)
    info = page.evaluate("pizarra.info")
    calibration = info["calibration"]
    assert set(calibration["measurements"]) == {"matmul", "conv", "reduction"}
    for name, rows in calibration["measurements"].items():
        # The threshold is the smallest size from which the GPU won at every larger measured size.
        expected = None
        for row in sorted(rows, key=lambda r: r["size"], reverse=True):
            if row["webgpu_ms"] < row["numpy_ms"]:
                expected = row["size"]
            else:
                break
        assert calibration["thresholds"][name] == expected
    picked = "webgpu" if any(t is not None for t in calibration["thresholds"].values()) else "numpy"
    assert calibration["picked"] == picked and info["backend"] == picked
    assert info["adapter"]["vendor"] or info["adapter"]["architecture"]
    page.get_by_test_id("engine-status").click()  # the pill opens the engine's details
    details = page.get_by_test_id("engine-details")
    assert details.is_visible()
    text = details.inner_text()
    assert "chosen by measurement" in text and info["adapter"]["vendor"] in text
    if info["adapter"]["software"]:
        assert "software adapter" in text
    # A new visit with the same adapter reuses the cached measurement instead of measuring again.
    page.reload()
    wait_engine(page)
    page.wait_for_function("pizarra.info && pizarra.info.calibration !== null", timeout=120_000)
    assert page.evaluate("pizarra.info")["calibration"] == calibration
    assert errors == []
