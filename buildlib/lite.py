"""The notebook app a page's "Open in the browser" opens (lite/, JupyterLite; docs/ARCHITECTURE.md,
"Take it home"): made by JupyterLite's own tool from pinned PyPI wheels, and what its kernel loads
at start — the site's own Pyodide runtime, Pyodide's packages, pizarra's wheel — in a lock file of
its own, every file sha256-pinned."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .common import ROOT, WEB, BuildError, fingerprint, log, sha256, up_to_date, write_if_changed
from .environments import ensure_venv
from .runtime import fetch_package, pinned_wheels, pyodide_lock
from .snapshot import build_kernel_snapshot

VENV_LITE = ROOT / ".venv-lite"
# JupyterLite's build tool (`jupyter lite build`), its Pyodide kernel (the 0.5 line targets Pyodide
# 0.27) and their dependencies, installed from these verified files only.
LITE_TOOL_WHEELS = {
    "jupyterlite_core-0.5.1-py3-none-any.whl": "76381619a632f06bf67fb47e5464af762ad8836df5ffe3d7e7ee0e316c1407ee",
    "jupyterlite_pyodide_kernel-0.5.2-py3-none-any.whl": "63ba6ce28d32f2cd19f636c40c153e171369a24189e11e2235457bd7000c5907",
    "doit-0.37.0-py3-none-any.whl": "a9f181566aa90faac515e276f85e6526019554ed7e13c12cf9dc094ffecf3e1b",
    "jupyter_core-5.9.1-py3-none-any.whl": "ebf87fdc6073d142e114c72c9e29a9d7ca03fad818c5d300ce2adc1fb0743407",
    "platformdirs-4.14.9-py3-none-any.whl": "d0d3a23e7ff282cfa94b77f5a22b81030dcb68ba0430f90c74f4bd8d090782ea",
    "traitlets-5.16.1-py3-none-any.whl": "f775618166caa0396c8e337099240f2bd3e5e917d203b2e6fbe21a58d3cb1f6b",
    "pkginfo-2.0-py3-none-any.whl": "98c7aaa804dfe017b0de65d4b41a2f4649a656f43d3c21525b13e8075716fa1b",
}
# A package the kernel imports at start that neither Pyodide 0.27.7's lock nor the kernel's own wheels hold.
LITE_KERNEL_WHEELS = {
    "comm-0.2.2-py3-none-any.whl": "e6fb86cb70ff661ee8c9c14e7d36d6de3b4066f1441be4063df9c5009f0a64d3",
}
# JupyterLab's language packs the app offers besides English (Settings → Language), of the JupyterLab
# line JupyterLite 0.5 runs (4.3), with their names as JupyterLab's server would give them.
LITE_LANGUAGE_PACKS = {
    "jupyterlab_language_pack_es_es-4.3.post3-py2.py3-none-any.whl": "40ec6e6894734a97060f9b9d666c5428a17f31f4302b3cfdfde81df091540df4",
}
LANGUAGE_NAMES = {
    "en": {"displayName": "English", "nativeName": "English"},
    "es_ES": {"displayName": "Spanish (Spain)", "nativeName": "español (España)"},
}
# The app's configuration (jupyter-lite.json) and Pizarra's plugin: the project `jupyter lite build` builds.
LITE = WEB / "lite"


def lite_python() -> Path:
    """A venv with JupyterLite's build tool, installed from the pinned wheels (LITE_TOOL_WHEELS) alone."""
    wheels = pinned_wheels(LITE_TOOL_WHEELS, "lite-tool")
    return ensure_venv(VENV_LITE, ["--no-index", "--no-deps", *map(str, wheels)], editable=False)


