"""End-to-end fixtures: the site built once per run, served on a free local port, and driven
by the system Chromium (headless, WebGPU enabled) through the PyPI playwright package."""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402  (the project's build.py)

from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM_ARGS = [
    "--enable-unsafe-webgpu",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def site():
    """The built site (build.py build), served on a free port: yields the base URL."""
    build.build()
    with build.serving(build.DIST) as url:
        yield url


@pytest.fixture(scope="session")
def broken_site(tmp_path_factory):
    """A copy of the built site with a runtime file removed, as a careless deploy would leave it."""
    build.build()
    dist = tmp_path_factory.mktemp("broken") / "dist"
    shutil.copytree(build.DIST, dist)
    (dist / "runtime" / "pyodide.asm.wasm").unlink()
    with build.serving(dist) as url:
        yield url


class ScriptableBrowser:
    """The browser, whose new contexts bypass the site's content policy by default: it forbids the
    string evaluation behind Playwright's wait_for_function("<expression>"). test_security.py opens
    the pages with bypass_csp=False and fails on any violation."""

    def __init__(self, browser):
        self.browser = browser

    def new_context(self, **options):
        return self.browser.new_context(**{"bypass_csp": True, **options})

    def __getattr__(self, name):
        return getattr(self.browser, name)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(build.CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield ScriptableBrowser(chromium)
        chromium.close()


class ConsoleLog(list):
    """Console errors and uncaught page errors, collected so a test can assert there were none."""

    def attach(self, page):
        page.on("console", lambda m: self.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.append(f"pageerror: {e}"))
        return self


@pytest.fixture
def new_page(browser):
    """A page in a fresh browser context (empty profile): new_page(locale="es-ES") -> (page, errors)."""
    contexts = []

    def make(locale="es-ES", **options):
        context = browser.new_context(locale=locale, **options)
        contexts.append(context)
        page = context.new_page()
        return page, ConsoleLog().attach(page)

    yield make
    for context in contexts:
        context.close()


@contextlib.contextmanager
def page_at(browser, url):
    """A page opened at `url` in a fresh English desktop context (1280×900): yields (page, errors).
    A page's test module shares one such page among its tests (a module-scoped fixture)."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = ConsoleLog().attach(page)
    page.goto(url)
    try:
        yield page, errors
    finally:
        context.close()


def wait_engine(page, state="ready", timeout=60_000):
    page.wait_for_function(f"() => document.documentElement.dataset.engine === '{state}'", timeout=timeout)
