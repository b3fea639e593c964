"""The CNN digits page: drawing digits with the mouse, the link, bad input, test digits, training."""

import re

import pytest
from conftest import (
    ConsoleLog,
    assert_close,
    cell_sources,
    download_notebook,
    notebook_result,
    page_at,
    wait_engine,
)

# Strokes in [0, 1]² of the drawing surface.
ZERO = [
    [
        (
            0.5 + 0.22 * __import__("math").sin(a / 20 * 6.283),
            0.5 - 0.32 * __import__("math").cos(a / 20 * 6.283),
        )
        for a in range(21)
    ]
]
ONE = [[(0.52, 0.15), (0.5, 0.85)]]
SEVEN = [[(0.25, 0.2), (0.75, 0.2), (0.4, 0.85)]]

# The control of every SCHEMA entry, for test_link_bounds.py.
LINK = {
    "controls": {
        "layer": ("pressed", "layers"),
        "ch": ("pressed", "layers"),
        "k": ("select", "explainer-k"),
        "stride": ("select", "explainer-stride"),
        "pad": ("select", "explainer-pad"),
        "pool": ("select", "explainer-pool"),
        "mode": ("select", "train-mode"),
        "epochs": ("slider", "train-epochs"),
        "lr": ("select", "train-lr"),
        "bs": ("select", "train-bs"),
        "seed": ("number", "train-seed"),
        "aug": ("checkbox", "train-aug"),
    },
    # d: the link and bad-code tests below
    "elsewhere": {"d"},
    # ch counts the maps of the layer: conv1 has 6, conv2 16
    "companions": {"max": {"layer": "conv2"}},
    "off_presets": [{"lr": 0.03, "bs": 256}],
    "ready": "document.querySelector('main[data-page=cnn] [data-testid=layers] .thumb[aria-pressed=true]') !== null",
}


def test_every_message_key_the_page_names_exists_in_both_catalogues():
    """Keys reach the catalogue through msg(), setText() and keys built from a SCHEMA's values."""
    import json
    from pathlib import Path

    web = Path(__file__).resolve().parents[2] / "web"
    code = "\n".join(path.read_text() for path in (web / "js/pages/cnn").glob("*.js"))
    keys = set(re.findall(r'"(cnn\.[\w.-]+)"', code))
    keys |= {f"cnn.kernel.{k}" for k in ["edge-v", "edge-h", "diagonal", "sharpen", "sum"]}
    keys |= {
        f"cnn.{group}.{v}"
        for group, values in [
            ("padding", ["valid", "same"]),
            ("pooling", ["max", "mean"]),
            ("model", ["pretrained", "trained"]),
            ("train.mode", ["finetune", "scratch"]),
            ("explainer.pooled", ["max", "mean"]),
            ("test.summary", ["pretrained", "trained"]),
            ("explain", ["conv", "pool", "dense", "out"]),
            ("stage", ["conv1", "pool1", "conv2", "pool2", "fc1", "fc2", "out"]),
        ]
        for v in values
    }
    for lang in ["es", "en"]:
        catalogue = json.loads((web / f"i18n/cnn.{lang}.json").read_text())
        assert sorted(keys - set(catalogue)) == [], lang


def scaled(strokes, scale, dx, dy):
    """The same digit smaller or larger, elsewhere on the board."""
    return [[(0.5 + (x - 0.5) * scale + dx, 0.5 + (y - 0.5) * scale + dy) for x, y in s] for s in strokes]


def draw(page, strokes):
    box = page.get_by_test_id("digit-canvas").bounding_box()
    for stroke in strokes:
        (x, y), rest = stroke[0], stroke[1:]
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.mouse.down()
        for x, y in rest:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=6)
        page.mouse.up()


def settled_prediction(page):
    """The prediction once the last stroke's answer has arrived (the link is written then)."""
    page.wait_for_function(
        "document.querySelector('[data-testid=prediction]').textContent !== '' && location.hash.includes('d=')"
    )
    return page.get_by_test_id("prediction").inner_text()


@pytest.fixture(scope="module")
def cnn(site, browser):
    """One page of the CNN digits, engine ready, reused by the tests of this module."""
    with page_at(browser, site + "#/cnn") as (page, errors):
        wait_engine(page)
        page.locator("[data-testid=layers] .thumb").first.wait_for()
        yield page, errors


def clear(page):
    page.get_by_test_id("clear").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=prediction]').textContent === '' && !location.hash.includes('d=')"
    )


