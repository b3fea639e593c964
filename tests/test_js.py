"""The front end's pure modules, unit-tested with Node's own test runner."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_front_end_unit_tests_pass():
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "js").glob("*.test.mjs"))
    assert files
    result = subprocess.run(["node", "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
