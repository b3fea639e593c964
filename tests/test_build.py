"""build.py: files are verified against pyodide-lock.json, and a second build reuses everything."""

import hashlib
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402


def no_network(*args, **kwargs):
    raise AssertionError(f"network or installer used: {args[:1]}")


def test_a_tampered_runtime_file_is_refused(tmp_path, monkeypatch):
    lock = build.pyodide_lock()
    entry = lock["packages"]["micropip"]
    cache = tmp_path / "cache"
    cached = cache / "pyodide" / f"{entry['sha256'][:16]}-{entry['file_name']}"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not the real wheel")
    monkeypatch.setattr(build, "CACHE", cache)
    # Neither the CDN nor the re-ship can fix it here: both are offline and the re-ship gives the same bad bytes.
    monkeypatch.setattr(build, "download", lambda *a, **k: (_ for _ in ()).throw(OSError("offline")))
    reship = tmp_path / "reship.whl"
    import zipfile

    with zipfile.ZipFile(reship, "w") as z:
        z.writestr(build.RESHIP["prefix"] + entry["file_name"], b"tampered")
    monkeypatch.setattr(build, "reship_wheel", lambda: reship)
    with pytest.raises(SystemExit) as refused:
        build.fetch_package("micropip", lock)
    assert entry["file_name"] in str(refused.value) and "sha256" in str(refused.value)
    assert not cached.exists()


def test_verified_files_match_the_lock():
    lock = build.pyodide_lock()
    for name in build.PYODIDE_PACKAGES:
        entry = lock["packages"][name]
        path = build.fetch_package(name, lock)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]


def test_second_build_reuses_the_cache_and_touches_no_network(tmp_path, monkeypatch):
    dist = tmp_path / "dist"
    first = build.build(dist)
    monkeypatch.setattr(build, "run", no_network)
    monkeypatch.setattr(build, "download", no_network)
    monkeypatch.setattr(build.urllib.request, "urlopen", no_network)
    second = build.build(dist)
    assert first == second
    manifest = json.loads((dist / "build.json").read_text())
    for rel in manifest["files"]:
        assert (dist / rel).is_file(), rel
    assert "__BUILD_ID__" not in (dist / "sw.js").read_text()
    assert manifest["build"] in (dist / "sw.js").read_text()


def test_server_sends_the_mime_types_the_runtime_needs():
    import urllib.request

    build.build()
    with build.serving(build.DIST) as url:
        for path, mime in [("runtime/pyodide.asm.wasm", "application/wasm"), ("runtime/pyodide.mjs", "text/javascript"),
                           ("js/main.js", "text/javascript"), ("build.json", "application/json")]:
            with urllib.request.urlopen(url + path) as response:
                assert response.headers["Content-Type"].split(";")[0] == mime, path
