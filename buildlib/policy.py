"""The content policy, declared once in web/index.html, and the cross-origin isolation headers:
what `serve` sends and the service worker adds where a host sends no headers (see
docs/ARCHITECTURE.md, "Start-up, stopping and the content policy")."""

from __future__ import annotations

import re
from pathlib import Path

from .common import WEB

# The engine's worker, whose content policy comes from its own response (a page's <meta> does not reach it).
WORKER_SCRIPT = "js/engine/worker.js"
# Cross-origin isolation: SharedArrayBuffer, so the page can interrupt running Python.
ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
}
CSP_REPORTS = "/csp-report"  # where `serve` collects content-policy violations (header policies only)


def content_policies(index: Path = WEB / "index.html") -> dict[str, str] | None:
    """The content policy, declared once in index.html's <meta http-equiv="Content-Security-Policy">:
    {"page": that policy, "worker": the same with 'wasm-unsafe-eval' added to script-src, which only
    the engine's worker needs (Pyodide compiles WebAssembly)}, or None if the page declares none."""
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', index.read_text())
    if not match:
        return None
    page = match.group(1)
    return {"page": page, "worker": re.sub(r"(script-src [^;]*)", r"\1 'wasm-unsafe-eval'", page)}
