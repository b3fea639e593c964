"""The development server: dist/ with the MIME types the runtime needs, no stale caching and, by
default, the isolation and content-policy headers a static host may not send; `serve` for people,
`serving` for tests and benchmarks."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import sys
import threading
from pathlib import Path

from .common import DIST, BuildError, log
from .policy import CSP_REPORTS, ISOLATION_HEADERS, WORKER_SCRIPT, content_policies
from .site import build


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types the runtime needs and no stale caching; with `isolated`, the
    headers a static host may not send: cross-origin isolation (not under lite/: see sw.js) and the
    content policy (the page's on every response, the worker's on its script, the notebook app's
    under lite/), reporting violations to CSP_REPORTS."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/zip",
        ".zip": "application/zip",
        ".wgsl": "text/plain",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        path = self.path.split("?")[0]
        lite = path.startswith("/lite/")
        if self.server.isolated and not lite:
            for name, value in ISOLATION_HEADERS.items():
                self.send_header(name, value)
        if self.server.policies:
            kind = "worker" if path == f"/{WORKER_SCRIPT}" else "lite" if lite else "page"
            policy = self.server.policies[kind]
            self.send_header("Content-Security-Policy", f"{policy}; report-uri {CSP_REPORTS}")
        super().end_headers()

    def do_POST(self):
        """A browser reporting a content-policy violation: kept for tests and printed."""
        if self.path != CSP_REPORTS:
            return self.send_error(404)
        body = self.rfile.read(min(int(self.headers.get("Content-Length") or 0), 65536))
        try:
            report = json.loads(body or b"{}").get("csp-report", {})
        except ValueError:
            report = {"unreadable": body[:200].decode("latin-1")}
        self.server.csp_reports.append(report)
        log(
            f"content policy violation: {report.get('violated-directive', '?')} blocked {report.get('blocked-uri', '?')} "
            f"in {report.get('document-uri', '?')}"
        )
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A browser that leaves mid-download (a page closed, a reload) is not an error worth a traceback."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def make_server(
    dist: Path = DIST,
    port: int = 8000,
    host: str = "127.0.0.1",
    isolated: bool = True,
    csp_reports: list | None = None,
) -> http.server.ThreadingHTTPServer:
    """`isolated=False` serves like a plain static host (no isolation or policy headers); the
    violations browsers report are appended to `csp_reports`."""
    handler = functools.partial(SiteHandler, directory=str(dist))
    server = QuietServer((host, port), handler)
    server.daemon_threads = True
    server.isolated = isolated
    server.policies = content_policies(dist) if isolated else None
    server.csp_reports = [] if csp_reports is None else csp_reports
    return server


@contextlib.contextmanager
def serving(dist: Path = DIST, **options):
    """Serve `dist` on a free local port in a background thread (options as make_server's); yields the base URL."""
    server = make_server(dist, port=0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def serve(port: int) -> None:
    build()
    try:
        server = make_server(DIST, port)
    except OSError as error:
        raise BuildError(
            f"cannot listen on port {port} ({error.strerror}); try `python3 build.py serve --port {port + 1}`."
        ) from None
    log(f"serving dist/ at http://127.0.0.1:{server.server_address[1]}/  (Ctrl+C stops)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
