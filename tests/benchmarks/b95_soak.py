"""Soak: memory after repeated use, which should stay flat — every page mounted round after round
(each running the calls it makes when it opens), then 300 CNN predictions in a row. Measured after
garbage collection: the page's JavaScript heap, Python's live objects and the engine's WebAssembly
memory (which never shrinks: it shows the high-water mark)."""

import base64

from page_registry import ADDRESSES

TITLE = "Soak: memory after repeated use (every page, round after round; then 300 CNN predictions)"
ROUNDS = 5
PREDICTIONS = 300
IDLE_TIMEOUT_MS = 60_000
# A 28×28 digit "1": a vertical bar, as MNIST's uint8 ink.
DIGIT_ONE = base64.b64encode(
    bytes(255 if 12 <= x <= 15 and 4 <= y <= 23 else 0 for y in range(28) for x in range(28))
).decode()
PYTHON_MEMORY = (
    "import gc, pyodide_js; gc.collect(); [len(gc.get_objects()), pyodide_js._module.HEAP8.length]"
)


def sample(page, cdp):
    cdp.send("HeapProfiler.collectGarbage")
    objects, wasm = page.evaluate(f"pizarra.run({PYTHON_MEMORY!r})")
    return {
        "js_heap_mb": cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6,
        "python_objects": objects,
        "wasm_mb": wasm / 1e6,
    }


def open_page(page, url, hash_):
    page.goto(url + hash_)
    mounted = hash_[2:] or "home"
    page.wait_for_function(f"() => document.querySelector('main')?.dataset.page === '{mounted}'")
    # The calls the page makes as it opens (a page may keep calling, e.g. to animate: then move on).
    try:
        page.wait_for_function("() => pizarra.pending.size === 0 && !pizarra.busy", timeout=IDLE_TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - a page still busy is measured as it is
        pass


def measure(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    page.goto(url)
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=180_000)
    rounds = []
    for _ in range(ROUNDS):
        for hash_ in ADDRESSES:
            open_page(page, url, hash_)
        rounds.append(sample(page, cdp))
    open_page(page, url, "#/cnn")
    predictions = [sample(page, cdp)]
    page.evaluate(
        f"async (digit) => {{ for (let i = 0; i < {PREDICTIONS}; i++) await pizarra.call('cnn_predict', {{digit}}); }}",
        DIGIT_ONE,
    )
    predictions.append(sample(page, cdp))
    context.close()
    return {"rounds": rounds, "predictions": predictions}


def table(results):
    rows = [
        (f"after round 1 of {ROUNDS} (every page)", results["rounds"][0]),
        (f"after round {ROUNDS}", results["rounds"][-1]),
        (f"before {PREDICTIONS} CNN predictions", results["predictions"][0]),
        (f"after {PREDICTIONS} CNN predictions", results["predictions"][-1]),
    ]
    lines = [f"  {'':36s} {'JS heap (MB)':>13s} {'Python objects':>15s} {'wasm memory (MB)':>17s}"]
    for label, s in rows:
        lines.append(
            f"  {label:36s} {s['js_heap_mb']:13.2f} {s['python_objects'] / 1e3:14.1f}K {s['wasm_mb']:17.1f}"
        )
    return lines