def build_lite() -> Path:
    """The notebook app, made by `jupyter lite build` from LITE (its configuration and Pizarra's plugin)
    into build/lite/, again only when the tool, LITE or this module changed."""
    out = ROOT / "build" / "lite"
    key = json.dumps([sorted(LITE_TOOL_WHEELS.items()), fingerprint(LITE), sha256(Path(__file__))])
    stamp = out / ".pizarra-stamp"
    if up_to_date(stamp, key):
        return out
    jupyter = lite_python().parent / "jupyter"
    out.parent.mkdir(parents=True, exist_ok=True)
    # Made aside (the tool keeps its task database in the project folder), then moved in place.
    with tempfile.TemporaryDirectory(prefix="lite-", dir=out.parent) as work:
        project, made = Path(work) / "project", Path(work) / "out"
        shutil.copytree(LITE, project)
        log("building the notebook app (jupyter lite build)")
        # Its options: LITE/jupyter_lite_config.json.
        command = [jupyter, "lite", "build", "--lite-dir", project, "--output-dir", made]
        done = subprocess.run(command, cwd=project, capture_output=True, text=True)
        if done.returncode:
            raise BuildError(f"jupyter lite build failed:\n{(done.stdout + done.stderr)[-3000:]}")
        write_empty_contents(made)
        add_site_icon(made)
        write_translations(made)
        (made / stamp.name).write_text(key)
        shutil.rmtree(out, ignore_errors=True)
        os.replace(made, out)
    return out


def write_empty_contents(app: Path) -> None:
    """The listing of the app's own files (none: the notebooks a page hands over live in the browser).
    The tool writes it only with jupyter_server installed; without it the app asks for it and logs a 404."""
    listing = {
        "name": "",
        "path": "",
        "type": "directory",
        "format": "json",
        "mimetype": None,
        "content": [],
        "created": "2025-01-01T00:00:00Z",
        "last_modified": "2025-01-01T00:00:00Z",
        "size": None,
        "writable": True,
    }
    (app / "api" / "contents").mkdir(parents=True, exist_ok=True)
    (app / "api" / "contents" / "all.json").write_text(json.dumps(listing))


def write_translations(app: Path) -> None:
    """api/translations/: the languages the app offers (all.json) and each one's messages by domain
    (<locale>.json, from its language pack's LC_MESSAGES/*.json), as JupyterLab's server serves them.
    The tool writes English alone: it reads language packs only through jupyterlab_server."""
    folder = app / "api" / "translations"
    offered = {"en": LANGUAGE_NAMES["en"]}
    (folder / "en.json").write_text(json.dumps({"data": {}, "message": ""}))
    for path in pinned_wheels(LITE_LANGUAGE_PACKS, "lite-language-packs"):
        with zipfile.ZipFile(path) as pack:
            files = [n for n in pack.namelist() if "/LC_MESSAGES/" in n and n.endswith(".json")]
            [locale] = {n.split("/locale/")[1].split("/")[0] for n in files}
            messages = {Path(n).stem: json.loads(pack.read(n)) for n in files}
        offered[locale] = LANGUAGE_NAMES[locale]
        (folder / f"{locale}.json").write_text(json.dumps({"data": messages, "message": ""}))
    (folder / "all.json").write_text(json.dumps({"data": offered, "message": ""}))


def add_site_icon(app: Path) -> None:
    """The site's icon on the app's pages, from their first byte (without one, a browser asks for
    /favicon.ico, which the site does not have) and after the app's script sets its own: every
    jupyter-lite.json's `faviconUrl`, relative to its folder (the tool's names a favicon.ico it lacks)."""
    for page in app.rglob("*.html"):
        if page.is_relative_to(app / "build") or page.is_relative_to(app / "extensions"):
            continue
        html = page.read_text()
        if "<head>" not in html:
            raise BuildError(f"{page.relative_to(app)} has no <head> to put the site's icon in")
        icon = site_icon(page.parent, app)
        page.write_text(
            html.replace("<head>", f'<head>\n    <link rel="icon" href="{icon}" type="image/svg+xml" />', 1)
        )
    for path in app.rglob("jupyter-lite.json"):
        config = json.loads(path.read_text())
        config["jupyter-config-data"]["faviconUrl"] = site_icon(path.parent, app)
        path.write_text(json.dumps(config, indent=2))


def site_icon(folder: Path, app: Path) -> str:
    """The site's icon (img/pizarra.svg) from a folder of the app, which is the site's lite/."""
    return "../" * (len(folder.relative_to(app).parts) + 1) + "img/pizarra.svg"


