"""Faults the engine bridge must survive: arguments that cannot reach the worker, error messages
that name Python's exception type once, and runaway calls, which a stop interrupts without losing
Python's state (or, where the site is not cross-origin isolated, ends with a fresh engine)."""

import pytest
from conftest import wait_engine

from buildlib import common, server
from buildlib.site import build as build_site  # (the `site` fixture is the served URL)

RUNAWAY = "() => { window.runaway = pizarra.run('while True: pass', {signal: stopper.signal}).then(() => 'finished', e => e.code); }"


def test_uncloneable_arguments_reject_at_once_and_never_restart_the_engine(site, new_page):
    page, errors = new_page()
    page.goto(site)
    wait_engine(page)
    page.evaluate("pizarra.run('kept = 41')")
    rejected = page.evaluate(
        "pizarra.call('engine_info', {f: () => 1}, {timeoutMs: 800}).then(() => null, e => e.code)"
    )
    assert rejected == "bad-arguments"
    page.wait_for_timeout(1500)  # past the call's timeout: had its timer survived, the engine would restart
    assert page.evaluate("document.documentElement.dataset.engine") == "ready"
    assert page.evaluate("pizarra.run('kept + 1')") == 42  # the worker's state is still there
    assert errors == []


def test_python_errors_name_their_type_once(site, new_page):
    page, errors = new_page()
    page.goto(site)
    wait_engine(page)
    message = page.evaluate("pizarra.run('raise ValueError(\"bad value\")').then(() => null, e => e.message)")
    assert message == "ValueError: bad value"
    unknown = page.evaluate("pizarra.call('no_such_demo').then(() => null, e => e.message)")
    # an unknown function is refused at the door, with its code, once
    assert unknown.startswith("Refused (unknown-function)") and '"no_such_demo"' in unknown
    assert unknown.count("Refused") == 1
    assert errors == []


def test_a_call_fetches_its_assets_once_and_a_missing_one_is_named(site, new_page):
    page, errors = new_page()
    page.goto(site)
    wait_engine(page)
    page.evaluate("pizarra.call('engine_info', {}, {assets: ['lenet5_mnist.md']})")
    card = page.evaluate(
        "pizarra.run(\"from pizarra.data import assets; assets.path('lenet5_mnist.md').read_text()[:12]\")"
    )
    assert card == "# Model card"
    missing = page.evaluate(
        "pizarra.call('engine_info', {}, {assets: ['nothing.npz']}).then(() => null, e => e.message)"
    )
    assert missing == "MissingFile: data/nothing.npz"
    bad = page.evaluate(
        "pizarra.call('engine_info', {}, {assets: ['../build.json']}).then(() => null, e => e.message)"
    )
    assert "Not an asset name" in bad
    assert page.evaluate("pizarra.run('1 + 1')") == 2
    assert [e for e in errors if "404" not in e] == []


def start_runaway(page):
    """`while True: pass` in Python, stoppable through window.stopper; waits until the engine is busy."""
    page.evaluate("window.stopper = new AbortController()")
    page.evaluate(RUNAWAY)
    page.wait_for_function("() => document.documentElement.hasAttribute('data-engine-busy') && pizarra.busy")


def test_a_runaway_call_stops_and_python_keeps_its_state(site, new_page):
    page, errors = new_page()
    page.goto(site)
    wait_engine(page)
    assert page.evaluate("crossOriginIsolated") is True  # `build.py serve` isolates the first visit already
    page.evaluate("pizarra.run('kept = 41')")
    start_runaway(page)
    page.evaluate("stopper.abort()")
    assert page.evaluate("runaway") == "cancelled"
    assert page.evaluate("pizarra.run('kept + 1')") == 42  # the same Python, not a fresh engine
    assert page.evaluate("document.documentElement.hasAttribute('data-engine-busy')") is False
    # pizarra.stop() and a timeout stop it the same way.
    start_runaway(page)
    page.evaluate("pizarra.stop()")
    assert page.evaluate("runaway") == "cancelled"
    assert (
        page.evaluate("pizarra.run('while True: pass', {timeoutMs: 1000}).then(() => null, e => e.code)")
        == "timeout"
    )
    assert page.evaluate("pizarra.run('kept + 2')") == 43
    assert errors == []


@pytest.fixture(scope="module")
def plain_host():
    """The built site as a static host serves it: no isolation or policy headers."""
    build_site()
    with server.serving(common.DIST, isolated=False) as url:
        yield url


def test_on_a_plain_host_the_service_worker_isolates_the_next_visit(plain_host, new_page):
    page, errors = new_page()
    page.goto(plain_host)
    wait_engine(page)
    assert page.evaluate("crossOriginIsolated") is False
    page.evaluate("pizarra.run('kept = 41')")
    # Nothing can interrupt Python without isolation: the stop's last resort is a fresh engine.
    start_runaway(page)
    page.evaluate("stopper.abort()")
    assert page.evaluate("runaway") == "cancelled"
    page.wait_for_function("() => pizarra.state === 'loading'", timeout=30_000)
    wait_engine(page)
    assert page.evaluate("pizarra.run(\"'kept' in globals()\")") is False
    # The service worker, once it controls the site, adds the isolation headers: from the next visit
    # on, a stop interrupts Python and its state stays.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=120_000)
    page.reload()
    wait_engine(page)
    assert page.evaluate("crossOriginIsolated") is True
    assert page.evaluate("pizarra.run('import js; js.crossOriginIsolated')") is True  # the worker too
    page.evaluate("pizarra.run('kept = 41')")
    start_runaway(page)
    page.evaluate("stopper.abort()")
    assert page.evaluate("runaway") == "cancelled"
    assert page.evaluate("pizarra.run('kept + 1')") == 42
    assert errors == []


def test_the_pill_says_busy_while_a_long_call_runs_then_ready(site, new_page):
    page, errors = new_page(locale="es-ES")
    page.goto(site + "?backend=numpy")  # no GPU calibration steps queued between the calls
    wait_engine(page)
    pill = page.locator("#engine-status")
    assert pill.inner_text().strip() == "Python listo"
    page.evaluate("() => { window.longCall = pizarra.run('import time; time.sleep(3); 1'); }")  # not awaited
    page.wait_for_selector("#engine-status[data-busy]", timeout=10_000)
    assert pill.inner_text().strip() == "Python ocupado…"
    assert page.evaluate("window.longCall") == 1
    page.wait_for_selector("#engine-status:not([data-busy])", timeout=5_000)
    assert pill.inner_text().strip() == "Python listo"
    assert errors == []
