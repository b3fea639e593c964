"""The attention page: the course example translated by four variants before Python is ready and by
Python, maps whose rows sum to 1 in words and in pieces, the Transformer's cross-attention per
layer and head, the decoding options in the link, bad input, and the notebook."""

import json
import re
import urllib.parse

import pytest
from conftest import (
    ROOT,
    ConsoleLog,
    assert_close,
    cell_sources,
    download_notebook,
    notebook_result,
    page_at,
    wait_engine,
)

from pizarra.data.subwords import join

LINK = {
    "controls": {
        "variant": ("select", "variant"),
        "units": ("select", "units"),
        "xlayer": ("select", "cross-layer"),
        "xhead": ("select", "cross-head"),
        "beam": ("select", "beam"),
        "alpha": ("slider", "alpha"),
        "beta": ("slider", "beta"),
        "layer": ("select", "layer-select"),
        "head": ("select", "head-select"),
        "view": ("select", "view-select"),
    },
    # sentence, masked: free text (the round trip and bad-input tests below); step: its largest value
    # is the translation's last step, which depends on the sentence (the round trip below opens step=1)
    "elsewhere": {"sentence", "masked", "step"},
    "companions": {},
    "off_presets": [{"beam": 6}],
    "ready": "(document.querySelector('[data-testid=translation]')?.textContent || '').trim() !== '' "
    "&& document.querySelectorAll('[data-testid=mask-predictions] .bar').length > 0",
}
HELD_OUT = json.loads(
    (ROOT / "pysrc" / "pizarra" / "weights" / "attention_test.json").read_text(encoding="utf-8")
)
PREVIEW = json.loads(
    (ROOT / "pysrc" / "pizarra" / "weights" / "attention_page.json").read_text(encoding="utf-8")
)
COURSE_EXAMPLE = "Él trabaja con los dos"
ENDS = {".", "?", "!", "…"}


def as_read(tokens):
    """The words of a sentence as the translators read them: a final period added when it has none."""
    return tokens if tokens[-1] in ENDS else tokens + ["."]


def shown_words(page, words):
    """Wait until the translations on screen are those of `words` (the source as read)."""
    page.wait_for_function(
        "(w) => document.querySelector('[data-testid=translations]')?.dataset.words === w",
        arg=" ".join(words),
        timeout=120_000,
    )


def translate(page, sentence):
    page.get_by_test_id("source-input").fill(sentence)
    page.get_by_test_id("translate").click()


def weights_table(page):
    """The attention matrix as numbers (the table under the heat map), rows of floats."""
    rows = page.locator("[data-testid=attention-numbers] tr").all()[1:]
    return [[float(cell.replace(",", "")) for cell in row.locator("td").all_text_contents()] for row in rows]


@pytest.fixture(scope="module")
def attention(site, browser):
    """One attention page, engine ready, reused by the tests of this module."""
    with page_at(browser, site + "#/attention") as (page, errors):
        page.get_by_test_id("translation").wait_for()  # the precomputed example, before Python
        wait_engine(page, timeout=120_000)
        yield page, errors


def test_the_precomputed_translation_is_on_screen_before_python(site, new_page):
    page, errors = new_page(locale="es-ES")
    page.route(re.compile(r".*/runtime/.*"), lambda route: route.abort())  # Python never arrives
    page.goto(site + "#/attention")
    page.get_by_test_id("translation").wait_for()
    assert page.get_by_test_id("translation").inner_text().strip()
    assert page.locator(".translation-row").count() == 4
    assert page.get_by_test_id("attention-map").is_visible()
    assert page.get_by_test_id("source-input").input_value() == COURSE_EXAMPLE
    assert page.get_by_test_id("bleu-table").is_visible()
    assert page.locator("[data-testid=bleu-table] tr").count() == 2 + 4  # two heading rows, four variants


