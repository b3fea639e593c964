"""The language-models page: the bigram table of the course's corpus (before Python too), generation
at word and character level that a link reproduces, the distributions behind a token (in the link
too), the perplexity tables of both levels, the exploding-gradients preset, bad input."""

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import assert_close, cell_sources, download_notebook, notebook_result, page_at, wait_engine

ROOT = Path(__file__).resolve().parents[2]
RESULTS = json.loads((ROOT / "pysrc" / "pizarra" / "weights" / "lm_results.json").read_text())
# A link from before the level switch (no `level`): it opens at character level, as it was shared.
SHORT = "len=50&seed=3&model=gru&order=3&prompt=ROMEO%3A%0A&temp=0.9&topk=12"
WORDS = "level=word&words=12&seed=4&worder=2&prompt=the+people"

# The control of every SCHEMA entry, for test_link_bounds.py.
LINK = {
    "controls": {
        "view": ("select", "count-view"),
        "level": ("pressed", "lm-level"),
        "wmodel": ("select", "lm-wmodel"),
        "worder": ("select", "lm-worder"),
        "words": ("select", "lm-words"),
        "model": ("select", "lm-model"),
        "corpus": ("select", "lm-corpus"),
        "order": ("select", "lm-order"),
        "temp": ("number", "temperature"),
        "topk": ("number", "top-k"),
        "len": ("select", "lm-length"),
        "seed": ("number", "seed"),
        "show": ("select", "inside-show"),
        "cell": ("select", "train-cell"),
        "src": ("select", "train-source"),
        "hidden": ("select", "train-hidden"),
        "bptt": ("select", "train-bptt"),
        "clip": ("checkbox", "train-clip"),
        "opt": ("select", "train-optimizer"),
        "lr": ("select", "train-lr"),
        "batch": ("select", "train-batch"),
        "every": ("select", "train-every"),
    },
    # text (counting corpus), sparse, ctx, word (sparsity) and prompt: free text; pick: a token of
    # the text written, tested below
    "elsewhere": {"text", "sparse", "ctx", "word", "prompt", "pick"},
    # show offers what the model in use has: a link without `level` is at character level, whose
    # network (`model`) is a GRU unless it says otherwise; the LSTM's gates need the LSTM
    "companions": {f"choice {i}": {"model": "lstm"} for i in (3, 4, 5, 6)},
    "off_presets": [
        {"len": 123, "words": 33, "hidden": 100, "bptt": 50, "lr": 0.02, "batch": 10, "every": 77}
    ],
    "ready": "document.querySelector('main[data-page=lm] [data-testid=train-every]') !== null",
}


def generated(page):
    """Both models' text once the generation is complete."""
    page.wait_for_selector(".lm-side[data-done='true']", timeout=120_000)
    return page.get_by_test_id("ngram-output").inner_text(), page.get_by_test_id("rnn-output").inner_text()


@pytest.fixture(scope="module")
def lm(site, browser):
    """One English page of the language models, reused by several tests."""
    with page_at(browser, site + "#/lm?" + SHORT) as (page, errors):
        yield page, errors


