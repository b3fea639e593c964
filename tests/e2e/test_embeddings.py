"""The Embeddings page: the count table before Python, neighbours and an analogy on GloVe, a short
live training run whose loss decreases, the link round-trip, and bad inputs with their messages."""

import re

import pytest
from conftest import assert_close, cell_sources, download_notebook, notebook_result, page_at, wait_engine

# The controls of the page's link state, for tests/e2e/test_link_bounds.py.
LINK = {
    "controls": {
        "method": ("select", "projection-method"),
        "weight": ("select", "count-weighting"),
        "the": ("checkbox", "count-the"),
        "csrc": ("select", "count-source"),
        "cwin": ("slider", "count-window"),
        "cweight": ("select", "count-corpus-weighting"),
        "cdim": ("select", "count-dim"),
        "src": ("select", "train-source"),
        "model": ("select", "train-model"),
        "dim": ("select", "train-dim"),
        "win": ("slider", "train-window"),
        "neg": ("slider", "train-negatives"),
        "alpha": ("slider", "train-alpha"),
        "t": ("select", "train-sample"),
        "lr": ("select", "train-lr"),
        "ep": ("slider", "train-epochs"),
        "seed": ("number", "train-seed"),
        "minc": ("number", "train-mincount"),
    },
    # free text (queries, analogy, projection list, watched words), tested below; `set` too: its last
    # two choices (a set trained or loaded in this browser) cannot open from a link in a fresh one;
    # `counted` has no control: test_embeddings_spanish.py opens a counted link
    "elsewhere": {"q", "a", "b", "c", "around", "proj", "watch", "set", "counted"},
    "companions": {},
    "off_presets": [{"cdim": 7, "dim": 33, "t": 0.005, "lr": 0.03}],
    "ready": "document.querySelector('main[data-page=embeddings] [data-testid=train-mincount]') !== null",
}


@pytest.fixture(scope="module")
def emb(site, browser):
    """One page of Embeddings in English, engine ready, reused by the tests of this module."""
    with page_at(browser, site + "#/embeddings") as (page, errors):
        page.get_by_test_id("count-table").locator("td").first.wait_for()  # precomputed: no Python needed
        wait_engine(page)
        page.get_by_test_id("neighbours").locator(".neighbour-box").first.wait_for()
        yield page, errors


def test_count_table_shows_the_course_table_and_ppmi(emb):
    page, errors = emb
    table = page.get_by_test_id("count-table")
    assert table.locator("tbody tr").count() == 4
    assert "975" in table.inner_text()  # baseball × the, raw counts
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
    page.wait_for_function(
        "[...document.querySelectorAll('[data-testid=analogy-result] li.best .word')].map(e => e.textContent).join() === 'italy,italy'"
    )
    assert "a=paris&b=france&c=rome" in page.url  # 3CosAdd and 3CosMul both answer italy
    assert not errors


def test_bad_queries_show_their_messages(emb):
    page, errors = emb
    search(page, "kingg")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=neighbours] [data-testid=query-error]').length === 1"
    )
    messages = page.get_by_test_id("neighbours").inner_text()
    assert "kingg" in messages and "king" in messages.split("Perhaps")[1]
    search(page, "king, !!!")  # what a link could not carry is refused in the box, as a whole
    page.get_by_test_id("neighbours").get_by_text("Only letters").wait_for()
    search(page, "")
    page.wait_for_function(
        "document.querySelector('[data-testid=neighbours]').innerText.includes('Type a word')"
    )
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
    page.get_by_test_id("train-text").evaluate(
        "(el) => { el.value = 'word '.repeat(210000); el.dispatchEvent(new Event('input')); }"
    )
    page.get_by_test_id("train-toggle").click()
    page.get_by_test_id("train-status").get_by_text("over the 1 MB limit").wait_for()
    assert not errors


def test_short_live_training_lowers_the_loss(emb):
    page, errors = emb
    page.get_by_test_id("train-source").select_option("text")
    text = "\n".join(
        ("the cat and the dog eat fish and meat " if i % 2 else "a hammer and a saw cut wood and metal ") * 8
        for i in range(400)
    )
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
    upload.set_input_files(
        files=[{"name": "broken.txt", "mimeType": "text/plain", "buffer": b"a 1 2\nb 1\n"}]
    )
    page.get_by_test_id("upload-status").get_by_text("line 2").wait_for()
    vectors = "3 2\nrey 1 0\nreina 0.9 0.1\nmesa 0 1\n".encode()
    upload.set_input_files(files=[{"name": "mine.txt", "mimeType": "text/plain", "buffer": vectors}])
    page.get_by_test_id("upload-status").get_by_text("stay in this browser").wait_for()
    assert page.get_by_test_id("vector-set").input_value() == "mine"
    search(page, "rey")
    page.wait_for_function(
        "document.querySelector('[data-testid=neighbours] li .word')?.textContent === 'reina'"
    )
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


