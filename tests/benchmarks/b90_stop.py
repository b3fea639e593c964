"""Stop latency of every long operation (issue 14's goal: Stop answers within 0.5 s), on the real
pages with their real work: the operation is started, Stop is clicked while an engine call of it
runs, and three times are taken from the click — the operation's UI idle again (the in-flight call
rejected at once), the engine free (a call made right after the click is answered: Python was
interrupted at a step boundary, see pizarra.training.uninterrupted), and the page saying what it
kept (its follow-up calls included: keeping the vectors, the test digits, a last sample)."""

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "pysrc"))
from pizarra.embeddings import storage  # noqa: E402

TITLE = (
    "Stop latency per long operation: click → UI idle, → engine free, → page says what it kept (ms, median)"
)
TRIES = 5
DELAYS_MS = [
    40,
    160,
    90,
    220,
    120,
]  # after the call is seen in flight: the click lands at different points of it
UPLOAD_WORDS = 6000  # of the committed GloVe set, uploaded as a text file: its evaluation takes seconds

# In the page: click the operation's Stop while one of its calls runs, and time what follows.
CLICK = """async ([operation, status, pattern]) => {
  const op = document.querySelector(`main [data-testid=${operation}]`);
  if (op.dataset.state !== 'running') return null; // it ended meanwhile
  const inFlight = pizarra.running !== null;
  const t0 = performance.now();
  const idle = new Promise((resolve) => {
    const watch = new MutationObserver((records) => {
      if (records.some((r) => r.oldValue === 'running')) (watch.disconnect(), resolve(performance.now() - t0));
    });
    watch.observe(op, { attributes: true, attributeFilter: ['data-state'], attributeOldValue: true });
  });
  op.querySelector('[data-testid=stop]').click();
  const free = pizarra.call('engine_info').then(() => performance.now() - t0);
  const said = new Promise((resolve) => {
    const check = () => new RegExp(pattern).test(document.querySelector(`main [data-testid=${status}]`).innerText)
      ? resolve(performance.now() - t0) : setTimeout(check, 5);
    check();
  });
  return { inFlight, idle: await idle, free: await free, said: await said };
}"""


def until(page, condition, arg=None, timeout=120_000):
    page.wait_for_function(f"(arg) => {condition}", arg=arg, timeout=timeout)


def text_of(testid):
    return f"(document.querySelector('main [data-testid={testid}]')?.innerText || '')"


def running(operation):
    """The operation runs and one of its calls is in flight (a quick one's Stop is clicked even
    before it shows itself, 250 ms in: the time it takes to stop the call is what is measured)."""
    return (
        f"(() => {{ const op = document.querySelector('main [data-testid={operation}]'); "
        f"return op && op.dataset.state === 'running' && pizarra.running !== null; }})()"
    )


def ended(operation):
    return f"document.querySelector('main [data-testid={operation}]').dataset.state !== 'running'"


def go(page, address):
    page.evaluate("(hash) => { location.hash = hash; }", "#/")
    page.locator("#pages-heading").wait_for()
    page.evaluate("(hash) => { location.hash = hash; }", address)
    until(page, f"document.querySelector('main')?.dataset.page === '{address[2:].split('?')[0]}'")


def _upload_file():
    vectors, _ = storage.load(ROOT / "pysrc" / "pizarra" / "weights" / "embeddings_glove_en.npz")
    lines = [f"{UPLOAD_WORDS} {vectors.dim}"]
    lines += [
        w + " " + " ".join(f"{x:.4f}" for x in vectors.vectors[i])
        for i, w in enumerate(vectors.words[:UPLOAD_WORDS])
    ]
    return {"name": "glove6k.txt", "mimeType": "text/plain", "buffer": ("\n".join(lines) + "\n").encode()}


def _start_cnn(page):
    page.get_by_test_id("train-start").click()
    until(page, f"/^Step \\d+ of/.test({text_of('train-status')})")


def _start_lm_training(page):
    page.get_by_test_id("train-start").click()
    until(page, f"/^Step \\d+/.test({text_of('train-status')})")


def _start_generation(page):
    page.get_by_test_id("generate").click()


def _start_embeddings(page):
    page.get_by_test_id("train-toggle").click()
    until(page, f"/ done · loss/.test({text_of('train-status')})")


def _start_counts(page):
    page.get_by_test_id("corpus-count").click()


def _start_upload(upload):
    def start(page):
        page.get_by_test_id("upload-input").set_input_files(files=[upload])

    return start


