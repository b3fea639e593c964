"""Every page's state as a Jupyter notebook that reproduces it in the student's own Python.

A page's "Python" button asks the engine for ``<id>_notebook`` (``pizarra.demos.<id>``), which
calls the page's recipe here (``pizarra.notebooks.<id>.build``). A recipe writes, cell by cell,
what the page did, with the same public API the page's Python uses (``pizarra.nn``,
``pizarra.<id>``) and never ``pizarra.demos``; before each code cell a markdown cell explains it
in the page's language with the course's formula. Text a student typed (an expression, words, a
sentence) goes into code cells as Python literals (``repr``), never into markdown, which Jupyter
renders as HTML. The first code cells, tagged ``install``, install ``pizarra`` (from the site the
notebook came from, else from the project's repository) and fetch the committed files it reads; the
last one, tagged ``result``, prints as JSON what the page showed, which the tests compare with the
page (``tests/reference/test_notebook_recipes.py`` runs every recipe's cells in CPython).

Notebooks are nbformat 4.5 JSON written by this small writer: ``nbformat`` itself does not run in
the site's Pyodide, as its ``jsonschema`` needs ``rpds-py``, a compiled package the offline build
cannot fetch. ``tests/reference/test_notebook_schema.py`` validates every recipe's output with
nbformat's own schema.
"""

from __future__ import annotations

import base64
import urllib.parse

from ..data import assets as asset_files

LANGUAGES = ("es", "en")
NBFORMAT, NBFORMAT_MINOR = 4, 5


class Notebook:
    """Cells in order, each markdown text chosen by ``language`` from its Spanish and English."""

    def __init__(self, page: str, language: str):
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
        self.page, self.language, self.cells = page, language, []

    def say(self, es: str, en: str) -> str:
        """The text in the notebook's language."""
        return es if self.language == "es" else en

    def markdown(self, es: str, en: str) -> "Notebook":
        self.cells.append({"cell_type": "markdown", "metadata": {}, "source": self.say(es, en).strip()})
        return self

    def code(self, source: str, *, tags: tuple = ()) -> "Notebook":
        metadata = {"tags": list(tags)} if tags else {}
        self.cells.append(
            {
                "cell_type": "code",
                "metadata": metadata,
                "source": source.strip(),
                "execution_count": None,
                "outputs": [],
            }
        )
        return self

    def data(self, variable: str, payload: bytes) -> "Notebook":
        """A code cell that only holds data (a model's weights trained in the browser): ``payload`` as
        base64 in lines of 100 characters, the cell collapsed in Jupyter; ``base64.b64decode(variable)``
        gives the bytes back (it skips the line breaks)."""
        text = base64.b64encode(payload).decode("ascii")
        lines = "\n".join(text[i : i + 100] for i in range(0, len(text), 100))
        self.cells.append(
            {
                "cell_type": "code",
                "metadata": {"jupyter": {"source_hidden": True}},
                "source": f'{variable} = """\n{lines}\n"""',
                "execution_count": None,
                "outputs": [],
            }
        )
        return self

    def result(self, es: str, en: str, expression: str) -> "Notebook":
        """The closing pair: what is compared with the page, printed as JSON by a cell tagged ``result``."""
        self.markdown(es, en)
        return self.code(f"import json\n\nprint(json.dumps({expression}, indent=1))", tags=("result",))

    def to_json(self, metadata: dict) -> dict:
        """The nbformat 4.5 document; ``metadata`` (the page, its link, what it showed) goes under
        ``metadata.pizarra``."""
        cells = [{"id": f"{self.page}-{i}", **cell} for i, cell in enumerate(self.cells)]
        for cell in cells:
            cell["source"] = cell["source"].splitlines(keepends=True)
        return {
            "nbformat": NBFORMAT,
            "nbformat_minor": NBFORMAT_MINOR,
            "cells": cells,
            "metadata": {
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                "language_info": {"name": "python"},
                "pizarra": {"page": self.page, "language": self.language, **metadata},
            },
        }


