"""The worker's start-up snapshot: Python with NumPy and pizarra imported, made under Node from the
runtime files and wheel the site serves (see docs/ARCHITECTURE.md, "Start-up, stopping and the
content policy")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .common import ROOT, WEB, BuildError, log, run, sha256, up_to_date

# The build step that makes the worker's start-up snapshot (runs under Node; never served), and what it reads.
SNAPSHOT_MAKER = WEB / "js" / "engine" / "make-snapshot.mjs"
SNAPSHOT_SCRIPTS = [SNAPSHOT_MAKER, WEB / "js" / "engine" / "snapshot.mjs"]


def build_snapshot(runtime: dict[str, Path], wheel: Path) -> list[Path]:
    """The memory snapshot the worker starts from: Python with NumPy and pizarra imported (see
    docs/ARCHITECTURE.md, "Start-up, stopping and the content policy"). Made by SNAPSHOT_MAKER under
    Node from the same runtime files and wheel the site serves, again only when one of them changed."""
    out = ROOT / "build" / "snapshot"
    key = json.dumps(
        [
            sorted((name, sha256(src)) for name, src in runtime.items()),
            sha256(wheel),
            [sha256(script) for script in SNAPSHOT_SCRIPTS],
        ]
    )
    stamp = out / ".pizarra-stamp"
    made = [out / name for name in ("snapshot.json", "memory.bin", "site.bin")]
    if up_to_date(stamp, key) and all(p.exists() for p in made):
        return made
    # Made aside, then moved in place: another build may be running in the same tree.
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="snapshot-", dir=out.parent) as work:
        folder = Path(work) / "runtime"  # the runtime as the site serves it, for Pyodide under Node
        folder.mkdir()
        for name, src in runtime.items():
            (folder / name).symlink_to(src.resolve())
        log("making the start-up snapshot (Python with NumPy and pizarra imported)")
        run(["node", *node_jspi_flags(), SNAPSHOT_MAKER, folder, wheel, Path(work) / "out"], cwd=ROOT)
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
