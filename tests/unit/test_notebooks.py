"""The notebook writer (pizarra.notebooks): nbformat 4.5's shape, one language, the install cell,
the result cell, and nothing a student typed in markdown. (nbformat's own schema check is
tests/reference/test_notebook_schema.py; running the notebooks is each page's e2e test.)"""

import base64
import contextlib
import hashlib
import io
import subprocess
import sys
import types
import urllib.request

import pytest

from pizarra import notebooks
from pizarra.data import assets

ASSET = "lenet5_mnist.npz"  # a committed file every Python has (it is in the wheel)
SITE = {
    "url": "https://example.org/p/",
    "wheel": "wheels/pizarra-0.1.0-py3-none-any.whl",
    "wheel_sha256": "ab" * 32,
    "repository": "https://example.org/pizarra.git",
}


def build(language="es", link="https://example.org/p/#/backprop?expr=x", typed="<b>x</b>"):
    def fill(notebook):
        notebook.markdown("## Un paso", "## A step")
        notebook.code(f"x = {typed!r}")
        notebook.result("## Resultado", "## Result", "{'x': x}")

    return notebooks.page_notebook(
        "backprop", language, ("Título", "Title"), link, SITE, [ASSET], fill, {"x": 1}
    )


def text(cell):
    return "".join(cell["source"])


def test_the_document_has_nbformat_45_shape_with_unique_ids():
    document = build()
    assert (document["nbformat"], document["nbformat_minor"]) == (4, 5)
    ids = [cell["id"] for cell in document["cells"]]
    assert len(set(ids)) == len(ids) and all(i.replace("-", "").isalnum() and len(i) <= 64 for i in ids)
    for cell in document["cells"]:
        assert isinstance(cell["source"], list) and cell["metadata"] is not None
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert document["metadata"]["pizarra"] == {
        "page": "backprop",
        "language": "es",
        "link": "https://example.org/p/#/backprop?expr=x",
        "result": {"x": 1},
    }


def test_markdown_is_in_one_language_and_each_code_cell_follows_an_explanation():
    for language, title in (("es", "# Título"), ("en", "# Title")):
        cells = build(language)["cells"]
        assert text(cells[0]).startswith(title)
        for before, cell in zip(cells, cells[1:]):
            if cell["cell_type"] == "code":
                assert before["cell_type"] == "markdown"


def test_the_install_cell_checks_the_wheel_and_falls_back_to_the_repository():
    install = next(cell for cell in build()["cells"] if cell["cell_type"] == "code")
    source = text(install)
    assert f"SITE = {SITE['url']!r}" in source and f"WHEEL = {SITE['wheel']!r}" in source
    assert f"WHEEL_SHA256 = {SITE['wheel_sha256']!r}" in source and "hexdigest() != WHEEL_SHA256" in source
    assert f"REPOSITORY = {SITE['repository']!r}" in source and '"git+" + REPOSITORY' in source


def test_in_the_browser_the_install_cell_installs_nothing_and_says_so(monkeypatch):
    """In the site's notebook app (Pyodide: sys.platform is "emscripten") pizarra is already there."""

    def refuse(*args, **kwargs):
        raise AssertionError("the install cell fetched or installed in the browser")

    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    for language, said in (("es", "corre en el navegador"), ("en", "runs in the browser")):
        install = next(cell for cell in build(language)["cells"] if cell["cell_type"] == "code")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(text(install), {})
        assert said in printed.getvalue()


class FakeRequest:
    """The browser's XMLHttpRequest as Pyodide's `js` module shows it to Python, answering `status`."""

    made = []

    def __init__(self, status, body):
        self.status, self.body, self.response = status, body, None

    def open(self, method, url, asynchronous):
        self.made.append((method, url, asynchronous))

    def send(self):
        assert self.responseType == "arraybuffer"
        self.response = types.SimpleNamespace(to_bytes=lambda: self.body)


def test_in_the_browser_downloads_go_through_a_synchronous_browser_request(monkeypatch, tmp_path):
    body = assets.path(ASSET).read_bytes()
    answers = [FakeRequest(200, body), FakeRequest(404, b"")]
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(
        assets, "_downloaded", []
    )  # the folder is searched for assets afterwards: not by other tests
    monkeypatch.setitem(
        sys.modules,
        "js",
        types.SimpleNamespace(XMLHttpRequest=types.SimpleNamespace(new=lambda: answers.pop(0))),
    )
    FakeRequest.made.clear()
    digest = hashlib.sha256(body).hexdigest()
    assert assets.download({ASSET: digest}, "https://example.org/p/data/", tmp_path) == []
    assert (tmp_path / ASSET).read_bytes() == body
    assert FakeRequest.made == [("GET", "https://example.org/p/data/" + ASSET, False)]
    with pytest.raises(OSError, match="HTTP 404"):
        assets.download({"other.npz": digest}, "https://example.org/p/data/", tmp_path)
    assert not (tmp_path / "other.npz").exists()


def test_the_download_cell_pins_each_file_by_the_sha256_the_page_used():
    download = [
        text(c) for c in build()["cells"] if c["cell_type"] == "code" and "assets.download" in text(c)
    ]
    digest = hashlib.sha256(assets.path(ASSET).read_bytes()).hexdigest()
    assert (
        len(download) == 1 and f"assets.download({ {ASSET: digest}!r}, SITE + 'data/', DATA)" in download[0]
    )


def test_a_data_cell_holds_base64_in_short_lines_that_decode_back():
    payload = bytes(range(256)) * 3
    notebook = notebooks.Notebook("cnn", "es").data("WEIGHTS", payload)
    cell = notebook.to_json({})["cells"][0]
    assert cell["metadata"] == {"jupyter": {"source_hidden": True}}
    assert max(len(line) for line in cell["source"]) <= 101
    scope = {}
    exec(text(cell), scope)
    assert base64.b64decode(scope["WEIGHTS"]) == payload


def test_only_the_install_and_download_cells_are_tagged_install():
    """tests/reference/test_notebook_recipes.py runs every code cell but these."""
    tags = [cell["metadata"].get("tags", []) for cell in build()["cells"] if cell["cell_type"] == "code"]
    assert tags == [["install"], ["install"], [], ["result"]]


def test_the_result_cell_is_last_and_tagged():
    last = build()["cells"][-1]
    assert last["metadata"] == {"tags": ["result"]} and "json.dumps({'x': x}" in text(last)


def test_typed_text_stays_a_python_literal_and_the_link_an_escaped_autolink():
    document = build(typed="<img src=x onerror=alert(1)>", link='https://example.org/p/#/x?q=<script> "a b"')
    markdown = " ".join(text(c) for c in document["cells"] if c["cell_type"] == "markdown")
    assert "<img" not in markdown and "<script>" not in markdown
    assert "<https://example.org/p/#/x?q=%3Cscript%3E%20%22a%20b%22>" in markdown
    assert any(
        "'<img src=x onerror=alert(1)>'" in text(c) for c in document["cells"] if c["cell_type"] == "code"
    )


def test_only_http_links_and_known_languages():
    with pytest.raises(ValueError):
        build(link="javascript:alert(1)")
    with pytest.raises(ValueError):
        build(language="fr")
