"""The unit tests again, inside Pyodide 0.27.7 under Node (NumPy 2.0.2, the wheel the site installs)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from buildlib import common, runtime, site  # noqa: E402


def test_unit_suite_passes_inside_pyodide():
    site.build()
    manifest = json.loads((common.DIST / "build.json").read_text())
    wheels = [common.DIST / manifest["wheel"], *runtime.fetch_test_wheels()]
    result = subprocess.run(
        [
            "node",
            "tests/pyodide/run_pytest.mjs",
            common.DIST / "runtime",
            *wheels,
            "--",
            "tests/unit",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:faulthandler",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = result.stdout[-6000:] + result.stderr[-3000:]
    assert result.returncode == 0, report
    assert " passed" in result.stdout, report
