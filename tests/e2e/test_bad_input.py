"""Bad input, as a hostile or careless user gives it (issue 26): every case gets a clear message in
the user's language at once, no Python words, no long echo, and the page keeps working.

Case 1: a link's word that names a property of plain objects ("constructor") is only a word.
Case 2: a word box's text the link cannot carry is refused in the page, and the link stays one
the page reopens without a notice.
Case 3: an uploaded vectors file is checked against its own header and its size.
Case 4: console calls whose work has no end are refused at once, with the limit.
Case 5: a console call the engine's door refuses (pizarra.demos.door) is a coded refusal, worded by
the shared piece (web/js/ui/engine-error.js) — not "binascii.Error…" nor "AttributeError…".
Case 6: a 1 MB expression is refused in a sentence, never echoed whole.
Case 7: typing "0x10" over x = 3 marks the field invalid and leaves x = 3 in the graph and the link.
"""

import json

from conftest import wait_engine

# What the page's console gets from a call: the value, or the EngineError's fields.
CALL = """async ([fn, args]) => {
  try {
    return { value: await pizarra.call(fn, args) };
  } catch (error) {
    const words = await import(new URL("js/ui/engine-error.js", location.href).href);
    return { code: error.code, refusal: error.refusal, message: error.message, sentence: String(words.failureMessage(error)) };
  }
}"""
PYTHON_WORDS = ("Error", "Traceback", "binascii", "attribute", "object has no")
EMPTY_DIGIT = "A" * 1044 + "AA=="  # 784 zero bytes in base64


def call(page, fn, args):
    return page.evaluate(CALL, [fn, args])


def open_page(new_page, site, page_id, locale="es-ES"):
    page, errors = new_page(locale=locale)
    page.goto(f"{site}#/{page_id}")
    wait_engine(page)
    return page, errors


def test_case5_a_cnn_call_with_a_bad_drawing_is_a_coded_refusal_worded_for_the_student(site, new_page):
    page, errors = open_page(new_page, site, "cnn")
    page.locator("[data-testid=layers] .thumb").first.wait_for()
    cases = [
        (
            {"drawing": "!!!!", "size": 2},
            ("bad-format", "drawing", "base64"),
            "El dibujo: no es texto en base64. Recibido: “!!!!”.",
        ),
        (
            {"drawing": 5, "size": 2},
            ("wrong-type", "drawing", "text"),
            "El dibujo: debe ser un texto. Recibido: “5”.",
        ),
        (
            {"digit": "AAAA"},
            ("wrong-size", "digit", 784),
            "El dígito: no tiene el tamaño necesario (784). Recibido: “3 bytes”.",
        ),
        (
            {"digit": EMPTY_DIGIT, "model": "mine"},
            ("not-a-choice", "model", ["pretrained", "trained"]),
            "El modelo: debe ser uno de estos: “pretrained”, “trained”. Recibido: “mine”.",
        ),
        (
            {"digit": EMPTY_DIGIT, "colour": "red"},
            ("unknown-argument", "colour", None),
            "“colour”: esta llamada no lo admite.",
        ),
    ]
    for args, (code, field, limit), sentence in cases:
        answer = call(page, "cnn_predict", args)
        assert answer["code"] == "refused", answer
        assert (answer["refusal"]["code"], answer["refusal"]["field"], answer["refusal"]["limit"]) == (
            code,
            field,
            limit,
        )
        assert answer["sentence"] == sentence
        assert not any(word in answer["message"] + answer["sentence"] for word in PYTHON_WORDS), answer
    digit = call(page, "cnn_predict", {"digit": EMPTY_DIGIT})["value"]  # the engine answers on
    assert digit["empty"] is True
    assert errors == []


def test_case6_a_megabyte_expression_is_refused_in_a_sentence_that_does_not_echo_it(site, new_page):
    page, errors = open_page(new_page, site, "backprop", locale="en-US")
    page.locator("[data-testid=graph-source][data-source=python]").wait_for()
    link = page.url
    answer = call(page, "backprop_graph", {"expression_text": "x" * 2**20, "values": {}})
    assert answer["refusal"]["code"] == "too-long" and answer["refusal"]["limit"] == 1000
    assert len(answer["message"]) < 300 and len(json.dumps(answer["refusal"])) < 200
    box, alert = page.get_by_test_id("expression-input"), page.get_by_test_id("expression-error")
    box.fill("x" * 2**20)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=expression-error]').innerText.length > 0"
    )
    assert alert.inner_text().strip() == "The expression: too long; at most 1,000 characters."
    assert box.get_attribute("aria-invalid") == "true"
    assert page.url == link  # the link keeps the graph on screen
    box.fill("x * 2")  # and the page works on
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-testid=expression-error]').innerText === ''")
    page.wait_for_function("() => location.hash.includes('expr=x+*+2')")
    assert errors == []


def test_case7_typing_an_invalid_number_leaves_the_value_as_it_was(site, new_page):
    page, errors = open_page(new_page, site, "backprop", locale="en-US")
    page.locator("[data-testid=graph-source][data-source=python]").wait_for()
    field = page.get_by_test_id("var-x")
    assert field.input_value() == "3"
    field.click()
    field.press("Control+a")
    page.keyboard.type("0x10", delay=80)  # one keystroke at a time: "0" is a number
    assert field.get_attribute("aria-invalid") == "true"
    assert page.get_by_test_id("var-x-error").inner_text() != ""
    field.press("Tab")
    # Every keystroke's graph has been asked for (a change waits 60 ms) and answered (calls run in order).
    page.wait_for_timeout(300)
    page.evaluate("() => pizarra.call('engine_check')")
    page.wait_for_function("() => !document.querySelector('[data-testid=graph]').classList.contains('stale')")
    assert page.get_by_test_id("value-x").inner_text().strip() == "3"
    assert "x%3A0" not in page.url
    assert page.get_by_test_id("var-x-slider").input_value() == "3"
    field.fill("0.5")  # a number again: it is used at once
    page.wait_for_function("() => location.hash.includes('x%3A0.5')")
    assert errors == []


