"""build.py's jobs (buildlib): files are verified against pyodide-lock.json, and a second build reuses everything."""

import hashlib
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from buildlib import common, lite, policy, runtime, server, site  # noqa: E402


def no_network(*args, **kwargs):
    raise AssertionError(f"network or installer used: {args[:1]}")


def test_a_tampered_runtime_file_is_refused(tmp_path, monkeypatch):
    lock = runtime.pyodide_lock()
    entry = lock["packages"]["micropip"]
    cache = tmp_path / "cache"
    cached = cache / "pyodide" / f"{entry['sha256'][:16]}-{entry['file_name']}"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not the real wheel")
    monkeypatch.setattr(runtime, "CACHE", cache)
    # Neither the CDN nor the re-ship can fix it here: both are offline and the re-ship gives the same bad bytes.
    monkeypatch.setattr(runtime, "download", lambda *a, **k: (_ for _ in ()).throw(OSError("offline")))
    reship = tmp_path / "reship.whl"
    import zipfile

    with zipfile.ZipFile(reship, "w") as z:
        z.writestr(runtime.RESHIP["prefix"] + entry["file_name"], b"tampered")
    monkeypatch.setattr(runtime, "reship_wheel", lambda: reship)
    with pytest.raises(SystemExit) as refused:
        runtime.fetch_package("micropip", lock)
    assert entry["file_name"] in str(refused.value) and "sha256" in str(refused.value)
    assert not cached.exists()


def test_verified_files_match_the_lock():
    lock = runtime.pyodide_lock()
    for name in runtime.PYODIDE_PACKAGES:
        entry = lock["packages"][name]
        path = runtime.fetch_package(name, lock)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]


