"""Embeddings page: SGNS training throughput in CPython and in the browser against gensim's
single-thread Word2Vec on the same corpus slice and settings; time to load each vector set;
latency of a neighbour query — all through the page's own engine calls."""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from pizarra.data import assets  # noqa: E402
from pizarra.demos import embeddings as demo  # noqa: E402
from pizarra.embeddings import storage  # noqa: E402

TITLE = "Embeddings: SGNS words/s (CPython, browser, gensim), vector-set load time, neighbour query latency"
# One epoch of SGNS on the English corpus slice (embeddings_corpus_en.txt), the committed sets' settings.
SETTINGS = {
    "source": "en",
    "model": "sgns",
    "dim": 100,
    "window": 5,
    "negatives": 5,
    "alpha": 0.75,
    "sample": 0.001,
    "lr": 0.025,
    "epochs": 1,
    "seed": 0,
    "min_count": 5,
}
SETS = ["glove_en", "sgns_en", "sgns_es"]
QUERIES = 40
TRAIN_SECONDS = 8


def _train_words_per_second():
    """Words per second of the page's training calls, after one warm-up chunk."""
    demo.embeddings_train_start(**SETTINGS)
    demo.embeddings_train_steps(seconds=0)
    return demo.embeddings_train_steps(seconds=TRAIN_SECONDS)["words_per_second"]


def _gensim_words_per_second():
    """gensim 4's Word2Vec (sg=1, workers=1) on the same slice, vocabulary and settings, one epoch."""
    from gensim.models import Word2Vec

    lines = [
        line.split()
        for line in assets.path("embeddings_corpus_en.txt").read_text(encoding="utf-8").splitlines()
    ]
    start = time.perf_counter()
    model = Word2Vec(
        lines,
        vector_size=100,
        window=5,
        negative=5,
        ns_exponent=0.75,
        sample=0.001,
        alpha=0.025,
        min_count=5,
        epochs=1,
        sg=1,
        workers=1,
        seed=0,
    )
    seconds = time.perf_counter() - start
    in_vocabulary = sum(model.wv.get_vecattr(word, "count") for word in model.wv.index_to_key)
    return in_vocabulary / seconds  # as pizarra counts: the tokens of the vocabulary read


def _in_fresh_process(function):
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, __file__, function], env=env, capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


def _cpython():
    loads = {}
    for name in SETS:
        start = time.perf_counter()
        storage.load(assets.path(f"embeddings_{name}.npz"))
        loads[name] = (time.perf_counter() - start) * 1000
    latencies = []
    for i in range(QUERIES):
        start = time.perf_counter()
        demo.embeddings_neighbours(set="glove_en", words=[["king", "paris", "water", "music"][i % 4]], k=10)
        latencies.append((time.perf_counter() - start) * 1000)
    return {"load_ms": loads, "neighbours_ms": statistics.median(latencies)}


BROWSER = r"""async ({sets, settings, queries, seconds}) => {
  const loads = {};
  for (const set of sets) {
    const start = performance.now();
    await pizarra.call("embeddings_set_info", {set}, {assets: [`embeddings_${set}.npz`]});
    loads[set] = performance.now() - start;
  }
  const latencies = [];
  const words = ["king", "paris", "water", "music"];
  for (let i = 0; i < queries; i++) {
    const start = performance.now();
    await pizarra.call("embeddings_neighbours", {set: "glove_en", words: [words[i % 4]], k: 10});
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  await pizarra.call("embeddings_train_start", settings, {assets: ["embeddings_corpus_en.txt"]});
  await pizarra.call("embeddings_train_steps", {seconds: 0});
  const steps = await pizarra.call("embeddings_train_steps", {seconds}, {timeoutMs: 600000});
  return {load_ms: loads, neighbours_ms: latencies[Math.floor(latencies.length / 2)], words_per_second: steps.words_per_second};
}"""


def measure(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url + "#/embeddings")
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=120_000)
    in_browser = page.evaluate(
        BROWSER, {"sets": SETS, "settings": SETTINGS, "queries": QUERIES, "seconds": TRAIN_SECONDS}
    )
    context.close()
    return {
        "browser": in_browser,
        "cpython": {**_cpython(), "words_per_second": _in_fresh_process("pizarra")},
        "gensim_words_per_second": _in_fresh_process("gensim"),
    }


def table(results):
    browser, cpython, gensim = results["browser"], results["cpython"], results["gensim_words_per_second"]
    lines = [
        f"  SGNS training (d 100, window 5, K 5, t 1e-3, one thread), words/s: gensim {gensim:,.0f}; "
        f"CPython {cpython['words_per_second']:,.0f} ({gensim / cpython['words_per_second']:.1f}× slower, goal ≤ 4×); "
        f"browser {browser['words_per_second']:,.0f} ({gensim / browser['words_per_second']:.1f}× slower, goal ≤ 20×)"
    ]
    for name in SETS:
        lines.append(
            f"  load {name}: browser {browser['load_ms'][name]:.0f} ms (fetch + decode), CPython {cpython['load_ms'][name]:.0f} ms"
        )
    lines.append(
        f"  neighbour query (GloVe, 40,000 words, k 10), median: browser {browser['neighbours_ms']:.1f} ms "
        f"(round trip), CPython {cpython['neighbours_ms']:.1f} ms (goal < 50 ms)"
    )
    return lines


if __name__ == "__main__":  # one throughput measurement in its own process (see _in_fresh_process)
    print(json.dumps(_gensim_words_per_second() if sys.argv[1] == "gensim" else _train_words_per_second()))
