"""Cold load in a fresh browser profile: first paint, engine ready, bytes transferred."""

import statistics

TITLE = "Cold load, fresh profile, median of 5"
RUNS = 5


def cold_load(browser, url):
    context = browser.new_context()
    page = context.new_page()
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=120_000)
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")
    ready = page.evaluate("performance.getEntriesByName('pizarra:engine-ready')[0].startTime")
    stages = page.evaluate("pizarra.bootStages")
    # What the visit itself needed: the service worker's precache for offline use comes after ready,
    # and a HEAD response has no body, whatever its Content-Length says.
    visit = [r for r in finished if r.service_worker is None]
    transferred = sum(r.sizes()["responseHeadersSize"] + (r.sizes()["responseBodySize"] if r.method != "HEAD" else 0)
                      for r in visit)
    context.close()
    return {"first_paint_ms": paint, "engine_ready_ms": ready, "bytes": transferred, "worker_stages_ms": stages}


def measure(browser, url):
    runs = [cold_load(browser, url) for _ in range(RUNS)]
    median = lambda key: statistics.median(run[key] for run in runs)  # noqa: E731
    return {"runs": runs, "first_paint_ms": median("first_paint_ms"), "engine_ready_ms": median("engine_ready_ms"),
            "bytes": median("bytes")}


def table(results):
    stages = results["runs"][len(results["runs"]) // 2]["worker_stages_ms"]
    return [
        f"  first contentful paint   {results['first_paint_ms']:8.0f} ms   (goal < 300 ms)",
        f"  engine ready             {results['engine_ready_ms']:8.0f} ms   (goal < 3500 ms)",
        f"  bytes transferred        {results['bytes'] / 1e6:8.1f} MB",
        "  worker stages (ms from worker start): " + ", ".join(f"{k} {v}" for k, v in stages.items()),
    ]
