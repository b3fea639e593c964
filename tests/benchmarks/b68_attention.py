"""Attention page: latency per sentence of the translator (greedy and beam search of width 4, one
variant with every step's details; and the three variants' translations the page shows at once)
and of the masked language model (guesses and every head), in the browser's engine against
CPython, through the page's own engine calls on the same test sentences."""

import json
import statistics
import time
from pathlib import Path

from pizarra.demos import attention

ROOT = Path(__file__).resolve().parents[2]

TITLE = "Attention: latency per sentence (ms), translator greedy / beam 4 and masked LM, browser vs CPython"
SENTENCES = 12
HELD_OUT = ROOT / "pysrc" / "pizarra" / "weights" / "attention_test.json"
TRANSLATOR = {"assets": ["attention_translator.npz"]}
MLM = {"assets": ["attention_mlm.npz"]}


def workload():
    """``[(label, engine function, arguments, options)]`` for each measured call, on test sentences."""
    data = json.loads(HELD_OUT.read_text(encoding="utf-8"))
    sentences = [" ".join(p["es"]) for p in data["pairs"][:SENTENCES]]
    masked = []
    for tokens, positions in zip(data["mlm"]["sentences"][:SENTENCES], data["mlm"]["positions"]):
        masked.append(" ".join("[MASK]" if i == positions[0] else w for i, w in enumerate(tokens)))
    calls = [
        ("three variants, greedy", "attention_translate", [{"sentence": s} for s in sentences], TRANSLATOR),
        (
            "additive, greedy with steps",
            "attention_steps",
            [{"sentence": s, "variant": "additive", "beam": 1} for s in sentences],
            TRANSLATOR,
        ),
        (
            "additive, beam 4 with steps",
            "attention_steps",
            [{"sentence": s, "variant": "additive", "beam": 4} for s in sentences],
            TRANSLATOR,
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
    return {"browser": in_browser, "cpython": _cpython(calls)}


def table(results):
    lines = [
        f"  {SENTENCES} test sentences each; median (max) ms per call, the engine call's whole round trip in the browser"
    ]
    for label, browser in results["browser"].items():
        cpython = results["cpython"][label]
        lines.append(
            f"  {label:32s} browser {browser['median']:7.1f} ({browser['max']:.0f})   "
            f"CPython {cpython['median']:7.1f} ({cpython['max']:.0f})   ratio {browser['median'] / cpython['median']:.1f}×"
        )
    return lines
