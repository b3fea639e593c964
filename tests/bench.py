"""`python3 build.py bench`: every section of tests/benchmarks/ in one run; prints a table, writes JSON.

Nothing here asserts a time: these are measurements to compare side by side, not tests.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]
import numpy as np  # noqa: E402
from conftest import CHROMIUM_ARGS, ScriptableBrowser  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from buildlib import common, environments, server  # noqa: E402


def sections(only):
    names = sorted(p.stem for p in (ROOT / "tests" / "benchmarks").glob("b*.py"))
    return [
        importlib.import_module(f"benchmarks.{name}")
        for name in names
        if not only or any(o in name for o in only)
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument(
        "only", nargs="*", help="run only the sections whose name contains one of these words"
    )
    args = parser.parse_args()
    results = {
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpus": os.cpu_count(),
            "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
    }
    chosen = sections(args.only)
    with server.serving(common.DIST) as url, sync_playwright() as p:
        browser = ScriptableBrowser(
            p.chromium.launch(executable_path=str(environments.CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        )
        results["machine"]["chromium"] = browser.version
        for section in chosen:
            print(f"[bench] {section.TITLE} …", flush=True)
            results[section.__name__.split(".")[-1]] = section.measure(browser, url)
        browser.close()
    machine = results["machine"]
    print(
        f"\nPizarra bench — {machine['when']}, {machine['cpus']} cores, Python {machine['python']}, "
        f"NumPy {machine['numpy']}, Chromium {machine['chromium']}"
    )
    for section in chosen:
        print(f"\n{section.TITLE}")
        for line in section.table(results[section.__name__.split(".")[-1]]):
            print(line)
    args.output.write_text(json.dumps(results, indent=1))
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
