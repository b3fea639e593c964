#!/usr/bin/env python3
"""Pizarra's one entry point: fetch the runtime, build the site, serve it, test it, measure it.

    python3 build.py serve     # fetch + build if stale, then serve dist/ on http://127.0.0.1:8000
    python3 build.py test      # install what the tests need, then run every test
    python3 build.py train     # retrain the committed models (every page's, or: train cnn lm)
    python3 build.py fmt       # format the tree (ruff, Prettier); `test` fails when it drifts

Runs on a bare python3 (standard library only). What the project needs is installed into
project-local virtual environments (.venv, .venv-numpy202) and node_modules/, all git-ignored.
Downloads are cached per user in ~/.cache/pizarra (or $PIZARRA_CACHE), keyed by name and
hash, so a fresh clone on the same machine downloads nothing again, and a second run of any
command touches no network at all.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from buildlib import common, datasets, runners, runtime, server, site, style


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="build.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("fetch", help="fetch and verify the Pyodide runtime and front-end libraries")
    commands.add_parser("build", help="build the pizarra wheel and assemble dist/ (only what changed)")
    p_serve = commands.add_parser("serve", help="build if stale, then serve dist/ locally")
    p_serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    commands.add_parser("fmt", help="format the tree: Python with ruff, the front end with Prettier")
    p_test = commands.add_parser(
        "test", help="install test tools and run every test (extra arguments go to pytest)"
    )
    p_test.add_argument("pytest_args", nargs=argparse.REMAINDER, help="e.g. tests/unit -k softmax")
    p_train = commands.add_parser(
        "train", help="train the committed models and write their model cards (all pages, or the ones named)"
    )
    p_train.add_argument("pages", nargs="*", help="page ids, e.g. cnn")
    p_bench = commands.add_parser(
        "bench", help="measure load time, latencies and throughput; print a table, write JSON"
    )
    p_bench.add_argument(
        "--output",
        type=Path,
        default=common.ROOT / "bench-results.json",
        help="where to write the JSON results",
    )
    p_bench.add_argument(
        "only", nargs="*", help="run only the sections whose name contains one of these words (e.g. load)"
    )
    args = parser.parse_args(argv)
    if args.command == "fetch":
        for name, src in runtime.fetch().items():
            common.log(f"ok  {name}  ({src})")
        return 0
    if args.command == "build":
        site.build()
        return 0
    if args.command == "serve":
        server.serve(args.port)
        return 0
    if args.command == "fmt":
        return style.fmt()
    if args.command == "test":
        return runners.test(args.pytest_args)
    if args.command == "train":
        return datasets.train(args.pages)
    return runners.bench(args.output, args.only)


if __name__ == "__main__":
    sys.exit(main())
