"""Every long operation (training, generation, evaluation) shows its progress and the one shared
Stop (ui/operation.js), which interrupts the engine call in flight: the operation's UI goes back
to idle and says what it kept, the engine is the same (not restarted, Python's state intact), and
the next call works (issue 14).

Each operation's engine call is held in flight: the page's next call of that function runs the real
function again and again, forever, until the page stops it (`hold`). So the operation can only end
by the Stop reaching the call in flight — a page that stopped between chunks would wait for ever.
One page goes through every page by its address (the engine lives on); the stop latency is
measured by `python3 build.py bench stop`, never asserted here."""

import re

import pytest
from conftest import page_at, wait_engine

HOLD = r"""
import builtins, js
import pizarra.demos as demos
originals = builtins.__dict__.setdefault("_held_originals", {})

def hold(name):
    original = originals.setdefault(name, demos.DEMOS[name])
    armed = [True]
    def held(**args):
        if not armed[0]:
            return original(**args)
        armed[0] = False
        js.postMessage("held:" + name)          # the test hears that the call is in flight
        while True:                             # the real work, again and again, until stopped
            original(**args)
    demos.DEMOS[name] = held

for name in NAMES:
    hold(name)
"""
RELEASE = "import builtins, pizarra.demos as demos; demos.DEMOS.update(builtins.__dict__.get('_held_originals', {}))"


def until(page, condition, arg=None, timeout=60_000):
    page.wait_for_function(f"(arg) => {condition}", arg=arg, timeout=timeout)


def hold(page, *names):
    """The page's next call of each function stays in flight until it is stopped."""
    page.evaluate("(code) => pizarra.run(code)", HOLD.replace("NAMES", repr(list(names))))


def stop_when_held(page, name, operation):
    """Wait until `name` is running (held), then press the operation's Stop."""
    until(page, "window.held.includes(arg)", name)
    stop = page.get_by_test_id(operation).get_by_test_id("stop")
    assert stop.inner_text() == "Stop"  # the one shared word (operation.stop)
    stop.click()


def stopped(page, operation, testid, pattern):
    """The operation is idle again, stopped, and the page says what it kept; the engine is the same
    worker with the same Python, and answers."""
    until(page, "document.querySelector(`main [data-testid=${arg}]`).dataset.state === 'stopped'", operation)
    assert page.get_by_test_id(operation).is_hidden()
    until(
        page,
        "new RegExp(arg[1]).test(document.querySelector(`main [data-testid=${arg[0]}]`).innerText)",
        [testid, pattern],
    )
    assert page.evaluate("pizarra.worker === window.firstWorker") is True  # no restart
    assert (
        page.evaluate("pizarra.run('import builtins; builtins.stop_test_mark')") == 42
    )  # Python's state kept
    assert page.evaluate("pizarra.call('engine_info').then((info) => typeof info.pizarra)") == "string"


@pytest.fixture(scope="module")
def tour(site, browser):
    """One English page whose engine serves every page of the tour."""
    with page_at(browser, site + "#/") as (page, errors):
        wait_engine(page, timeout=120_000)
        assert page.evaluate("crossOriginIsolated") is True
        page.evaluate("""() => {
            window.firstWorker = pizarra.worker;
            window.held = [];
            pizarra.worker.addEventListener('message', (e) => typeof e.data === 'string' && e.data.startsWith('held:') && held.push(e.data.slice(5)));
          }""")
        page.evaluate("pizarra.run('import builtins; builtins.stop_test_mark = 42')")
        yield page, errors
        page.evaluate("(code) => pizarra.run(code)", RELEASE)


def go(page, address, ready):
    page.evaluate("(hash) => { location.hash = hash; }", address)
    until(page, f"document.querySelector('main').dataset.page === '{address[2:].split('?')[0]}' && ({ready})")


@pytest.fixture
def released(tour):
    """A held call that a failed test left running is stopped, and every function is itself again."""
    page, errors = tour
    yield page, errors
    page.evaluate("pizarra.stop()")
    page.evaluate("(code) => pizarra.run(code)", RELEASE)


def test_lm_generation_and_live_training_stop_at_once(released):
    page, errors = released
    hold(page, "lm_generate")  # the generation the page starts on opening
    go(
        page,
        "#/lm?len=50&hidden=16&bptt=8&batch=4&every=500",
        "document.querySelector('[data-testid=train-start]') !== null",
    )
    stop_when_held(page, "lm_generate", "generate-operation")
    stopped(page, "generate-operation", "generate-status", r"^Stopped: \d+ of 50 characters written")

    hold(page, "lm_train_steps")
    page.get_by_test_id("train-start").click()
    stop_when_held(page, "lm_train_steps", "train-operation")
    stopped(page, "train-operation", "train-status", r"^Stopped at step \d+: the model trained so far")
    assert page.get_by_test_id("train-samples").locator("li").count() == 1  # the model so far wrote it
    assert not page.get_by_test_id("train-start").is_disabled()
    assert errors == []


