"""The Backprop page in Chromium: the course's graph with its values and gradients, stepping,
the link, every bad input's message, and a network learning XOR. (What a teacher and a student
ran into in class — the link against the screen, decimal commas, waiting for Python, language
switches — is tests/e2e/test_class_ready.py.)"""

import json
import re
from pathlib import Path

from conftest import assert_close, cell_sources, download_notebook, notebook_result, wait_engine

WEB = Path(__file__).resolve().parents[2] / "web"
X, Y, Z, W = 3, -4, 2, 0

# The control of every SCHEMA entry, for test_link_bounds.py.
LINK = {
    "controls": {
        "data": ("select", "lab-data"),
        "n": ("slider", "lab-n"),
        "noise": ("slider", "lab-noise"),
        "val": ("slider", "lab-val"),
        "depth": ("slider", "lab-depth"),
        "width": ("slider", "lab-width"),
        "act": ("select", "lab-act"),
        "init": ("select", "lab-init"),
        "opt": ("select", "lab-opt"),
        "lr": ("select", "lab-lr"),
        "batch": ("select", "lab-batch"),
        "l2": ("select", "lab-l2"),
        "drop": ("slider", "lab-drop"),
        "es": ("checkbox", "lab-es"),
        "patience": ("slider", "lab-patience"),
        "seed": ("number", "lab-seed"),
        "layer": ("select", "lab-layer"),
    },
    # expr, vars, step: the link and stepping tests below; trained: the XOR run's replay
    "elsewhere": {"expr", "vars", "step", "trained"},
    "companions": {},
    "off_presets": [{"lr": 0.02, "batch": 100, "l2": 0.05}],
    "ready": "/^Step \\d/.test(document.querySelector('main[data-page=backprop] [data-testid=train-status]')?.textContent || '')",
}


def number(text):
    return float(text.replace("−", "-").replace("\u202f", "").replace("\xa0", "").replace(",", "."))


def open_page(new_page, site, query="", locale="en-US"):
    page, errors = new_page(locale=locale)
    page.goto(f"{site}#/backprop{'?' + query if query else ''}")
    wait_engine(page)
    page.locator("[data-testid=graph-source][data-source=python]").wait_for()
    return page, errors


def cell(page, kind, name):
    return number(page.get_by_test_id(f"{kind}-{name}").inner_text())


def test_dynamic_message_keys_exist_in_both_catalogues():
    # Keys built at run time (t(`backprop.data.${v}`)) and keys kept in tables escape test_catalogue.
    code = "\n".join(p.read_text() for p in (WEB / "js/pages").rglob("*.js") if "backprop" in str(p))
    keys = set(re.findall(r'"(backprop\.[\w.-]+)"', code))
    keys |= {f"backprop.data.{v}" for v in ["rain", "xor", "circles", "spirals"]}
    keys |= {f"backprop.init.{v}" for v in ["xavier", "he", "small"]}
    keys |= {f"backprop.progress.{v}" for v in ["start", "forward", "backward"]}
    for lang in ["es", "en"]:
        catalogue = json.loads((WEB / f"i18n/backprop.{lang}.json").read_text())
        assert sorted(keys - set(catalogue)) == [], lang


def test_course_example_values_and_gradients_appear_with_their_checks(site, new_page):
    page, errors = open_page(new_page, site, "step=-1")  # both passes done
    r = 2 * (X * Y + max(Z, W))
    assert cell(page, "value", "r") == r
    assert cell(page, "value", "v1") == X * Y and cell(page, "value", "v2") == max(Z, W)
    expected = {
        "x": 2 * Y,
        "y": 2 * X,
        "z": 2.0 * (Z > W),
        "w": 2.0 * (W > Z),
        "v1": 2,
        "v2": 2,
        "v3": 2,
        "r": 1,
    }
    for name, grad in expected.items():
        assert cell(page, "grad", name) == grad, name
        assert abs(cell(page, "check", name) - grad) < 1e-4, name  # finite difference in the browser
    assert page.locator("[data-testid=node-table] .differs").count() == 0
    graph = page.get_by_test_id("graph")
    assert graph.locator("g.backprop-node").count() == 9
    assert "-20" in graph.inner_text().replace("−", "-")
    assert errors == []