def install(
    notebook: Notebook,
    site: str,
    wheel: str,
    wheel_sha256: str,
    repository: str | None,
    assets: dict[str, str],
) -> None:
    """The first cells: install ``pizarra`` — the wheel the site serves (saying so if it is no longer
    the one this notebook was made with, ``wheel_sha256``), else the project's repository — and fetch
    the committed files the notebook reads (``assets``: name → sha256), which the wheel leaves out,
    into ``pizarra-data/`` beside the notebook."""
    say = notebook.say
    notebook.markdown(
        "## Instalar `pizarra`\n\nEsta celda instala el paquete `pizarra` (y NumPy) en el Python de este "
        "cuaderno: el mismo código que corre en la web. Lo descarga de la web de la que viene este "
        "cuaderno; si no responde, del repositorio del proyecto. Si lo que descarga no es la versión con "
        "la que se hizo el cuaderno (la web se actualizó), lo dice: los números podrían cambiar.",
        "## Install `pizarra`\n\nThis cell installs the `pizarra` package (and NumPy) into this notebook's "
        "Python: the same code that runs on the site. It downloads it from the site this notebook comes "
        "from; if that does not answer, from the project's repository. If what it downloads is not the "
        "version this notebook was made with (the site was updated), it says so: the numbers could change.",
    )
    changed = say(
        "Aviso: la web sirve ahora otra versión de pizarra que la de este cuaderno; los números pueden cambiar.",
        "Note: the site now serves another version of pizarra than this notebook's; the numbers may change.",
    )
    unanswered = say(
        "Aviso: la web no responde; pizarra se instala del repositorio, en su última versión.",
        "Note: the site does not answer; pizarra is installed from the repository, at its latest version.",
    )
    nowhere = say(
        "la web no responde y el proyecto no indica su repositorio: instala pizarra con "
        "pip install <carpeta del repositorio>",
        "the site does not answer and the project names no repository: install pizarra with "
        "pip install <repository folder>",
    )
    in_browser = say(
        "Este cuaderno corre en el navegador, en el Jupyter de la web: pizarra y NumPy ya están instalados.",
        "This notebook runs in the browser, in the site's Jupyter: pizarra and NumPy are already installed.",
    )
    notebook.code(
        "\n".join(
            [
                "import hashlib, pathlib, subprocess, sys, tempfile, urllib.request",
                "",
                f"SITE = {site!r}",
                f"WHEEL = {wheel!r}",
                f"WHEEL_SHA256 = {wheel_sha256!r}   # {say('el paquete con el que se hizo este cuaderno', 'the package this notebook was made with')}",
                f"REPOSITORY = {repository!r}",
                "",
                "def pip_install(*args):",
                '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *args], check=True)',
                "",
                f'if sys.platform == "emscripten":   # {say("Python en el navegador (Pyodide)", "Python in the browser (Pyodide)")}',
                f"    print({in_browser!r})",
                "else:",
                "    try:",
                "        with urllib.request.urlopen(SITE + WHEEL, timeout=30) as response:",
                "            source = pathlib.Path(tempfile.mkdtemp()) / pathlib.Path(WHEEL).name",
                "            source.write_bytes(response.read())",
                "        if hashlib.sha256(source.read_bytes()).hexdigest() != WHEEL_SHA256:",
                f"            print({changed!r})",
                "    except OSError:",
                "        if REPOSITORY is None:",
                f"            raise RuntimeError({nowhere!r})",
                f"        print({unanswered!r})",
                '        source = "git+" + REPOSITORY',
                '    pip_install("--force-reinstall", "--no-deps", str(source))',
                '    pip_install("numpy>=2.0")',
            ]
        ),
        tags=("install",),
    )
    if assets:
        notebook.markdown(
            "Los pesos y datos que guarda el repositorio no van en el paquete: esta celda los descarga "
            "(una vez) a `pizarra-data/`, donde `pizarra` los busca, y comprueba que son los que usó la página.",
            "The weights and data the repository keeps are not in the package: this cell downloads them "
            "(once) into `pizarra-data/`, where `pizarra` looks for them, and checks they are the ones the page used.",
        )
        different = say(
            "Aviso: la web sirve ahora otra versión de estos archivos; los números pueden cambiar:",
            "Note: the site now serves another version of these files; the numbers may change:",
        )
        apart = say(
            "en el navegador, en la memoria de Python y no entre los archivos del cuaderno",
            "in the browser, in Python's memory and not among the notebook's files",
        )
        notebook.code(
            "from pizarra.data import assets\n\n"
            f"DATA = '/tmp/pizarra-data' if sys.platform == 'emscripten' else 'pizarra-data'   # {apart}\n"
            f"changed = assets.download({dict(assets)!r}, SITE + 'data/', DATA)\n"
            "if changed:\n"
            f"    print({different!r}, changed)",
            tags=("install",),
        )


def page_notebook(
    page: str, language: str, title: tuple[str, str], link: str, site: dict, assets: list[str], fill, result
) -> dict:
    """A page's whole notebook: its title and link, the install cells (``site``: ``url``, ``wheel``,
    ``wheel_sha256``, ``repository``; ``assets``: the committed files its cells read, which the
    engine has loaded), the cells ``fill(notebook)`` writes, and ``result`` — what the page showed —
    in the metadata."""
    notebook = Notebook(page, language)
    address = urllib.parse.quote(link, safe=":/?#[]@!$&'()*+,;=%-._~")  # an autolink: no spaces, no < >
    if not address.startswith(("http://", "https://")):
        raise ValueError("the page's link must be an http(s) address")
    notebook.markdown(
        f"# {title[0]}\n\nEste cuaderno reproduce, con el mismo código de Python, lo que mostraba la página "
        f"de Pizarra <{address}>: el mismo modelo, los mismos pesos, las mismas entradas y la misma semilla.",
        f"# {title[1]}\n\nThis notebook reproduces, with the same Python code, what the Pizarra page "
        f"<{address}> showed: the same model, the same weights, the same inputs and the same seed.",
    )
    digests = {name: asset_files.sha256_of(asset_files.path(name)) for name in assets}
    install(notebook, site["url"], site["wheel"], site["wheel_sha256"], site.get("repository"), digests)
    fill(notebook)
    return notebook.to_json({"link": link, "result": result})
