"""The content policy, declared once in web/index.html, and the cross-origin isolation headers:
what `serve` sends and the service worker adds where a host sends no headers (see
docs/ARCHITECTURE.md, "Start-up, stopping and the content policy")."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

# The engine's worker, whose content policy comes from its own response (a page's <meta> does not reach it).
WORKER_SCRIPT = "js/engine/worker.js"
# Cross-origin isolation: SharedArrayBuffer, so the page can interrupt running Python.
ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
}
CSP_REPORTS = "/csp-report"  # where `serve` collects content-policy violations (header policies only)


# What the notebook app (lite/, JupyterLite) needs beyond the site's policy, on its pages and workers
# only (docs/ARCHITECTURE.md, "The content policy"); each of its pages' inline start-up scripts is
# added by its sha256.
LITE_POLICY_NEEDS = {
    "script-src": [
        "'wasm-unsafe-eval'",  # its kernel's worker runs Pyodide, as the engine's worker does
        "'unsafe-eval'",  # JupyterLab checks every plugin's settings with ajv, which compiles each JSON schema with `new Function`
    ],
    "style-src": ["'self'", "'unsafe-inline'"],  # JupyterLab, CodeMirror and MathJax add <style> elements
    "img-src": ["'self'", "data:"],  # the kernel's logo, and pictures in notebooks, are data: addresses
}


def content_policies(site: Path) -> dict[str, str] | None:
    """The content policy, declared once in index.html's <meta http-equiv="Content-Security-Policy">:
    {"page": that policy, "worker": the same with 'wasm-unsafe-eval' added to script-src, which only
    the engine's worker needs (Pyodide compiles WebAssembly), "lite": the same with what the notebook
    app needs (LITE_POLICY_NEEDS, and its pages' inline scripts by hash)}, or None if the page
    declares none. `site`: the built site (dist/), with index.html and lite/."""
    match = re.search(
        r'<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"\s*/?>',
        (site / "index.html").read_text(),
    )
    if not match:
        return None
    page = " ".join(match.group(1).split())
    lite = dict(LITE_POLICY_NEEDS)
    lite["script-src"] = [*LITE_POLICY_NEEDS["script-src"], *inline_script_hashes(site / "lite")]
    return {
        "page": page,
        "worker": add_sources(page, {"script-src": ["'wasm-unsafe-eval'"]}),
        "lite": add_sources(page, lite),
    }


def add_sources(policy: str, sources: dict[str, list[str]]) -> str:
    """`policy` with `sources` added to its directives (a directive it lacks is added)."""
    directives = {}
    for directive in filter(None, (d.strip() for d in policy.split(";"))):
        name, *values = directive.split()
        directives[name] = values
    for name, values in sources.items():
        directives[name] = directives.get(name, []) + [v for v in values if v not in directives.get(name, [])]
    return "; ".join(" ".join([name, *values]) for name, values in directives.items())


def inline_script_hashes(folder: Path) -> list[str]:
    """The CSP sources ('sha256-…') of the inline scripts of the HTML pages under `folder` (JSON data blocks are not run)."""
    hashes = set()
    for page in sorted(folder.rglob("*.html")):
        # The bytes as served: a browser hashes the script's text exactly as the file holds it.
        for attributes, body in re.findall(rb"<script\b([^>]*)>(.*?)</script>", page.read_bytes(), re.S):
            if b"src=" not in attributes and b"application/json" not in attributes:
                digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
                hashes.add(f"'sha256-{digest}'")
    return sorted(hashes)
