"""Training steps of the engine's reference workloads: CPython and Pyodide in Chromium, side by side."""

import json

from . import workloads

TITLE = "One training step (forward + backward + update) on the NumPy backend, median ms"


def measure(browser, url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "?backend=numpy")
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=120_000)
    code = workloads.in_browser("json.dumps(measure())")
    in_browser = json.loads(page.evaluate("code => pizarra.run(code, {timeoutMs: 900000})", code))
    context.close()
    return {"pyodide_chromium": in_browser, "cpython": workloads.measure()}


def table(results):
    lines = [f"  {'workload':24s} {'CPython':>10s} {'Pyodide':>10s} {'Pyodide/CPython':>16s}"]
    for name, native in results["cpython"].items():
        browser_ms = results["pyodide_chromium"][name]
        lines.append(f"  {name:24s} {native:10.1f} {browser_ms:10.1f} {browser_ms / native:15.1f}x")
    return lines