COUNT_CALLS = "() => { window.calls = []; const call = pizarra.call.bind(pizarra); pizarra.call = (fn, ...rest) => (window.calls.push(fn), call(fn, ...rest)); }"
RESULTS = """() => {
  const q = (id) => document.querySelector(`main [data-testid=${id}]`);
  return {
    table: [...q('node-table').querySelectorAll('td[data-testid]')].map((td) => td.innerText.replace('\u2212', '-').replace(',', '.')),
    nodes: q('graph').querySelectorAll('g.backprop-node').length, accuracy: q('train-accuracy').dataset.value,
    kept: window.kept === q('graph') && window.keptLab === q('boundary'),
  };
}"""


def test_switching_language_rewrites_the_graph_and_the_lab_in_place(site, new_page):
    """Both ways: the graph's description (its aria-label), the step and lab words and the numbers
    follow the language; nothing is asked of Python again, and the graph and the run stay as they were."""
    page, errors = open_page(new_page, site, "step=-1&data=xor&n=100")
    status = page.get_by_test_id("train-status")
    status.filter(has_text=re.compile(r"^Step 0 ")).wait_for()
    per_epoch = int(re.search(r"\((\d+) steps per epoch", status.inner_text()).group(1))
    for step in range(1, per_epoch + 1):  # one epoch: its accuracy is shown
        page.get_by_test_id("train-step").click()
        status.filter(has_text=re.compile(f"^Step {step} ")).wait_for()
    page.evaluate(
        "() => { window.kept = document.querySelector('main [data-testid=graph]'); "
        "window.keptLab = document.querySelector('main [data-testid=boundary]'); }"
    )
    before = page.evaluate(RESULTS)
    assert before["nodes"] == 9 and before["kept"] and before["accuracy"]
    page.evaluate(COUNT_CALLS)
    for lang, words in (
        (
            "es",
            {
                "graph": "Grafo de cómputo con 9 nodos",
                "step": "Paso 8 de 8",
                "lab": f"Paso {per_epoch} · época 1",
                "accuracy": "Exactitud: entrenamiento",
            },
        ),
        (
            "en",
            {
                "graph": "Computational graph with 9 nodes",
                "step": "Step 8 of 8",
                "lab": f"Step {per_epoch} · epoch 1",
                "accuracy": "Accuracy: training",
            },
        ),
    ):
        page.get_by_test_id(f"lang-{lang}").click()
        page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
        assert (
            page.get_by_test_id("graph").locator("svg").get_attribute("aria-label").startswith(words["graph"])
        )
        assert page.get_by_test_id("step-status").inner_text().startswith(words["step"])
        assert status.inner_text().startswith(words["lab"])
        assert page.get_by_test_id("train-accuracy").inner_text().startswith(words["accuracy"])
        assert page.evaluate(RESULTS) == before  # the same graph and run, not computed again
        assert page.evaluate("() => window.calls") == []  # nothing asked of Python
    assert errors == []


def test_the_precomputed_graph_shows_while_python_cannot_start(site, new_page):
    page, errors = new_page(locale="en-US")
    page.route("**/runtime/pyodide.asm.wasm", lambda route: route.abort())
    page.goto(f"{site}#/backprop?step=-1")
    assert page.get_by_test_id("graph-source").get_attribute("data-source") == "precomputed"
    assert cell(page, "value", "r") == 2 * (X * Y + max(Z, W)) and cell(page, "grad", "x") == 2 * Y
    page.get_by_test_id("step-next").wait_for()
    assert page.get_by_test_id("graph").locator("g.backprop-node").count() == 9


def test_stepping_forward_then_backward(site, new_page):
    page, errors = open_page(new_page, site)
    following, previous = page.get_by_test_id("step-next"), page.get_by_test_id("step-back")
    assert following.is_enabled() and previous.is_disabled()  # the page opens at step 0
    assert page.get_by_test_id("value-v1").inner_text() == "·"
    for _ in range(4):  # four operations
        following.click()
    assert "forward pass" in page.get_by_test_id("step-status").inner_text()
    assert cell(page, "value", "r") == -20 and page.get_by_test_id("grad-r").inner_text() == "·"
    following.click()  # r = v3 · 2 sends 2 back to v3
    rule = page.get_by_test_id("local-rule").inner_text()
    assert "product multiplies" in rule
    assert cell(page, "grad", "r") == 1 and cell(page, "grad", "v3") == 2
    assert page.locator(".backprop-node.current").get_attribute("data-node") == "8"
    code = page.get_by_test_id("code-panel")
    code.locator(".code-line.marked").first.wait_for()
    assert "class Mul(Function):" in code.inner_text()
    assert code.locator(".code-line.marked").first.inner_text().strip().startswith("def backward")
    for _ in range(3):
        following.click()
    assert following.is_disabled()
    assert cell(page, "grad", "x") == 2 * Y
    assert "step=-1" in page.url  # complete
    previous.click()
    assert "step=7" in page.url and page.get_by_test_id("grad-x").inner_text() == "·"
    page.get_by_test_id("step-reset").click()
    assert "step=" not in page.url  # step 0: the default
    page.get_by_test_id("graph").press("ArrowRight")
    assert page.locator(".backprop-node.current").get_attribute("data-node") == "2"  # v1 = x · y
    assert "step=1" in page.url
    assert errors == []