def test_cnn_training_and_its_test_measurement_stop_at_once(released):
    page, errors = released
    go(page, "#/cnn?epochs=1", "document.querySelector('[data-testid=train-start]') !== null")
    wait_engine(page)
    hold(page, "cnn_train_steps", "cnn_evaluate")
    page.get_by_test_id("train-start").click()
    stop_when_held(page, "cnn_train_steps", "train-operation")
    until(
        page,
        "/measuring them on the test digits/.test(document.querySelector('[data-testid=train-status]').innerText)",
    )
    stop_when_held(page, "cnn_evaluate", "train-operation")  # Stop also skips the measurement
    stopped(
        page,
        "train-operation",
        "train-status",
        "^Stopped: the weights trained so far are kept .* not measured",
    )
    assert page.get_by_test_id("model").input_value() == "trained"  # the model so far is in use
    assert errors == []


def test_embeddings_counts_upload_evaluation_and_training_stop_at_once(released):
    page, errors = released
    go(page, "#/embeddings?minc=1&ep=1", "document.querySelector('[data-testid=train-toggle]') !== null")
    page.get_by_test_id("neighbours").locator(".neighbour-box").first.wait_for(timeout=60_000)
    vectors = {
        "name": "mine.txt",
        "mimeType": "text/plain",
        "buffer": "3 2\nrey 1 0\nreina 0.9 0.1\nmesa 0 1\n".encode(),
    }

    hold(page, "embeddings_corpus_counts")
    page.get_by_test_id("corpus-count").click()
    stop_when_held(page, "embeddings_corpus_counts", "count-operation")
    stopped(page, "count-operation", "count-status", "^Counting stopped")

    hold(page, "embeddings_upload")
    page.get_by_test_id("upload-input").set_input_files(files=[vectors])
    stop_when_held(page, "embeddings_upload", "upload-operation")
    stopped(page, "upload-operation", "upload-status", "^Loading mine.txt stopped: the sets are as they were")

    hold(page, "embeddings_evaluate")  # a new set is evaluated once it is loaded
    page.get_by_test_id("upload-input").set_input_files(files=[vectors])
    stop_when_held(page, "embeddings_evaluate", "eval-operation")
    stopped(page, "eval-operation", "eval-status", "stopped: its row stays out of the table")

    hold(page, "embeddings_train_steps")
    page.get_by_test_id("train-source").select_option("text")
    page.get_by_test_id("train-text").fill(
        "\n".join(["the cat and the dog eat fish", "a saw cuts wood and metal"] * 50)
    )
    page.get_by_test_id("train-toggle").click()
    stop_when_held(page, "embeddings_train_steps", "train-operation")
    stopped(page, "train-operation", "train-status", r"^Stopped at \d+\s?%: \d+ vectors kept")
    until(page, "document.querySelector('[data-testid=vector-set]').value === 'trained'")
    assert errors == []


def test_attention_translation_steps_and_self_attention_stop_at_once(released):
    page, errors = released
    go(
        page,
        "#/attention",
        "(document.querySelector('[data-testid=translation]')?.textContent || '').trim() !== ''",
    )
    hold(page, "attention_translate")
    page.get_by_test_id("source-input").fill("el gato come pescado")
    page.get_by_test_id("translate").click()
    stop_when_held(page, "attention_translate", "translate-operation")
    stopped(page, "translate-operation", "translate-message", "^Stopped: nothing is shown here")

    hold(page, "attention_steps")
    page.get_by_test_id("beam").select_option("3")
    stop_when_held(page, "attention_steps", "steps-operation")
    stopped(page, "steps-operation", "steps-message", "^Stopped: nothing is shown here")
    assert page.get_by_test_id("decode-steps").is_hidden()

    hold(page, "attention_mask")
    page.get_by_test_id("mask-run").click()
    stop_when_held(page, "attention_mask", "mask-operation")
    stopped(page, "mask-operation", "mask-message", "^Stopped: nothing is shown here")
    page.get_by_test_id("translate").click()  # asked again, shown again
    until(page, "(document.querySelector('[data-testid=translations]')?.dataset.tokens || '') !== ''")
    assert errors == []


def test_a_backprop_replay_stops_at_once_and_the_link_holds_the_step_reached(released):
    page, errors = released
    hold(page, "backprop_lab_train")
    go(
        page,
        "#/backprop?data=xor&n=100&trained=30000",
        "document.querySelector('[data-testid=train-toggle]') !== null",
    )
    stop_when_held(page, "backprop_lab_train", "replay-operation")
    stopped(page, "replay-operation", "train-status", r"^Step \d+ ")
    until(
        page,
        "/^Step (\\d+) /.exec(document.querySelector('main [data-testid=train-status]').innerText)[1] === "
        "new URLSearchParams(location.hash.split('?')[1]).get('trained')",
    )
    reached = int(re.match(r"Step (\d+) ", page.get_by_test_id("train-status").inner_text()).group(1))
    assert 0 < reached < 30000
    page.get_by_test_id("train-step").click()  # the run trains on from there
    until(
        page,
        "document.querySelector('main [data-testid=train-status]').innerText.startsWith(arg)",
        f"Step {reached + 1} ",
    )
    assert errors == []
