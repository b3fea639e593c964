"""Layout for class (issue 10), measured in the page: projecting at 1280×800 in Spanish (the header
on one line, the stepper's toolbar, graph and local rule on one screen, graph text that grows with
its box), 1366 px wide (controls inside their cards, choices not cut), and a 390×844 touch phone
(the answer in view while drawing, the current page in the menu, text that stays readable).

Predicates are functions ("() => …"): the site's Content-Security-Policy refuses string eval."""

from conftest import ConsoleLog

MIN_TEXT_PX = 11


def until(page, condition, timeout=90_000):
    page.wait_for_function(f"() => {condition}", timeout=timeout)


def open_graph(page, site):
    page.goto(site + "#/backprop")
    until(page, "document.querySelector('main [data-testid=graph-source]')?.dataset.source === 'python'")


# The graph's text as drawn: each <text>'s font size times the drawing's scale.
GRAPH_TEXT = """() => {
  const svg = document.querySelector("main .backprop-graph-svg");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll("text")].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
  return { smallest: Math.min(...sizes), svg: svg.getBoundingClientRect().width, natural: svg.viewBox.baseVal.width,
           box: svg.parentElement.clientWidth };
}"""

# Every control of a settings panel: its field inside it, it inside its card, and a select's
# chosen words not cut (measured with the select's own font, plus its padding and arrow).
CONTROLS_FIT = """(selector) => [...document.querySelectorAll(selector)].flatMap((control) => {
  const card = control.closest("fieldset, .train-controls");
  const right = (el) => el.getBoundingClientRect().right;
  const problems = [];
  if (right(control) > right(card) + 0.5) problems.push(["control past its card", control.innerText, right(control) - right(card)]);
  for (const field of control.querySelectorAll("input:not([type=checkbox]), select, button")) {
    if (right(field) > right(control) + 0.5) problems.push(["field past its control", control.innerText, right(field) - right(control)]);
  }
  const select = control.querySelector("select");
  if (select) {
    const style = getComputedStyle(select);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const words = context.measureText(select.selectedOptions[0].textContent).width;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    if (words > room) problems.push(["choice cut", select.selectedOptions[0].textContent, words - room]);
  }
  return problems;
})"""


def test_projecting_a_lesson_at_1280_by_800_and_1366_in_spanish(site, browser):
    context = browser.new_context(locale="es-ES", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = ConsoleLog().attach(page)
    open_graph(page, site)
    header = page.locator(".site-header").bounding_box()
    tops = {round(box["y"]) for box in (link.bounding_box() for link in page.locator("#menu a").all())}
    assert header["height"] <= 64 and len(tops) == 1, (header, tops)  # one line
    drawn = page.evaluate(GRAPH_TEXT)
    assert drawn["svg"] > drawn["natural"] and drawn["smallest"] >= 12, drawn  # it grows with its box
    # The step loop on one screen: toolbar just under the header, the local rule's panel fully in view.
    toolbar = page.locator("main .backprop-toolbar").first
    page.evaluate("(gap) => scrollBy(0, gap)", toolbar.bounding_box()["y"] - header["height"] - 8)
    for _ in range(6):  # the backward step at v3 = v1 + v2: two lines of rule
        page.get_by_test_id("step-next").click()
    page.locator("main [data-testid=local-rule] .katex").nth(1).wait_for()
    rule = page.locator("main .backprop-rule-panel").bounding_box()
    assert toolbar.bounding_box()["y"] >= header["height"] and rule["y"] + rule["height"] <= 800, rule
    # 1366 px: every lab and training control inside its card, every chosen option readable.
    page.set_viewport_size({"width": 1366, "height": 768})
    assert page.evaluate(CONTROLS_FIT, "main .backprop-lab-controls .control") == []
    page.goto(site + "#/cnn")
    page.locator("main .train-controls .control").first.wait_for()
    assert page.evaluate(CONTROLS_FIT, "main .train-controls .control") == []
    # Plain words for students: the technical ones live in the engine's details and the code panels.
    until(page, "document.documentElement.dataset.engine === 'ready'")
    assert page.get_by_test_id("engine-status").inner_text() == "Python listo"
    words = page.evaluate("""() => {
      const skip = "#engine-details, .code-panel, [aria-labelledby=cnn-code-h], .about";
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const seen = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) if (!node.parentElement.closest(skip)) seen.push(node.data);
      const options = [...document.querySelectorAll("main option")].filter((o) => !o.closest(skip));
      return seen.join(" ") + " " + options.map((o) => o.textContent).join(" ");
    }""")
    for jargon in ["build.py", "pizarra.", "Trainer", "backend", "numpy", "CPython"]:
        assert jargon not in words, jargon
    assert errors == []
    context.close()


def test_a_phone_keeps_the_answer_in_view_and_the_text_readable(site, browser):
    context = browser.new_context(
        locale="es-ES", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    errors = ConsoleLog().attach(page)
    page.goto(site + "#/cnn")
    until(page, "document.documentElement.dataset.engine === 'ready'")
    page.locator("main [data-testid=layers] .thumb").first.wait_for()
    menu, current = (
        page.locator("#menu").bounding_box(),
        page.locator("#menu [aria-current=page]").bounding_box(),
    )
    assert (
        menu["x"] - 1 <= current["x"] and current["x"] + current["width"] <= menu["x"] + menu["width"] + 1
    )  # scrolled into view
    assert "Ctrl" not in page.locator("main .pad-column .hint").inner_text()  # no keys on a touch screen
    pad = page.get_by_test_id("digit-canvas")
    pad.evaluate("(canvas) => canvas.scrollIntoView({block: 'start'})")
    box = pad.bounding_box()
    touch = context.new_cdp_session(page)
    at = lambda x, y: {"x": box["x"] + x * box["width"], "y": box["y"] + y * box["height"]}  # noqa: E731
    stroke = [(0.25 + 0.5 * i / 8, 0.2) for i in range(9)] + [
        (0.75 - 0.35 * i / 8, 0.2 + 0.65 * i / 8) for i in range(1, 9)
    ]
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [at(*stroke[0])]})
    for point in stroke[1:]:
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [at(*point)]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    until(
        page,
        "location.hash.includes('d=') && document.querySelector('main [data-testid=prediction]').textContent !== ''",
    )
    assert page.get_by_test_id("prediction").inner_text() == "7"
    for answer in [
        page.get_by_test_id("prediction"),
        page.locator("main [data-testid=probabilities] .bar.best"),
    ]:
        seen = answer.bounding_box()
        assert seen["y"] >= 0 and seen["y"] + seen["height"] <= 844, seen  # in view, no scrolling
    open_graph(page, site)
    drawn = page.evaluate(GRAPH_TEXT)
    assert drawn["smallest"] >= MIN_TEXT_PX, drawn
    assert errors == []
    context.close()