SHOWN = (
    0.00055 + 1e-9
)  # a cosine as the page writes it: rounded to 4 decimals by Python, then to 3 by the page


def number(text):
    """A number as the page writes it in Spanish ("0,781", "−1,2")."""
    return float(text.replace("−", "-").replace("\u202f", "").replace("\xa0", "").replace(",", ".").strip())


def lists_on_screen(page, testid):
    """The neighbour boxes of a section: {word, items: [[word, score text]]}, or {error: message}."""
    return page.evaluate(
        """(id) => [...document.querySelectorAll(`[data-testid=${id}] .neighbour-box`)].map((box) =>
        box.classList.contains("error") ? { error: box.innerText } : { word: box.querySelector("h4").textContent,
          items: [...box.querySelectorAll("li")].map((li) => [li.querySelector(".word").textContent, li.querySelector(".score").textContent]) })""",
        testid,
    )


def assert_lists_match(boxes, shown, queries):
    """The boxes the page shows against the notebook's result: the same words, cosines to the 3 decimals shown."""
    assert len(boxes) == len(queries)
    for box, query in zip(boxes, queries):
        if shown[query] is None:
            assert query in box["error"]
            continue
        assert box["word"] == query and [w for w, _ in box["items"]] == [w for w, _ in shown[query]]
        assert all(
            abs(number(text) - score) <= SHOWN for (_, text), (_, score) in zip(box["items"], shown[query])
        )


def test_python_button_notebook_reproduces_the_page_in_a_clean_venv(site, new_page, run_notebook):
    """In Spanish, from a non-default link: CBOW trained here on pasted text (seed 7), its neighbours (one
    word unknown), an analogy and a PCA picture on it, the course table under PPMI without "the", and the
    corpus count (tf-idf, window 2, d = 10). The notebook carries the trained vectors; run in a plain venv
    it prints what the page shows, to 1e-6."""
    query = (
        "q=war,%20people,%20gato&a=war&b=peace&c=people&around=war&method=pca&weight=ppmi&the=0"
        "&csrc=en&cwin=2&cweight=tfidf&cdim=10&src=text&model=cbow&dim=10&ep=2&seed=7&minc=1&watch=war"
    )
    page, errors = new_page(locale="es-ES")
    page.goto(site + "#/embeddings?" + query)
    wait_engine(page)
    text = "\n".join(
        ("the war and the peace of the nation " if i % 2 else "the people and the congress make the law ") * 8
        for i in range(300)
    )
    page.get_by_test_id("train-text").fill(text)
    page.get_by_test_id("train-toggle").click()
    page.get_by_test_id("train-status").get_by_text("Terminado").wait_for(timeout=60_000)
    # the trained set (10 words) replaces GloVe in every view: 9 neighbours, 10 points
    page.wait_for_function(
        "document.querySelector('[data-testid=vector-set]').value === 'trained'"
        " && document.querySelectorAll('[data-testid=neighbours] .neighbour-box')[0]?.querySelectorAll('li').length === 9"
        " && document.querySelectorAll('[data-testid=projection] .point').length === 10"
    )
    page.get_by_test_id("corpus-count").click()
    page.get_by_test_id("corpus-neighbours").locator(".neighbour-box").first.wait_for(timeout=60_000)

    document = download_notebook(page)
    shown = document["metadata"]["pizarra"]["result"]
    queries = ["war", "people", "gato"]
    assert shown["set"] == "trained" and shown["neighbours"]["gato"] is None
    assert_lists_match(lists_on_screen(page, "neighbours"), shown["neighbours"], queries)
    assert_lists_match(lists_on_screen(page, "corpus-neighbours"), shown["corpus"]["neighbours"], queries)
    engine = page.evaluate(
        "pizarra.call('embeddings_neighbours', {set: 'trained', words: ['war', 'people', 'gato'], k: 10})"
    )
    for entry, word in zip(engine["results"], queries):  # the engine's own answer, 4 decimals
        assert ("error" in entry) == (shown["neighbours"][word] is None)
        if "error" not in entry:
            assert [[n["word"], round(n["score"], 4)] for n in entry["neighbours"]] == [
                [w, round(s, 4)] for w, s in shown["neighbours"][word]
            ]
    columns = page.evaluate("""() => [...document.querySelectorAll('[data-testid=analogy-result] .analogy-column')].map((column) =>
        [...column.querySelectorAll('li')].map((li) => [li.querySelector('.word').textContent, li.querySelector('.score').textContent]))""")
    for column, method in zip(columns, ("add", "mul")):
        assert [w for w, _ in column] == [w for w, _ in shown["analogy"][method]]
        assert all(
            abs(number(text) - score) <= SHOWN
            for (_, text), (_, score) in zip(column, shown["analogy"][method])
        )
    drawn = page.evaluate(
        "pizarra.call('embeddings_projection', {set: 'trained', words: [], around: 'war', k: 30, method: 'pca', seed: 7})"
    )
    assert [[p["word"], p["x"], p["y"]] for p in drawn["points"]] == [
        [w, round(x, 4), round(y, 4)] for w, x, y in shown["projection"]["points"]
    ]
    assert page.evaluate(
        "[...document.querySelectorAll('[data-testid=projection] .point')].map((g) => g.dataset.word)"
    ) == [w for w, _, _ in shown["projection"]["points"]]
    cells = (
        page.get_by_test_id("count-table").locator("tbody td").all_inner_texts()
    )  # 4 words × 5 contexts, 2 decimals
    assert len(cells) == 20
    assert all(
        abs(number(text) - value) <= 0.005 + 1e-9
        for text, value in zip(cells, sum(shown["count_table"]["weighted"], []))
    )

    markdown = " ".join(cell_sources(document, "markdown"))
    assert (
        "Los vectores que entrenaste en la página" in markdown
        and "CBOW" in markdown
        and "`seed` = 7" in markdown
    )
    assert "este cuaderno" in markdown
    assert (
        "gato" not in markdown.split("## Instalar")[1]
    )  # typed words only as Python literals (and in the link)
    assert_close(notebook_result(run_notebook(document)), shown)
    assert errors == []


