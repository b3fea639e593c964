"""Faults the engine bridge must survive: arguments that cannot reach the worker, and error messages
that name Python's exception type once."""

from conftest import wait_engine


def test_uncloneable_arguments_reject_at_once_and_never_restart_the_engine(site, new_page):
    page, errors = new_page()
    page.goto(site)
    wait_engine(page)
    page.evaluate("pizarra.run('kept = 41')")
    rejected = page.evaluate(
        "pizarra.call('engine_info', {f: () => 1}, {timeoutMs: 800}).then(() => null, e => e.code)")
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
    assert unknown.startswith("ValueError: unknown demo function") and unknown.count("ValueError") == 1
    assert errors == []


def test_a_call_fetches_its_assets_once_and_a_missing_one_is_named(site, new_page):
    page, errors = new_page()
    page.goto(site)
    wait_engine(page)
    page.evaluate("pizarra.call('engine_info', {}, {assets: ['lenet5_mnist.md']})")
    card = page.evaluate("pizarra.run(\"from pizarra.data import assets; assets.path('lenet5_mnist.md').read_text()[:12]\")")
    assert card == "# Model card"
    missing = page.evaluate("pizarra.call('engine_info', {}, {assets: ['nothing.npz']}).then(() => null, e => e.message)")
    assert missing == "MissingFile: data/nothing.npz"
    bad = page.evaluate("pizarra.call('engine_info', {}, {assets: ['../build.json']}).then(() => null, e => e.message)")
    assert "Not an asset name" in bad
    assert page.evaluate("pizarra.run('1 + 1')") == 2
    assert [e for e in errors if "404" not in e] == []