def test_the_course_example_button_translates_it_as_the_course_does(attention):
    """With the variant that reads the everyday set best (the BLEU table's default decoding),
    «Él trabaja con los dos» is "he works with both" or "he works with the two"."""
    page, errors = attention
    page.get_by_test_id("source-input").fill("")
    page.get_by_test_id("example-course").click()
    shown_words(page, ["él", "trabaja", "con", "los", "dos", "."])
    assert "full stop" in page.get_by_test_id("translate-message").inner_text()  # read with a final period
    best = max(PREVIEW["bleu"], key=lambda variant: PREVIEW["bleu"][variant]["everyday"]["default"])
    said = page.locator(f".translation-row[data-variant={best}] .translation-words").inner_text()
    assert re.fullmatch(r"he works with (both|the two) ?\.?", " ".join(said.split())), (best, said)
    assert errors == []


def test_translating_a_test_sentence_shows_maps_whose_rows_sum_to_one(attention):
    page, errors = attention
    pair = next(p for p in HELD_OUT["pairs"] if 8 <= len(p["es"]) <= 12)
    words = as_read(pair["es"])
    translate(page, " ".join(pair["es"]))
    shown_words(page, words)
    assert page.get_by_test_id("translation").inner_text().strip()
    assert page.get_by_test_id("attention-map").is_visible()
    matrix = weights_table(page)
    assert matrix and all(len(row) == len(words) for row in matrix)
    assert all(abs(sum(row) - 1) < 0.01 for row in matrix)
    page.get_by_test_id("units").select_option("pieces")  # the same map over subword pieces
    page.wait_for_function("() => location.hash.includes('units=pieces')")
    pieces = page.locator(".source-tokens .token").all_text_contents()
    assert len(pieces) >= len(words) and "".join(pieces).replace("▁", "") == "".join(words)
    matrix = weights_table(page)
    assert matrix and all(len(row) == len(pieces) and abs(sum(row) - 1) < 0.01 for row in matrix)
    page.get_by_test_id("units").select_option("words")
    page.get_by_test_id("decode-step").fill("2")
    page.wait_for_function("location.hash.includes('step=2')")
    assert "3" in page.locator(".step-heading").inner_text()
    assert errors == []


def test_the_transformer_shows_its_cross_attention_per_layer_and_head(attention):
    # (the layer and head selects show value v as v + 1: they are picked by index, since Playwright's
    # select_option("1") would match the label "1")
    page, errors = attention
    translate(page, COURSE_EXAMPLE)
    shown_words(page, ["él", "trabaja", "con", "los", "dos", "."])
    page.get_by_test_id("variant").select_option("transformer")
    assert page.get_by_test_id("cross-layer").is_visible() and page.get_by_test_id("cross-head").is_visible()
    mean = weights_table(page)
    page.get_by_test_id("cross-layer").select_option(index=0)
    page.get_by_test_id("cross-head").select_option(index=2)
    page.wait_for_function("() => location.hash.includes('xlayer=0') && location.hash.includes('xhead=1')")
    assert "head 2" in page.get_by_test_id("cross-hint").inner_text()
    one_head = weights_table(page)
    assert len(one_head) == len(mean) and one_head != mean
    assert all(abs(sum(row) - 1) < 0.01 for row in one_head)
    # the step-through: every layer's and head's weights, no s_ij column
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=step-heads]').hidden && document"
        ".querySelectorAll('[data-testid=step-heads] .heatmap-row-labels .heatmap-label').length === 8",
        timeout=120_000,
    )
    rows = page.get_by_test_id("step-heads").locator(".heatmap-row-labels .heatmap-label").all_text_contents()
    assert rows[0] == "layer 1 · head 1" and len(rows) == 2 * 4
    assert page.locator(".scores-table th").count() == 3  # j, piece, w_ij
    page.get_by_test_id("cross-head").select_option(index=0)
    page.get_by_test_id("cross-layer").select_option(index=1)
    page.get_by_test_id("variant").select_option("additive")
    assert page.get_by_test_id("cross-layer").is_hidden()
    assert errors == []