def lite_kernel_options() -> dict:
    """The kernel's options in the app's configuration (LITE/jupyter-lite.json)."""
    config = json.loads((LITE / "jupyter-lite.json").read_text())["jupyter-config-data"]
    return config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]


def canonical(name: str) -> str:
    """A package name as Pyodide's lock and PyPI compare them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_requirements(path: Path) -> list[str]:
    """The canonical names a wheel requires (its METADATA's Requires-Dist, extras left out)."""
    with zipfile.ZipFile(path) as wheel:
        [metadata] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1]
        lines = wheel.read(metadata).decode().splitlines()
    required = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Requires-Dist:")]
    return [canonical(re.match(r"[A-Za-z0-9._-]+", r).group()) for r in required if "extra ==" not in r]


def lite_files(pages: dict[str, Path]) -> dict[str, Path]:
    """The notebook app and what its kernel loads at start beyond the pages' files: {path in dist/: source}.

    The kernel starts with the packages its configuration names (LITE/jupyter-lite.json,
    loadPyodideOptions.packages) and what they require, all loaded at once by its Pyodide — the site's
    own runtime (pyodideUrl) — through lite/pyodide-lock.json: Pyodide's lock plus the packages it
    lacks, each pinned by its sha256: pizarra (the site's wheels/), the kernel's own wheels
    (in the app) and LITE_KERNEL_WHEELS (lite/pypi/). Pyodide's own packages come to runtime/,
    fetched and verified as the pages' are. `pages`: the pages' files ({path in dist/: source})."""
    wheel = next(src for rel, src in pages.items() if rel.startswith("wheels/"))
    app = build_lite()
    files = {
        f"lite/{p.relative_to(app)}": p for p in app.rglob("*") if p.is_file() and p.name != ".pizarra-stamp"
    }
    local = {f"wheels/{wheel.name}": wheel}
    local.update({f"lite/pypi/{p.name}": p for p in pinned_wheels(LITE_KERNEL_WHEELS, "lite-kernel")})
    local.update({rel: p for rel, p in files.items() if rel.endswith(".whl")})
    wheels = {canonical(Path(rel).name.split("-")[0]): (rel, p) for rel, p in local.items()}
    lock = pyodide_lock()
    wanted, loaded = [canonical(n) for n in lite_kernel_options()["loadPyodideOptions"]["packages"]], set()
    while wanted:
        name = wanted.pop()
        if name in loaded:
            continue
        loaded.add(name)
        if name in lock["packages"]:
            entry = lock["packages"][name]
            files[f"runtime/{entry['file_name']}"] = fetch_package(name, lock)
            wanted += [canonical(d) for d in entry["depends"]]
        elif name in wheels:
            rel, path = wheels[name]
            depends = wheel_requirements(path)
            lock["packages"][name] = {
                "name": name,
                "version": path.name.split("-")[1],
                "file_name": f"../{rel}",
                "install_dir": "site",
                "sha256": sha256(path),
                "package_type": "package",
                "imports": [],
                "depends": depends,
                "unvendored_tests": False,
            }
            files[rel] = path
            wanted += depends
        else:
            raise BuildError(
                f"the notebook app's kernel loads {name}, which neither Pyodide's lock nor a wheel of the build holds."
            )
    kernel_lock = ROOT / "build" / "lite-lock" / "pyodide-lock.json"
    kernel_lock.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(kernel_lock, json.dumps(lock, indent=1, sort_keys=True))
    files["lite/pyodide-lock.json"] = kernel_lock
    # The kernel's Python starts from a snapshot (js/engine/kernel-start.js) of all it loads at start
    # but ssl, which a cell that imports it loads: its OpenSSL libraries live outside site-packages,
    # where the snapshot's files are restored.
    packages = [p for p in lite_kernel_options()["loadPyodideOptions"]["packages"] if p != "ssl"]
    loads = lambda rel: (
        rel.startswith(("runtime/", "wheels/")) or rel.endswith((".whl", "/pyodide-lock.json"))
    )  # noqa: E731
    tree = {rel: src for rel, src in (pages | files).items() if loads(rel)}
    files.update({f"lite/snapshot/{p.name}": p for p in build_kernel_snapshot(tree, packages)})
    return files