def test_bigram_table_of_the_course_corpus_and_the_perplexity_tables_of_both_levels(lm):
    page, errors = lm
    table = page.get_by_test_id("bigram-table")
    table.locator("tbody tr").first.wait_for()
    heads = table.locator("thead th").all_inner_texts()
    assert heads[1:4] == ["I", "am", "Sam"] and heads[-2] == "⟨/s⟩"
    first = table.locator("tbody tr").first.locator("td").all_inner_texts()
    assert first[:3] == ["2", "0", "1"]  # ⟨s⟩ I, ⟨s⟩ am, ⟨s⟩ Sam
    chars = page.get_by_test_id("perplexity-char").locator("tbody tr")
    assert chars.count() == 5 + 3
    lstm = next(r for r in RESULTS["languages"]["en"]["table"] if r.get("cell") == "lstm")
    assert chars.nth(6).locator("td").inner_text() == f"{lstm['test']:.2f}"
    words = page.get_by_test_id("perplexity-word").locator("tbody tr")
    assert words.count() == 5 + 3 + 1  # n-grams, networks, their mixture
    table_rows = RESULTS["words"]["en"]["table"]
    word_lstm = next(r for r in table_rows if r["model"] == "recurrent" and r["cell"] == "lstm")
    assert (
        page.locator("[data-testid=perplexity-word] tr[data-cell=lstm] td").inner_text()
        == f"{word_lstm['test']:.2f}"
    )
    mix = next(r for r in table_rows if r["model"] == "interpolation")
    assert (
        page.locator("[data-testid=perplexity-word] tr[data-cell=interpolation] td").inner_text()
        == f"{mix['test']:.2f}"
    )
    pruned = [r for r in table_rows if r.get("pruned")]
    assert (
        words.nth(2).locator("td").nth(3).inner_text()
        == f"{next(r for r in pruned if r['order'] == 3)['test']:.2f}"
    )
    # where each model wins: a row per part of the test text, each model's perplexity on it
    for level, results in (("word", RESULTS["words"]["en"]), ("char", RESULTS["languages"]["en"])):
        parts = page.get_by_test_id(f"contexts-{level}").locator("tbody tr")
        assert parts.count() == 3
        never = results["contexts"]["parts"][0]
        assert parts.nth(0).locator("td").nth(1).inner_text() == f"{never['ngram']:.2f}"
        assert page.get_by_test_id(f"reading-{level}").inner_text().startswith(("The ", "The best n-gram"))
    page.get_by_test_id("count-view").select_option("probabilities")
    assert table.locator("tbody tr").nth(1).locator("td").nth(1).inner_text() == "0.67"  # P(am | I)
    assert "view=probabilities" in page.url
    page.get_by_test_id("count-view").select_option("counts")
    assert errors == []


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_no_goal_or_verdict_words_on_the_page(new_page, site, locale):
    """The page shows its comparisons as measured: no project goal, pass or fail, in either language."""
    page, errors = new_page(locale=locale)
    page.goto(site + "#/lm")
    page.get_by_test_id("reading-word").filter(has_text="(").wait_for()
    page.get_by_test_id("reading-char").filter(has_text="(").wait_for()
    text = page.locator("main").inner_text().lower()
    for word in ("goal", "objetivo", "misses", "no alcanza", "no llega", "meets", "cumple"):
        assert word not in text, word
    assert errors == []


def test_tables_are_on_screen_without_python(new_page, site):
    page, _ = new_page(locale="en-US")
    page.route("**/runtime/pyodide.asm.wasm", lambda route: route.abort())  # Python never starts
    page.goto(site + "#/lm")
    page.get_by_test_id("bigram-table").locator("tbody tr").first.wait_for()
    assert page.get_by_test_id("bigram-table").locator("tbody tr").count() == 11
    assert page.get_by_test_id("perplexity-char").locator("tbody tr").count() == 8
    assert page.get_by_test_id("perplexity-word").locator("tbody tr").count() == 9
    assert page.evaluate("document.documentElement.dataset.engine") != "ready"


def test_the_sparsity_question_follows_its_fields_and_the_link(lm):
    page, _ = lm
    wait_engine(page)
    summary = page.get_by_test_id("sparsity-summary")
    summary.filter(has_text="c(want four beers) = 0").wait_for()
    page.get_by_test_id("sparse-context").fill("want two")
    summary.filter(has_text="c(want two beers) = 1").wait_for()
    assert (
        page.get_by_test_id("sparsity-table").locator("tr[data-smoothing=none] td").inner_text()
        == "P(beers | want two) = 1"
    )
    page.get_by_test_id("sparse-word").fill("wine")
    page.get_by_test_id("sparse-corpus").fill("I want two beers\nI want two wines")
    summary.filter(has_text="c(want two wine) = 0").wait_for()
    assert "ctx=want+two" in page.url and "word=wine" in page.url and "sparse=I+want+two+beers" in page.url


