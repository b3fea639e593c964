"""The start-up snapshots, made under Node from the files the site serves (see docs/ARCHITECTURE.md,
"Start-up, stopping and the content policy"): the pages' worker starts from Python with NumPy and
pizarra imported; the notebook app's kernel from Python with what it loads at start imported too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .common import ROOT, WEB, BuildError, log, run, sha256, up_to_date

# The build step that makes a start-up snapshot (runs under Node; never served), and what it reads.
SNAPSHOT_MAKER = WEB / "js" / "engine" / "make-snapshot.mjs"
SNAPSHOT_SCRIPTS = [SNAPSHOT_MAKER, WEB / "js" / "engine" / "snapshot.mjs"]
SNAPSHOT_FILES = ("snapshot.json", "memory.bin", "site.bin")

# The pages' worker: NumPy and pizarra, installed by micropip as in a visitor's browser; the check is
# one of the engine's own calls.
PAGES_IMPORTS = """
import json, numpy, pizarra.demos
assert json.loads(pizarra.demos.call("engine_check", "{}"))["r"] == -20.0
numpy.__version__
"""

# The kernel: the modules `import pyodide_kernel` brings in, found in the first Python. Those of
# pyodide_kernel itself and whatever reaches JavaScript (js, pyodide_js, micropip…) are imported only
# when the kernel starts: a snapshot cannot hold references to JavaScript.
KERNEL_PREPARE = """
import json, sys
before = set(sys.modules)
import pyodide_kernel
LATER = ("pyodide_kernel", "pyodide", "_pyodide", "pyodide_js", "js", "micropip", "piplite")
json.dumps([name for name, module in list(sys.modules.items())
            if name not in before and getattr(module, "__file__", None)
            and name.split(".")[0] not in LATER])
"""
# …imported after the kernel's own stand-ins for modules the browser lacks (its mocks.py, run as at
# its start), so that IPython takes the same paths.
KERNEL_IMPORTS = (
    """
import importlib, importlib.util, json
from pathlib import Path
mocks = Path(importlib.util.find_spec("pyodide_kernel").submodule_search_locations[0]) / "mocks.py"
spec = importlib.util.spec_from_file_location("pyodide_kernel_mocks", mocks)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
module.apply_mocks()
for name in json.loads(prepared):
    importlib.import_module(name)
del mocks, spec, module
"""
    + PAGES_IMPORTS
)


def build_snapshot(runtime: dict[str, Path], wheel: Path) -> list[Path]:
    """The memory snapshot the pages' worker starts from: Python with NumPy and pizarra imported."""
    recipe = {
        "lockFile": None,
        "packages": ["numpy", "micropip"],
        "wheel": str(wheel.resolve()),
        "keep": "^(numpy|pizarra)[/-]",
        "record": False,
        "prepare": None,
        "imports": PAGES_IMPORTS,
    }
    files = {f"runtime/{name}": src for name, src in runtime.items()}
    return make_snapshot("snapshot", files, recipe, "Python with NumPy and pizarra imported", [wheel])


def build_kernel_snapshot(files: dict[str, Path], packages: list[str]) -> list[Path]:
    """The memory snapshot the notebook app's kernel starts from (js/engine/kernel-python.js): its
    `packages`, loaded through `files` (the runtime, lite/pyodide-lock.json and the wheels it names:
    {path in dist/: source}), and the modules of IPython its start imports, imported."""
    recipe = {
        "lockFile": "lite/pyodide-lock.json",
        "packages": packages,
        "wheel": None,
        "keep": None,
        "record": True,
        "prepare": KERNEL_PREPARE,
        "imports": KERNEL_IMPORTS,
    }
    return make_snapshot(
        "kernel-snapshot", files, recipe, "the notebook kernel's Python with IPython imported"
    )


def make_snapshot(
    name: str, files: dict[str, Path], recipe: dict, what: str, inputs: list[Path] = ()
) -> list[Path]:
    """Run SNAPSHOT_MAKER with `recipe` in a folder laid out as dist/ (`files`), into build/<name>/,
    again only when an input changed."""
    out = ROOT / "build" / name
    key = json.dumps(
        [
            sorted((rel, sha256(src)) for rel, src in files.items()),
            [sha256(p) for p in inputs],
            recipe,
            [sha256(script) for script in SNAPSHOT_SCRIPTS],
        ]
    )
    stamp = out / ".pizarra-stamp"
    made = [out / file for file in SNAPSHOT_FILES]
    if up_to_date(stamp, key) and all(p.exists() for p in made):
        return made
    # Made aside, then moved in place: another build may be running in the same tree.
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"{name}-", dir=out.parent) as work:
        site = Path(work) / "site"  # the files as the site serves them, for Pyodide under Node
        for rel, src in files.items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).symlink_to(src.resolve())
        if recipe["lockFile"]:
            recipe = {**recipe, "lockFile": str(site / recipe["lockFile"])}
        (Path(work) / "recipe.json").write_text(json.dumps(recipe))
        log(f"making a start-up snapshot ({what})")
        command = [SNAPSHOT_MAKER, site / "runtime", Path(work) / "recipe.json", Path(work) / "out"]
        run(["node", *node_jspi_flags(), *command], cwd=ROOT)
        (Path(work) / "out" / stamp.name).write_text(key)
        shutil.rmtree(out, ignore_errors=True)
        os.replace(Path(work) / "out", out)
    return made


def node_jspi_flags() -> list[str]:
    """Node's flags for WebAssembly JSPI (stack switching), which Python's start records in the
    snapshot (run_sync works only if it started with JSPI, as it does in the browsers that run
    Pizarra): none where Node has it, else its experimental flag, new API or old."""
    probe = "process.exit('Suspending' in WebAssembly || 'Suspender' in WebAssembly ? 0 : 1)"
    for flags in ([], ["--experimental-wasm-jspi"], ["--experimental-wasm-stack-switching"]):
        if subprocess.run(["node", *flags, "-e", probe], capture_output=True).returncode == 0:
            return flags
    raise BuildError(
        "this Node.js cannot run WebAssembly JSPI, which the start-up snapshot needs; use Node.js 20 or newer."
    )
