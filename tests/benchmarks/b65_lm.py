"""Language models page: how soon the side-by-side text is on screen, timed from the page's DOM — the
first text after opening the page, "Generate" (50 words, 200 characters) and a shared link, each
from its own start — beside the same generation in CPython; then tokens generated per second by each
model (the Kneser–Ney n-grams and the committed RNN, LSTM and GRU, at both levels) in the browser
and in CPython, and live-training steps per second on each backend the engine has."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TITLE = (
    "Language models: side-by-side text on screen (s), tokens generated/s per model, live-training steps/s"
)
TOKENS = {"word": 100, "char": 400}
TRAIN_BUDGET_MS = 4000
TRAIN = {"cell": "lstm", "source": "en", "hidden_size": 64, "bptt": 32, "batch_size": 16, "seed": 0}
# The page's generations, as lm_generate's arguments (web/js/pages/lm/state.js generateArgs): the
# page's defaults at each level, and a shared link (another seed, network and order).
GENERATIONS = {
    "word": {
        "level": "word",
        "language": "en",
        "cell": "lstm",
        "order": 5,
        "prompt": "",
        "temperature": 0.8,
        "top_k": 0,
        "length": 50,
        "seed": 1,
    },
    "char": {
        "level": "char",
        "language": "en",
        "cell": "gru",
        "order": 5,
        "prompt": "",
        "temperature": 0.8,
        "top_k": 0,
        "length": 200,
        "seed": 1,
    },
}
LINK = "level=word&wmodel=gru&worder=2&seed=7&pick=5"
LINK_GENERATION = {**GENERATIONS["word"], "cell": "gru", "order": 2, "seed": 7}

# Times from the DOM (performance.now(), ms): the engine ready, the first token of both texts, and
# the whole text (the section's data-done), each kept once until the bench clears it.
MARKS = """
window.lmTimes = {};
const mark = (key) => { if (!(key in window.lmTimes)) window.lmTimes[key] = performance.now(); };
new MutationObserver(() => {
  if (document.documentElement.dataset.engine === 'ready') mark('ready');
  const first = (id) => document.querySelector(`main [data-testid=${id}] .tok`);
  if (first('ngram-output') && first('rnn-output')) mark('first');
  if (document.querySelector('main .lm-side[data-done=true]')) mark('done');
}).observe(document, { subtree: true, childList: true, attributes: true });
"""

# Runs in Pyodide (through the page's engine) and in CPython alike: the page's generation in its
# pieces (the first call loads the models), and each model's tokens per second.
MEASURE = r'''
import json, time
import numpy as np
from pizarra import backend
from pizarra.data import assets
from pizarra.lm import NGramModel, models
from pizarra.lm.reading import NGramReader, RecurrentReader, write
from pizarra.demos import lm

def page(args, pieces):
    """Seconds to write args's text in the page's pieces: the first piece, and the whole."""
    started, first, start = time.perf_counter(), None, 0
    while start < args["length"]:
        count = min(pieces[0] if start == 0 else pieces[1], args["length"] - start)
        lm.lm_generate(**args, start=start, count=count)
        first = first or time.perf_counter() - started
        start += count
    return {"first": first, "whole": time.perf_counter() - started}

def rate(reader, tokens):
    started = time.perf_counter()
    for _ in write(reader, tokens, 1.0, None, np.random.default_rng(0), keep=10):
        pass
    return tokens / (time.perf_counter() - started)

result = {"page": {}, "generation": {}, "training": {}}
for name, args in %(generations)r.items():
    result["page"][name + " (first, models loaded)"] = page(args, %(pieces)r[args["level"]])
    result["page"][name] = page({**args, "seed": args["seed"] + 1}, %(pieces)r[args["level"]])
for level, tokens in %(tokens)r.items():
    ngram = NGramModel.load(assets.path(models.ngram_file_name(level, "en", %(orders)r[level])))
    start = [] if level == "char" else ["the"]
    result["generation"][f"{level} {ngram.order}-gram"] = rate(NGramReader(ngram, start, restart_at_end=level == "char"), tokens)
    for cell in ("rnn", "lstm", "gru"):
        model, vocab = models.load(cell, "en", level)
        result["generation"][f"{level} {cell}"] = rate(RecurrentReader(model, vocab, start), tokens)
previous = backend.current()
result["training"]["default"] = previous.name
for name in %(backends)r:
    try:
        backend.use(name)
    except ValueError:
        continue
    try:
        lm.lm_train_start(**%(train)r)
        lm.lm_train_steps(budget_ms=0, max_steps=1)  # warm-up
        steps = lm.lm_train_steps(budget_ms=%(budget)d)
        result["training"][name] = steps["characters_per_second"] / (%(train)r["batch_size"] * %(train)r["bptt"])
    except Exception as error:  # a backend that fails is reported, not fatal
        result["training"][name] = f"failed: {error}"[:200]
    finally:
        backend.use(previous)
json.dumps(result)
'''
PIECES = {"word": [5, 15], "char": [20, 60]}  # as web/js/pages/lm/side-by-side.js asks for them
ORDERS = {"word": 5, "char": 5}


def code(backends):
    generations = {"word": GENERATIONS["word"], "char": GENERATIONS["char"], "link": LINK_GENERATION}
    return MEASURE % {
        "generations": generations,
        "pieces": PIECES,
        "tokens": TOKENS,
        "orders": ORDERS,
        "train": TRAIN,
        "budget": TRAIN_BUDGET_MS,
        "backends": backends,
    }


def assets_of(args):
    """The files a generation reads (web/js/pages/lm/side-section.js generationAssets)."""
    network = f"lm_{args['cell']}_en.npz" if args["level"] == "char" else f"lm_word_{args['cell']}_en.npz"
    return [f"lm_ngram_{args['level']}_en_{args['order']}.npz", network]


ASSETS = sorted(
    {
        name
        for level in ("word", "char")
        for cell in ("rnn", "lstm", "gru")
        for name in assets_of({"level": level, "cell": cell, "order": ORDERS[level]})
    }
    | set(assets_of(LINK_GENERATION))
    | {"lm_corpus_en.txt.gz"}  # the corpus live training reads
)


def _cpython():
    """CPython in a fresh process with one BLAS thread (spinning BLAS threads stall a shared machine)."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, __file__], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _seconds(page, since):
    """Seconds from the mark `since` (or a number, ms) to the first text and to the whole text."""
    times = page.evaluate("window.lmTimes")
    start = times[since] if isinstance(since, str) else since
    return {"first": (times["first"] - start) / 1000, "whole": (times["done"] - start) / 1000}