@pytest.mark.parametrize(
    "digit, strokes",
    [
        ("0", ZERO),
        ("0", scaled(ZERO, 0.5, -0.2, 0.2)),
        ("1", ONE),
        ("1", scaled(ONE, 0.4, 0.25, -0.25)),
        ("7", SEVEN),
        ("7", scaled(SEVEN, 0.45, 0.22, 0.2)),
    ],
)
def test_drawn_digits_are_read(cnn, digit, strokes):
    page, errors = cnn
    clear(page)
    draw(page, strokes)
    assert settled_prediction(page) == digit
    bars = page.get_by_test_id("probabilities").locator(".bar")
    assert bars.count() == 10
    assert page.get_by_test_id("probabilities").locator(".bar.best .bar-label").inner_text() == digit
    assert errors == []


def test_empty_board_asks_for_a_digit_and_undo_returns_there(cnn):
    page, errors = cnn
    clear(page)
    assert page.get_by_test_id("prediction").inner_text() == ""
    assert page.get_by_test_id("prediction-note").inner_text() == "Draw a digit"
    draw(page, ONE)
    settled_prediction(page)
    page.get_by_test_id("undo").click()
    page.wait_for_function("document.querySelector('[data-testid=prediction]').textContent === ''")
    assert page.get_by_test_id("prediction-note").inner_text() == "Draw a digit"
    assert errors == []


def test_scribble_gets_probabilities_not_an_error(cnn):
    page, errors = cnn
    clear(page)
    draw(page, [[(0.1 + 0.8 * (i % 2), 0.1 + 0.08 * i) for i in range(11)], [(0.1, 0.5), (0.9, 0.55)]])
    assert re.fullmatch(r"\d", settled_prediction(page))
    total = sum(
        float(v.replace("%", "").replace(",", ""))
        for v in page.get_by_test_id("probabilities").locator(".bar-value").all_inner_texts()
    )
    assert abs(total - 100) < 1.5
    assert errors == []


def test_link_reopens_the_same_digit_prediction_and_layer(cnn, browser):
    page, _ = cnn
    clear(page)
    draw(page, scaled(SEVEN, 0.7, -0.1, 0.05))
    predicted = settled_prediction(page)
    page.locator('[data-layer="pool2"]').nth(3).click()
    page.wait_for_function("location.hash.includes('layer=pool2') && location.hash.includes('ch=3')")
    link = page.url
    shown = page.get_by_test_id("probabilities").inner_text()
    context = browser.new_context(locale="en-US")
    other = context.new_page()
    errors = ConsoleLog().attach(other)
    other.goto(link)
    other.wait_for_function(
        "(document.querySelector('[data-testid=prediction]')?.textContent || '') !== ''", timeout=60_000
    )
    assert other.get_by_test_id("prediction").inner_text() == predicted
    assert other.get_by_test_id("probabilities").inner_text() == shown
    assert other.locator('[data-layer="pool2"]').nth(3).get_attribute("aria-pressed") == "true"
    pixels = "c => Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data).join()"
    assert other.locator("[data-testid=input-28] canvas").evaluate(pixels) == page.locator(
        "[data-testid=input-28] canvas"
    ).evaluate(pixels)
    assert other.url == link
    assert errors == []
    context.close()


@pytest.mark.parametrize("code", ["AAAA_notdeflate", "x" * 2000, "bad!code"])
def test_bad_digit_code_shows_a_notice_and_an_empty_board(cnn, site, code):
    page, errors = cnn
    page.evaluate("document.querySelectorAll('[data-testid^=notice]').forEach((n) => n.remove())")
    page.goto(site + f"#/cnn?d={code}&layer=conv2")  # same document: the page remounts from the new address
    page.get_by_test_id("notice-warning").wait_for()
    page.locator('[data-layer="conv2"]').first.wait_for()
    assert page.get_by_test_id("prediction").inner_text() == ""
    assert page.get_by_test_id("prediction-note").inner_text() == "Draw a digit"
    assert page.locator('[data-layer="conv2"]').first.get_attribute("aria-pressed") == "true"
    assert errors == []


def test_a_misread_test_digit_loads_into_the_network(cnn):
    page, errors = cnn
    clear(page)
    mistake = page.locator(".mistake").first
    guessed = mistake.locator(".guess").inner_text()
    mistake.click()
    assert settled_prediction(page) == guessed
    assert "98" in page.get_by_test_id("test-accuracy").inner_text()
    assert errors == []