def _start_evaluation(upload):
    def start(page):
        page.get_by_test_id("upload-input").set_input_files(files=[upload])  # a new set is evaluated
        until(page, f"/words × /.test({text_of('upload-status')})")

    return start


def _start_translation(page):
    page.get_by_test_id("source-input").fill(
        "el hombre que trabaja con los dos niños en la casa grande come pescado"
    )
    page.get_by_test_id("translate").click()


def _start_replay(page):
    go(page, "#/backprop?data=spirals&n=400&trained=50000")
    until(page, f"/: [1-9][\\d,]* of 50,000/.test({text_of('train-status')})")


def operations(upload):
    """(name, address or None, start(page), operation, status testid, pattern of what it kept, long:
    whether the click waits a little more, to land at different points of its calls)."""
    return [
        (
            "CNN training",
            "#/cnn?epochs=3",
            _start_cnn,
            "train-operation",
            "train-status",
            r"^Stopped: \d",
            True,
        ),
        (
            "LM live training",
            "#/lm?len=1",
            _start_lm_training,
            "train-operation",
            "train-status",
            "^Stopped at step",
            True,
        ),
        (
            "LM generation",
            "#/lm?len=400",
            _start_generation,
            "generate-operation",
            "generate-status",
            r"^Stopped: \d+ of 400",
            False,
        ),
        (
            "embeddings corpus counts",
            "#/embeddings",
            _start_counts,
            "count-operation",
            "count-status",
            "^Counting stopped",
            True,
        ),
        (
            "embeddings training",
            "#/embeddings",
            _start_embeddings,
            "train-operation",
            "train-status",
            "^Stopped at",
            True,
        ),
        (
            "embeddings upload",
            "#/embeddings",
            _start_upload(upload),
            "upload-operation",
            "upload-status",
            "stopped: the sets",
            False,
        ),
        (
            "embeddings evaluation",
            "#/embeddings",
            _start_evaluation(upload),
            "eval-operation",
            "eval-status",
            "stopped: its row",
            True,
        ),
        (
            "attention translation",
            "#/attention",
            _start_translation,
            "translate-operation",
            "translate-message",
            "^Stopped",
            False,
        ),
        (
            "backprop link replay",
            None,
            _start_replay,
            "replay-operation",
            "train-status",
            r"^Step \d+ ",
            True,
        ),
    ]


def _settle(page):
    """Python idle again before the next try."""
    page.evaluate("pizarra.call('engine_info')")
    page.wait_for_timeout(300)


def measure(browser, url):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url + "#/")
    until(page, "document.documentElement.dataset.engine === 'ready'")
    results = {}
    for name, address, start, operation, status, pattern, slow in operations(_upload_file()):
        if address:
            go(page, address)
        tries, missed = [], 0
        for _ in range(TRIES):
            start(page)
            until(page, f"{running(operation)} || {ended(operation)}")
            if page.evaluate(f"() => {ended(operation)}"):  # it ended before its Stop showed: nothing to stop
                missed += 1
                _settle(page)
                continue
            page.wait_for_timeout(DELAYS_MS[len(tries) % len(DELAYS_MS)] if slow else 0)
            timing = page.evaluate(CLICK, [operation, status, pattern])
            if timing is None:
                missed += 1
            else:
                tries.append(timing)
            _settle(page)
        results[name] = {
            "n": len(tries),
            "missed": missed,
            "in_flight": sum(t["inFlight"] for t in tries),
            **{
                key: statistics.median(t[key] for t in tries) if tries else None
                for key in ("idle", "free", "said")
            },
            "max_free": max((t["free"] for t in tries), default=None),
        }
        print(f"[bench]   {name}: {results[name]}", flush=True)
    context.close()
    return results


def table(results):
    lines = [
        f"  {'operation':24s} {'UI idle':>8s} {'engine free':>12s} {'says kept':>10s} {'worst free':>11s}  tries"
    ]
    for name, r in results.items():
        if not r["n"]:
            lines.append(
                f"  {name:24s} {'—':>8s} {'—':>12s} {'—':>10s} {'—':>11s}  0 (ended before its Stop showed, {r['missed']}×)"
            )
            continue
        lines.append(
            f"  {name:24s} {r['idle']:8.0f} {r['free']:12.0f} {r['said']:10.0f} {r['max_free']:11.0f}  "
            f"{r['n']} ({r['in_flight']} with a call in flight)"
        )
    lines.append(
        "  goal: Stop answers within 500 ms (UI idle: the page; engine free: Python stopped at a step boundary)"
    )
    return lines
