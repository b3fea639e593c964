"""The unit tests again, inside Pyodide 0.27.7 under Node (NumPy 2.0.2, the wheel the site installs)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402


def test_unit_suite_passes_inside_pyodide():
    build.build()
    manifest = build.json.loads((build.DIST / "build.json").read_text())
    wheels = [build.DIST / manifest["wheel"], *build.fetch_test_wheels()]
    result = subprocess.run(
        ["node", "tests/pyodide/run_pytest.mjs", build.DIST / "runtime", *wheels, "--",
         "tests/unit", "-q", "-p", "no:cacheprovider", "-p", "no:faulthandler"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    report = result.stdout[-6000:] + result.stderr[-3000:]
    assert result.returncode == 0, report
    assert " passed" in result.stdout, report