def train_briefly(page):
    page.get_by_test_id("train-start").click()
    page.wait_for_function(
        "() => /examples per second/.test(document.querySelector('[data-testid=train-speed]').textContent)",
        timeout=60_000,
    )
    page.get_by_test_id("train-operation").get_by_test_id("stop").click()  # the shared Stop
    page.wait_for_function(
        "() => /Stopped: .*%/.test(document.querySelector('[data-testid=train-status]').textContent)",
        timeout=60_000,
    )


def test_training_runs_and_reports_speed_and_the_share_notice_says_the_model_stays_here(cnn):
    page, errors = cnn
    train_briefly(page)
    assert page.locator("[data-testid=loss-chart] canvas").count() >= 1
    assert page.get_by_test_id("model").input_value() == "trained"
    page.evaluate("() => document.querySelectorAll('[data-testid^=notice]').forEach((n) => n.remove())")
    page.get_by_test_id("share").click()  # the link cannot carry the trained weights: said so
    assert "does not carry the model you trained" in page.locator(".notice").last.inner_text()
    assert errors == []


def test_after_an_engine_restart_the_page_says_what_was_lost_and_trains_again(cnn):
    """The trained model and the loaded digits lived in the old worker (issue 14)."""
    page, errors = cnn
    page.evaluate("() => document.querySelectorAll('[data-testid^=notice]').forEach((n) => n.remove())")
    page.evaluate("() => pizarra.restart()")
    page.get_by_test_id("notice-warning").filter(has_text="lost the model you trained").wait_for(
        timeout=90_000
    )
    model = page.get_by_test_id("model")
    assert model.input_value() == "pretrained" and model.locator("option[value=trained]").is_disabled()
    page.wait_for_function("() => document.querySelector('[data-testid=prediction]').textContent !== ''")
    train_briefly(page)  # the digits are loaded into the new engine again
    assert page.get_by_test_id("notice-error").count() == 0
    assert errors == []


def test_the_test_digits_wait_for_their_figures(site, new_page):
    """Coming from another page, the engine is ready before the committed model's figures arrive:
    the test-set view waits for them instead of breaking."""
    page, errors = new_page(locale="en-US")
    held = []
    page.route("**/data/lenet5_mnist.json", lambda route: held.append(route))
    page.goto(site + "#/backprop")
    wait_engine(page)
    page.goto(site + "#/cnn")
    page.locator("[data-testid=layers] .thumb").first.wait_for(
        timeout=60_000
    )  # the engine's answers are shown
    page.wait_for_function("document.querySelector('[data-testid=prediction-note]').textContent !== ''")
    assert held and page.get_by_test_id("test-accuracy").count() == 0
    held[0].continue_()
    page.wait_for_function("/98/.test(document.querySelector('[data-testid=test-accuracy]')?.textContent)")
    assert page.locator("[data-testid=confusion] td").count() == 100
    assert errors == []


def test_a_digit_link_opened_in_an_open_tab_keeps_its_digit(cnn, site):
    page, errors = cnn
    clear(page)
    draw(page, SEVEN)
    predicted = settled_prediction(page)
    code = re.search(r"d=([A-Za-z0-9_-]+)", page.url).group(1)
    for _ in range(3):  # the tab already shows the page (its engine is ready)
        page.evaluate("() => { location.hash = '#/cnn'; }")
        page.wait_for_function(
            "() => !location.hash.includes('d=') && document.querySelector('main [data-testid=prediction-note]')?.textContent === 'Draw a digit'"
        )
        page.evaluate("(code) => { location.hash = '#/cnn?d=' + code; }", code)
        page.wait_for_function(
            "() => (document.querySelector('main [data-testid=prediction]')?.textContent || '') !== ''"
        )
        page.wait_for_timeout(300)
        assert page.get_by_test_id("prediction").inner_text() == predicted
        assert f"d={code}" in page.url  # Share copies the digit too
    assert errors == []


