"""Every page's exported notebook (the "Python" button) is valid nbformat 4.5, by nbformat's own
schema (nbformat is a development-only package: this folder runs in the project venv only), and
speaks the page's language."""

import json
import sys
from pathlib import Path

import nbformat
import pytest

from pizarra import demos

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from page_registry import PAGES  # noqa: E402

SITE = {
    "url": "https://example.org/pizarra/",
    "wheel": "wheels/pizarra-0.1.0-py3-none-any.whl",
    "wheel_sha256": "0" * 64,
    "repository": None,
}
# Each page's notebook call with a state a student could have on screen (page id -> arguments).
EXAMPLES = {
    "attention": {
        "sentence": "Y dijo Dios: Sea la luz.",
        "mask_sentence": "El [MASK] de la ciudad .",
        "variant": "dot",
        "beam": 3,
        "step": 2,
        "layer": 1,
        "head": 2,
    },
    "backprop": {
        "expression_text": "((x * y) + max(z, w)) * 2",
        "values": {"x": 3, "y": -4, "z": 2, "w": 0},
        "lab_config": {"dataset": "xor", "seed": 2},
        "trained": 30,
    },
    "embeddings": {
        "set": "glove_en",
        "words": ["queen", "kingg"],
        "a": "paris",
        "b": "france",
        "c": "rome",
        "projection_args": {"words": [], "around": "paris", "k": 30, "method": "tsne", "seed": 3},
        "weighting": "ppmi",
        "include_the": False,
        "corpus_counts": None,
    },
    "cnn": {
        "digit_code": "Y2AYKUBDlYHdt7MDCDTYUGUE2v-9ZJhxPaFndtmzf_NckKWEl_wrYmB43QPmJD_7t4sPLuX26FMlkMo4rAbmKm7-2wOT0vx4TBvFBomL92HMJb"
        "-c0BzW8RfG-jcP3dEd12Gs_z6oMqz131rh-qpQpaZ9j-aEyy1FkuH1P3QjBMHN_x0ODQFJjexdV0slkZTy7XzdJw6ko-c-P19niBGa_Yf___v3Za4P9rBWV1dXHJqpBAA",
        "model": "pretrained",
        "feature_map": {"stage": "conv2", "layer": "features.4", "channel": 3},
        "explainer": {
            "kernel_name": "sharpen",
            "kernel": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
            "stride": 2,
            "padding": "same",
            "pooling": "mean",
            "image": [
                [0, 0, 0, 0, 0, 0, 0, 0],
                [0, 1, 1, 1, 1, 1, 1, 0],
                [0, 0, 0, 0, 0, 1, 1, 0],
                [0, 0, 0, 0, 1, 1, 0, 0],
                [0, 0, 0, 1, 1, 0, 0, 0],
                [0, 0, 0, 1, 1, 0, 0, 0],
                [0, 0, 1, 1, 0, 0, 0, 0],
                [0, 0, 1, 1, 0, 0, 0, 0],
            ],
        },
    },
    "lm": {
        "text": "the cat sat\nthe dog sat",
        "sparsity": {
            "corpus_text": "I want two beers\nI want three beers",
            "context": "want four",
            "word": "beers",
            "order": 3,
        },
        "generation": {
            "language": "es",
            "cell": "gru",
            "order": 3,
            "prompt": "El ",
            "temperature": 0.7,
            "top_k": 10,
            "length": 40,
            "seed": 5,
        },
        "show": "z",
        "live": None,
    },
}
SPANISH = {"es": "este cuaderno", "en": "this notebook"}


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("page", sorted(EXAMPLES))
def test_the_notebook_is_valid_nbformat_in_the_page_language(page, language):
    document = demos.DEMOS[f"{page}_notebook"](
        language=language, link=f"{SITE['url']}#/{page}", site=SITE, **EXAMPLES[page]
    )
    notebook = nbformat.reads(json.dumps(document), as_version=4)
    nbformat.validate(notebook)
    text = " ".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown").lower()
    assert SPANISH[language] in text and SPANISH["en" if language == "es" else "es"] not in text
    [result] = [cell for cell in notebook.cells if "result" in cell.metadata.get("tags", [])]
    assert result is notebook.cells[-1]
    assert "demos" not in " ".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def test_every_page_has_a_notebook():
    pages = {name.removesuffix("_notebook") for name in demos.DEMOS if name.endswith("_notebook")}
    assert pages == set(EXAMPLES) == set(PAGES)


def notebook_of(page, language, **changes):
    return demos.DEMOS[f"{page}_notebook"](
        language=language, link=f"{SITE['url']}#/{page}", site=SITE, **{**EXAMPLES[page], **changes}
    )


@pytest.mark.parametrize("page", sorted(EXAMPLES))
def test_every_markdown_cell_is_written_in_both_languages(page):
    spanish, english = notebook_of(page, "es"), notebook_of(page, "en")
    assert [c["cell_type"] for c in spanish["cells"]] == [c["cell_type"] for c in english["cells"]]
    for es, en in zip(spanish["cells"], english["cells"]):
        if es["cell_type"] == "markdown":
            assert es["source"] != en["source"], "".join(es["source"])[:80]


HOSTILE = "<img src=x onerror=alert(1)>"
# Every free-text argument a student types, per page (backprop's expression is parsed, cnn has none).
TYPED = {
    "attention": {"sentence": f"y dijo {HOSTILE}", "mask_sentence": f"el [MASK] {HOSTILE}"},
    "embeddings": {"words": ["queen", HOSTILE], "a": HOSTILE, "b": "france", "c": "rome"},
    "lm": {
        "text": f"the cat {HOSTILE}",
        "sparsity": {
            **EXAMPLES["lm"]["sparsity"],
            "corpus_text": f"I want {HOSTILE}",
            "context": f"want {HOSTILE}",
        },
        "generation": {**EXAMPLES["lm"]["generation"], "prompt": f"El {HOSTILE}"},
    },
}


@pytest.mark.parametrize("page", sorted(TYPED))
def test_typed_text_reaches_code_cells_as_literals_never_markdown(page):
    document = notebook_of(page, "es", **TYPED[page])
    markdown = " ".join("".join(c["source"]) for c in document["cells"] if c["cell_type"] == "markdown")
    code = " ".join("".join(c["source"]) for c in document["cells"] if c["cell_type"] == "code")
    assert "<img" not in markdown and "onerror" not in markdown
    assert "onerror=alert(1)>" in code