def test_editing_the_corpus_recounts_in_python(lm):
    page, _ = lm
    wait_engine(page)
    page.get_by_test_id("corpus-input").fill("the cat\nthe dog")
    page.wait_for_function(
        "document.querySelector('[data-testid=bigram-table] thead').innerText.includes('cat')"
    )
    assert page.get_by_test_id("bigram-table").locator("thead th").all_inner_texts()[1:4] == [
        "the",
        "cat",
        "dog",
    ]
    assert "text=the+cat" in page.url


def test_generation_is_the_same_across_reloads_and_a_character_shows_both_distributions(lm, new_page, site):
    page, errors = lm
    first = generated(page)
    assert (
        page.locator("[data-testid=lm-level] [aria-pressed=true]").get_attribute("data-level") == "char"
    )  # an old link
    assert "level=char" in page.url
    assert len(first[0]) > 0 and len(first[1]) > 0
    page.get_by_test_id("rnn-output").locator(".tok").nth(5).click()
    for side in ("ngram", "rnn"):
        assert page.get_by_test_id(f"distribution-{side}").locator(".bar").count() == 10
    again, _ = new_page(locale="en-US")
    again.goto(site + "#/lm?" + SHORT)
    assert generated(again) == first
    page.get_by_test_id("inside-heatmap").wait_for()
    assert errors == []


def test_training_live_draws_the_loss_and_writes_samples(lm):
    page, errors = lm
    wait_engine(page)
    page.get_by_test_id("train-clip").uncheck()  # clipping off: the norm is still drawn
    page.get_by_test_id("train-start").click()
    page.get_by_test_id("train-samples").locator("li").first.wait_for(timeout=90_000)
    page.get_by_test_id("train-operation").get_by_test_id("stop").click()  # the shared Stop (ui/operation.js)
    page.wait_for_function(
        "() => /^Stopped at step \\d+/.test(document.querySelector('[data-testid=train-status]').innerText)"
    )
    assert not page.get_by_test_id("train-start").is_disabled()
    assert "clip=0" in page.url
    assert errors == []


def test_word_level_and_the_picked_token_round_trip_through_the_link(new_page, site):
    """The page opens at word level; a picked word opens both models' next-word distributions and
    goes into the link, which reopens the same text with the same word picked; the level switch too."""
    page, errors = new_page(locale="en-US")
    page.goto(site + "#/lm?" + WORDS)
    ngram, rnn = generated(page)
    assert page.locator("[data-testid=lm-level] [aria-pressed=true]").get_attribute("data-level") == "word"
    tokens = page.get_by_test_id("rnn-output").locator(".tok")
    assert tokens.count() == 12 and " " in rnn  # twelve words, spaced as text
    tokens.nth(4).click()
    for side in ("ngram", "rnn"):
        assert page.get_by_test_id(f"distribution-{side}").locator(".bar").count() == 10
    assert page.get_by_test_id("distribution-rnn").locator("h4").inner_text().endswith("next words")
    assert "pick=5" in page.url and "level=word" in page.url
    other, _ = new_page(locale="en-US")
    other.goto(page.url)
    assert generated(other) == (ngram, rnn)
    assert other.locator("[data-testid=rnn-output] .tok.selected").get_attribute("data-step") == "4"
    assert other.get_by_test_id("distribution-ngram").locator(".bar").count() == 10
    # the level switch: characters, with that level's own network, order and length; a new text closes the pick
    other.locator("[data-testid=lm-level] [data-level=char]").click()
    generated(other)
    assert "level=char" in other.url and "pick=" not in other.url
    assert (
        other.get_by_test_id("lm-length").is_visible() and not other.get_by_test_id("lm-words").is_visible()
    )
    assert other.get_by_test_id("rnn-output").locator(".tok").count() == 200
    assert errors == []


