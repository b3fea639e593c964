"""Every page's notebook recipe (pysrc/pizarra/notebooks/<id>.py writes code cells as text) is real
code: each code cell of each page's notebook parses as Python, and the recipe's cells, run here in
CPython against the committed models, print the result the page showed — no browser, no kernel.

The cells run in order in one namespace, as Jupyter would, except the install cells (pip and the
download of committed files, which this Python already has: ``pizarra.data.assets`` finds them in
the source tree). The e2e tests run the same notebooks in a clean kernel against the served site.
The states are test_notebook_schema.py's: one non-default state a student could have on screen per
page, and every page has one (test_every_page_has_a_notebook there)."""

import ast
import contextlib
import io
import json
import sys
from pathlib import Path

import pytest
from test_notebook_schema import EXAMPLES, TYPED, notebook_of

from pizarra import demos

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from results import assert_close  # noqa: E402


def code_cells(document):
    return [
        ("".join(cell["source"]), cell["metadata"].get("tags", []))
        for cell in document["cells"]
        if cell["cell_type"] == "code"
    ]


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("page", sorted(EXAMPLES))
def test_every_code_cell_parses_as_python(page, language):
    documents = [notebook_of(page, language)] + (
        [notebook_of(page, language, **TYPED[page])] if page in TYPED else []
    )
    for document in documents:
        for i, (source, _) in enumerate(code_cells(document)):
            ast.parse(source, filename=f"<{page} notebook, code cell {i}>")


@pytest.mark.parametrize("page", sorted(EXAMPLES))
def test_the_recipe_prints_what_the_page_showed(page, tmp_path, monkeypatch):
    document = notebook_of(page, "en")
    monkeypatch.chdir(tmp_path)  # where a notebook would write its files
    scope, printed = {"__name__": "__main__"}, io.StringIO()
    for i, (source, tags) in enumerate(code_cells(document)):
        if "install" in tags:
            continue
        output = printed if "result" in tags else io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(source, f"<{page} notebook, code cell {i}>", "exec"), scope)
    shown = json.loads(json.dumps(demos.to_json(document["metadata"]["pizarra"]["result"])))
    # Both sides run in this Python, but a page may compute in batches what a cell computes whole.
    assert_close(json.loads(printed.getvalue()), shown)
