"""The notebook app (lite/, JupyterLite): from "Open in the browser" to the kernel idle and to the
first cell's output, cold (fresh profile) and warm (the same profile, the app kept by the service
worker), beside the page's own engine-ready time in the same visit; and the bytes it adds."""

import json
import statistics

from notebook_app import APP_CACHED, KERNEL_IDLE, PANEL, press_open_in_the_browser

from buildlib import common

TITLE = (
    "Notebook app: button → kernel idle and first output, vs the page's engine ready (backprop, median of 2)"
)
RUNS = 2
PAGE = "#/backprop"


def open_app(page, finished):
    """Press "Open in the browser"; ms to the notebook shown, the kernel idle and the first code cell's output."""
    finished.clear()
    start = page.evaluate("() => performance.timeOrigin + performance.now()")
    app = press_open_in_the_browser(page)
    since = "() => performance.timeOrigin + performance.now()"
    app.wait_for_selector(".jp-Notebook .jp-Cell", timeout=1_800_000)
    shown = app.evaluate(since) - start
    app.wait_for_function(KERNEL_IDLE, timeout=1_800_000)
    idle = app.evaluate(since) - start
    app.wait_for_function("() => window.jupyterapp.commands.isEnabled('notebook:run-cell')")
    app.evaluate(f"""() => {{ const panel = {PANEL};
        panel.content.activeCellIndex = [...panel.content.model.cells].findIndex((cell) => cell.type === 'code');
        return window.jupyterapp.commands.execute('notebook:run-cell'); }}""")
    app.wait_for_function(
        f"() => [...{PANEL}.content.model.cells].find((cell) => cell.type === 'code').outputs.length > 0",
        timeout=600_000,
    )
    output = app.evaluate(since) - start
    app_bytes = sum(  # a response from a cache has no body size (-1): nothing came over the network
        max(0, r.sizes()["responseBodySize"])
        for r in finished
        if r.service_worker is None and r.method == "GET"
    )
    app.close()
    return {"notebook_shown_ms": shown, "kernel_idle_ms": idle, "first_output_ms": output, "bytes": app_bytes}


def cold_and_warm(browser, url):
    context = browser.new_context(bypass_csp=False)
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    page.goto(url + PAGE)
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=1_800_000)
    ready = page.evaluate("() => performance.getEntriesByName('pizarra:engine-ready')[0].startTime")
    cold = open_app(page, finished)
    # The service worker keeps the rest of the app in the background once it has been opened.
    page.wait_for_function(APP_CACHED, timeout=1_800_000, polling=2000)
    warm = open_app(page, finished)
    context.close()
    return {"engine_ready_ms": ready, "cold": cold, "warm": warm}


def dist_bytes(files):
    return sum((common.DIST / rel).stat().st_size for rel in files)


def measure(browser, url):
    runs = [cold_and_warm(browser, url) for _ in range(RUNS)]
    manifest = json.loads((common.DIST / "build.json").read_text())
    median = lambda key, kind=None: statistics.median(run[kind][key] if kind else run[key] for run in runs)  # noqa: E731
    summary = {"engine_ready_ms": median("engine_ready_ms")}
    for kind in ("cold", "warm"):
        summary[kind] = {
            key: median(key, kind)
            for key in ("notebook_shown_ms", "kernel_idle_ms", "first_output_ms", "bytes")
        }
    return {
        "runs": runs,
        "summary": summary,
        "ratio_idle_cold": summary["cold"]["kernel_idle_ms"] / summary["engine_ready_ms"],
        "dist_lite_bytes": dist_bytes([f for f in manifest["lite"] if f.startswith("lite/")]),
        "dist_runtime_added_bytes": dist_bytes([f for f in manifest["lite"] if not f.startswith("lite/")]),
    }


def table(results):
    s = results["summary"]
    rows = [f"  {'':34s} {'cold':>10s} {'warm':>10s}"]
    for key, label in (
        ("notebook_shown_ms", "button → notebook shown (ms)"),
        ("kernel_idle_ms", "button → kernel idle (ms)"),
        ("first_output_ms", "button → first cell's output (ms)"),
    ):
        rows.append(f"  {label:34s} {s['cold'][key]:10.0f} {s['warm'][key]:10.0f}")
    rows += [
        f"  {'bytes the app asked for (MB)':34s} {s['cold']['bytes'] / 1e6:10.1f} {s['warm']['bytes'] / 1e6:10.1f}",
        f"  page's engine ready, same visit (ms): {s['engine_ready_ms']:.0f}; kernel idle cold / engine ready: "
        f"{results['ratio_idle_cold']:.1f}x (goal ≤ 3x)",
        f"  dist/: lite/ {results['dist_lite_bytes'] / 1e6:.1f} MB, runtime/ packages only the kernel loads "
        f"{results['dist_runtime_added_bytes'] / 1e6:.1f} MB",
    ]
    return rows
