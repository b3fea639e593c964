"""Each page's link SCHEMA (web/js/pages/<id>/state.js) and the Python that runs its settings declare
the same bounds and choices, so a value the link accepts is never refused by Python, and a control
never offers what Python would reject.

A page whose Python checks settings exposes ``RANGES = {field: (lo, hi)}`` and
``CHOICES = {field: values}`` in its settings module; its state.js exports a function that turns
the page's state into those fields' arguments (so the key → field mapping is written once, in JS).
"""

import importlib
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# page id: (Python module with RANGES and CHOICES, the state.js function mapping keys to fields)
SETTINGS = {
    "backprop": ("pizarra.backprop.lab", "labConfig"),
    "cnn": ("pizarra.cnn.train", "trainConfig"),
    "embeddings": ("pizarra.embeddings.settings", "liveConfig"),
    "attention": ("pizarra.attention.explain", "stepsConfig"),
    "lm": ("pizarra.lm.settings", "settingsConfig"),
}

DUMP = """
const [page, mapper] = process.argv.slice(1);
const state = await import(`./web/js/pages/${page}/state.js`);
const identity = Object.fromEntries(Object.keys(state.SCHEMA).map((key) => [key, key]));
const fields = state[mapper](identity);
const schema = Object.fromEntries(Object.entries(state.SCHEMA).map(([key, spec]) =>
  [key, { ...spec, pattern: spec.pattern ? String(spec.pattern) : undefined }]));
console.log(JSON.stringify({ schema, fields }));
"""


def page_schema(page: str, mapper: str) -> tuple[dict, dict]:
    """The page's SCHEMA (as JSON) and ``{python field: schema key}``."""
    result = subprocess.run(
        ["node", "--input-type=module", "-e", DUMP, page, mapper],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    dump = json.loads(result.stdout)
    return dump["schema"], dump["fields"]


@pytest.mark.parametrize("page", sorted(SETTINGS))
def test_link_schema_and_python_agree_on_bounds_and_choices(page):
    module_name, mapper = SETTINGS[page]
    module = importlib.import_module(module_name)
    schema, fields = page_schema(page, mapper)
    declared = {**module.RANGES, **module.CHOICES}
    missing = sorted(set(declared) - set(fields))
    assert not missing, f"{page}: Python checks {missing}, which state.js's {mapper} does not pass"
    for field, (lo, hi) in module.RANGES.items():
        spec = schema[fields[field]]
        assert (spec["min"], spec["max"]) == (lo, hi), (
            f"{page}: {fields[field]} is {spec['min']}–{spec['max']} in the link, {lo}–{hi} in {module_name}"
        )
    for field, values in module.CHOICES.items():
        spec = schema[fields[field]]
        assert set(spec["values"]) == set(values), (
            f"{page}: {fields[field]} offers {spec['values']}, {module_name} takes {values}"
        )


# Text the link carries and the engine's door bounds too: page id -> {SCHEMA key: (module, its constant)}.
LENGTHS = {
    "backprop": {"expr": ("pizarra.backprop.expression", "MAX_LENGTH")},
    "cnn": {"d": ("pizarra.demos.cnn", "MAX_LINK_DIGIT")},
    "lm": {
        "prompt": ("pizarra.demos.lm", "MAX_PROMPT"),
        "ctx": ("pizarra.demos.lm", "MAX_CONTEXT"),
        "word": ("pizarra.demos.lm", "MAX_WORD"),
    },
    "attention": {
        "sentence": ("pizarra.demos.attention", "MAX_SENTENCE"),
        "masked": ("pizarra.demos.attention", "MAX_SENTENCE"),
    },
    "embeddings": {"proj": ("pizarra.demos.embeddings", "MAX_QUERY_TEXT")},
}


@pytest.mark.parametrize("page", sorted(LENGTHS))
def test_link_and_engine_bound_the_same_text_alike(page):
    schema, _ = page_schema(page, SETTINGS[page][1])
    for key, (module_name, constant) in LENGTHS[page].items():
        assert schema[key]["maxLength"] == getattr(importlib.import_module(module_name), constant), (
            f"{page}.{key}"
        )


def test_the_cnn_notebook_names_every_layer_and_kernel_the_link_offers():
    """pizarra.notebooks.cnn words the page's layer and kernel ids in both languages: the same ids."""
    from pizarra.notebooks import cnn as recipe

    schema, _ = page_schema("cnn", "trainConfig")
    assert set(recipe.STAGES) == set(schema["layer"]["values"])
    assert set(recipe.KERNELS) == set(schema["k"]["values"])


LM_PRESET = """
const { SCHEMA, EXPLODING, trainArgs } = await import("./web/js/pages/lm/state.js");
const defaults = Object.fromEntries(Object.entries(SCHEMA).map(([key, spec]) => [key, spec.default]));
console.log(JSON.stringify(trainArgs({ ...defaults, ...EXPLODING })));
"""


def test_the_lm_exploding_preset_is_pythons():
    """The page's preset button trains with pizarra.lm.settings.EXPLODING (and clipping off)."""
    from pizarra.lm.settings import EXPLODING

    result = subprocess.run(
        ["node", "--input-type=module", "-e", LM_PRESET], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    args = json.loads(result.stdout)
    assert {key: args[key] for key in EXPLODING} == EXPLODING
    assert args["clip"] is False


def test_the_lm_side_by_side_opens_with_the_better_model_of_each_kind():
    """At each level the side by side's default network and n-gram order are the ones with the lowest
    validation perplexity in the page's own table (lm_results.json, English, the default corpus):
    at word level among the pruned Kneser–Ney models the page generates with."""
    schema, _ = page_schema("lm", "settingsConfig")
    results = json.loads((ROOT / "pysrc" / "pizarra" / "weights" / "lm_results.json").read_text())
    assert results.get("words"), "lm_results.json has no word-level results: run python3 build.py train lm"
    best = lambda rows: min(rows, key=lambda r: r["validation"])  # noqa: E731
    for level, table, model, order in (
        ("word", results["words"]["en"]["table"], "wmodel", "worder"),
        ("char", results["languages"]["en"]["table"], "model", "order"),
    ):
        networks = [r for r in table if r["model"] == "recurrent"]
        ngrams = [
            r
            for r in table
            if r["model"] == "ngram"
            and r["smoothing"] == "kneser-ney"
            and bool(r.get("pruned")) == (level == "word")
        ]
        assert schema[model]["default"] == best(networks)["cell"], level
        assert schema[order]["default"] == best(ngrams)["order"], level
