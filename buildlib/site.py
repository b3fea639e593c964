"""The built site: the pizarra wheel, and dist/ assembled from web/, the runtime, the front-end
libraries, the data, the wheel and the snapshot — copying only what changed, with the manifest
(build.json) and the service worker."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tomllib
from pathlib import Path

from .common import (
    DIST,
    ROOT,
    WEB,
    BuildError,
    copy_if_changed,
    fingerprint,
    log,
    run,
    sha256,
    up_to_date,
    write_if_changed,
)
from .datasets import data_files
from .environments import NODE_MODULES, dev_python
from .lite import LITE, lite_files
from .policy import content_policies
from .runtime import PYODIDE_VERSION, fetch
from .snapshot import SNAPSHOT_MAKER, build_snapshot

# Front-end libraries copied from node_modules into dist/vendor/<name>/: name -> (npm package, files or folders).
VENDOR = {
    "katex": ("katex", ["dist/katex.mjs", "dist/katex.min.css", "dist/fonts", "LICENSE"]),
    "uplot": ("uplot", ["dist/uPlot.esm.js", "dist/uPlot.min.css", "LICENSE"]),
    "highlight": ("@highlightjs/cdn-assets", ["es/core.min.js", "es/languages/python.min.js", "LICENSE"]),
    "dagre": ("@dagrejs/dagre", ["dist/dagre.esm.js", "LICENSE"]),
}


def build_wheel() -> Path:
    """The pizarra wheel, rebuilt only when the package's sources or metadata changed."""
    out = ROOT / "build" / "wheel"
    # Not all of pysrc/: building writes pysrc/pizarra.egg-info, which would force a rebuild every time.
    key = fingerprint(ROOT / "pysrc" / "pizarra", ROOT / "pyproject.toml", ROOT / "README.md")
    stamp = out / ".pizarra-stamp"
    wheels = sorted(out.glob("pizarra-*.whl"))
    if up_to_date(stamp, key) and len(wheels) == 1:
        return wheels[0]
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    log("building the pizarra wheel")
    run(
        [
            dev_python(),
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-w",
            out,
            ROOT,
        ],
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    stamp.write_text(key)
    return next(out.glob("pizarra-*.whl"))


def site_files() -> dict[str, Path]:
    """Every file of the built site except the generated ones: {path in dist/: source}."""
    files = {
        str(p.relative_to(WEB)): p
        for p in WEB.rglob("*")
        if p.is_file() and p.name != "sw.js" and p != SNAPSHOT_MAKER and not p.is_relative_to(LITE)
    }
    runtime = fetch()
    files.update({f"runtime/{name}": src for name, src in runtime.items()})
    for name, (package, items) in VENDOR.items():
        for item in items:
            src = NODE_MODULES / package / item
            for p in [src] if src.is_file() else src.rglob("*"):
                if p.is_file():
                    files[f"vendor/{name}/{p.relative_to(src.parent)}"] = p
    files.update(data_files())
    wheel = build_wheel()
    files[f"wheels/{wheel.name}"] = wheel
    files.update({f"snapshot/{p.name}": p for p in build_snapshot(runtime, wheel)})
    return files


def repository() -> str | None:
    """Where the project's code lives (pyproject.toml, ``[project.urls] Repository``), for the install
    cell of the notebooks the pages export when the site that served them no longer answers."""
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"].get("urls", {})
    return urls.get("Repository")


def build(dist: Path = DIST) -> dict:
    """Assemble dist/: copy what changed, drop what no longer belongs, write the manifest and service worker."""
    files = site_files()
    wheel = next(rel for rel in files if rel.startswith("wheels/"))
    # The notebook app's files; runtime/numpy…, wheels/ are the pages' too.
    lite = {rel: src for rel, src in lite_files(files).items() if rel not in files}
    changed = sum(copy_if_changed(src, dist / rel) for rel, src in (files | lite).items())
    generated = {"build.json", "sw.js"}
    for p in sorted(dist.rglob("*"), reverse=True):
        rel = str(p.relative_to(dist))
        if p.is_file() and rel not in files and rel not in lite and rel not in generated:
            p.unlink()
        elif p.is_dir() and not any(p.iterdir()):
            p.rmdir()
    digest = hashlib.sha256()
    for rel in sorted(files | lite):
        digest.update(rel.encode())
        digest.update(sha256(dist / rel).encode())
    manifest = {
        "build": digest.hexdigest()[:16],
        "pyodide": PYODIDE_VERSION,
        "wheel": wheel,
        "wheel_sha256": sha256(dist / wheel),
        "repository": repository(),
        "files": sorted(files),  # what a page needs: the service worker keeps them from its first visit
        "lite": sorted(lite),  # the notebook app: kept once it has been opened
    }
    write_if_changed(dist / "build.json", json.dumps(manifest, indent=1))
    policies = content_policies(dist)
    if not policies or "script-src" not in policies["page"]:
        raise BuildError("web/index.html must declare its Content-Security-Policy <meta>, with a script-src.")
    sw = (WEB / "sw.js").read_text().replace("__BUILD_ID__", manifest["build"])
    sw = sw.replace("__PAGE_POLICY__", policies["page"]).replace("__WORKER_POLICY__", policies["worker"])
    sw = sw.replace("__LITE_POLICY__", policies["lite"])
    write_if_changed(dist / "sw.js", sw)
    log(
        f"built {dist.relative_to(ROOT) if dist.is_relative_to(ROOT) else dist} (build {manifest['build']}, {changed} files updated)"
    )
    return manifest
