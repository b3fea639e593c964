"""The Embeddings page: the count table before Python, neighbours and an analogy on GloVe, a short
live training run whose loss decreases, the link round-trip, and bad inputs with their messages."""

import re

import pytest

from conftest import page_at, wait_engine

# The controls of the page's link state, for tests/e2e/test_link_bounds.py.
LINK = {
    "controls": {
        "method": ("select", "projection-method"), "weight": ("select", "count-weighting"),
        "the": ("checkbox", "count-the"), "csrc": ("select", "count-source"), "cwin": ("slider", "count-window"),
        "cweight": ("select", "count-corpus-weighting"), "cdim": ("select", "count-dim"),
        "src": ("select", "train-source"), "model": ("select", "train-model"), "dim": ("select", "train-dim"),
        "win": ("slider", "train-window"), "neg": ("slider", "train-negatives"), "alpha": ("slider", "train-alpha"),
        "t": ("select", "train-sample"), "lr": ("select", "train-lr"), "ep": ("slider", "train-epochs"),
        "seed": ("number", "train-seed"), "minc": ("number", "train-mincount"),
    },
    # free text (queries, analogy, projection list, watched words), tested below; `set` too: its last
    # two choices (a set trained or loaded in this browser) cannot open from a link in a fresh one
    "elsewhere": {"q", "a", "b", "c", "around", "proj", "watch", "set"},
    "companions": {},
    "off_presets": [{"cdim": 7, "dim": 33, "t": 0.005, "lr": 0.03}],
    "ready": "document.querySelector('main[data-page=embeddings] [data-testid=train-mincount]') !== null",
}


@pytest.fixture(scope="module")
def emb(site, browser):
    """One page of Embeddings in English, engine ready, reused by the tests of this module."""
    with page_at(browser, site + "#/embeddings") as (page, errors):
        page.get_by_test_id("count-table").locator("td").first.wait_for()   # precomputed: no Python needed
        wait_engine(page)
        page.get_by_test_id("neighbours").locator(".neighbour-box").first.wait_for()
        yield page, errors


