"""Language models page: characters generated per second by each model (the Kneser–Ney n-gram and
the committed RNN, LSTM and GRU) in the browser and in CPython, and live-training steps per second
in the browser on each backend the engine has, against CPython — through the page's own code."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TITLE = "Language models: characters generated/s per model, live-training steps/s per backend"
CHARS = 400
TRAIN_BUDGET_MS = 4000
TRAIN = {"cell": "lstm", "source": "en", "hidden_size": 64, "bptt": 32, "batch_size": 16, "seed": 0}
ASSETS = ["lm_corpus_en.txt.gz", "lm_rnn_en.npz", "lm_lstm_en.npz", "lm_gru_en.npz"]
PIECE = 25  # characters per engine call, as the page asks (web/js/pages/lm/side-by-side.js)

# Runs in Pyodide (through the page's engine) and in CPython alike.
MEASURE = r"""
import json, time
import numpy as np
from pizarra import backend
from pizarra.lm import NGramModel, corpus, models
from pizarra.lm.reading import NGramReader, RecurrentReader, write
from pizarra.demos import lm

def rate(reader):
    started = time.perf_counter()
    for _ in write(reader, %(chars)d, 1.0, None, np.random.default_rng(0), keep=10):
        pass
    return %(chars)d / (time.perf_counter() - started)

result = {"generation": {}, "training": {}}
vocab = models.load("lstm", "en")[1]
ngram = NGramModel(5, "kneser-ney").fit([list(p) for p in corpus.load("en")["train"]], vocab)
result["generation"]["ngram-5"] = rate(NGramReader(ngram, list("ROMEO:")))
for cell in ("rnn", "lstm", "gru"):
    model, vocab = models.load(cell, "en")
    result["generation"][cell] = rate(RecurrentReader(model, vocab, list("ROMEO:")))
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
"""


def code(backends):
    return MEASURE % {"chars": CHARS, "train": TRAIN, "budget": TRAIN_BUDGET_MS, "backends": backends}


def _cpython():
    """CPython in a fresh process with one BLAS thread (spinning BLAS threads stall a shared machine)."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, __file__], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url + "#/lm?len=1")
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=120_000)
    page.evaluate("assets => pizarra.call('lm_generate', {length: 1}, {assets, timeoutMs: 600000})", ASSETS)
    browser_result = json.loads(
        page.evaluate("code => pizarra.run(code, {timeoutMs: 600000})", code(("numpy", "webgpu", "auto")))
    )
    # What the page does: both models, CHARS characters, asked for in the page's pieces through the engine.
    milliseconds = page.evaluate(
        """async ([assets, chars, piece]) => {
        const started = performance.now();
        for (let start = 0; start < chars; start += piece)
            await pizarra.call('lm_generate', {length: chars, seed: 1, start, count: Math.min(piece, chars - start)}, {assets});
        return performance.now() - started;
    }""",
        [ASSETS, CHARS, PIECE],
    )
    browser_result["page_characters_per_second"] = CHARS / (milliseconds / 1000)
    context.close()
    return {"browser": browser_result, "cpython": _cpython()}


def table(results):
    browser, cpython = results["browser"], results["cpython"]
    lines = [
        f"  characters generated per second ({CHARS} characters, temperature 1, the 10 most probable kept per step):"
    ]
    for name, value in browser["generation"].items():
        lines.append(
            f"    {name:8s} browser {value:8.0f}   CPython {cpython['generation'][name]:8.0f}"
            + ("   (goal for the LSTM in the browser: ≥ 200)" if name == "lstm" else "")
        )
    lines.append(
        f"    the page (5-gram and LSTM together, {PIECE} characters per engine call): "
        f"{browser['page_characters_per_second']:.0f} characters/s of each model"
    )
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
