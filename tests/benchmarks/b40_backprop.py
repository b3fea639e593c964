"""Backprop page: the course's graph on screen (precomputed at load, then traced by Python and
drawn), and training throughput of the lab's 2-8-8-1 network in Pyodide and in CPython."""

import statistics
import time

from pizarra.backprop.lab import Config, TrainingRun

TITLE = "Backprop page: graph latency (ms) and lab training (steps/s, 2-8-8-1, batch 32)"
LAB = {"dataset": "rain", "depth": 2, "width": 8, "activation": "tanh", "optimizer": "adam", "batch_size": 32}
STEPS = 500

REDRAW = """async (expression) => {
  const input = document.querySelector("[data-testid=expression-input]");
  const graph = document.querySelector("[data-testid=graph]");
  const times = [];
  for (let i = 0; i < 12; i++) {
    input.value = i % 2 ? expression : expression + " ";
    const drawn = new Promise((resolve) => new MutationObserver((_, o) => { o.disconnect(); resolve(); }).observe(graph, { childList: true }));
    const start = performance.now();
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter" }));
    await drawn;
    times.push(performance.now() - start);
  }
  return times.slice(2);
}"""

TRACE = """async (expression) => {
  const times = [];
  for (let i = 0; i < 12; i++) {
    const start = performance.now();
    await pizarra.call("backprop_graph", { expression_text: expression, values: { x: 3, y: -4, z: 2, w: 0 } });
    times.push(performance.now() - start);
  }
  return times.slice(2);
}"""

TRAIN = """async ([config, steps]) => {
  await pizarra.call("backprop_lab_start", config);
  await pizarra.call("backprop_lab_train", { steps: 20 });   // warm up
  const start = performance.now();
  await pizarra.call("backprop_lab_train", { steps });
  return steps / ((performance.now() - start) / 1000);
}"""


def measure(browser, url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "#/backprop")
    page.locator("[data-testid=graph] g.backprop-node").first.wait_for(timeout=60_000)
    first_graph_ms = page.evaluate("performance.now()")
    engine_ready_ms = None
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=120_000)
    engine_ready_ms = page.evaluate(
        "performance.getEntriesByName('pizarra:engine-ready')[0]?.startTime ?? null"
    )
    page.locator("[data-testid=graph-source][data-source=python]").wait_for(timeout=60_000)
    expression = "((x * y) + max(z, w)) * 2"
    redraw = page.evaluate(REDRAW, expression)
    trace = page.evaluate(TRACE, expression)
    browser_steps = page.evaluate(TRAIN, [LAB, STEPS])
    context.close()

    run = TrainingRun(Config(**LAB))
    run.run(20)
    start = time.perf_counter()
    run.run(STEPS)
    cpython_steps = STEPS / (time.perf_counter() - start)
    return {
        "precomputed_graph_on_screen_ms": first_graph_ms,
        "engine_ready_ms": engine_ready_ms,
        "python_trace_ms": statistics.median(trace),
        "trace_and_draw_ms": statistics.median(redraw),
        "train_steps_per_s": {"pyodide_chromium": browser_steps, "cpython": cpython_steps},
    }


def table(results):
    steps = results["train_steps_per_s"]
    return [
        f"  {'default graph on screen after load (precomputed, before Python)':66s} {results['precomputed_graph_on_screen_ms']:8.0f} ms",
        f"  {'engine ready after load':66s} {results['engine_ready_ms'] or float('nan'):8.0f} ms",
        f"  {'trace the default graph in Python (bridge round trip)':66s} {results['python_trace_ms']:8.1f} ms",
        f"  {'trace and draw the default graph (Enter → SVG on screen)':66s} {results['trace_and_draw_ms']:8.1f} ms",
        f"  {'lab training, 2-8-8-1, Pyodide in Chromium':66s} {steps['pyodide_chromium']:8.0f} steps/s",
        f"  {'lab training, 2-8-8-1, CPython':66s} {steps['cpython']:8.0f} steps/s",
    ]
