"""Serve a folder of saved pages on 127.0.0.1 like a small old-fashioned news site (tests and benchmarks).

A real HTTP server on a free port (the product's ``ServedFolder``), so the
real spider and downloader run against it.  Like many old Russian CMSs it
sends ``text/html`` without a charset, so decoding has to come from the page
itself.  A few paths behave badly on purpose:

* ``/status/<code>`` answers with that HTTP status (404, 500, …);
* ``*.cp1251.html`` files are sent as they are, with no charset anywhere.
"""

from __future__ import annotations

import mimetypes
from http import HTTPStatus
from pathlib import Path

from archive.site import ServedFolder
from archive.site.serve import QuietHandler

CONTENT_TYPES = {
    ".html": "text/html",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".rss": "application/rss+xml",
}


class _Handler(QuietHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        if path.startswith("/status/"):
            return self._status(path.rsplit("/", 1)[-1])
        return super().do_GET()

    def _status(self, code: str) -> None:
        status = int(code) if code.isdigit() and 200 <= int(code) < 600 else 400
        body = f"<html><body><h1>{status} {HTTPStatus(status).phrase}</h1></body></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def guess_type(self, path):
        suffix = Path(str(path)).suffix.lower()
        return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(str(path))[0] or "application/octet-stream"


class LocalSite(ServedFolder):
    """A folder served over HTTP on 127.0.0.1, with the ``/status/<code>`` pages; use as a context manager."""

    def __init__(self, root: str | Path, port: int = 0):
        super().__init__(root, _Handler, port)