SCREEN = """() => {
  const all = (selector) => [...document.querySelectorAll(`main ${selector}`)];
  const text = (selector) => document.querySelector(`main ${selector}`).textContent;
  const scored = (selector) => all(`${selector} li`).map((li) => [li.querySelector('.word').textContent,
                                                                 li.querySelector('.score').textContent]);
  return {
    heading: text('#embeddings-count-h'), set: text('[data-testid=vector-set] option:checked'),
    training: text('[data-testid=train-status]'), count: text('[data-testid=count-status]'),
    neighbours: scored('[data-testid=neighbours]'), analogy: scored('[data-testid=analogy-result]'),
    corpus: scored('[data-testid=corpus-neighbours]'),
    table: all('[data-testid=count-table] td').map((td) => td.textContent),
    points: all('[data-testid=projection] .point').map((point) => point.dataset.word),
    scores: all('[data-testid=eval-table] tbody .score').map((score) => score.textContent),
  };
}"""


def english_number(text):
    return float(text.replace(",", "").replace("%", "").strip())


def test_switching_language_rewrites_the_words_and_keeps_every_result(site, new_page):
    """Issue 24: the page changes its own words in place on a language switch — not mounted again, no
    engine call — so what Python computed stays on screen, the same elements, its numbers rewritten."""
    page, errors = new_page(locale="es-ES", viewport={"width": 1280, "height": 800})
    page.goto(site + "#/embeddings?q=war&a=paris&b=france&c=rome&around=war")  # "war": Python's answer only
    wait_engine(page)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=neighbours] h4')?.textContent === 'war'"
    )
    page.get_by_test_id("analogy-result").locator("li.best").first.wait_for()
    page.get_by_test_id("projection").locator(".point.centre", has_text="war").wait_for()
    page.get_by_test_id("corpus-count").click()
    page.get_by_test_id("corpus-neighbours").locator(".neighbour-box").first.wait_for(timeout=60_000)
    page.get_by_test_id("count-status").get_by_text("palabras").wait_for()
    spanish = page.evaluate(SCREEN)
    assert page.evaluate("""() => (window.kept = ['neighbours', 'analogy-result', 'projection', 'corpus-neighbours',
        'count-table', 'eval-table'].map((id) => document.querySelector(`main [data-testid=${id}]`).firstElementChild))
        .every(Boolean)""")
    analogy = page.get_by_test_id("analogy-result")
    analogy.evaluate("(box) => box.scrollIntoView({block: 'center'})")
    where = analogy.bounding_box()["y"]
    page.evaluate("""() => { window.calls = []; const call = pizarra.call.bind(pizarra);
        pizarra.call = (fn, ...rest) => (window.calls.push(fn), call(fn, ...rest)); }""")

    page.get_by_test_id("lang-en").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.wait_for_timeout(500)
    english = page.evaluate(SCREEN)
    assert page.evaluate("() => window.calls") == []  # nothing computed again
    assert page.evaluate("() => window.kept.every((element) => element.isConnected)")  # not mounted again
    # No jump: the analogies stay where they were on screen (the words above them may take less room).
    assert abs(analogy.bounding_box()["y"] - where) < 40 and page.evaluate("() => scrollY") > 1000
    assert (spanish["heading"], english["heading"]) == ("1. Contar", "1. Counting")
    assert (spanish["set"], english["set"]) == (
        "GloVe 6B (inglés, preentrenado)",
        "GloVe 6B (English, pretrained)",
    )
    assert (spanish["training"], english["training"]) == ("Listo para entrenar.", "Ready to train.")
    assert re.fullmatch(r"[\d.]+ palabras, [\d.]+ tokens, \d+(,\d)? s\.", spanish["count"]), spanish["count"]
    assert re.fullmatch(r"[\d,]+ words, [\d,]+ tokens, \d+(\.\d)? s\.", english["count"]), english["count"]
    for key in ("neighbours", "analogy", "corpus"):  # the same words; cosines as "0,769" then "0.769"
        assert spanish[key] and [w for w, _ in spanish[key]] == [w for w, _ in english[key]], key
        assert all(
            re.fullmatch(r"-?\d,\d{3}", es)
            and re.fullmatch(r"-?\d\.\d{3}", en)
            and number(es) == english_number(en)
            for (_, es), (_, en) in zip(spanish[key], english[key])
        ), key
    assert spanish["points"] == english["points"] and len(spanish["points"]) > 10
    assert [number(es) for es in spanish["table"]] == [english_number(en) for en in english["table"]]
    # Every percentage with one decimal: no "65 %" beside "62,6 %" (issue 24, item 6).
    percents = [(es, en) for es, en in zip(spanish["scores"], english["scores"]) if "%" in es]
    assert len(percents) >= 10
    assert all(re.fullmatch(r"\d+,\d\xa0%", es) and re.fullmatch(r"\d+\.\d%", en) for es, en in percents), (
        percents
    )
    assert [number(es.replace("%", "")) for es in spanish["scores"] if es != "—"] == [
        english_number(en) for en in english["scores"] if en != "—"
    ]

    page.get_by_test_id("lang-es").click()
    page.wait_for_function("() => document.documentElement.lang === 'es'")
    page.wait_for_timeout(500)
    assert page.evaluate(SCREEN) == spanish  # back as it was, word for word
    assert page.evaluate("() => window.calls") == []
    assert page.evaluate("() => window.kept.every((element) => element.isConnected)")
    assert errors == []


