"""`python3 build.py bench`: measurements side by side in one run; prints a table, writes JSON.

Nothing here asserts a time: these are measurements to compare, not tests.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
import build  # noqa: E402
from conftest import CHROMIUM_ARGS  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

import numpy as np  # noqa: E402
import pizarra.bench  # noqa: E402

LOAD_RUNS = 5


def cold_load(browser, url):
    """One visit in a fresh profile: first contentful paint, engine ready, bytes over the wire."""
    context = browser.new_context()
    page = context.new_page()
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=120_000)
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")
    ready = page.evaluate("performance.getEntriesByName('pizarra:engine-ready')[0].startTime")
    transferred = 0
    for request in finished:
        sizes = request.sizes()
        transferred += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return {"first_paint_ms": paint, "engine_ready_ms": ready, "bytes": transferred}


def engine_in_browser(browser, url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=120_000)
    code = "import json\nfrom pizarra import bench\njson.dumps(bench.measure())"
    result = json.loads(page.evaluate("code => pizarra.run(code, {timeoutMs: 900000})", code))
    context.close()
    return result


def median(runs, key):
    return statistics.median(run[key] for run in runs)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    results = {"machine": {"python": platform.python_version(), "numpy": np.__version__, "cpus": __import__("os").cpu_count(),
                           "when": time.strftime("%Y-%m-%d %H:%M:%S")}}
    with build.serving(build.DIST) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(build.CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        results["machine"]["chromium"] = browser.version
        runs = [cold_load(browser, url) for _ in range(LOAD_RUNS)]
        results["load"] = {"runs": runs, "first_paint_ms": median(runs, "first_paint_ms"),
                           "engine_ready_ms": median(runs, "engine_ready_ms"), "bytes": median(runs, "bytes")}
        results["engine_step_ms"] = {"pyodide_chromium": engine_in_browser(browser, url), "cpython": pizarra.bench.measure()}
        browser.close()

    load = results["load"]
    print(f"\nPizarra bench — {results['machine']['when']}, {results['machine']['cpus']} cores, Chromium {results['machine']['chromium']}")
    print(f"\nCold load, fresh profile, median of {LOAD_RUNS}")
    print(f"  first contentful paint   {load['first_paint_ms']:8.0f} ms   (goal < 300 ms)")
    print(f"  engine ready             {load['engine_ready_ms']:8.0f} ms   (goal < 3500 ms)")
    print(f"  bytes transferred        {load['bytes'] / 1e6:8.1f} MB")
    steps = results["engine_step_ms"]
    print("\nOne training step (forward + backward + update), median ms")
    print(f"  {'workload':24s} {'CPython':>10s} {'Pyodide':>10s} {'Pyodide/CPython':>16s}")
    for name, native in steps["cpython"].items():
        browser_ms = steps["pyodide_chromium"][name]
        print(f"  {name:24s} {native:10.1f} {browser_ms:10.1f} {browser_ms / native:15.1f}x")
    args.output.write_text(json.dumps(results, indent=1))
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