def test_count_table_shows_the_course_table_and_ppmi(emb):
    page, errors = emb
    table = page.get_by_test_id("count-table")
    assert table.locator("tbody tr").count() == 4
    assert "975" in table.inner_text()                      # baseball × the, raw counts
    page.get_by_test_id("count-weighting").select_option("ppmi")
    page.wait_for_function("location.hash.includes('weight=ppmi')")
    assert "975" not in table.inner_text()
    page.get_by_test_id("count-the").uncheck()
    page.wait_for_function("location.hash.includes('the=0')")
    assert "the" not in [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert not errors


def search(page, words):
    page.get_by_test_id("word-input").fill(words)
    page.get_by_test_id("word-input").press("Enter")


def test_neighbours_and_analogy_on_glove(emb):
    page, errors = emb
    search(page, "queen")
    page.wait_for_function("document.querySelector('[data-testid=neighbours] h4')?.textContent === 'queen'")
    neighbours = page.get_by_test_id("neighbours").inner_text()
    assert "king" in neighbours or "princess" in neighbours
    for slot, value in (("a", "paris"), ("b", "france"), ("c", "rome")):
        page.get_by_test_id(f"analogy-{slot}").fill(value)
    page.get_by_test_id("analogy-c").press("Enter")
    page.wait_for_function("[...document.querySelectorAll('[data-testid=analogy-result] li.best .word')].map(e => e.textContent).join() === 'italy,italy'")
    assert "a=paris&b=france&c=rome" in page.url            # 3CosAdd and 3CosMul both answer italy
    assert not errors


def test_bad_queries_show_their_messages(emb):
    page, errors = emb
    search(page, "kingg, !!!")
    page.wait_for_function("document.querySelectorAll('[data-testid=neighbours] [data-testid=query-error]').length === 2")
    messages = page.get_by_test_id("neighbours").inner_text()
    assert "kingg" in messages and "king" in messages.split("Perhaps")[1]
    assert "not a word" in messages
    search(page, "")
    page.wait_for_function("document.querySelector('[data-testid=neighbours]').innerText.includes('Type a word')")
    page.get_by_test_id("analogy-b").fill("")
    page.get_by_test_id("analogy-b").press("Enter")
    page.get_by_test_id("analogy-result").get_by_text("Type a word").wait_for()
    assert not errors


def test_pasted_text_without_words_or_over_the_limit_is_refused(emb):
    page, errors = emb
    page.get_by_test_id("train-source").select_option("text")
    page.get_by_test_id("train-text").fill("!!! ??? ...")
    page.get_by_test_id("train-toggle").click()
    page.get_by_test_id("train-status").get_by_text("too few usable words").wait_for()
    page.get_by_test_id("train-text").evaluate("(el) => { el.value = 'word '.repeat(210000); el.dispatchEvent(new Event('input')); }")
    page.get_by_test_id("train-toggle").click()
    page.get_by_test_id("train-status").get_by_text("over the 1 MB limit").wait_for()
    assert not errors


def test_short_live_training_lowers_the_loss(emb):
    page, errors = emb
    page.get_by_test_id("train-source").select_option("text")
    text = "\n".join(("the cat and the dog eat fish and meat " if i % 2 else "a hammer and a saw cut wood and metal ") * 8 for i in range(400))
    page.get_by_test_id("train-text").fill(text)
    page.get_by_test_id("train-watch").fill("cat")
    page.get_by_test_id("train-watch").dispatch_event("change")
    page.get_by_test_id("train-toggle").click()
    page.get_by_test_id("train-status").get_by_text(re.compile("Done|Stopped")).wait_for(timeout=60_000)
    assert "Done" in page.get_by_test_id("train-status").inner_text()
    first, last = map(float, re.findall(r"\d+\.?\d*", page.get_by_test_id("train-loss-summary").inner_text()))
    assert last < first
    assert page.get_by_test_id("train-neighbours").locator("h4").first.inner_text() == "cat"
    assert page.get_by_test_id("vector-set").input_value() == "trained"
    assert not errors


def test_own_vectors_join_the_views_and_a_bad_file_is_explained(emb):
    page, errors = emb
    upload = page.get_by_test_id("upload-input")
    upload.set_input_files(files=[{"name": "broken.txt", "mimeType": "text/plain", "buffer": b"a 1 2\nb 1\n"}])
    page.get_by_test_id("upload-status").get_by_text("line 2").wait_for()
    vectors = "3 2\nrey 1 0\nreina 0.9 0.1\nmesa 0 1\n".encode()
    upload.set_input_files(files=[{"name": "mine.txt", "mimeType": "text/plain", "buffer": vectors}])
    page.get_by_test_id("upload-status").get_by_text("stay in this browser").wait_for()
    assert page.get_by_test_id("vector-set").input_value() == "mine"
    search(page, "rey")
    page.wait_for_function("document.querySelector('[data-testid=neighbours] li .word')?.textContent === 'reina'")
    page.get_by_test_id("eval-table").locator("tr[data-set=mine]").wait_for()
    page.get_by_test_id("vector-set").select_option("glove_en")
    assert not errors


def test_the_link_round_trips(site, new_page):
    page, errors = new_page(locale="en-US")
    query = "set=sgns_en&q=war&a=france&b=paris&c=italy&around=congress&method=tsne&weight=ppmi&model=cbow&dim=25&seed=7"
    page.goto(site + "#/embeddings?" + query)
    wait_engine(page)
    page.wait_for_function("document.querySelector('[data-testid=neighbours] h4')?.textContent === 'war'")
    assert page.get_by_test_id("vector-set").input_value() == "sgns_en"
    assert page.get_by_test_id("word-input").input_value() == "war"
    assert page.get_by_test_id("analogy-c").input_value() == "italy"
    assert page.get_by_test_id("count-weighting").input_value() == "ppmi"
    assert page.get_by_test_id("train-model").input_value() == "cbow"
    assert page.get_by_test_id("train-seed").input_value() == "7"
    page.get_by_test_id("analogy-result").locator("li.best").first.wait_for()
    page.get_by_test_id("projection").locator(".point.centre", has_text="congress").wait_for()
    for key_value in query.split("&"):
        assert key_value in page.url
    assert not errors


def test_a_bad_link_gets_a_notice_and_defaults(site, new_page):
    page, errors = new_page(locale="es-ES")
    page.goto(site + "#/embeddings?set=mine&dim=9999&q=<b>x</b>")
    page.get_by_test_id("notice-warning").first.wait_for()
    notices = " ".join(page.get_by_test_id("notice-warning").all_inner_texts())
    assert "dim" in notices and "q" in notices
    # vectors loaded by whoever shared the link stay on their machine: said, and GloVe shown instead
    page.get_by_test_id("notice-warning").filter(has_text="no viajan con el enlace").wait_for()
    page.wait_for_function("document.querySelector('[data-testid=vector-set]').value === 'glove_en'")
    page.get_by_test_id("neighbours").locator(".neighbour-box h4", has_text="king").wait_for()
    assert page.locator("b", has_text="x").count() == 0
    assert not errors
