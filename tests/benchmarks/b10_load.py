"""Load: Pizarra's engine against a bare Pyodide + NumPy page built from the same runtime files,
cold (fresh profile) and on a return visit (same profile, second load), side by side."""

import contextlib
import statistics
import tempfile
from pathlib import Path

from buildlib import common, server

TITLE = "Load: engine ready vs a bare Pyodide + NumPy page (same runtime files), median of 5"
RUNS = 5

# The baseline: what any site that runs NumPy in Pyodide must do (boot, load NumPy, import it),
# in a module worker like Pizarra's, with the same files from the same kind of server.
BARE_PAGE = """<!doctype html><meta charset="utf-8"><title>bare</title><script type="module">
const worker = new Worker("worker.js", { type: "module" });
worker.onmessage = ({ data }) => { performance.mark("pizarra:engine-ready"); document.documentElement.dataset.engine = "ready"; window.stages = data; };
</script>"""
BARE_WORKER = """import { loadPyodide } from "./runtime/pyodide.mjs";
const started = performance.now(), stages = {};
const pyodide = await loadPyodide({ indexURL: new URL("./runtime/", import.meta.url).href });
stages.python = Math.round(performance.now() - started);
await pyodide.loadPackage(["numpy"], { messageCallback: () => {} });
stages.packages = Math.round(performance.now() - started);
pyodide.runPython("import numpy");
stages.import = Math.round(performance.now() - started);
postMessage(stages);
"""


@contextlib.contextmanager
def bare_site():
    """The baseline page served from a folder whose runtime/ is the built site's."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "index.html").write_text(BARE_PAGE)
        (root / "worker.js").write_text(BARE_WORKER)
        (root / "runtime").symlink_to(common.DIST / "runtime", target_is_directory=True)
        with server.serving(root) as url:
            yield url


def visit(page, url, finished):
    """One load to engine ready: first paint, ready time, worker stages and bytes of this visit."""
    finished.clear()
    page.goto(url)
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=180_000)
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")
    ready = page.evaluate("performance.getEntriesByName('pizarra:engine-ready')[0].startTime")
    stages = page.evaluate("window.pizarra?.bootStages ?? window.stages")
    # What the visit itself needed: the service worker's precache for offline use comes after ready,
    # and a HEAD response has no body, whatever its Content-Length says.
    own = [r for r in finished if r.service_worker is None]
    transferred = sum(
        r.sizes()["responseHeadersSize"] + (r.sizes()["responseBodySize"] if r.method != "HEAD" else 0)
        for r in own
    )
    return {
        "first_paint_ms": paint,
        "engine_ready_ms": ready,
        "bytes": transferred,
        "worker_stages_ms": stages,
    }


def cold_and_return(browser, url, offline_cache):
    """A fresh profile loads the page, waits for its offline cache to settle, then loads it again.
    Under the site's real content policy (Playwright evaluates functions, never strings, here)."""
    context = browser.new_context(bypass_csp=False)
    page = context.new_page()
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    cold = visit(page, url, finished)
    if offline_cache:  # Pizarra's service worker precaches after ready: the return visit is served by it
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_timeout(500)
    again = visit(page, url, finished)
    context.close()
    return {"cold": cold, "return": again}


def measure(browser, url):
    results = {}
    with bare_site() as bare_url:
        # Interleaved, so that a machine busier at one moment weighs on both alike.
        for _ in range(RUNS):
            for name, address in (("bare", bare_url), ("pizarra", url)):
                results.setdefault(name, []).append(
                    cold_and_return(browser, address, offline_cache=name == "pizarra")
                )
    summary = {}
    for name, runs in results.items():
        summary[name] = {
            visit_kind: {
                key: statistics.median(run[visit_kind][key] for run in runs)
                for key in ("engine_ready_ms", "bytes")
            }
            for visit_kind in ("cold", "return")
        }
        summary[name]["first_paint_ms"] = statistics.median(
            run["cold"]["first_paint_ms"] or 0 for run in runs
        )
    return {
        "runs": results,
        "summary": summary,
        "ratio_cold": summary["pizarra"]["cold"]["engine_ready_ms"]
        / summary["bare"]["cold"]["engine_ready_ms"],
        # like for like: each page's second visit in the same profile
        "ratio_return": summary["pizarra"]["return"]["engine_ready_ms"]
        / summary["bare"]["return"]["engine_ready_ms"],
    }


def table(results):
    s = results["summary"]
    middle = results["runs"]["pizarra"][len(results["runs"]["pizarra"]) // 2]
    bare_middle = results["runs"]["bare"][len(results["runs"]["bare"]) // 2]
    return [
        f"  {'':28s} {'bare Pyodide+NumPy':>20s} {'Pizarra':>10s} {'ratio':>8s}   goal",
        f"  {'engine ready, cold (ms)':28s} {s['bare']['cold']['engine_ready_ms']:20.0f} {s['pizarra']['cold']['engine_ready_ms']:10.0f}"
        f" {results['ratio_cold']:7.2f}x   ≤ 1.0x",
        f"  {'engine ready, return (ms)':28s} {s['bare']['return']['engine_ready_ms']:20.0f} {s['pizarra']['return']['engine_ready_ms']:10.0f}"
        f" {results['ratio_return']:7.2f}x   ≤ 0.6x",
        f"  {'bytes, cold (MB)':28s} {s['bare']['cold']['bytes'] / 1e6:20.1f} {s['pizarra']['cold']['bytes'] / 1e6:10.1f}",
        f"  {'first contentful paint (ms)':28s} {'':20s} {s['pizarra']['first_paint_ms']:10.0f}",
        "  Pizarra worker stages, cold (ms from worker start): "
        + ", ".join(f"{k} {v}" for k, v in middle["cold"]["worker_stages_ms"].items()),
        "  bare worker stages, cold (ms from worker start): "
        + ", ".join(f"{k} {v}" for k, v in bare_middle["cold"]["worker_stages_ms"].items()),
    ]