def test_second_build_reuses_the_cache_and_touches_no_network(tmp_path, monkeypatch):
    dist = tmp_path / "dist"
    first = site.build(dist)
    # Every command a job runs (pip, npm, node) starts its process through Popen.
    monkeypatch.setattr(subprocess, "Popen", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    second = site.build(dist)
    assert first == second
    manifest = json.loads((dist / "build.json").read_text())
    for rel in manifest["files"]:
        assert (dist / rel).is_file(), rel
    assert "__BUILD_ID__" not in (dist / "sw.js").read_text()
    assert manifest["build"] in (dist / "sw.js").read_text()


def test_server_sends_the_mime_types_the_runtime_needs():
    site.build()
    with server.serving(common.DIST) as url:
        for path, mime in [
            ("runtime/pyodide.asm.wasm", "application/wasm"),
            ("runtime/pyodide.mjs", "text/javascript"),
            ("js/main.js", "text/javascript"),
            ("build.json", "application/json"),
        ]:
            with urllib.request.urlopen(url + path) as response:
                assert response.headers["Content-Type"].split(";")[0] == mime, path


def test_serve_isolates_the_site_and_sends_the_policy_the_page_declares():
    site.build()
    policies = policy.content_policies(common.DIST)
    page = policies["page"]
    assert "default-src 'self'" in page and "script-src 'self'" in page
    assert not any(
        word in page for word in ("unsafe-inline", "unsafe-eval", "wasm-unsafe-eval", "http:", "https:")
    )
    # Only the engine's worker compiles WebAssembly (Pyodide): its policy adds exactly that.
    assert policies["worker"] == page.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
    with server.serving(common.DIST) as url:
        for path, expected in [
            ("", page),
            ("js/engine/worker.js", policies["worker"]),
            ("runtime/pyodide.asm.wasm", page),
        ]:
            with urllib.request.urlopen(url + path) as response:
                assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", path
                assert response.headers["Cross-Origin-Embedder-Policy"] == "require-corp", path
                assert (
                    response.headers["Content-Security-Policy"]
                    == f"{expected}; report-uri {policy.CSP_REPORTS}"
                ), path
    with server.serving(common.DIST, isolated=False) as url, urllib.request.urlopen(url) as response:
        assert not {
            "Cross-Origin-Opener-Policy",
            "Cross-Origin-Embedder-Policy",
            "Content-Security-Policy",
        } & set(response.headers)
    # On hosts that send no headers, the service worker adds the same policies.
    sw = (common.DIST / "sw.js").read_text()
    assert f'const PAGE_POLICY = "{page}";' in sw and f'const WORKER_POLICY = "{policies["worker"]}";' in sw


def test_serve_collects_the_violations_browsers_report():
    reports = []
    report = {
        "csp-report": {"violated-directive": "script-src", "blocked-uri": "eval", "document-uri": "http://x/"}
    }
    with server.serving(common.DIST, csp_reports=reports) as url:
        request = urllib.request.Request(
            url + policy.CSP_REPORTS.lstrip("/"),
            data=json.dumps(report).encode(),
            headers={"Content-Type": "application/csp-report"},
        )
        with urllib.request.urlopen(request) as response:
            assert response.status == 204
    assert reports == [report["csp-report"]]


def unpack_site(archive: bytes) -> dict:
    """snapshot/site.bin's format (web/js/engine/snapshot.mjs): a u32 header length, a JSON list of
    [path, size], then the files' bytes in that order."""
    length = int.from_bytes(archive[:4], "little")
    files, offset = {}, 4 + length
    for path, size in json.loads(archive[4:offset]):
        files[path] = archive[offset : offset + size]
        offset += size
    assert offset == len(archive)
    return files


def test_the_snapshot_holds_the_served_wheel_and_numpy_as_micropip_installed_them():
    import gzip
    import zipfile

    site.build()
    manifest = json.loads((common.DIST / "build.json").read_text())
    assert {"snapshot/snapshot.json", "snapshot/memory.bin", "snapshot/site.bin"} <= set(manifest["files"])
    assert not any(rel.endswith("make-snapshot.mjs") for rel in manifest["files"])  # a build step, not served
    meta = json.loads((common.DIST / "snapshot" / "snapshot.json").read_text())
    files = unpack_site(gzip.decompress((common.DIST / "snapshot" / "site.bin").read_bytes()))
    wheels = [
        common.DIST / manifest["wheel"],
        common.DIST / "runtime" / runtime.pyodide_lock()["packages"]["numpy"]["file_name"],
    ]
    for path in wheels:
        with zipfile.ZipFile(path) as wheel:
            code = [name for name in wheel.namelist() if ".dist-info/" not in name]
            assert code and all(files[name] == wheel.read(name) for name in code), path.name
    assert files[f"pizarra-{manifest['wheel'].split('-')[1]}.dist-info/INSTALLER"].strip() == b"micropip"
    # Every extension module Python opened before the snapshot is among the files restored.
    assert meta["handles"] and all(
        name.split("site-packages/")[1] in files for name in meta["handles"].values()
    )
    memory = gzip.decompress((common.DIST / "snapshot" / "memory.bin").read_bytes())
    magic, offset = int.from_bytes(memory[:4], "little"), int.from_bytes(memory[4:8], "little")
    assert magic == 0x706E7300 and (len(memory) - offset) % 65536 == 0  # Pyodide's image: whole pages


def test_the_kernel_snapshot_holds_what_the_kernel_loads_at_start_but_ssl():
    """lite/snapshot/ (js/engine/kernel-start.js): every package of the kernel's start, installed
    from the files the app serves, and recorded so that a cell's import does not load it again."""
    import gzip
    import zipfile

    site.build()
    manifest = json.loads((common.DIST / "build.json").read_text())
    assert {"lite/snapshot/snapshot.json", "lite/snapshot/memory.bin", "lite/snapshot/site.bin"} <= set(
        manifest["lite"]
    )
    meta = json.loads((common.DIST / "lite" / "snapshot" / "snapshot.json").read_text())
    files = unpack_site(gzip.decompress((common.DIST / "lite" / "snapshot" / "site.bin").read_bytes()))
    lock = json.loads((common.DIST / "lite" / "pyodide-lock.json").read_text())["packages"]
    started = json.loads((common.ROOT / "web" / "lite" / "jupyter-lite.json").read_text())
    started = started["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"
    ]
    named = {lite.canonical(n) for n in started["loadPyodideOptions"]["packages"]} - {"ssl"}
    recorded = {lite.canonical(n) for n in meta["packages"]}
    assert named <= recorded and "ssl" not in recorded and "openssl" not in recorded
    for name in ("pizarra", "pyodide-kernel", "ipython"):
        with zipfile.ZipFile(
            common.DIST / "runtime" / lock[name]["file_name"]
        ) as wheel:  # as Pyodide reads it
            code = [n for n in wheel.namelist() if ".dist-info/" not in n]
            assert code and all(files[n] == wheel.read(n) for n in code), name
    assert meta["handles"] and all(
        name.split("site-packages/")[1] in files for name in meta["handles"].values()
    )
    # The pages' snapshot keeps only NumPy and pizarra, and records nothing.
    assert json.loads((common.DIST / "snapshot" / "snapshot.json").read_text())["packages"] == []


def test_the_notebook_app_offers_jupyterlab_in_spanish():
    """lite/api/translations/ (lite.write_translations): the pinned Spanish language pack, by domain
    (gettext's, with its contexts: "menu" + EOT + "File")."""
    site.build()
    folder = common.DIST / "lite" / "api" / "translations"
    assert set(json.loads((folder / "all.json").read_text())["data"]) == {"en", "es_ES"}
    spanish = json.loads((folder / "es_ES.json").read_text())["data"]
    assert spanish["jupyterlab"]["menu\x04File"] == ["Archivo"]
    assert json.loads((folder / "en.json").read_text()) == {"data": {}, "message": ""}