def test_the_decoding_options_round_trip_through_the_link(attention, browser):
    """The decoding (beam, α, β) and the map's choices, set on the page, are in its link; the link
    opens them in another browser, which computes the same translation."""
    page, _ = attention
    sentence = "La casa es grande y la comida es buena."
    words = ["la", "casa", "es", "grande", "y", "la", "comida", "es", "buena", "."]
    page.get_by_test_id("variant").select_option("transformer")
    page.get_by_test_id("units").select_option("pieces")
    page.get_by_test_id("cross-head").select_option(index=3)
    page.get_by_test_id("beam").select_option(value="3")
    page.get_by_test_id("alpha").fill("1")
    page.get_by_test_id("beta").fill("0.5")
    translate(page, sentence)  # the newest request: what is shown is this one's answer
    shown_words(page, words)
    page.get_by_test_id("beam-candidates").locator("li").first.wait_for(timeout=120_000)
    page.get_by_test_id("decode-step").fill("1")
    page.get_by_test_id("head-select").select_option(index=2)
    page.wait_for_function(
        "() => ['variant=transformer', 'units=pieces', 'xhead=2', 'beam=3', 'alpha=1', 'beta=0.5', "
        "'step=1', 'head=2', 'sentence='].every((k) => location.hash.includes(k))"
    )
    link = page.url
    translation = page.get_by_test_id("translation").inner_text()
    context = browser.new_context(locale="en-US")
    other = context.new_page()
    errors = ConsoleLog().attach(other)
    other.goto(link)
    shown_words(other, words)
    other.get_by_test_id("beam-candidates").locator("li").first.wait_for(timeout=120_000)
    assert other.get_by_test_id("source-input").input_value() == sentence
    for testid, value in (
        ("variant", "transformer"),
        ("units", "pieces"),
        ("cross-head", "2"),
        ("beam", "3"),
        ("alpha", "1"),
        ("beta", "0.5"),
        ("decode-step", "1"),
        ("head-select", "2"),
    ):
        assert other.get_by_test_id(testid).input_value() == value, testid
    assert other.get_by_test_id("translation").inner_text() == translation
    assert other.url == link
    assert errors == []
    context.close()
    page.get_by_test_id("cross-head").select_option(index=0)  # back to the defaults
    for testid, value in (("variant", "additive"), ("units", "words"), ("beam", "4")):
        page.get_by_test_id(testid).select_option(value=value)
    page.get_by_test_id("alpha").fill("0.6")
    page.get_by_test_id("beta").fill("0")


def test_bad_input_shows_its_message(attention):
    page, errors = attention
    translate(page, "   ")
    message = page.get_by_test_id("translate-message")
    page.wait_for_function(
        "document.querySelector('[data-testid=translate-message]').dataset.kind === 'error'"
    )
    assert "Type a sentence" in message.inner_text()

    translate(page, "Él trabaja con los dos ordenadores ☃.")  # a character never seen in training
    shown_words(page, ["él", "trabaja", "con", "los", "dos", "ordenadores", "☃", "."])
    assert page.locator(".source-tokens .token.unknown").all_text_contents() == ["☃"]
    assert "<unk>" in message.inner_text() and page.get_by_test_id("translation").inner_text().strip()

    translate(page, " ".join(["y dijo dios"] * 10))
    shown_words(page, ("y dijo dios " * 7).split()[:19] + ["."])
    assert "only its beginning" in message.inner_text()

    translate(page, '<img src=x onerror="document.title=1"> casa')  # typed text is text, never HTML
    page.wait_for_function(
        "() => document.querySelector('[data-testid=translations]').dataset.words.includes('img')"
    )
    assert page.locator("main img").count() == 0

    page.get_by_test_id("mask-input").fill("La capital de España es Madrid.")
    page.get_by_test_id("mask-run").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=mask-message]').textContent.includes('[MASK]')"
    )
    assert page.get_by_test_id("mask-message").get_attribute("role") == "alert"
    assert errors == []


def test_mask_guesses_and_heads(attention):
    page, errors = attention
    page.get_by_test_id("mask-input").fill("El [MASK] de la ciudad .")
    page.get_by_test_id("mask-run").click()
    page.wait_for_function("document.querySelectorAll('[data-testid=mask-predictions] .bar').length === 5")
    page.get_by_test_id("head-select").select_option(index=1)
    page.wait_for_function("() => document.querySelectorAll('.attention-lines line').length === 6 * 6")
    assert errors == []


LIGHT = "Y dijo Dios: Sea la luz."
LIGHT_TOKENS = ["y", "dijo", "dios", ":", "sea", "la", "luz", "."]
CITY = "El [MASK] de la ciudad ."