def test_link_round_trips_expression_values_and_step(site, new_page):
    page, errors = open_page(new_page, site)
    box = page.get_by_test_id("expression-input")
    box.fill("sigmoid(w * x + b)")
    box.press("Enter")
    page.get_by_test_id("var-b").wait_for()
    page.get_by_test_id("var-w").fill("-1.5")
    page.wait_for_function("location.hash.includes('w%3A-1.5')")
    page.get_by_test_id("step-next").click()  # a new expression starts at step 0
    page.get_by_test_id("step-next").click()
    link = page.url
    expected = {"w": -1.5, "x": X, "b": 1.0}  # x keeps its value; the new b starts at 1
    value = cell(page, "value", "v2")
    assert abs(value - (expected["w"] * expected["x"] + expected["b"])) < 1e-12
    other, more_errors = open_page(new_page, site, link.split("?", 1)[1])
    assert other.get_by_test_id("expression-input").input_value() == "sigmoid(w * x + b)"
    assert other.get_by_test_id("var-w").input_value() == "-1.5"
    assert other.get_by_test_id("step-status").inner_text() == page.get_by_test_id("step-status").inner_text()
    assert cell(other, "value", "v2") == value and other.get_by_test_id("value-r").inner_text() == "·"
    assert errors == [] and more_errors == []


def test_each_bad_input_shows_its_message(site, new_page):
    page, errors = open_page(new_page, site)
    box, alert = page.get_by_test_id("expression-input"), page.get_by_test_id("expression-error")
    assert alert.get_attribute("role") == "alert"
    cases = [
        ("(x * y", ["position 1", "never closed"]),
        ("x * $ y", ["“$”", "position 5"]),
        ("x +", ["ends too early", "position 4"]),
        ("foo(x)", ["Unknown function “foo”"]),
        ("speed + 1", ["Unknown name “speed”"]),
        ("x" + " + 1" * 200, ["more than 200 nodes"]),
    ]
    for text, messages in cases:
        box.fill(text)
        box.press("Enter")
        page.wait_for_function(
            "document.querySelector('[data-testid=expression-error]').innerText.length > 0"
        )
        shown = alert.inner_text()
        for message in messages:
            assert message in shown, (text, shown)
        assert page.get_by_test_id("graph").locator("g.backprop-node").count() > 0  # never blank
        box.fill("x")
        box.press("Enter")
        page.wait_for_function("document.querySelector('[data-testid=expression-error]').innerText === ''")
    box.fill("1 / x + log(y)")
    page.get_by_test_id("var-x").wait_for()
    page.get_by_test_id("var-x").fill("0")
    page.get_by_test_id("var-y").fill("-1")
    page.wait_for_function("location.hash.includes('y%3A-1')")
    page.get_by_test_id("graph").press("End")  # the issues of evaluated nodes
    page.wait_for_function(
        "(t => t.includes('division by zero') && t.includes('logarithm'))(document.querySelector('[data-testid=graph-issues]').innerText)"
    )
    issues = page.get_by_test_id("graph-issues").inner_text()
    assert "logarithm of a non-positive number" in issues and "NaN" in issues and "∞" in issues
    assert page.locator(".backprop-node.issue").count() >= 2
    assert errors == []


def test_spanish_messages(site, new_page):
    page, _ = open_page(new_page, site, locale="es-ES")
    box = page.get_by_test_id("expression-input")
    box.fill("max(x)")
    box.press("Enter")
    page.wait_for_function("document.querySelector('[data-testid=expression-error]').innerText.length > 0")
    assert (
        "max recibe 2 argumento(s), no 1 (posición 1)" in page.get_by_test_id("expression-error").inner_text()
    )


