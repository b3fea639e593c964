"""CNN digits page: stroke-to-probabilities latency in the browser (mouse strokes, measured by the
page from pointer-up to the bars updated), and LeNet-5 training examples/s in the browser on each
backend the engine has, against CPython, through the page's own engine calls."""

import base64
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from buildlib import datasets  # noqa: E402
from pizarra.demos import cnn  # noqa: E402

TITLE = "CNN digits: stroke → probabilities latency (ms), LeNet-5 training examples/s per backend"
STROKES = 30
TRAIN_BUDGET_MS = 4000
SETTINGS = {"mode": "finetune", "seed": 0, "lr": 0.002, "batch_size": 64, "epochs": 1, "augment": True}

IN_BROWSER = r"""
import json
from pizarra import backend
from pizarra.demos import cnn
previous = backend.current()
result = {"default": previous.name}
for name in ("numpy", "webgpu", "auto"):
    try:
        backend.use(name)
    except ValueError:
        continue
    try:
        cnn.cnn_train_start(**%(settings)r)
        cnn.cnn_train_steps(budget_ms=0)  # warm-up (kernels, first allocations)
        result[name] = cnn.cnn_train_steps(budget_ms=%(budget)r)["examples_per_second"]
    except Exception as error:  # a backend that fails is reported, not fatal
        result[name] = f"failed: {error}"[:200]
    finally:
        backend.use(previous)
json.dumps(result)
"""


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _latency(page):
    box = page.get_by_test_id("digit-canvas").bounding_box()
    for i in range(STROKES):
        page.get_by_test_id("clear").click()
        s, dx, dy = 0.5 + 0.4 * (i % 3) / 2, 0.1 * ((i % 5) - 2), 0.08 * ((i % 4) - 1.5)
        points = [(0.25, 0.2), (0.75, 0.2), (0.4, 0.85)]
        points = [
            (
                box["x"] + (0.5 + (x - 0.5) * s + dx) * box["width"],
                box["y"] + (0.5 + (y - 0.5) * s + dy) * box["height"],
            )
            for x, y in points
        ]
        page.mouse.move(*points[0])
        page.mouse.down()
        for p in points[1:]:
            page.mouse.move(*p, steps=8)
        page.mouse.up()
        page.wait_for_function(
            f"performance.getEntriesByName('cnn:stroke-to-probabilities').length >= {i + 1}", timeout=30_000
        )
    return page.evaluate("performance.getEntriesByName('cnn:stroke-to-probabilities').map(e => e.duration)")


def _cpython_examples_per_second():
    """CPython's examples/s in a fresh process, with BLAS's default threads and with one thread:
    on a loaded 2-core machine, BLAS threads that spin-wait cost up to 6x (measured here)."""
    out = {}
    for label, extra in (
        ("blas_default", {}),
        ("blas_1_thread", {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}),
    ):
        result = subprocess.run(
            [sys.executable, __file__],
            env={**os.environ, **extra},
            capture_output=True,
            text=True,
            check=True,
        )
        out[label] = float(result.stdout.strip().splitlines()[-1])
    return out


def _train_here():
    folder = datasets.mnist_dir()
    labels = json.loads((folder / "mnist.json").read_text())["labels"]["train"]
    cnn.cnn_load_data("train", base64.b64encode((folder / "mnist-train.png").read_bytes()).decode(), labels)
    cnn.cnn_train_start(**SETTINGS)
    cnn.cnn_train_steps(budget_ms=0)
    return cnn.cnn_train_steps(budget_ms=TRAIN_BUDGET_MS)["examples_per_second"]


def measure(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url + "#/cnn")
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=120_000)
    page.locator("[data-testid=layers] .thumb").first.wait_for(timeout=120_000)
    latencies = _latency(page)
    page.evaluate("async () => (await import('./js/pages/cnn/data.js')).loadSplit(pizarra, 'train')")
    code = IN_BROWSER % {"settings": SETTINGS, "budget": TRAIN_BUDGET_MS}
    training = json.loads(page.evaluate("code => pizarra.run(code, {timeoutMs: 600000})", code))
    context.close()
    return {
        "latency_ms": {
            "median": statistics.median(latencies),
            "p95": percentile(latencies, 0.95),
            "n": len(latencies),
        },
        "train_examples_per_second": {"browser": training, "cpython": _cpython_examples_per_second()},
    }


def table(results):
    latency = results["latency_ms"]
    lines = [
        f"  stroke end → bars updated (the same engine call brings every layer's maps), {latency['n']} strokes: "
        f"median {latency['median']:.1f} ms, p95 {latency['p95']:.1f} ms"
    ]
    training = results["train_examples_per_second"]
    cpython = training["cpython"]
    lines.append(
        f"  LeNet-5 training (batch 64, augmentation), examples/s: CPython {cpython['blas_default']:.0f} "
        f"(BLAS default threads), {cpython['blas_1_thread']:.0f} (one BLAS thread)"
    )
    browser = training["browser"]
    for name, value in browser.items():
        if name == "default":
            continue
        shown = f"{value:.0f}" if isinstance(value, (int, float)) else value
        lines.append(
            f"    in the browser, backend {name}{' (the engine’s choice)' if name == browser['default'] else ''}: {shown}"
        )
    return lines


if __name__ == "__main__":  # the CPython measurement, run in its own process by _cpython_examples_per_second
    print(_train_here())
