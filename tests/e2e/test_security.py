"""The locks: every page under the site's content policy (the <meta> in index.html, and the headers
`build.py serve` sends: the page's, and the worker's with 'wasm-unsafe-eval') without a violation,
under cross-origin isolation without a failed file, and nothing fetched from another origin."""

from urllib.parse import urlsplit

import pytest
from conftest import ConsoleLog, wait_engine
from page_registry import ADDRESSES

from buildlib import common, server

# Violations the document itself sees (the <meta> policy and the header's), recorded before any script runs.
RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture(scope="module")
def visit(browser):
    """Open every page once in a fresh profile under the real policy; record what happened."""
    reports = []
    record = {"reports": reports, "requests": [], "failed": [], "violations": []}
    with server.serving(common.DIST, csp_reports=reports) as url:
        context = browser.new_context(bypass_csp=False, locale="en-US")
        context.add_init_script(RECORD_VIOLATIONS)
        context.on("request", lambda request: record["requests"].append(request.url))
        # (Chromium reports the engine's HEAD checks of its runtime files as aborted, body unread.)
        context.on(
            "requestfailed",
            lambda request: (
                request.method == "GET" and record["failed"].append(f"{request.url} {request.failure}")
            ),
        )
        context.on(
            "response",
            lambda response: (
                response.status >= 400 and record["failed"].append(f"{response.url} {response.status}")
            ),
        )
        page = context.new_page()
        errors = ConsoleLog().attach(page)
        page.goto(url)
        wait_engine(page)
        record["isolated"] = page.evaluate("crossOriginIsolated")
        for hash_ in ADDRESSES:
            page.goto(url + hash_)  # the router mounts the page in the same document
            mounted = hash_[2:] or "home"
            page.wait_for_function(f"() => document.querySelector('main')?.dataset.page === '{mounted}'")
            # The page's first calls (weights, a first training step) run under the policy too.
            page.wait_for_function(
                "() => window.pizarra.pending.size === 0 && !window.pizarra.busy", timeout=60_000
            )
            record["violations"] += page.evaluate("window.violations")
            record["fonts"] = page.evaluate("document.fonts.check('16px KaTeX_Main')") or record.get("fonts")
        page.wait_for_timeout(1000)  # reports are posted asynchronously
        record["errors"] = list(errors)
        record["origin"] = urlsplit(url).netloc
        context.close()
    return record


def test_every_page_runs_under_the_content_policy_without_a_violation(visit):
    assert visit["violations"] == []
    assert visit["reports"] == []  # the page's and the worker's header policies report here
    assert visit["errors"] == []


def test_every_page_works_under_cross_origin_isolation(visit):
    assert visit["isolated"] is True
    assert visit["failed"] == []  # nothing blocked: the wasm, the worker, the vendor files, the data
    assert visit["fonts"] is True  # KaTeX's fonts, for the formulas


def test_nothing_is_fetched_from_another_origin(visit):
    hosts = {urlsplit(url).netloc for url in visit["requests"] if not url.startswith(("data:", "blob:"))}
    assert hosts == {visit["origin"]}
    # The worker's own requests are among those recorded: the runtime and the snapshot.
    assert any(url.endswith("/runtime/pyodide.asm.wasm") for url in visit["requests"])
    assert any(url.endswith("/snapshot/memory.bin") for url in visit["requests"])
    # The notebook app (lite/) costs the pages nothing: none of its files loads until it is opened
    # (tests/e2e/test_notebook_app.py checks the app itself under its policy).
    assert not [url for url in visit["requests"] if "/lite/" in url]