def test_the_exploding_preset_explodes_without_clipping_and_not_with_it(new_page, site):
    """The preset's plain RNN with SGD at learning rate 3, trained unclipped for 30 steps, reaches a
    gradient norm over 10 times the clipping threshold; the same run clipped stays below 5 (the norm
    is measured before clipping), as pizarra.lm.settings.EXPLODING says."""
    page, errors = new_page(locale="en-US")
    page.goto(site + "#/lm?len=1&level=char")
    wait_engine(page)
    page.get_by_test_id("train-exploding").click()
    assert page.get_by_test_id("train-cell").input_value() == "rnn"
    assert page.get_by_test_id("train-optimizer").input_value() == "sgd"
    assert page.get_by_test_id("train-lr").input_value() == "3"
    assert not page.get_by_test_id("train-clip").is_checked()
    assert all(key in page.url for key in ("cell=rnn", "opt=sgd", "lr=3", "clip=0"))

    def largest_norm():
        page.get_by_test_id("train-start").click()
        page.wait_for_function(
            "() => Number(/^Step (\\d+)/.exec(document.querySelector('[data-testid=train-status]').innerText)?.[1]) >= 30",
            timeout=180_000,
        )
        page.get_by_test_id("train-operation").get_by_test_id("stop").click()
        page.wait_for_function(
            "() => /^Stopped at step/.test(document.querySelector('[data-testid=train-status]').innerText)"
        )
        return float(page.get_by_test_id("train-status").get_attribute("data-max-norm"))

    unclipped = largest_norm()
    page.get_by_test_id("train-clip").check()
    clipped = largest_norm()
    assert unclipped > 10 > 5 > clipped, (unclipped, clipped)  # past 10× the threshold of 1, and held down
    assert page.get_by_test_id("norm-chart").locator("canvas").count() >= 1
    assert errors == []


COUNT_CALLS = "() => { window.calls = []; const call = pizarra.call.bind(pizarra); pizarra.call = (fn, ...rest) => (window.calls.push(fn), call(fn, ...rest)); }"
SCREEN = """() => {
  const q = (id) => document.querySelector(`main [data-testid=${id}]`);
  return {
    ngram: q('ngram-output').innerText, rnn: q('rnn-output').innerText, bars: document.querySelectorAll('main .bar').length,
    heatmap: q('inside-heatmap').querySelector('canvas').toDataURL(), strip: q('unit-strip').innerText,
    counts: q('bigram-table').querySelectorAll('tbody td').length, sparsity: q('sparsity-table').querySelectorAll('tr').length,
    kept: window.kept === q('rnn-output'),
  };
}"""


def test_switching_language_changes_only_the_words(new_page, site):
    """A language switch rewrites the words and numbers in place, both ways: nothing is asked of
    Python again, the page is not mounted again, and every result stays on screen."""
    page, errors = new_page(locale="en-US")
    page.goto(site + "#/lm?" + SHORT)
    generated(page)
    page.get_by_test_id("inside-heatmap").wait_for()
    page.get_by_test_id("sparsity-summary").filter(has_text="c(want four beers) = 0").wait_for()
    page.get_by_test_id("count-view").select_option("probabilities")
    page.get_by_test_id("rnn-output").locator(".tok").nth(5).click()
    page.evaluate("() => { window.kept = document.querySelector('main [data-testid=rnn-output]'); }")
    before = page.evaluate(SCREEN)
    assert before["bars"] == 20 and before["kept"]
    probability = page.get_by_test_id("bigram-table").locator("tbody tr").nth(1).locator("td").nth(1)
    lstm = page.get_by_test_id("perplexity-char").locator("tbody tr").nth(6).locator("td")
    page.evaluate(COUNT_CALLS)
    for lang, words in (
        (
            "es",
            {
                "side": "Lado a lado",
                "done": "50 caracteres de cada modelo.",
                "none": "Sin suavizado",
                "temperature": "0,9",
                "p": "0,67",
                "next": "Red recurrente, paso 6",
            },
        ),
        (
            "en",
            {
                "side": "Side by side",
                "done": "50 characters from each model.",
                "none": "No smoothing",
                "temperature": "0.9",
                "p": "0.67",
                "next": "Recurrent network, step 6",
            },
        ),
    ):
        page.get_by_test_id(f"lang-{lang}").click()
        page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
        page.get_by_test_id("sparsity-table").locator("tr[data-smoothing=none] th").filter(
            has_text=words["none"]
        ).wait_for()
        assert page.locator("#lm-side-h").inner_text() == words["side"]
        assert page.get_by_test_id("generate-status").inner_text() == words["done"]
        assert page.get_by_test_id("temperature").input_value() == words["temperature"]
        assert probability.inner_text() == words["p"]  # P(am | I), in the language's numbers
        assert lstm.inner_text() == format(
            next(r for r in RESULTS["languages"]["en"]["table"] if r.get("cell") == "lstm")["test"], ".2f"
        ).replace(".", "," if lang == "es" else ".")
        assert page.get_by_test_id("distribution-rnn").locator("h4").inner_text().startswith(words["next"])
        assert page.evaluate(SCREEN) == before  # the same results, not drawn again by Python
        assert page.evaluate("() => window.calls") == []  # nothing asked of Python
        assert page.evaluate("() => document.activeElement.dataset.testid") == f"lang-{lang}"
    assert page.get_by_test_id("notice-warning").count() == 0
    assert errors == []