def test_case1_a_word_named_like_an_object_property_is_only_a_word(site, new_page):
    page, errors = new_page(locale="en-US")
    page.goto(f"{site}#/embeddings?q=constructor%2C%20toString%2C%20king")
    wait_engine(page)
    page.locator(
        "[data-testid=neighbours] .neighbour-box h4, [data-testid=neighbours] .neighbour-box.error"
    ).first.wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=neighbours] .neighbour-box').length === 3"
    )
    assert "king" in page.get_by_test_id("neighbours").inner_text()
    assert errors == []


def test_case2_a_word_box_writes_only_what_its_link_reopens(site, new_page):
    page, errors = open_page(new_page, site, "embeddings")
    box = page.get_by_test_id("word-input")
    page.locator("[data-testid=neighbours] h4").first.wait_for()
    link = page.url
    box.fill("<b>king</b>")
    box.press("Enter")
    error = page.get_by_test_id("neighbours").get_by_test_id("query-error")
    assert error.inner_text() == "Solo letras, cifras, ' y -, con comas entre las palabras."
    assert box.get_attribute("aria-invalid") == "true"
    assert page.url == link  # the link keeps what is shown
    for slot, word in (("a", "man"), ("b", "wo<man"), ("c", "king")):
        page.get_by_test_id(f"analogy-{slot}").fill(word)
    page.get_by_test_id("analogy-c").press("Enter")
    assert page.get_by_test_id("analogy-result").inner_text().startswith("Solo letras")
    assert page.url == link
    box.fill("queen, rey")  # and the page works on
    box.press("Enter")
    page.wait_for_function("() => location.hash.includes('q=queen%2C+rey')")
    assert box.get_attribute("aria-invalid") is None
    again, more_errors = open_page(new_page, site, "embeddings" + page.url.split("#/embeddings", 1)[1])
    again.locator("[data-testid=neighbours] h4").first.wait_for()
    assert again.get_by_test_id("notice-warning").count() == 0  # read back as written
    assert errors == [] and more_errors == []


def test_case3_an_upload_is_checked_against_its_own_header(site, new_page):
    page, errors = open_page(new_page, site, "embeddings", locale="en-US")
    upload, status = page.get_by_test_id("upload-input"), page.get_by_test_id("upload-status")

    def load(name, text):
        upload.set_input_files(files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode()}])

    three = "".join(f"w{i} " + " ".join(["0.5"] * 100) + "\n" for i in range(3))
    load("liar.txt", "1000 100\n" + three)
    status.get_by_text("header declares").wait_for()
    assert status.inner_text() == "Not a valid vectors file: its header declares 1,000 words, but it holds 3."
    load("wide.txt", "one " + " ".join(["1"] * 1_000_000) + "\n")
    status.get_by_text("dimensions").wait_for()
    assert (
        status.inner_text()
        == "Not a valid vectors file: 1,000,000 dimensions (line 1); at most 1,000 can be loaded."
    )
    load("twice.txt", "4 2\nrey 1 0\nrey 0 1\nmesa 0 1\nmesa 1 1\n")
    status.get_by_text("repeated").wait_for()
    assert status.inner_text().endswith(
        "2 words × 2 dimensions. They stay in this browser: a link cannot carry them. "
        "2 repeated words kept their first vector."
    )
    assert errors == []


def test_case4_console_calls_without_an_end_are_refused_at_once(site, new_page):
    page, errors = open_page(new_page, site, "lm", locale="en-US")
    base = {"language": "en", "cell": "rnn", "length": 10}
    cases = [
        ("lm_generate", {**base, "count": 10**7}, ("out-of-range", "count", [0, 400])),
        ("lm_generate", {**base, "prompt": "x" * 2**20}, ("too-long", "prompt", 200)),
        (
            "lm_train_steps",
            {"max_steps": 10**9, "budget_ms": 10**9},
            ("out-of-range", "max_steps", [1, 1000]),
        ),
    ]
    for fn, args, (code, field, limit) in cases:
        answer = call(page, fn, args)
        assert answer["code"] == "refused", answer
        assert (answer["refusal"]["code"], answer["refusal"]["field"], answer["refusal"]["limit"]) == (
            code,
            field,
            limit,
        )
        assert len(answer["message"]) < 300
    assert call(page, "lm_train_steps", {})["refusal"]["code"] == "needs-first"
    assert call(page, "lm_generate", {**base, "count": 3})["value"]["start"] == 0  # the engine answers on
    assert errors == []


def test_case5_a_word_that_is_not_one_is_said_in_the_page_language(site, new_page):
    page, errors = open_page(new_page, site, "lm?word=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    notice = page.get_by_test_id("notice-warning").filter(has_text="palabra siguiente")
    notice.wait_for()
    text = notice.inner_text()
    assert "La palabra siguiente: no es una sola palabra." in text, text
    assert not any(word in text for word in PYTHON_WORDS), text
    assert page.locator("img[src=x]").count() == 0
    assert errors == []