def test_training_on_xor_reaches_full_training_accuracy_and_the_run_reproduces(site, new_page):
    query = "data=xor&noise=0&depth=2&width=8&act=tanh&opt=adam&lr=0.03"
    page, errors = open_page(new_page, site, query)
    page.locator("[data-testid=train-status]", has_text="Step 0").wait_for()
    page.get_by_test_id("train-toggle").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=train-accuracy]').dataset.value === '1'", timeout=60_000
    )
    page.get_by_test_id("train-toggle").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=train-toggle]').getAttribute('aria-pressed') === 'false'"
    )
    page.wait_for_timeout(300)  # the chunk in flight when pausing lands
    assert "100.0%" in page.get_by_test_id("train-accuracy").inner_text()
    assert page.get_by_test_id("loss-chart").locator("canvas").count() >= 1
    dW = page.get_by_test_id("heat-dW").locator("canvas")  # W₁ of a 2-8-8-1 network: 8 × 2
    assert (dW.get_attribute("height"), dW.get_attribute("width")) == ("8", "2")
    trained = int(re.search(r"trained=(\d+)", page.url).group(1))
    assert trained > 0
    mine = page.evaluate("pizarra.call('backprop_lab_train', {steps: 0})")
    other, more_errors = open_page(new_page, site, page.url.split("?", 1)[1])
    other.locator("[data-testid=train-status]", has_text=f"Step {trained} ").wait_for(timeout=60_000)
    theirs = other.evaluate("pizarra.call('backprop_lab_train', {steps: 0})")
    assert theirs["step"] == mine["step"] == trained
    assert theirs["boundary"] == mine["boundary"]
    assert (
        other.get_by_test_id("train-accuracy").inner_text()
        == page.get_by_test_id("train-accuracy").inner_text()
    )
    assert errors == [] and more_errors == []


def test_python_button_notebook_reproduces_the_page_in_a_clean_venv(site, new_page, run_notebook):
    """The notebook of a non-default state, in Spanish, run in a plain venv, gives the page's
    gradients and the lab's final loss (the page's own engine answers) to 1e-6."""
    expression, values = "tanh(a * b) + log(c) * a", {"a": 0.5, "b": -1.5, "c": 2.5}
    query = (
        f"expr={expression.replace(' ', '%20').replace('+', '%2B')}&vars=a:0.5,b:-1.5,c:2.5"
        "&step=-1&data=circles&n=120&depth=1&width=5&act=relu&init=he&opt=momentum&lr=0.1&batch=16&l2=0.001&seed=7"
    )
    page, errors = open_page(new_page, site, query, locale="es-ES")
    page.locator("[data-testid=train-status]", has_text="Paso 0").wait_for()
    page.get_by_test_id("train-toggle").click()
    page.wait_for_function("() => /trained=([1-9]\\d{1,})/.test(location.hash)", timeout=60_000)
    page.get_by_test_id("train-toggle").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=train-toggle]').getAttribute('aria-pressed') === 'false'"
    )
    page.wait_for_timeout(300)  # the chunk in flight when pausing lands
    trained = int(re.search(r"trained=(\d+)", page.url).group(1))

    document = download_notebook(page)
    shown = document["metadata"]["pizarra"]["result"]
    graph = page.evaluate(
        f"pizarra.call('backprop_graph', {json.dumps({'expression_text': expression, 'values': values})})"
    )
    assert shown["gradients"] == {n["label"]: n["grad"] for n in graph["nodes"] if n["op"] == "input"}
    assert shown["steps"] == trained
    for name in ("a", "b", "c"):  # what the table shows, rounded
        assert abs(cell(page, "grad", name) - shown["gradients"][name]) < 1e-3
    last = shown["last_epoch"]  # what the accuracy line shows, rounded
    accuracy = page.get_by_test_id("train-accuracy").inner_text()
    shown_percent = [number(p) / 100 for p in re.findall(r"([\d,.]+)\s*%", accuracy)]
    assert len(shown_percent) == 2
    assert all(
        abs(a - b) <= 0.0005 + 1e-9
        for a, b in zip(shown_percent, (last["train_accuracy"], last["val_accuracy"]))
    )

    markdown = " ".join(cell_sources(document, "markdown"))
    assert "Retropropagación" in markdown and "la misma semilla" in markdown
    assert_close(notebook_result(run_notebook(document)), shown)
    assert errors == []
