"""The WebGPU backend in headless Chromium (SwiftShader here), as the engine uses it: full training
steps against NumPy with one readback per step, the optimisers' fused kernels, the backend choice
(which never delays a call), and failures (NumPy carries on from the GPU's last state). The kernels
one by one: test_webgpu_kernels.py.

Tolerances (float32, against NumPy in the same Pyodide): training steps (loss, gradients,
parameters) relative 1e-4 of the largest entry of each array; the optimisers' updates 1e-5.
"""

import json

import pytest
from conftest import wait_engine

TRAINING = r"""
import json, numpy as np
import pizarra
from pizarra import nn, optim, backend
from pizarra.nn import functional as F
from pizarra.cnn import LeNet5
from pizarra.backend.device import device
from pizarra.backend.gpu_array import GPUArray

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

def train(kind, name, steps=3):
    old = backend.use(name)
    try:
        opt, loss_fn, params = make(kind)
        losses, readbacks, fallbacks = [], [], []
        for _ in range(steps):
            before, seen = device().stats()["readbacks"], len(device().fallbacks)
            opt.zero_grad()
            loss = loss_fn()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            readbacks.append(device().stats()["readbacks"] - before)
            fallbacks += device().fallbacks[seen:]
        resident = all(isinstance(p.data, GPUArray) and isinstance(p.grad, GPUArray) for p in params) if name == "webgpu" else None
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
"""

OPTIMISERS = r'''
import json, numpy as np
import pizarra
from pizarra import nn, optim, backend
from pizarra.nn import functional as F
from pizarra.backend.device import device

class Unfused:
    """The same optimiser, updating GPU parameters by its formula's element-wise kernels."""
    def update_on_gpu(self, theta, grad, state, group):
        optim.Optimizer.update_on_gpu(self, theta, grad, state, group)

def train(make_optimizer, name, steps=3):
    old = backend.use(name)
    try:
        pizarra.manual_seed(0)
        model = nn.Sequential(nn.Linear(12, 9), nn.Tanh(), nn.Linear(9, 4))
        rng = np.random.default_rng(2)
        x, y = pizarra.tensor(rng.standard_normal((10, 12)).astype(np.float32)), pizarra.tensor(rng.integers(0, 4, 10))
        params = list(model.parameters())
        opt = make_optimizer(params)
        dispatches = []
        for _ in range(steps):
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            before = device().stats()["dispatches"]
            opt.step()
            dispatches.append(device().stats()["dispatches"] - before)
        return [np.asarray(p.data) for p in params], dispatches
    finally:
        backend.use(old)

settings = {"SGD": dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01), "Adam": dict(lr=0.01, weight_decay=0.01)}
result = {}
for name, hyper in settings.items():
    fused_class = getattr(optim, name)
    unfused_class = type("Unfused" + name, (Unfused, fused_class), {})
    reference, _ = train(lambda params: fused_class(params, **hyper), "numpy")
    fused, fused_dispatches = train(lambda params: fused_class(params, **hyper), "webgpu")
    unfused, unfused_dispatches = train(lambda params: unfused_class(params, **hyper), "webgpu")
    error = lambda values: max(float(np.abs(a - b).max() / np.abs(a).max()) for a, b in zip(reference, values))
    result[name] = {"parameters": len(reference), "fused_error": error(fused), "unfused_error": error(unfused),
                    "fused_dispatches": fused_dispatches, "unfused_dispatches": unfused_dispatches}
json.dumps(result)
'''

# Training that a lost device interrupts: the model, its optimisers' state and the data live in the
# console session between calls.
SESSION = r"""
import json
import numpy as np, pizarra
from pizarra import nn, optim, backend
from pizarra.nn import functional as F
from pizarra.backend.gpu_array import GPUArray

def models():
    pizarra.manual_seed(0)
    made = {}
    for name in ("SGD", "Adam"):
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
        opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9) if name == "SGD" else optim.Adam(model.parameters(), lr=0.02)
        made[name] = (model, opt)
    return made

rng = np.random.default_rng(3)
x, y = pizarra.tensor(rng.standard_normal((12, 8)).astype(np.float32)), pizarra.tensor(rng.integers(0, 3, 12))

def train(made, steps):
    losses = {}
    for name, (model, opt) in made.items():
        losses[name] = []
        for _ in range(steps):
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            losses[name].append(loss.item())
    return losses

def on_gpu(made):
    arrays = [p.data for model, _ in made.values() for p in model.parameters()]
    arrays += [v for _, opt in made.values() for state in opt.state.values() for v in state.values() if not isinstance(v, int)]
    return [isinstance(a, GPUArray) for a in arrays]
"""


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


