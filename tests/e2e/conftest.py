"""End-to-end fixtures: the site built once per run, served on a free local port, and driven
by the system Chromium (headless, WebGPU enabled) through the PyPI playwright package."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from playwright.sync_api import sync_playwright  # noqa: E402
from results import assert_close  # noqa: E402,F401  (the page tests import it from here)

from buildlib import common, environments, server  # noqa: E402  (build.py's jobs)
from buildlib.site import build as build_site  # noqa: E402  (the `site` fixture is the served URL)

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
    build_site()
    with server.serving(common.DIST) as url:
        yield url


@pytest.fixture(scope="session")
def broken_site(tmp_path_factory):
    """A copy of the built site with a runtime file removed, as a careless deploy would leave it."""
    build_site()
    dist = tmp_path_factory.mktemp("broken") / "dist"
    shutil.copytree(common.DIST, dist)
    (dist / "runtime" / "pyodide.asm.wasm").unlink()
    with server.serving(dist) as url:
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
        chromium = p.chromium.launch(
            executable_path=str(environments.CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield ScriptableBrowser(chromium)
        chromium.close()


class ConsoleLog(list):
    """Console errors and uncaught page errors, collected so a test can assert there were none."""

    def attach(self, page):
        page.on(
            "console", lambda m: self.append(f"console.{m.type}: {m.text}") if m.type == "error" else None
        )
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


# --- exported notebooks (the "Python" button), run as a student would ------------------------

NOTEBOOK_KERNEL = "pizarra-clean-venv"


@pytest.fixture(scope="session")
def run_notebook(tmp_path_factory):
    """run_notebook(document) -> the executed notebook: a page's exported notebook run with nbclient
    in a kernel whose Python is a plain `python -m venv` with only ipykernel (what Jupyter needs) —
    no pizarra and no NumPy until the notebook's own install cell installs them."""
    import nbformat
    from nbclient import NotebookClient

    # A copy of a cached venv that never had anything else installed: each run starts clean.
    template = environments.ensure_venv(
        common.CACHE / "notebook-kernel", ["ipykernel==7.4.0"], editable=False
    ).parents[1]
    venv = tmp_path_factory.mktemp("clean") / "venv"
    shutil.copytree(template, venv, symlinks=True)
    python = venv / "bin" / "python"
    specs = tmp_path_factory.mktemp("jupyter")
    subprocess.run(
        [python, "-m", "ipykernel", "install", "--prefix", specs, "--name", NOTEBOOK_KERNEL],
        check=True,
        capture_output=True,
    )
    os.environ["JUPYTER_PATH"] = str(specs / "share" / "jupyter")

    def run(document: dict) -> dict:
        notebook = nbformat.reads(json.dumps(document), as_version=4)  # as Jupyter opens the file
        nbformat.validate(notebook)
        folder = tmp_path_factory.mktemp("notebook")
        NotebookClient(
            notebook, kernel_name=NOTEBOOK_KERNEL, timeout=600, resources={"metadata": {"path": str(folder)}}
        ).execute()
        return notebook

    return run


def notebook_result(notebook) -> dict:
    """What the notebook's cell tagged `result` printed (JSON)."""
    [cell] = [c for c in notebook.cells if "result" in c.metadata.get("tags", [])]
    return json.loads(
        "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")
    )


def cell_sources(notebook: dict, kind: str) -> list[str]:
    """The text of each of the notebook's cells of `kind` ("markdown" or "code"), in order."""
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == kind]


def download_notebook(page) -> dict:
    """Choose "Download" in the header's "Python" menu and read the notebook it saves."""
    page.get_by_test_id("notebook").click()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_test_id("notebook-download").click()
    return json.loads(Path(download.value.path()).read_text())