def test_the_receptive_field_is_reachable_by_tap_and_keyboard(cnn):
    page, errors = cnn
    page.locator('[data-layer="conv2"]').first.click()
    detail = page.locator(".detail")
    assert detail.get_attribute("aria-live") is None  # the panel is not re-read on each selection
    assert page.locator("#cnn-detail-title").get_attribute("aria-live") == "polite"
    assert "Tap or click a pixel" in detail.inner_text()
    canvas = page.get_by_test_id("feature-map").locator("canvas")
    frame = page.get_by_test_id("field-input").locator(".field-frame")
    box = canvas.bounding_box()
    canvas.click(
        position={"x": box["width"] * 0.45, "y": box["height"] * 0.45}
    )  # cell (4, 4) of the 10×10 map
    page.mouse.move(0, 0)  # the pointer leaves: the frame stays
    assert frame.is_visible()
    first = frame.bounding_box()  # the next pixel's field is 2 input pixels right
    canvas.focus()
    page.keyboard.press("ArrowRight")
    moved = frame.bounding_box()
    assert moved["x"] > first["x"] and moved["y"] == first["y"]
    assert errors == []


def test_the_pooled_cells_appear_once_their_windows_are_computed(cnn):
    page, errors = cnn
    pooled = page.get_by_test_id("explainer-pooled").locator(".cell")
    page.get_by_test_id("explainer-pad").select_option("valid")  # 8×8 input, 3×3 kernel: a 6×6 output
    page.get_by_test_id("explainer-stride").select_option("1")
    assert pooled.count() == 9 and all(text == "" for text in pooled.all_inner_texts())  # cell 1 of 36
    step = page.get_by_test_id("explainer-step")
    for _ in range(7):  # cell 8 of 36: row 1, column 1
        step.click()
    assert [text != "" for text in pooled.all_inner_texts()] == [True] + [False] * 8
    for _ in range(36 - 8):
        step.click()  # cell 36: the whole output
    assert all(text != "" for text in pooled.all_inner_texts())
    step.click()  # back to cell 1: none yet
    assert all(text == "" for text in pooled.all_inner_texts())
    assert errors == []


def test_a_channel_the_layer_does_not_have_is_not_kept_in_the_link(cnn, site):
    page, errors = cnn
    page.goto(site + "#/cnn?ch=15")  # conv1 has 6 maps
    page.wait_for_function(
        "() => document.querySelector('main [data-testid=layers] .thumb[aria-pressed=true]') !== null"
    )
    assert page.locator("main [data-testid=layers] .thumb[aria-pressed=true]").get_attribute("data-ch") == "5"
    assert "ch=5" in page.url
    assert errors == []


def test_a_gpu_lost_while_training_leaves_the_run_going_on_numpy(site, browser):
    """Issue 14: the engine runs the failed step again on NumPy from the last completed one; the
    page keeps training (the speed line says where) instead of failing the run."""
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    errors = ConsoleLog().attach(page)
    page.goto(site + "?backend=webgpu#/cnn")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=90_000)
    assert page.evaluate("() => pizarra.info.backend") == "webgpu"
    page.get_by_test_id("train-start").click()
    page.wait_for_function(
        "() => /graphics card/.test(document.querySelector('[data-testid=train-speed]').textContent)",
        timeout=120_000,
    )
    assert page.evaluate("() => pizarra.gpu('destroy-device')") is True
    page.wait_for_function(
        "() => /processor/.test(document.querySelector('[data-testid=train-speed]').textContent)",
        timeout=60_000,
    )
    step = lambda: int(re.search(r"Step (\d+)", page.get_by_test_id("train-status").inner_text()).group(1))  # noqa: E731
    before = step()
    page.wait_for_function(
        f"() => Number((/Step (\\d+)/.exec(document.querySelector('[data-testid=train-status]').textContent) || [])[1]) > {before}",
        timeout=60_000,
    )
    page.get_by_test_id("train-operation").get_by_test_id("stop").click()  # the shared Stop
    page.wait_for_function(
        "() => /Stopped: .*%/.test(document.querySelector('[data-testid=train-status]').textContent)",
        timeout=60_000,
    )
    assert (
        page.get_by_test_id("notice-error").count() == 0
        and "failed" not in page.get_by_test_id("train-status").inner_text()
    )
    assert errors == []
    context.close()


def spanish_number(text):
    """A number as the Spanish page writes it ("−0,5", "99,5 %")."""
    return float(
        text.replace("\u2212", "-")
        .replace("%", "")
        .replace("\xa0", "")
        .replace(".", "")
        .replace(",", ".")
        .strip()
    )


