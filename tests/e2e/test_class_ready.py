"""Ready for class (issue 10): what a teacher projecting the Backprop page ran into, checked in the
page itself. One Spanish page (module fixture) goes through the points in order, reopening its own
address after each kind of change to compare it with what was on screen; one more page holds
Python back to check what is asked before it is ready.

Predicates are functions ("() => …"): the site's Content-Security-Policy refuses string eval."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ConsoleLog

LAB = "#/backprop?data=xor&n=100"


def until(page, condition, timeout=60_000):
    page.wait_for_function(f"() => {condition}", timeout=timeout)


def text(page, testid):
    return page.get_by_test_id(testid).inner_text()


def number(shown):
    return float(
        shown.replace("−", "-").replace("\u202f", "").replace("\xa0", "").replace(".", "").replace(",", ".")
    )


def link_state(page):
    """The address's query as a dict."""
    return {key: values[0] for key, values in parse_qs(urlsplit(page.url).fragment.partition("?")[2]).items()}


def settled(page):
    """The graph is Python's, and the lab rests (not preparing, replaying or training) at a step the
    address holds, or at the step limit."""
    until(
        page,
        """(() => {
        const status = document.querySelector('main [data-testid=train-status]')?.innerText || '';
        const step = /^(?:Paso|Step) (\\d+) /.exec(status);
        const trained = new URLSearchParams(location.hash.split('?')[1] || '').get('trained') || '0';
        const resting = document.querySelector('main [data-testid=train-toggle]')?.getAttribute('aria-pressed') === 'false';
        const graph = document.querySelector('main [data-testid=graph-source]')?.dataset.source === 'python';
        return graph && resting && ((step && step[1] === trained) || /límite|limit/.test(status));
      })()""",
    )


SCREEN = """() => {
  const q = (id) => document.querySelector(`main [data-testid=${id}]`);
  return {
    lab: q('train-status').innerText, accuracy: q('train-accuracy').innerText, graph: q('step-status').innerText,
    expression: q('expression-input').value, seed: q('lab-seed').value, act: q('lab-act').value,
    noise: q('lab-noise').value, layer: q('lab-layer').value,
    values: [...document.querySelectorAll('main [data-testid^=value-]')].map((cell) => cell.innerText),
  };
}"""


def reopens_as_shown(page, site):
    """The address, opened again, shows what was on screen."""
    settled(page)
    shown, link = page.evaluate(SCREEN), page.url
    page.goto(site + "#/")
    page.locator("#pages-heading").wait_for()
    page.goto(link)
    settled(page)
    assert page.evaluate(SCREEN) == shown, link
    assert page.url == link