def _open(browser, url, query):
    """A fresh page at the link, with the marks: its times once the whole text is on screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(MARKS)
    page.goto(f"{url}#/lm?{query}")
    page.wait_for_function("() => window.lmTimes.done !== undefined", timeout=600_000)
    return context, page


def _click(page, selector):
    """Click what `selector` finds: the times from the click to the text on screen."""
    clicked = page.evaluate(
        """(selector) => {
        delete window.lmTimes.first; delete window.lmTimes.done;
        const now = performance.now();
        document.querySelector(selector).click();
        return now;
    }""",
        selector,
    )
    page.wait_for_function("() => window.lmTimes.done !== undefined", timeout=600_000)
    return _seconds(page, clicked)


def _generate(page, seed):
    """Generate with another seed (typed first, as a student would)."""
    page.get_by_test_id("seed").fill(str(seed))
    return _click(page, "main [data-testid=generate]")


def measure(browser, url):
    in_page = {}
    # Opening the page (word level, its default): the first text after the engine is ready.
    context, page = _open(browser, url, "")
    in_page["open the page (50 words)"] = _seconds(page, "ready")
    in_page["Generate, 50 words"] = _generate(page, 2)
    in_page["switch to characters (200)"] = _click(page, "main [data-testid=lm-level] [data-level=char]")
    in_page["Generate, 200 characters"] = _generate(page, 3)
    context.close()
    # A shared link: its text (and its picked token) after the engine is ready.
    context, page = _open(browser, url, LINK)
    in_page["a shared link (50 words)"] = _seconds(page, "ready")
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url + "#/")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=600_000)
    page.evaluate("assets => pizarra.call('lm_generate', {length: 1}, {assets, timeoutMs: 600000})", ASSETS)
    browser_result = json.loads(
        page.evaluate("code => pizarra.run(code, {timeoutMs: 900000})", code(("numpy", "webgpu", "auto")))
    )
    context.close()
    return {"page": in_page, "browser": browser_result, "cpython": _cpython()}


def table(results):
    browser, cpython, page = results["browser"], results["cpython"], results["page"]
    lines = [
        "  side-by-side text on screen, in the page (seconds from the engine ready or the click; "
        "first text / whole text):"
    ]
    for name, t in page.items():
        lines.append(f"    {name:28s} {t['first']:6.2f} / {t['whole']:6.2f}")
    lines.append(
        "  the same generations through lm_generate in the page's pieces, browser (Pyodide) vs CPython "
        "(first / whole):"
    )
    for name, t in browser["page"].items():
        c = cpython["page"][name]
        lines.append(
            f"    {name:34s} browser {t['first']:6.2f} / {t['whole']:6.2f}   CPython {c['first']:6.2f} / {c['whole']:6.2f}"
        )
    lines.append(
        f"  tokens generated per second ({TOKENS['word']} words, {TOKENS['char']} characters; "
        "temperature 1, the 10 most probable kept per step):"
    )
    for name, value in browser["generation"].items():
        lines.append(f"    {name:12s} browser {value:8.0f}   CPython {cpython['generation'][name]:8.0f}")
    lines.append(
        f"  live training, {TRAIN['cell'].upper()} {TRAIN['hidden_size']} units, {TRAIN['batch_size']}×{TRAIN['bptt']} "
        f"characters a step, steps/s: CPython {cpython['training']['numpy']:.2f} (one BLAS thread)"
    )
    for name, value in browser["training"].items():
        if name == "default":
            continue
        shown = f"{value:.2f}" if isinstance(value, (int, float)) else value
        lines.append(
            f"    in the browser, backend {name}{' (the engine’s choice)' if name == browser['training']['default'] else ''}: {shown}"
        )
    return lines


if __name__ == "__main__":  # the CPython measurement, run in its own process by _cpython
    namespace = {}
    exec(compile(code(("numpy",)).rsplit("\n", 2)[0], "b65_lm", "exec"), namespace)
    print(json.dumps(namespace["result"]))