def test_an_old_link_with_the_short_keys_still_opens_and_is_written_with_the_new_names(site, new_page):
    """Links shared before the keys were renamed carried s, v and m: they open the same page, with
    no notice, and the address then holds sentence, variant and masked."""
    page, errors = new_page(locale="en-US")
    page.goto(f"{site}#/attention?{urllib.parse.urlencode({'s': LIGHT, 'v': 'dot', 'step': 1, 'm': CITY})}")
    shown_words(page, LIGHT_TOKENS)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=mask-predictions] .bar').length === 5", timeout=60_000
    )
    assert page.get_by_test_id("source-input").input_value() == LIGHT
    assert page.get_by_test_id("variant").input_value() == "dot"
    assert page.get_by_test_id("decode-step").input_value() == "1"
    assert page.get_by_test_id("mask-input").input_value() == CITY
    assert "Dot-product" in page.locator(".translation-row.chosen .variant-name").inner_text()
    page.wait_for_function("() => location.hash.includes('sentence=')")
    address = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).fragment.partition("?")[2])
    assert address == {"sentence": [LIGHT], "variant": ["dot"], "step": ["1"], "masked": [CITY]}
    assert page.get_by_test_id("notice-warning").count() == 0
    assert errors == []


SCREEN = """() => {
  const all = (selector) => [...document.querySelectorAll(`main ${selector}`)].map((e) => e.textContent.trim());
  return {
    title: all('h1'), headings: all('h2'), variant: all('[data-testid=variant] option:checked'),
    step: all('.step-heading'), bleuHeads: all('[data-testid=bleu-table] th'),
    lines: document.querySelector('main .attention-lines').getAttribute('aria-label'),
    source: document.querySelector('main [data-testid=source-input]').value,
    translations: all('.translation-words'), matrix: all('[data-testid=attention-numbers] td'),
    scores: all('.scores-table td.num'), next: all('[data-testid=next-words] .bar-label'),
    nextP: all('[data-testid=next-words] .bar-value'), beam: all('.beam-words'), beamScores: all('.beam-score'),
    guesses: all('[data-testid=mask-predictions] .bar-label'), guessP: all('[data-testid=mask-predictions] .bar-value'),
    bleu: all('[data-testid=bleu-table] td'),
  };
}"""
WORDS = ("title", "headings", "variant", "step", "bleuHeads", "lines")  # change with the language
NUMBERS = ("matrix", "scores", "nextP", "beamScores", "guessP", "bleu")  # written in its format
SAME = ("source", "translations", "next", "beam", "guesses")  # never change


def numbers_in(texts):
    """The numbers shown, whichever the language's decimal separator ("0,781" or "0.781")."""
    found = [n for text in texts for n in re.findall(r"[−-]?\d+(?:[.,]\d+)?", text)]
    return [float(n.replace(",", ".").replace("−", "-")) for n in found]