@pytest.fixture(scope="module")
def bp(site, browser):
    context = browser.new_context(locale="es-ES", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = ConsoleLog().attach(page)
    page.goto(site + LAB)
    until(page, "document.documentElement.dataset.engine === 'ready'", 90_000)
    settled(page)
    yield page, errors
    context.close()


def test_the_graph_opens_at_step_zero_with_a_visible_step_back(bp):
    page, errors = bp
    assert text(page, "step-status").startswith("Paso 0 de 8")
    back, nxt = page.get_by_test_id("step-back"), page.get_by_test_id("step-next")
    assert back.is_visible() and back.is_disabled()
    nxt.click()
    nxt.click()
    back.click()
    assert text(page, "step-status").startswith("Paso 1 de 8")
    assert link_state(page)["step"] == "1"
    page.get_by_test_id("step-reset").click()
    assert "step" not in link_state(page)
    assert errors == []


def test_the_link_reopens_what_is_on_screen_after_every_kind_of_change(bp, site):
    page, errors = bp
    for _ in range(3):
        page.get_by_test_id("train-step").click()
    until(
        page,
        "(document.querySelector('main [data-testid=train-status]')?.innerText || '').startsWith('Paso 3 ')",
    )
    reopens_as_shown(page, site)
    toggle = page.get_by_test_id("train-toggle")
    toggle.click()  # train, then pause
    until(
        page,
        "/^Paso ([4-9]\\d|\\d{3,})/.test((document.querySelector('main [data-testid=train-status]')?.innerText || ''))",
    )
    toggle.click()
    reopens_as_shown(page, site)
    page.get_by_test_id("lab-act").select_option("relu")  # a setting: a new run, as Reset
    settled(page)
    assert text(page, "train-status").startswith("Paso 0 ") and "trained" not in link_state(page)
    reopens_as_shown(page, site)
    page.get_by_test_id("lab-seed").fill("7")  # a typed number
    reopens_as_shown(page, site)
    page.get_by_test_id("lab-reseed").click()  # the field shows the new seed
    settled(page)
    assert page.get_by_test_id("lab-seed").input_value() == link_state(page)["seed"]
    reopens_as_shown(page, site)
    page.get_by_test_id("lab-noise").evaluate(
        "(s) => { s.value = '0.2'; s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }"
    )
    settled(page)
    page.get_by_test_id("train-step").click()
    reopens_as_shown(page, site)
    page.get_by_test_id("lab-layer").select_option("1")
    page.get_by_test_id("step-next").click()  # the graph's step too
    reopens_as_shown(page, site)
    assert errors == []


def test_the_step_limit_stops_training_and_says_so(bp, site):
    page, errors = bp
    page.evaluate("() => pizarra.run('import pizarra.backprop.lab as L; L.MAX_STEPS = 40')")
    try:
        page.get_by_test_id("train-reset").click()
        settled(page)
        page.get_by_test_id("train-toggle").click()
        until(
            page,
            "(document.querySelector('main [data-testid=train-status]')?.innerText || '').includes('límite de 40 pasos')",
        )
        toggle = page.get_by_test_id("train-toggle")
        assert (
            toggle.inner_text() == "Entrenar"
            and toggle.is_disabled()
            and page.get_by_test_id("train-step").is_disabled()
        )
        assert link_state(page)["trained"] == "40"
        reopens_as_shown(page, site)
    finally:
        page.evaluate("() => pizarra.run('import pizarra.backprop.lab as L; L.MAX_STEPS = 100_000')")
    assert errors == []


def test_a_long_replay_shows_its_progress_and_can_be_stopped(bp, site):
    page, errors = bp
    page.goto(site + "#/")
    page.goto(site + LAB + "&trained=30000")
    until(
        page,
        "/: [\\d.]+ de 30\\.000/.test((document.querySelector('main [data-testid=train-status]')?.innerText || ''))",
    )
    assert page.get_by_test_id("train-toggle").is_disabled()  # the replay has the shared Stop
    stop = page.get_by_test_id("replay-operation").get_by_test_id("stop")
    assert stop.inner_text() == "Detener"
    stop.click()
    settled(page)
    reached = int(link_state(page)["trained"])
    assert 0 < reached < 30000 and text(page, "train-status").startswith(f"Paso {reached} ")
    reopens_as_shown(page, site)
    assert errors == []


def test_after_an_engine_restart_the_lab_trains_on_from_the_same_step(bp):
    """Issue 14: the run lived in the old worker; Step then raised LookupError."""
    page, errors = bp
    reached = int(link_state(page)["trained"])
    page.evaluate("() => document.querySelectorAll('[data-testid^=notice]').forEach((n) => n.remove())")
    page.evaluate("() => pizarra.restart()")
    page.get_by_test_id("notice-warning").filter(has_text="se reinició").wait_for(timeout=90_000)
    settled(page)
    assert text(page, "train-status").startswith(f"Paso {reached} ")  # replayed to where it was
    page.get_by_test_id("train-step").click()
    until(
        page,
        f"(document.querySelector('main [data-testid=train-status]')?.innerText || '').startsWith('Paso {reached + 1} ')",
    )
    assert page.get_by_test_id("notice-error").count() == 0
    assert errors == []


def test_number_fields_take_a_decimal_comma_and_refuse_what_they_cannot_read(bp, site):
    page, errors = bp
    page.goto(site + "#/backprop")
    until(page, "document.querySelector('main [data-testid=graph-source]')?.dataset.source === 'python'")
    y = page.get_by_test_id("var-y")
    y.fill("-0,5")
    until(page, "location.hash.includes('y%3A-0.5')")
    until(page, "(document.querySelector('main [data-testid=value-y]')?.innerText || '') === '-0,5'")
    assert y.input_value() == "-0,5"
    y.fill("0.25")  # the other separator works too
    y.press("Tab")
    until(page, "(document.querySelector('main [data-testid=value-y]')?.innerText || '') === '0,25'")
    assert y.input_value() == "0,25"  # shown with the language's
    for bad in ["1e309", "--4"]:
        y.fill(bad)
        assert y.get_attribute("aria-invalid") == "true", bad
        assert "número" in text(page, "var-y-error"), bad
        page.wait_for_timeout(300)
        assert text(page, "value-y") == "0,25" and "y%3A0.25" in page.url, bad
    x, slider = page.get_by_test_id("var-x"), page.get_by_test_id("var-x-slider")
    x.fill("12")  # the slider's range follows the value
    until(page, "(document.querySelector('main [data-testid=value-x]')?.innerText || '') === '12'")
    assert slider.input_value() == "12" and float(slider.get_attribute("max")) >= 12
    assert slider.bounding_box()["width"] >= 110
    box = page.get_by_test_id("expression-input")
    box.fill("0,5 * x")
    box.press("Enter")
    until(page, "(document.querySelector('main [data-testid=expression-error]')?.innerText || '').length > 0")
    assert "0.5" in text(page, "expression-hint") and "punto" in text(page, "expression-hint")
    assert errors == []


def test_a_name_the_parser_refuses_never_reaches_the_link(bp):
    page, errors = bp
    box = page.get_by_test_id("expression-input")
    box.fill("x\u0663 + 1")  # an Arabic-Indic digit
    box.press("Enter")
    until(page, "(document.querySelector('main [data-testid=expression-error]')?.innerText || '').length > 0")
    assert "«\u0663»" in text(page, "expression-error")
    assert "\u0663" not in link_state(page).get("vars", "")
    assert errors == []


def test_the_local_rule_fits_its_pass_and_its_operation(bp):
    page, errors = bp
    page.locator("main .chip").first.click()  # the course's expression
    until(page, "document.querySelector('main [data-testid=graph-source]')?.dataset.source === 'python'")
    nxt, rule = page.get_by_test_id("step-next"), page.get_by_test_id("local-rule")
    nxt.click()  # forward at v1 = x · y
    assert "Un producto: el nodo vale sus dos entradas multiplicadas." in rule.inner_text()
    assert "gradiente" not in rule.inner_text()
    for _ in range(5):  # to the backward step at v3 = v1 + v2
        nxt.click()
    assert "Hacia atrás en v3" in rule.inner_text()
    lines = [line.strip() for line in rule.locator("annotation").all_text_contents()]
    assert r"\frac{\partial r}{\partial v_{1}} = \frac{\partial r}{\partial v_{3}} = 2" in lines, lines
    assert not any(re.search(r"= (\S+) = \1$", line) for line in lines), lines  # no "= 2 = 2"
    box = page.get_by_test_id("expression-input")
    box.fill("x")
    box.press("Enter")
    until(page, "document.querySelectorAll('main [data-testid=node-table] tbody tr').length === 1")
    code = page.get_by_test_id("code-panel")
    assert "class Mul" not in code.inner_text() and "Sin operaciones" in code.inner_text()
    assert errors == []


def test_the_check_says_when_it_cannot_be_computed(bp):
    page, errors = bp
    box = page.get_by_test_id("expression-input")
    for expression, operation in [("x / 0", "div("), ("1e999 + x", "add(")]:
        box.fill(expression)
        box.press("Enter")
        until(
            page,
            f"(document.querySelector('main [data-testid=node-table]')?.innerText || '').includes('{operation}')",
        )
        page.get_by_test_id("graph").press("End")
        table = page.get_by_test_id("node-table")
        assert table.locator(".differs").count() == 0, expression
        assert table.locator(".unchecked").count() >= 1, expression
        assert "No se puede comprobar" in table.locator(".unchecked").first.get_attribute("title")
    assert errors == []


def test_links_with_values_nobody_can_use_fall_back_with_a_notice(bp, site):
    page, errors = bp
    cases = [
        ("expr=x*y&vars=x:1e999,y:2", "vars"),  # overflows to infinity: refused before Python sees it
        ("seed=5&seed=abc", "seed"),  # a key twice: the default, as the notice says
    ]
    for query, key in cases:
        page.evaluate("() => document.querySelectorAll('[data-testid^=notice]').forEach((n) => n.remove())")
        page.goto(site + "#/")
        page.goto(site + f"#/backprop?{query}")
        page.get_by_test_id("notice-warning").filter(has_text=key).wait_for()
        settled(page)
        if key == "vars":  # the course's values: x = 3, y = −4
            page.get_by_test_id("graph").press("End")
            assert number(text(page, "value-r")) == 3 * -4 and text(page, "expression-error") == ""
    assert page.get_by_test_id("lab-seed").input_value() == "1" and "seed" not in link_state(page)
    page.goto(site + "#/")
    page.goto(site + "#/backprop?patience=500&layer=6")  # depth 2: three layers
    settled(page)
    patience = page.get_by_test_id("lab-patience")
    assert patience.input_value() == "500" and patience.locator("xpath=../output").inner_text() == "500"
    assert page.get_by_test_id("lab-layer").input_value() == "2" and link_state(page)["layer"] == "2"
    assert errors == []


def test_switching_language_changes_only_the_words(bp, site):
    page, errors = bp
    page.goto(site + "#/")
    page.goto(site + LAB)
    settled(page)
    page.get_by_test_id("train-step").click()
    page.get_by_test_id("train-step").click()
    settled(page)
    toggle = page.get_by_test_id("train-toggle")
    toggle.evaluate("(button) => button.scrollIntoView({block: 'center'})")
    page.evaluate(
        "() => { window.calls = []; const call = pizarra.call.bind(pizarra); pizarra.call = (fn, ...rest) => (window.calls.push(fn), call(fn, ...rest)); }"
    )
    where = toggle.bounding_box()["y"]
    page.get_by_test_id("lang-en").click()
    until(page, "document.documentElement.lang === 'en'")
    page.wait_for_timeout(500)
    # No jump: the lab stays where it was on screen (words above it may take a line more or less).
    assert abs(toggle.bounding_box()["y"] - where) < 40 and page.evaluate("() => scrollY") > 1000
    assert page.evaluate("() => document.activeElement.dataset.testid") == "lang-en"
    assert page.evaluate("() => window.calls") == []  # nothing computed again
    assert text(page, "train-status").startswith("Step 2 · epoch 0")
    assert text(page, "step-status").startswith("Step 0 of 8")
    assert page.locator("#backprop-lab-heading").inner_text() == "2. Training lab"
    assert page.get_by_test_id("lab-init").locator("option:checked").inner_text() == "Xavier/Glorot (uniform)"
    assert page.get_by_test_id("loss-chart").get_attribute("aria-label") == "loss / epoch"
    page.get_by_test_id("lang-es").click()
    until(page, "document.documentElement.lang === 'es'")
    assert page.locator("#backprop-lab-heading").inner_text() == "2. Laboratorio de entrenamiento"
    assert errors == []


def test_what_is_asked_while_python_loads_waits_and_then_happens(site, new_page):
    page, errors = new_page(locale="es-ES")
    held = []
    page.route("**/runtime/**", lambda route: held.append(route))  # Python cannot start yet
    page.goto(site + "#/backprop")
    page.locator("main [data-testid=graph-source][data-source=precomputed]").wait_for()
    box = page.get_by_test_id("expression-input")
    box.fill("x * 3")
    box.press("Enter")
    waiting = page.get_by_test_id("graph-waiting")
    waiting.wait_for()
    assert "Esperando a Python" in waiting.inner_text()
    assert "stale" in page.get_by_test_id("graph").get_attribute("class")
    page.get_by_test_id("train-toggle").click()  # Train before Python is up
    assert page.get_by_test_id("train-toggle").get_attribute("aria-pressed") == "true"
    assert "Esperando a Python" in text(page, "train-waiting")
    for route in held:
        route.continue_()
    page.unroute("**/runtime/**")  # lets through any request held since
    until(
        page,
        "document.querySelector('main [data-testid=graph-source]')?.dataset.source === 'python'",
        120_000,
    )
    page.get_by_test_id("graph").press("End")
    assert number(text(page, "value-r")) == 3 * 3 and not waiting.is_visible()
    until(
        page,
        "/^Paso [1-9]/.test((document.querySelector('main [data-testid=train-status]')?.innerText || ''))",
    )
    page.get_by_test_id("train-toggle").click()
    assert errors == []
