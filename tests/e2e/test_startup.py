"""Start-up: Python starts from the build's memory snapshot (NumPy and pizarra already imported) with
the files the code panels read and fresh randomness, and starts the standard way, still working,
when the snapshot cannot be used."""

import pytest
from conftest import wait_engine

RANDOM_DRAWS = "import random, numpy; [random.random(), float(numpy.random.random())]"


def test_python_starts_from_the_snapshot_with_its_files_and_fresh_randomness(site, new_page):
    draws = []
    for _ in range(2):
        page, errors = new_page()
        page.goto(site)
        wait_engine(page)
        assert page.evaluate("pizarra.boot") == "snapshot"
        assert set(page.evaluate("pizarra.bootStages")) == {"snapshot", "import"}
        source = page.evaluate("pizarra.call('engine_source', {name: 'pizarra.ops.Mul'})")
        assert source["file"] == "pizarra/ops.py" and source["source"].startswith("class Mul(")
        assert page.evaluate("pizarra.call('engine_check')")["grad"] == {
            "x": -8.0,
            "y": 6.0,
            "z": 2.0,
            "w": 0.0,
        }
        # linalg is another of NumPy's extension modules the snapshot restores: det(2·I₃) = 2³.
        assert page.evaluate(
            "pizarra.run('import numpy; float(numpy.linalg.det(numpy.eye(3) * 2))')"
        ) == pytest.approx(8.0)
        draws.append(page.evaluate(f"pizarra.run({RANDOM_DRAWS!r})"))
        assert errors == []
    # Both generators were seeded when the snapshot was made; each visit must draw its own numbers.
    assert draws[0][0] != draws[1][0] and draws[0][1] != draws[1][1]


def test_an_unusable_snapshot_falls_back_to_the_standard_start(site, new_page):
    page, errors = new_page()
    warnings = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    # A memory image from another build: Pyodide refuses it, and the worker boots the standard way.
    page.context.route("**/snapshot/memory.bin", lambda route: route.fulfill(status=200, body=b"\x00" * 4096))
    page.goto(site)
    wait_engine(page, timeout=120_000)
    assert page.evaluate("pizarra.boot") == "standard"
    assert set(page.evaluate("pizarra.bootStages")) == {"python", "packages", "install", "import"}
    assert any("snapshot cannot be used" in text for text in warnings)
    assert page.evaluate("pizarra.call('engine_check')")["r"] == -20.0
    source = page.evaluate("pizarra.call('engine_source', {name: 'pizarra.ops.Mul'})")
    assert source["source"].startswith("class Mul(")
    assert errors == []