def test_the_link_round_trips(new_page, site):
    page, errors = new_page(locale="es-ES")
    page.goto(site + "#/lm?level=char&len=30&order=2")
    generated(page)
    page.get_by_test_id("lm-model").select_option("rnn")
    page.get_by_test_id("lm-corpus").select_option("es")
    page.get_by_test_id("prompt-input").fill("El ")
    page.get_by_test_id("temperature").fill("0,5")  # the Spanish decimal comma
    page.get_by_test_id("seed").fill("11")
    page.get_by_test_id("generate").click()
    text = generated(page)
    link = page.url
    for key in ("model=rnn", "corpus=es", "prompt=El+", "temp=0.5", "seed=11", "len=30", "level=char"):
        assert key in link
    other, _ = new_page(locale="es-ES")
    other.goto(link)
    assert generated(other) == text
    assert other.get_by_test_id("temperature").input_value() == "0,5"  # shown as Spanish writes it
    assert other.get_by_test_id("lm-model").input_value() == "rnn"
    assert errors == []


def test_bad_inputs_show_their_messages(new_page, site):
    page, _ = new_page(locale="en-US")
    page.goto(site + "#/lm?level=char&len=20&order=2&temp=7&topk=500&prompt=%E2%98%83")
    warnings = page.get_by_test_id("notice-warning")
    warnings.filter(has_text="Temperature 7 is out of range: using 2.").wait_for()
    warnings.filter(has_text="Top-k (0: all) 500 is out of range: using 100.").wait_for()
    warnings.filter(has_text="Characters the models do not know, read as unknown (�): ☃").wait_for()
    generated(page)
    assert page.get_by_test_id("rnn-output").locator(".unk").count() >= 1
    # an empty prompt starts from a paragraph's start; a clamped temperature typed in the field
    page.get_by_test_id("prompt-input").fill("")
    page.get_by_test_id("temperature").fill("-1")
    page.get_by_test_id("generate").click()
    warnings.filter(has_text="Temperature -1 is out of range: using 0.").wait_for()
    ngram, rnn = generated(page)
    assert len(ngram) > 0 and len(rnn) > 0
    # pasted training text over 200 KB is refused
    page.get_by_test_id("train-source").select_option("text")
    page.get_by_test_id("train-text").fill("x" * (200 * 1024 + 1))
    page.get_by_test_id("train-start").click()
    page.get_by_test_id("notice-error").filter(has_text="The text is over 200 KB").wait_for()


def shown_token(token):
    """How the side-by-side text writes a token (side-by-side.js textView)."""
    return {"</s>": "¶", "<unk>": "�", "\n": "↵"}.get(token, token)


def spanish_number(text):
    return float(text.strip().replace("\xa0", "").replace(".", "").replace(",", "."))


