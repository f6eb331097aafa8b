"""Serving a folder over HTTP on 127.0.0.1: ``ino-archive serve DIR`` and the demo's sample site.

A plain threaded ``http.server`` limited to one folder.  The static site is
served with its Content-Security-Policy as a header too.  With a database
(``serve DIR --db DB``) it also answers the query page's ``/api/…``
requests from the archive (``archive.site.api``: the library's search,
facets and timelines), one session per request.  For looking at a site
locally, not for the open internet.
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy.orm import Session

from archive.errors import ArchiveError
from archive.site.api import ANSWERS
from archive.site.build import CSP, SCOPE_FILE

logger = logging.getLogger(__name__)
MAX_FIELDS = 64  # the query page sends a dozen; more is not a question it asks


class LocalHTTPServer(ThreadingHTTPServer):
    """``ThreadingHTTPServer`` with a listen backlog a crawler's or a browser's burst of connections fits in.

    socketserver's default backlog is 5: when Scrapy (asyncio reactor) opens a
    burst of connections, the kernel drops the SYNs beyond it and the client
    retries a second later, so a crawl of a local site sat idle most of the time
    (measured: a bare Scrapy spider took 43 s for 613 pages with backlog 5,
    3.5 s with 128).  Real web servers listen with a backlog of hundreds.
    """

    request_queue_size = 128


class QuietHandler(SimpleHTTPRequestHandler):
    """Files of one folder; requests are logged at debug level only (the request line is the first argument)."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        logger.debug(format, *args)


class SiteHandler(QuietHandler):
    """The static site's files, with the CSP header; requests logged at info level; no folder listings."""

    def list_directory(self, path: str | Any) -> None:
        # A folder without index.html is not a page of the site: its file list is nobody's business.
        self.send_error(404, "Not Found")
        return None

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        logger.info("%s " + format, self.address_string(), *args)


_HEAP = {"settled": False, "lock": threading.Lock()}


def settle_heap() -> bool:
    """Once per process: collect the garbage, then move every object alive out of the cyclic collector's sight.

    A long-running ``serve`` holds the modules, the engine and the statements
    its first answer compiled; a full collection walks them all every few
    requests, which made one answer in ten 60-130 ms slower (``serve --db`` at
    100 000 articles, ``benchmarks/bench_site.py``).  What is frozen is still
    freed by reference counting.  Returns whether this call did it.
    """
    with _HEAP["lock"]:
        if _HEAP["settled"]:
            return False
        _HEAP["settled"] = True
    gc.collect()
    gc.freeze()
    logger.debug("%d long-lived objects kept out of the garbage collector's scans", gc.get_freeze_count())
    return True


class ArchiveHandler(SiteHandler):
    """The site's files, and ``/api/status|search|facets|timeline`` answered from the archive."""

    def __init__(self, *args: Any, engine: Any, scope: dict[str, Any], settle: bool = False, **kwargs: Any) -> None:
        self.engine, self.scope, self.settle = engine, scope, settle
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        url = urlsplit(self.path)
        if not url.path.startswith("/api/"):
            super().do_GET()
            return
        name = url.path[len("/api/"):]
        if name == "status":
            self._json(200, {"api": 1})
            return
        answer = ANSWERS.get(name)
        if answer is None:
            self._json(404, {"error": f"no such answer: {name}"})
            return
        try:
            params = parse_qs(url.query, keep_blank_values=False, max_num_fields=MAX_FIELDS)
        except ValueError:
            self._json(400, {"error": f"more than {MAX_FIELDS} parameters"})
            return
        try:
            with Session(self.engine) as session:
                self._json(200, answer(session, params, self.scope))
        except ArchiveError as exc:
            self._json(400, {"error": str(exc)})
            return
        if self.settle:
            settle_heap()

    def _json(self, status: int, body: Any) -> None:
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(payload)


def site_scope(folder: Path) -> dict[str, Any]:
    """The filters the site in ``folder`` was exported with (``site.json``); none for an older site."""
    try:
        return dict(json.loads((folder / SCOPE_FILE).read_text(encoding="utf-8"))["scope"])
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ArchiveError(f"cannot read {folder / SCOPE_FILE}: {exc}") from exc


LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def exposure_warning(host: str) -> str | None:
    """What to tell someone serving beyond this machine, or None for a loopback address.

    >>> exposure_warning("127.0.0.1") is None
    True
    """
    if host in LOOPBACK_HOSTS or host.startswith("127."):
        return None
    return (f"serving on {host}: anyone who can reach this machine can read the archive"
            " (the default, 127.0.0.1, serves this machine only)")


def make_server(folder: Path | str, host: str = "127.0.0.1", port: int = 8000, engine: Any = None,
                settle: bool = False) -> LocalHTTPServer:
    """A server for the static site in ``folder`` (not yet serving); port 0 picks a free port.

    With ``engine`` (an archive's SQLAlchemy engine) the query page's
    questions are answered from the archive; ``settle``: the process does
    nothing else for long (``ino-archive serve``), so after the first answer
    its heap is kept out of the garbage collector's full scans (``settle_heap``).
    """
    folder = Path(folder)
    if not (folder / "index.html").is_file():
        raise ArchiveError(f"{folder} has no index.html; write a site with `ino-archive export site` first")
    directory = str(folder.resolve())
    if engine is None:
        handler = functools.partial(SiteHandler, directory=directory)
    else:
        handler = functools.partial(ArchiveHandler, directory=directory, engine=engine, scope=site_scope(folder),
                                    settle=settle)
    try:
        return LocalHTTPServer((host, port), handler)  # a browser opens several connections at once
    except (OSError, OverflowError, UnicodeError) as exc:
        raise ArchiveError(f"cannot listen on {host}:{port}: {getattr(exc, 'strerror', None) or exc}") from exc


class ServedFolder:
    """A folder served on 127.0.0.1 (a free port) in a background thread; use as a context manager.

    >>> import tempfile, urllib.request
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "a.txt").write_text("hello")
    ...     with ServedFolder(d) as served:
    ...         urllib.request.urlopen(served.url("/a.txt")).read()
    b'hello'
    """

    def __init__(self, root: str | Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler, port: int = 0):
        self.root = Path(root)
        self._server = LocalHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(self.root)))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def __enter__(self) -> ServedFolder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
