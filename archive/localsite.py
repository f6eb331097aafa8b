"""Serve a folder of saved pages on 127.0.0.1 like a small old-fashioned news site.

Used by ``ino-archive demo`` and by the tests: a real HTTP server on a free
port, so the real spider and downloader run against it.  Like many old
Russian CMSs it sends ``text/html`` without a charset, so decoding has to come
from the page itself.  A few paths behave badly on purpose:

* ``/status/<code>`` answers with that HTTP status (404, 500, …);
* ``*.cp1251.html`` files are sent as they are, with no charset anywhere.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".html": "text/html",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".rss": "application/rss+xml",
}


class _Handler(SimpleHTTPRequestHandler):
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

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        logger.debug("localsite: " + format, *args)


class LocalHTTPServer(ThreadingHTTPServer):
    """``ThreadingHTTPServer`` with a listen backlog a crawler's burst of connections fits in.

    socketserver's default backlog is 5: when Scrapy (asyncio reactor) opens a
    burst of connections, the kernel drops the SYNs beyond it and the client
    retries a second later, so a crawl of this site sat idle most of the time
    (measured: a bare Scrapy spider took 43 s for 613 pages with backlog 5,
    3.5 s with 128).  Real web servers listen with a backlog of hundreds.
    """

    request_queue_size = 128


class LocalSite:
    """A folder served over HTTP on 127.0.0.1; use as a context manager.

    >>> import tempfile, urllib.request
    >>> with tempfile.TemporaryDirectory() as d, LocalSite(d) as site:
    ...     urllib.request.urlopen(site.url("/status/200")).status
    200
    """

    def __init__(self, root: str | Path, port: int = 0):
        self.root = Path(root)
        self._server = LocalHTTPServer(("127.0.0.1", port), partial(_Handler, directory=str(self.root)))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def __enter__(self) -> LocalSite:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