def test_python_button_notebook_reproduces_the_page_in_a_clean_venv(new_page, site, run_notebook):
    """The notebook of a non-default state in Spanish — an edited counting corpus, a 4-gram sparsity
    question, a GRU against a 3-gram on the Spanish corpus with temperature, top-k and seed, the GRU's
    update gate inside, and a small RNN trained on the page for a few seconds — run in a plain venv,
    gives what the page shows (its DOM and its engine's answers) to 1e-6."""
    generation = {
        "level": "char",
        "language": "es",
        "cell": "gru",
        "order": 3,
        "prompt": "El ",
        "temperature": 0.7,
        "top_k": 10,
        "length": 60,
        "seed": 5,
    }
    sparsity = {
        "corpus_text": "I want two beers\nI want three wines",
        "context": "I want four",
        "word": "beers",
        "order": 4,
    }
    query = urlencode(
        {
            "level": "char",
            "text": "the cat sat\nthe dog sat\nthe cat ran",
            "sparse": sparsity["corpus_text"],
            "ctx": sparsity["context"],
            "word": "beers",
            "model": "gru",
            "corpus": "es",
            "order": 3,
            "prompt": "El ",
            "temp": 0.7,
            "topk": 10,
            "len": 60,
            "seed": 5,
            "show": "z",
            "cell": "rnn",
            "src": "es",
            "hidden": 16,
            "bptt": 8,
            "batch": 4,
            "every": 10,
            "lr": 0.01,
        }
    )
    page, errors = new_page(locale="es-ES")
    page.goto(f"{site}#/lm?{query}")
    generated(page)
    page.get_by_test_id("inside-heatmap").wait_for()
    page.wait_for_function(
        "document.querySelector('[data-testid=bigram-table] thead').innerText.includes('cat')"
    )
    page.get_by_test_id("sparsity-summary").filter(has_text="c(I want four beers) = 0").wait_for()
    page.get_by_test_id("train-start").click()  # a few seconds of training: its weights go in the notebook
    page.get_by_test_id("train-samples").locator("li").first.wait_for(timeout=90_000)
    page.get_by_test_id("train-operation").get_by_test_id("stop").click()
    page.wait_for_function(
        "() => /^Detenido en el paso \\d+/.test(document.querySelector('[data-testid=train-status]').innerText)"
    )
    step = int(re.search(r"paso (\d+)", page.get_by_test_id("train-status").inner_text()).group(1))

    document = download_notebook(page)
    shown = document["metadata"]["pizarra"]["result"]
    # the counting table as drawn
    table = page.get_by_test_id("bigram-table")
    label = {"<s>": "⟨s⟩", "</s>": "⟨/s⟩"}
    assert table.locator("thead th").all_inner_texts()[1:-1] == [
        label.get(c, c) for c in shown["counting"]["columns"]
    ]
    rows = table.locator("tbody tr")
    for i, counts in enumerate(shown["counting"]["counts"]):
        assert rows.nth(i).locator("td").all_inner_texts()[:-1] == [str(c) for c in counts]
    # the sparsity question: the counts and each smoothing's probability (4 decimals on the page)
    assert (shown["sparsity"]["ngram_count"], shown["sparsity"]["context_count"]) == (0, 0)
    for smoothing, p in shown["sparsity"]["probabilities"].items():
        text = page.locator(f"[data-testid=sparsity-table] tr[data-smoothing={smoothing}] td").inner_text()
        assert abs(spanish_number(text.split("=")[-1]) - p) <= 5e-5 + 1e-12
    assert shown["sparsity"]["probabilities"]["none"] == 0 and shown["sparsity"]["probabilities"]["add-k"] > 0
    # both texts, character by character, and the engine's own answer (p rounded to 5 digits there)
    answer = page.evaluate(f"pizarra.call('lm_generate', {json.dumps(generation)})")
    for name in ("ngram", "rnn"):
        drawn = page.evaluate(
            f"Array.from(document.querySelectorAll('[data-testid={name}-output] .tok'), (s) => s.textContent)"
        )
        assert drawn == [shown_token(t) for t in shown["generation"][name]["tokens"]]
        assert answer[name]["tokens"] == shown["generation"][name]["tokens"]
        assert all(
            abs(a - b) <= 5e-6 + 1e-12 for a, b in zip(answer[name]["p"], shown["generation"][name]["p"])
        )
    assert shown["generation"]["prompt"] == answer["prompt"] == list("El ")
    # inside the GRU: the update gate, as the heat map's answer
    inside = page.evaluate("pizarra.call('lm_inside', {what: 'z'})")
    assert (
        (inside["steps"], inside["units"])
        == (shown["inside"]["steps"], shown["inside"]["units"])
        == (63, 128)
    )
    assert abs(inside["scale"] - shown["inside"]["scale"]) < 1e-12
    # the perplexity table: the 3-gram with Kneser–Ney and the GRU
    table = page.get_by_test_id("perplexity-char").locator("tbody tr")
    assert spanish_number(table.nth(2).locator("td").nth(2).inner_text()) == round(
        shown["perplexity"]["ngram"], 2
    )
    assert spanish_number(table.nth(7).locator("td").inner_text()) == round(shown["perplexity"]["rnn"], 2)
    # the model trained here: the last sample it wrote on the page, at the step it stopped at
    live = shown["live"]
    assert live["step"] == step
    last = page.get_by_test_id("train-samples").locator("li").first
    assert last.locator(".caption").inner_text().strip() == f"paso {step}:"
    written = {"</s>": "¶ ", "<unk>": "�", "<s>": "⟨s⟩"}  # train-section.js showSample
    assert last.locator(".sample-text").text_content() == "".join(written.get(t, t) for t in live["tokens"])

    markdown = " ".join(cell_sources(document, "markdown"))
    assert (
        "este cuaderno" in markdown
        and "Contar bigramas" in markdown
        and "La red que entrenaste en la página" in markdown
    )
    assert any(source.startswith("WEIGHTS = ") for source in cell_sources(document, "code"))
    assert_close(notebook_result(run_notebook(document)), shown)

    page.evaluate("() => document.querySelectorAll('[data-testid^=notice]').forEach((n) => n.remove())")
    page.get_by_test_id("share").click()  # the link cannot carry the trained model; the notebook does
    assert "El cuaderno del botón «Python» sí lo lleva" in page.locator(".notice").last.inner_text()
    assert errors == []