def test_switching_language_changes_the_words_in_place_and_asks_python_nothing(site, new_page):
    """Issue 24: once Python has answered every section, switching to English and back rewrites the
    words where they are — no engine call, the same elements (no remount), the same results with the
    numbers in the language's format, the scroll and the focus kept."""
    page, errors = new_page(locale="es-ES", viewport={"width": 1280, "height": 800})
    state = {"sentence": LIGHT, "variant": "additive", "beam": 3, "step": 1, "masked": CITY}
    page.goto(f"{site}#/attention?{urllib.parse.urlencode(state)}")
    shown_words(page, LIGHT_TOKENS)
    page.get_by_test_id("beam-candidates").locator("li").first.wait_for(timeout=120_000)
    page.locator(".step-heading", has_text="Paso 2").wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('.attention-lines line').length === 36", timeout=60_000
    )
    page.evaluate("""() => {
        window.calls = [];
        const call = pizarra.call.bind(pizarra);
        pizarra.call = (fn, ...rest) => (window.calls.push(fn), call(fn, ...rest));
        window.kept = [...document.querySelectorAll('main h1, main [data-testid=translation], main .step-heading')];
      }""")
    beam = page.get_by_test_id("beam")
    beam.evaluate("(select) => select.scrollIntoView({block: 'center'})")
    where, scrolled = beam.bounding_box()["y"], page.evaluate("() => scrollY")
    spanish = page.evaluate(SCREEN)
    assert any("," in cell for cell in spanish["matrix"]) and spanish["step"][0].startswith("Paso 2 de ")

    screens = {}
    for language in ("en", "es"):
        page.get_by_test_id(f"lang-{language}").click()
        page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=language)
        page.wait_for_timeout(500)  # time for a remount, if there were one
        assert page.evaluate("() => window.calls") == [], language  # nothing computed again
        assert page.evaluate("() => window.kept.every((element) => element.isConnected)"), language
        shown = screens[language] = page.evaluate(SCREEN)
        assert page.evaluate("() => document.activeElement.dataset.testid") == f"lang-{language}"
        # No jump: the beam select stays on screen where it was, give or take the lines that the words
        # above it gain or lose in the other language.
        assert (
            abs(beam.bounding_box()["y"] - where) < 3 * 24 and page.evaluate("() => scrollY") > scrolled / 2
        )
        assert {k: shown[k] for k in SAME} == {k: spanish[k] for k in SAME}, language
        for key in NUMBERS:
            assert numbers_in(shown[key]) == numbers_in(spanish[key]) and shown[key], (language, key)
    english = screens["en"]
    assert [k for k in WORDS if english[k] == spanish[k]] == []  # every kind of word changed
    assert english["title"] == ["Attention: a translator that shows where it looks"]
    assert english["step"][0].startswith("Step 2 of ") and english["variant"] == [
        "Additive (Bahdanau) attention"
    ]
    assert english["lines"] == "Attention weights as lines between words"
    assert not any("," in cell for cell in english["matrix"] + english["bleu"])
    assert screens["es"] == spanish  # and back, as it was
    assert errors == []


def number(text):
    """A number as the page writes it in Spanish ("0,781", "−1,2", "24,1 %")."""
    return float(
        text.replace("−", "-")
        .replace("%", "")
        .replace("\u202f", "")
        .replace("\xa0", "")
        .replace(",", ".")
        .strip()
    )