def test_training_steps_match_numpy_with_one_readback(gpu_page):
    result = run(gpu_page, TRAINING)
    for kind, r in result.items():
        for a, b in zip(r["loss_numpy"], r["loss_webgpu"]):
            assert abs(a - b) <= 1e-4 * max(1.0, abs(a)), (kind, r)
        assert r["grad_rel_err"] <= 1e-4, (kind, r)
        assert r["param_rel_err"] <= 1e-4, (kind, r)
        assert r["readbacks"] == [1, 1, 1], (kind, r)  # the loss, nothing else
        assert r["fallbacks"] == [], (kind, r)
        assert r["resident"] is True, (kind, r)


def test_optimisers_update_gpu_parameters_with_one_fused_kernel_each(gpu_page):
    result = run(gpu_page, OPTIMISERS)
    for name, r in result.items():
        assert r["fused_error"] <= 1e-5 and r["unfused_error"] <= 1e-5, (name, r)
        # The first step starts from parameters in main memory (the formula's kernels); from then on
        # they live on the GPU and each one takes one kernel, fewer than the formula's.
        assert r["fused_dispatches"][1:] == [r["parameters"]] * 2, (name, r)
        assert all(u > f for u, f in zip(r["unfused_dispatches"][1:], r["fused_dispatches"][1:])), (name, r)


def test_training_goes_on_on_numpy_after_the_device_is_lost(browser, site):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(site + "?backend=webgpu#/")
    wait_engine(page)
    run_code = lambda code: page.evaluate("c => pizarra.run(c)", code)  # noqa: E731
    run_code(SESSION + "\nmade = models()")
    before = run_code("json.dumps([backend.current().name, train(made, 3), on_gpu(made)])")
    assert page.evaluate("pizarra.gpu('destroy-device')") is True
    after = run_code("json.dumps([backend.current().name, train(made, 3), on_gpu(made)])")
    # The same six steps on NumPy from the start, in the same session.
    reference = run_code("reference = models()\njson.dumps(train(reference, 6))")
    final = run_code(
        "json.dumps([float(np.abs(np.asarray(p.data) - q.data).max()) for name in made "
        "for p, q in zip(made[name][0].parameters(), reference[name][0].parameters())])"
    )
    before, after, reference, final = (json.loads(v) for v in (before, after, reference, final))
    assert before[0] == "webgpu" and all(before[2]), before
    assert after[0] == "numpy" and not any(after[2]), after
    for name in ("SGD", "Adam"):
        losses = before[1][name] + after[1][name]
        assert all(abs(a - b) <= 1e-4 * max(1.0, abs(b)) for a, b in zip(losses, reference[name])), (
            name,
            losses,
            reference,
        )
    assert max(final) <= 1e-4, final
    assert page.evaluate("pizarra.info")["fallback_reason"] == "lost"
    context.close()


def test_device_loss_leaves_the_page_working_on_numpy(browser, site):
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(site + "?backend=webgpu#/")
    wait_engine(page)
    code = (
        "import numpy as np, pizarra\nfrom pizarra import backend\n"
        "x = pizarra.tensor(np.arange(6, dtype=np.float32).reshape(2, 3), requires_grad=True)\n"
        "loss = (x @ x.T).sum()\nloss.backward()\n"
        "[backend.current().name, loss.item(), x.grad.tolist()]"
    )
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
    page.wait_for_function(
        "document.querySelector('[data-testid=engine-status]').dataset.fallback === 'lost'"
    )
    assert "Se perdió la GPU" in page.get_by_test_id("engine-details").text_content()
    assert "Se perdió la GPU" in page.get_by_test_id("notice-warning").inner_text()
    context.close()


def test_shader_compile_error_falls_back_to_numpy(browser, site):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(site + "?backend=webgpu#/")
    wait_engine(page)
    assert page.evaluate("pizarra.gpu('break-shaders')") is True
    code = (
        "import numpy as np, pizarra\nfrom pizarra import backend\n"
        "t = pizarra.tensor(np.full((3, 4), 2, np.float32))\n[backend.current().name, (t @ t.T).sum().item()]"
    )
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


def test_a_call_right_after_ready_is_answered_before_the_calibration(new_page, site):
    page, errors = new_page(locale="en-GB")
    page.goto(site)  # the auto backend, in a fresh profile: nothing measured yet
    wait_engine(page)
    info = page.evaluate("pizarra.call('engine_info')")
    assert info["backend_mode"] == "auto" and info["gpu"] == "ready", info
    # Answered on NumPy while the measurement is still to be made (it takes several seconds here).
    assert info["calibrating"] is True and info["calibration"] is None and info["backend"] == "numpy", info
    page.wait_for_function("pizarra.info && pizarra.info.calibration !== null", timeout=120_000)
    assert page.evaluate("pizarra.info")["calibrating"] is False
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