def test_python_button_notebook_at_word_level_reproduces_the_page(new_page, site, run_notebook):
    """At word level the notebook loads the page's pruned n-gram and word network, writes the same
    words and measures the perplexities the page's table has (the network's on the tests' sample)."""
    page, errors = new_page(locale="en-US")
    page.goto(f"{site}#/lm?level=word&words=20&seed=2&worder=3&wmodel=gru&prompt=the+people&show=z")
    generated(page)
    page.get_by_test_id("inside-heatmap").wait_for()
    document = download_notebook(page)
    shown = document["metadata"]["pizarra"]["result"]
    for name in ("ngram", "rnn"):
        drawn = page.evaluate(
            f"Array.from(document.querySelectorAll('[data-testid={name}-output] .tok'), (s) => s.textContent)"
        )
        assert drawn == [shown_token(t) for t in shown["generation"][name]["tokens"]]
    assert shown["generation"]["prompt"] == ["the", "people"]
    rows = RESULTS["words"]["en"]["table"]
    assert shown["perplexity"]["ngram"] == next(
        r["test"] for r in rows if r.get("pruned") and r["order"] == 3
    )
    assert shown["perplexity"]["rnn"] == next(
        r["test_check"] for r in rows if r.get("cell") == "gru" and r["model"] == "recurrent"
    )
    assert (shown["inside"]["what"], shown["inside"]["units"]) == ("z", 256)
    assert_close(notebook_result(run_notebook(document)), shown)
    assert errors == []