def test_python_button_notebook_reproduces_the_page_in_a_clean_venv(site, new_page, run_notebook):
    """The notebook of a non-default state (the Transformer, beam 3 with α 1 and β 0.5, step 3,
    layer 2 head 3), in Spanish, run in a plain venv, gives what the page shows — the translations,
    the attention matrix, the step's weights and next pieces, beam search, the [MASK] guesses and the
    head's weights — and the engine's own answers; the notebook agrees with them to 1e-6 for the
    masked LM, 1e-5 for the translators."""
    sentence, masked = "Y dijo Dios: Sea la luz.", "El [MASK] de la ciudad ."
    state = {
        "sentence": sentence,
        "variant": "transformer",
        "step": 2,
        "beam": 3,
        "alpha": 1,
        "beta": 0.5,
        "masked": masked,
        "layer": 1,
        "head": 2,
    }
    page, errors = new_page(locale="es-ES")
    page.goto(f"{site}#/attention?{urllib.parse.urlencode(state)}")
    shown_words(page, LIGHT_TOKENS)
    page.locator(".step-heading", has_text="Paso 3").wait_for(timeout=120_000)
    page.get_by_test_id("beam-candidates").locator("li").first.wait_for(timeout=120_000)
    page.wait_for_function("document.querySelectorAll('.attention-lines line').length === 36", timeout=60_000)

    document = download_notebook(page)
    shown = document["metadata"]["pizarra"]["result"]
    # The engine's own answers, as the page asked for them (rounded as the page shows them).
    steps = page.evaluate(
        "(s) => pizarra.call('attention_steps', {sentence: s, variant: 'transformer', beam: 3, "
        "alpha: 1, beta: 0.5}, {assets: ['attention_subwords.json', 'attention_transformer.npz']})",
        sentence,
    )
    heads = page.evaluate(
        "(m) => pizarra.call('attention_mask', {sentence: m}, {assets: ['attention_mlm.npz']})", masked
    )
    assert shown["words"] == steps["words"] == LIGHT_TOKENS
    assert (
        shown["beam"]["translation"] == steps["beam"]["translation"] == shown["translations"]["transformer"]
    )
    step = shown["step"]
    assert step["i"] == 2 and step["piece"] == steps["steps"][2]["piece"]
    assert all(abs(a - b) <= 5e-5 + 1e-9 for a, b in zip(step["weights"], steps["steps"][2]["weights"]))
    assert shown["mask"]["guesses"][0]["position"] == heads["guesses"][0]["position"] == 1
    assert [w["word"] for w in shown["mask"]["guesses"][0]["words"]] == [
        w["word"] for w in heads["guesses"][0]["words"]
    ]
    assert all(
        abs(a - b) <= 5e-4 + 1e-9
        for a, b in zip(sum(shown["head"]["weights"], []), sum(heads["layers"][1]["weights"][2], []))
    )

    # What the page displays, rounded: translations, the matrix's numbers, the step, beam, guesses, lines.
    # Weights and probabilities are rounded twice (to 4 digits by the engine, then to 3 or to 0.1 %).
    twice = 5e-4 + 5e-5 + 1e-9
    for variant, words in shown["translations"].items():
        assert page.locator(
            f".translation-row[data-variant={variant}] .translation-words"
        ).inner_text().split() == (words or ["∅"])
    table = [
        [number(c) for c in row.locator("td").all_text_contents()]
        for row in page.locator("[data-testid=attention-numbers] tr").all()[1:]
    ]
    assert len(table) == len(shown["attention"])
    assert all(abs(a - b) <= 5e-4 + 1e-9 for r, s in zip(table, shown["attention"]) for a, b in zip(r, s))
    assert f"«{step['piece']}»" in page.locator(".step-heading").inner_text()
    rows = [row.locator("td").all_text_contents() for row in page.locator(".scores-table tr").all()[1:]]
    assert [r[1] for r in rows] == steps["pieces"]
    assert all(abs(number(r[2]) - w) <= twice for r, w in zip(rows, step["weights"]))
    next_pieces = page.get_by_test_id("next-words")
    assert next_pieces.locator(".bar-label").all_text_contents() == [c["piece"] for c in step["top"]]
    assert all(
        abs(number(v) / 100 - c["p"]) <= twice
        for v, c in zip(next_pieces.locator(".bar-value").all_text_contents(), step["top"])
    )
    beam = page.get_by_test_id("beam-candidates")
    assert beam.locator(".beam-result strong").inner_text() == " ".join(shown["beam"]["translation"])
    assert beam.locator(".beam-words").all_text_contents() == [
        " ".join(join([p for p in c["pieces"] if p != "</s>"])) for c in shown["beam"]["candidates"]
    ]
    guesses = page.get_by_test_id("mask-predictions")
    assert guesses.locator(".bar-label").all_text_contents() == [
        w["word"] for w in shown["mask"]["guesses"][0]["words"]
    ]
    assert all(
        abs(number(v) / 100 - w["p"]) <= twice
        for v, w in zip(
            guesses.locator(".bar-value").all_text_contents(), shown["mask"]["guesses"][0]["words"]
        )
    )
    opacities = page.eval_on_selector_all(
        ".attention-lines line", "lines => lines.map(l => Number(l.getAttribute('stroke-opacity')))"
    )
    assert all(abs(a - b) <= 5e-4 + 1e-9 for a, b in zip(opacities, sum(shown["head"]["weights"], [])))

    markdown = " ".join(cell_sources(document, "markdown"))
    assert "Este cuaderno" in markdown and "La matriz de atención" in markdown and "Autoatención" in markdown
    assert sentence not in markdown and masked not in markdown  # typed text only as Python literals
    ran = notebook_result(run_notebook(document))
    # Both run in float32, but Pyodide's NumPy (no BLAS) and CPython's (OpenBLAS) sum in different
    # orders: the masked LM's two layers agree to 1e-6; the translators' GRU carries those ~1e-7
    # differences along the decoded words to a few 1e-6 (weights, scores, beam log-probabilities;
    # at most 3.3e-6 over 24 test sentences), so they are compared to 1e-5.
    assert_close({k: ran[k] for k in ("mask", "head")}, {k: shown[k] for k in ("mask", "head")})
    assert_close(ran, shown, tolerance=1e-5)
    assert errors == []
