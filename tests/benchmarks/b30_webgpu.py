"""WebGPU against NumPy: matmul GFLOP/s (WebGPU, NumPy in Pyodide, native NumPy), one training step
of LeNet-5 and of the LSTM on each backend, the calibration's choice, and the adapter they ran on."""

import json
import time

import numpy as np

from . import workloads

TITLE = "WebGPU backend: matmul GFLOP/s, training steps per backend, calibration (adapter recorded)"
SIZES = (128, 256, 512, 1024, 2048)
BUDGET_S = 2.0  # per size and backend: repetitions stop once this much time is spent (at least one)

# Run after workloads.py's own code (WORKLOADS): see workloads.in_browser.
IN_BROWSER = r"""
import json, time
import numpy as np
from pizarra import backend
from pizarra.backend import launchers
from pizarra.backend.device import device
from pizarra.backend.gpu_array import to_device

BUDGET_S = %(budget)r
dev = device()
rng = np.random.default_rng(0)
result = {"matmul": {}, "steps": {}}

def timed(run, finish=lambda: None):
    run(); finish()                      # warm-up (compiles the kernels)
    count, start = 0, time.perf_counter()
    while True:
        run(); count += 1
        if time.perf_counter() - start > BUDGET_S / 2 or count >= 20:
            break
    finish()
    return (time.perf_counter() - start) / count, count

for n in %(sizes)r:
    a, b = rng.standard_normal((n, n), dtype=np.float32), rng.standard_normal((n, n), dtype=np.float32)
    flops = 2 * n ** 3
    seconds, reps = timed(lambda: a @ b)
    row = {"numpy_pyodide": flops / seconds / 1e9, "numpy_reps": reps}
    ga, gb = to_device(a), to_device(b)            # resident: the upload is not part of the product
    last = []
    seconds, reps = timed(lambda: last.__setitem__(slice(None), [launchers.matmul(ga, gb)]),
                          lambda: last and dev.read(last[0].storage, 0, 1))
    row.update(webgpu=flops / seconds / 1e9, webgpu_reps=reps)
    row["max_abs_err"] = float(np.abs(last[0].get() - a @ b).max()) if n <= 512 else None
    result["matmul"][n] = row

for workload in ("lenet5_b64", "lstm_h256_b32_t64"):
    result["steps"][workload] = {}
    for name in ("numpy", "webgpu"):
        old = backend.use(name)
        try:
            step = WORKLOADS[workload]()
            step()                                      # warm-up; the parameters move to the GPU here
            before = dev.stats()["readbacks"]
            times = []
            for _ in range(2):
                start = time.perf_counter()
                step()
                times.append((time.perf_counter() - start) * 1000)
            result["steps"][workload][name] = {"ms": min(times), "readbacks_per_step": (dev.stats()["readbacks"] - before) / 2}
        finally:
            backend.use(old)
json.dumps(result)
"""


def _native_matmul():
    rng = np.random.default_rng(0)
    out = {}
    for n in SIZES:
        a, b = rng.standard_normal((n, n), dtype=np.float32), rng.standard_normal((n, n), dtype=np.float32)
        a @ b
        count, start = 0, time.perf_counter()
        while True:
            a @ b
            count += 1
            if time.perf_counter() - start > BUDGET_S / 2 or count >= 50:
                break
        out[n] = 2 * n**3 * count / (time.perf_counter() - start) / 1e9
    return out


def measure(browser, url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "?backend=webgpu#/")
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=120_000)
    info = page.evaluate("pizarra.info")
    code = workloads.in_browser(IN_BROWSER % {"budget": BUDGET_S, "sizes": SIZES})
    browser_results = json.loads(page.evaluate("code => pizarra.run(code, {timeoutMs: 1800000})", code))
    context.close()
    # The default (auto) choice on this machine, in a fresh profile: calibration runs once.
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("window.pizarra?.info?.calibration", timeout=300_000)
    auto = page.evaluate("pizarra.info")
    context.close()
    return {
        "adapter": info["adapter"],
        "matmul_native_gflops": _native_matmul(),
        **browser_results,
        "calibration": auto["calibration"],
        "auto_backend": auto["backend"],
    }


def table(results):
    adapter = results["adapter"] or {}
    lines = [
        f"  adapter: {adapter.get('vendor')} {adapter.get('architecture')}"
        f"{' (software adapter)' if adapter.get('software') else ''}  {adapter.get('description') or ''}".rstrip()
    ]
    lines.append(f"  {'matmul n':>9s} {'WebGPU':>10s} {'NumPy/Pyodide':>14s} {'NumPy native':>13s}   GFLOP/s")
    for n in SIZES:
        row = results["matmul"][str(n)] if str(n) in results["matmul"] else results["matmul"][n]
        native = results["matmul_native_gflops"].get(n, results["matmul_native_gflops"].get(str(n)))
        lines.append(f"  {n:9d} {row['webgpu']:10.2f} {row['numpy_pyodide']:14.2f} {native:13.2f}")
    lines.append(f"  {'training step':24s} {'NumPy':>10s} {'WebGPU':>10s}   ms (readbacks per WebGPU step)")
    for workload, by in results["steps"].items():
        lines.append(
            f"  {workload:24s} {by['numpy']['ms']:10.1f} {by['webgpu']['ms']:10.1f}"
            f"   ({by['webgpu']['readbacks_per_step']:.0f})"
        )
    calibration = results["calibration"]
    lines.append(
        f"  calibration picked: {calibration['picked']} (auto backend in use: {results['auto_backend']}), "
        f"thresholds {calibration['thresholds']}, measured in {calibration['seconds']} s"
    )
    for name, rows in calibration["measurements"].items():
        lines.append(
            "    "
            + name
            + ": "
            + ", ".join(
                f"size {r['size']:.3g}: NumPy {r['numpy_ms']} ms / WebGPU {r['webgpu_ms']} ms" for r in rows
            )
        )
    return lines
