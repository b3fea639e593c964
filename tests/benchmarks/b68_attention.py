"""Attention page: latency of translating a 10-word sentence (issue 21: answered in the browser in
at most 1 s) — per variant and for the four at once as the page asks, with greedy decoding and with
the page's default decoding (beam search, length normalisation, coverage penalty) — of one variant's
decoding step by step, and of the masked language model (guesses and every head), in the browser's
engine against CPython, through the page's own engine calls on the same held-out sentences."""

import json
import statistics
import time
from pathlib import Path

from pizarra.attention import explain, pretrained
from pizarra.attention.variants import VARIANTS
from pizarra.demos import attention

ROOT = Path(__file__).resolve().parents[2]

TITLE = "Attention: latency per 10-word sentence (ms), translators greedy / default decoding and masked LM, browser vs CPython"
SENTENCES = 6
WORDS = 10
HELD_OUT = ROOT / "pysrc" / "pizarra" / "weights" / "attention_test.json"
GREEDY = {**explain.DECODING, "beam": 1}
MLM = {"assets": [pretrained.MLM_FILE]}


def assets(variants):
    """The files an engine call of these variants needs, as the page names them."""
    return {"assets": [pretrained.SUBWORDS_FILE, *(pretrained.translator_file(v) for v in variants)]}


def ten_word_sentences(pairs):
    """The first held-out Spanish sentences of ``WORDS`` words (punctuation not counted)."""
    found = [p["es"] for p in pairs if sum(any(c.isalnum() for c in t) for t in p["es"]) == WORDS]
    if not found:
        raise RuntimeError(f"{HELD_OUT.name} holds no test sentence of {WORDS} words")
    return [" ".join(tokens) for tokens in found[:SENTENCES]]


def workload():
    """``[(label, engine function, arguments, options)]`` for each measured call."""
    data = json.loads(HELD_OUT.read_text(encoding="utf-8"))
    sentences = ten_word_sentences(data["pairs"])
    masked = []
    for tokens, positions in zip(data["mlm"]["sentences"][:SENTENCES], data["mlm"]["positions"]):
        masked.append(" ".join("[MASK]" if i == positions[0] else w for i, w in enumerate(tokens)))
    calls = []
    for name, decoding in (("greedy", GREEDY), ("default", explain.DECODING)):
        for variant in VARIANTS:
            calls.append(
                (
                    f"{variant}, {name}",
                    "attention_translate",
                    [{"sentence": s, "variants": [variant], **decoding} for s in sentences],
                    assets([variant]),
                )
            )
        calls.append(
            (
                f"all four, {name}",
                "attention_translate",
                [{"sentence": s, **decoding} for s in sentences],
                assets(VARIANTS),
            )
        )
    calls += [
        (
            "additive steps, default",
            "attention_steps",
            [{"sentence": s, "variant": "additive", **explain.DECODING} for s in sentences],
            assets(["additive"]),
        ),
        (
            "transformer steps, default",
            "attention_steps",
            [{"sentence": s, "variant": "transformer", **explain.DECODING} for s in sentences],
            assets(["transformer"]),
        ),
        ("masked LM, guesses and heads", "attention_mask", [{"sentence": s} for s in masked], MLM),
    ]
    return calls


def summary(times):
    return {"median": statistics.median(times), "max": max(times), "n": len(times)}


def _cpython(calls):
    out = {}
    for label, fn, argument_list, _ in calls:
        getattr(attention, fn)(**argument_list[0])  # warm-up: loads the models
        times = []
        for args in argument_list:
            started = time.perf_counter()
            getattr(attention, fn)(**args)
            times.append(1000 * (time.perf_counter() - started))
        out[label] = summary(times)
    return out


IN_PAGE = """async ([fn, argumentList, options]) => {
  await pizarra.call(fn, argumentList[0], options);   // warm-up: fetches and loads the models
  const times = [];
  for (const args of argumentList) {
    const started = performance.now();
    await pizarra.call(fn, args, options);
    times.push(performance.now() - started);
  }
  return times;
}"""


def measure(browser, url):
    calls = workload()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url + "#/attention")
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=120_000)
    in_browser = {
        label: summary(page.evaluate(IN_PAGE, [fn, args, options])) for label, fn, args, options in calls
    }
    context.close()
    return {
        "browser": in_browser,
        "cpython": _cpython(calls),
        "sentences": [args["sentence"] for args in calls[0][2]],
    }


def table(results):
    lines = [
        f"  {len(results['sentences'])} held-out sentences of {WORDS} words; median (max) ms per call, "
        "the engine call's whole round trip in the browser; default decoding: "
        f"beam {explain.DECODING['beam']}, α {explain.DECODING['alpha']}, β {explain.DECODING['beta']}"
    ]
    for label, browser in results["browser"].items():
        cpython = results["cpython"][label]
        lines.append(
            f"  {label:32s} browser {browser['median']:7.1f} ({browser['max']:.0f})   "
            f"CPython {cpython['median']:7.1f} ({cpython['max']:.0f})   ratio {browser['median'] / cpython['median']:.1f}×"
        )
    return lines
