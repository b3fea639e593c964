"""The attention page: a precomputed translation before Python is ready, translating a test-split
sentence with a heat map whose rows sum to 1, the link, and bad input."""

import json
import re

import pytest

from conftest import ROOT, ConsoleLog, page_at, wait_engine

LINK = {
    "controls": {
        "v": ("select", "variant"), "beam": ("select", "beam"),
        "layer": ("select", "layer-select"), "head": ("select", "head-select"), "view": ("select", "view-select"),
    },
    # s, m: free text (the round trip and bad-input tests below); step: its largest value is the
    # translation's last step, which depends on the sentence (the round trip below opens step=1)
    "elsewhere": {"s", "m", "step"},
    "companions": {},
    "off_presets": [{"beam": 6}],
    "ready": "(document.querySelector('[data-testid=translation]')?.textContent || '').trim() !== '' "
             "&& document.querySelectorAll('[data-testid=mask-predictions] .bar').length > 0",
}
HELD_OUT = json.loads((ROOT / "pysrc" / "pizarra" / "weights" / "attention_test.json").read_text(encoding="utf-8"))


def shown_tokens(page, tokens):
    """Wait until the translations on screen are those of `tokens`."""
    page.wait_for_function("(t) => document.querySelector('[data-testid=translations]')?.dataset.tokens === t",
                           arg=" ".join(tokens), timeout=60_000)


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
        page.get_by_test_id("translation").wait_for()       # the precomputed example, before Python
        wait_engine(page, timeout=120_000)
        yield page, errors


def test_the_precomputed_translation_is_on_screen_before_python(site, new_page):
    page, errors = new_page(locale="es-ES")
    page.route(re.compile(r".*/runtime/.*"), lambda route: route.abort())    # Python never arrives
    page.goto(site + "#/attention")
    page.get_by_test_id("translation").wait_for()
    assert page.get_by_test_id("translation").inner_text().strip()
    assert page.get_by_test_id("attention-map").is_visible()
    assert page.get_by_test_id("source-input").input_value()
    assert page.get_by_test_id("bleu-table").is_visible()


def test_translating_a_test_sentence_shows_a_translation_and_rows_that_sum_to_one(attention):
    page, errors = attention
    pair = next(p for p in HELD_OUT["pairs"] if 8 <= len(p["es"]) <= 12)
    translate(page, " ".join(pair["es"]))
    shown_tokens(page, pair["es"])
    assert page.get_by_test_id("translation").inner_text().strip()
    assert page.get_by_test_id("attention-map").is_visible()
    matrix = weights_table(page)
    assert matrix and all(len(row) == len(pair["es"]) for row in matrix)
    assert all(abs(sum(row) - 1) < 0.01 for row in matrix)
    page.get_by_test_id("decode-step").fill("2")
    page.wait_for_function("location.hash.includes('step=2')")
    assert "3" in page.locator(".step-heading").inner_text()
    assert errors == []


def test_the_link_round_trips(attention, browser):
    page, _ = attention
    translate(page, "Y dijo Dios: Sea la luz.")
    shown_tokens(page, ["y", "dijo", "dios", ":", "sea", "la", "luz", "."])
    page.get_by_test_id("variant").select_option("dot")
    page.get_by_test_id("beam").select_option("3")
    page.get_by_test_id("beam-candidates").locator("li").first.wait_for()
    page.get_by_test_id("decode-step").fill("1")
    page.get_by_test_id("head-select").select_option(index=2)
    page.wait_for_function("['v=dot', 'beam=3', 'step=1', 'head=2', 's='].every((k) => location.hash.includes(k))")
    link = page.url
    translation = page.get_by_test_id("translation").inner_text()
    context = browser.new_context(locale="en-US")
    other = context.new_page()
    errors = ConsoleLog().attach(other)
    other.goto(link)
    shown_tokens(other, ["y", "dijo", "dios", ":", "sea", "la", "luz", "."])
    other.get_by_test_id("beam-candidates").locator("li").first.wait_for()
    assert other.get_by_test_id("source-input").input_value() == "Y dijo Dios: Sea la luz."
    assert other.get_by_test_id("variant").input_value() == "dot"
    assert other.get_by_test_id("beam").input_value() == "3"
    assert other.get_by_test_id("decode-step").input_value() == "1"
    assert other.get_by_test_id("head-select").input_value() == "2"
    assert other.get_by_test_id("translation").inner_text() == translation
    assert other.url == link
    assert errors == []
    context.close()


def test_bad_input_shows_its_message(attention):
    page, errors = attention
    translate(page, "   ")
    message = page.get_by_test_id("translate-message")
    page.wait_for_function("document.querySelector('[data-testid=translate-message]').dataset.kind === 'error'")
    assert "Type a sentence" in message.inner_text()

    translate(page, "Él trabaja con los dos ordenadores")
    shown_tokens(page, ["él", "trabaja", "con", "los", "dos", "ordenadores"])
    assert page.locator(".source-tokens .token.unknown").count() >= 1
    assert "<unk>" in message.inner_text() and page.get_by_test_id("translation").inner_text().strip()

    long = " ".join(["y dijo dios"] * 10)
    translate(page, long)
    shown_tokens(page, ("y dijo dios " * 7).split()[:20])
    assert "first 20" in message.inner_text()

    page.get_by_test_id("mask-input").fill("La capital de España es Madrid.")
    page.get_by_test_id("mask-run").click()
    page.wait_for_function("document.querySelector('[data-testid=mask-message]').textContent.includes('[MASK]')")
    assert page.get_by_test_id("mask-message").get_attribute("role") == "alert"
    assert errors == []


def test_mask_guesses_and_heads(attention):
    page, errors = attention
    page.get_by_test_id("mask-input").fill("El [MASK] de la ciudad .")
    page.get_by_test_id("mask-run").click()
    page.wait_for_function("document.querySelectorAll('[data-testid=mask-predictions] .bar').length === 5")
    page.get_by_test_id("head-select").select_option(index=1)
    page.locator(".attention-lines line").first.wait_for(state="attached")
    assert page.locator(".attention-lines line").count() == 6 * 6
    assert errors == []