def test_a_word_named_like_an_object_property_is_just_a_word(site, new_page):
    """Issue 26: `q=constructor` threw "known[...].map is not a function" — the precomputed neighbours
    were looked up in a plain object, where 'constructor' is Object's own. It is a word like any other
    (one GloVe does not have: the page says so, as for any unknown word)."""
    page, errors = new_page(locale="en-US")
    page.goto(
        site + "#/embeddings?q=constructor,%20king&a=constructor&b=toString&c=valueOf&around=constructor"
    )
    page.get_by_test_id("count-table").locator("td").first.wait_for()  # the precomputed data has arrived
    wait_engine(page)
    neighbours = page.get_by_test_id("neighbours")
    neighbours.get_by_test_id("query-error").filter(
        has_text="“constructor” is not in the vocabulary"
    ).wait_for(timeout=60_000)
    assert neighbours.locator("h4").all_inner_texts() == ["king"]
    analogy = page.get_by_test_id("analogy-result").get_by_test_id("query-error")
    analogy.filter(has_text="c: “valueOf” is not in the vocabulary").wait_for(timeout=60_000)
    assert analogy.count() == 3
    page.get_by_test_id("projection-around").locator("xpath=ancestor::section").get_by_test_id(
        "query-error"
    ).filter(has_text="constructor").wait_for(timeout=60_000)
    assert errors == []