def test_python_button_notebook_reproduces_the_page_in_a_clean_venv(site, new_page, run_notebook):
    """A test digit through the link, a large map, the explainer at non-default settings and a model
    fine-tuned here for a few chunks (stopped): the Spanish notebook carries its weights, and run in
    a plain venv it prints the page's probabilities, layer shapes and convolution to 1e-6."""
    import base64
    import json
    import zlib

    from buildlib import common
    from pizarra.data import digits

    tile = digits.read_png_sprite((common.DIST / "data" / "mnist-test.png").read_bytes())[3]  # a 0
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    code = base64.urlsafe_b64encode(deflate.compress(tile.tobytes()) + deflate.flush()).decode().rstrip("=")
    page, errors = new_page(locale="es-ES")
    page.goto(
        site + f"#/cnn?d={code}&layer=pool2&ch=5&k=diagonal&stride=2&pad=same&pool=mean"
        "&mode=finetune&epochs=1&lr=0.005&bs=32&seed=4"
    )
    page.locator("[data-testid=layers] .thumb").first.wait_for(timeout=60_000)
    page.get_by_test_id("train-start").click()  # a short fine-tune: the weights go into the notebook
    page.wait_for_function(
        "() => /ejemplos por segundo/.test(document.querySelector('[data-testid=train-speed]').textContent)",
        timeout=60_000,
    )
    page.get_by_test_id("train-operation").get_by_test_id("stop").click()
    page.wait_for_function(
        "() => /Detenido: .*%/.test(document.querySelector('[data-testid=train-status]').textContent)",
        timeout=60_000,
    )
    assert page.get_by_test_id("model").input_value() == "trained"
    engine = page.evaluate(
        f"pizarra.call('cnn_predict', {json.dumps({'digit': base64.b64encode(tile.tobytes()).decode(), 'model': 'trained', 'layers': False})})"
    )
    site_model = page.evaluate(
        f"pizarra.call('cnn_predict', {json.dumps({'digit': base64.b64encode(tile.tobytes()).decode(), 'layers': False})})"
    )
    assert (
        max(abs(a - b) for a, b in zip(engine["probabilities"], site_model["probabilities"])) > 1e-5
    )  # the weights moved
    page.wait_for_function(
        """(want) => {
      const shown = [...document.querySelectorAll('[data-testid=probabilities] .bar-value')].map((b) => Number(b.textContent.replace(/[^0-9,]/g, '').replace(',', '.')));
      return shown.length === 10 && shown.every((v, i) => Math.abs(v - want[i]) <= 0.051);
    }""",
        arg=[100 * p for p in engine["probabilities"]],
    )  # the bars show the trained model
    step = page.get_by_test_id("explainer-step")
    for _ in range(4 * 4 - 1):  # 8×8, stride 2, "same": a 4×4 output, every cell shown
        step.click()

    document = download_notebook(page)
    shown = document["metadata"]["pizarra"]["result"]
    assert shown["model"] == "trained" and shown["prediction"] == engine["prediction"]
    assert all(abs(a - b) <= 5e-6 + 1e-9 for a, b in zip(shown["probabilities"], engine["probabilities"]))
    bars = page.get_by_test_id("probabilities").locator(".bar-value").all_inner_texts()
    assert all(
        abs(spanish_number(text) - 100 * p) <= 0.05 + 1e-6 for text, p in zip(bars, shown["probabilities"])
    )
    assert page.get_by_test_id("prediction").inner_text() == str(shown["prediction"])
    layers = page.evaluate("pizarra.call('cnn_model', {model: 'trained'})")["layers"]
    assert shown["shapes"] == {layer["name"]: list(layer["shape"]) for layer in layers}
    grid = lambda selector: [spanish_number(t) for t in page.locator(selector).all_inner_texts()]  # noqa: E731
    assert grid(".output-grid .cell") == [v for row in shown["convolution"]["output"] for v in row]
    assert grid(".pool-grid .cell") == [v for row in shown["convolution"]["pooled"] for v in row]

    markdown = " ".join(cell_sources(document, "markdown"))
    assert (
        "Tu modelo: los pesos que entrenaste" in markdown
        and "la misma semilla" in markdown
        and "max-pooling" in markdown
    )
    assert any(source.startswith("WEIGHTS = ") for source in cell_sources(document, "code"))
    assert_close(notebook_result(run_notebook(document)), shown)

    page.evaluate("() => document.querySelectorAll('[data-testid^=notice]').forEach((n) => n.remove())")
    page.get_by_test_id("share").click()  # the link cannot carry the weights; the notebook does
    assert "El cuaderno del botón «Python» sí lo lleva" in page.locator(".notice").last.inner_text()
    assert errors == []
