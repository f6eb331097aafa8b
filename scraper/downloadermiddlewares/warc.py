"""Keep every response as WARC records (``archive.warc``), indexed in the archive.

``WarcCaptureMiddleware`` (585) sits below ``HttpCompressionMiddleware``
(590), so 2xx bodies are stored decoded and size-checked, and above the
incremental middleware (580), so a response is in the WARC file before the
``pages`` table can record it as fetched (else a kill in between would leave
a page answered 304 ever after, with no raw capture).  Each response is
written with the request that asked for it.  A 2xx whose payload digest
equals the last full capture of its URL (an unchanged article, a listing or
feed re-read as it was) becomes a ``revisit`` record pointing at that capture
instead of a second copy; the last captures' digests are read once at open.
Without an earlier capture (WARC was off, or its index row was dropped by
the repair below) a full response is written.

A ``304 Not Modified`` (the incremental middleware's conditional request) is
written as a server-not-modified ``revisit`` of the last full capture, so the
WARC files show every time a page was checked; a 304 for a URL with no full
capture (WARC was off when it was fetched) is written as it came.

``WarcRedirectMiddleware`` (610) sits above ``RedirectMiddleware`` (600),
which turns a 3xx into a new request the lower middlewares never see: it
writes each redirect response as received (body still encoded), through the
same file and index; redirects are always full records (headers and a few
bytes), never revisits.

Crash safety: index rows are committed only after their records are synced
to disk, so a kill leaves at most an unindexed tail in a WARC file, never an
index row pointing at nothing.  At open, ``archive.warc.index.repair_index``
drops rows that point past the end of their file (a file truncated or
restored from an older copy) and indexes complete records an earlier run
wrote but did not get to index.

Settings: ``WARC_ENABLED`` (default on), ``ARCHIVE_WARC_DIR`` (default next to
the SQLite file), ``WARC_BATCH_SIZE``.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.exceptions import NotConfigured
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.db import BatchRecorder, resolve_db_url, writer
from archive.warc import (
    NOT_MODIFIED,
    HttpRequest,
    Original,
    WarcFile,
    index_records,
    iter_captures,
    payload_digest,
    repair_index,
    warc_dir,
)

if TYPE_CHECKING:
    from pathlib import Path

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class WarcCapture:
    """One crawl's WARC file and index, shared by the two middlewares."""

    def __init__(self, db_url: str, folder: Path, batch_size: int = 50, stats: Any = None) -> None:
        self.file = WarcFile(folder)
        self.folder = folder
        self.stats = stats
        # An index row is written only after its record is on disk (before_write syncs the file).
        self.index = BatchRecorder(
            db_url, index_records, batch_size=batch_size, what="WARC records",
            error_stat="warc/index_errors", stats=stats, before_write=self.file.sync,
        )
        # The last full 2xx capture of each URL with its payload digest (from the index, then this run's).
        self.captured: dict[str, tuple[str, Original]] = {}

    def spider_opened(self) -> None:
        engine = self.index.open()
        try:
            with Session(writer(engine)) as session, session.begin():
                repaired = repair_index(session, self.folder)
                self.captured = {row["url"]: (row["payload_digest"], _original(row)) for row in iter_captures(
                    session, html_only=False)}
        except SQLAlchemyError as exc:
            logger.error("Could not check the WARC index: %s", str(exc).splitlines()[0])
            self._count("warc/index_errors")
        else:
            self._count("warc/index_dropped", repaired.dropped)
            self._count("warc/index_recovered", repaired.recovered)
        logger.info("Keeping raw responses in %s", self.file.folder / self.file.name)

    def spider_closed(self) -> None:
        self.index.close()
        self.file.close()

    def capture(self, request: Request, response: Response, *, decoded: bool = True) -> None:
        """Write ``response`` (and its request), as a revisit when it repeats the last capture."""
        headers = _pairs(response.headers)
        source = request.meta.get("source")
        http_request = HttpRequest(request.method, request.url, _pairs(request.headers), request.body or b"")
        original, digest = self._original(response)
        try:
            if original is not None:
                row = self.file.write_revisit(response.url, response.status, _phrase(response.status), headers,
                                              response.body, original, request=http_request, source=source,
                                              digest=digest)
            else:
                row = self.file.write_response(response.url, response.status, _phrase(response.status), headers,
                                               response.body, request=http_request, decoded=decoded, source=source)
        except OSError as exc:
            logger.error("Could not write %s to the WARC file: %s", response.url, exc)
            self._count("warc/write_errors")
            return
        self._count("warc/revisits" if original is not None else "warc/records")
        if original is None and 200 <= response.status < 300:
            self.captured[response.url] = (row["payload_digest"], _original(row))
        self.index.add(row)

    def _original(self, response: Response) -> tuple[Original | None, str | None]:
        """The last full capture of this URL and its payload digest, if the response repeats it.

        A 2xx repeats it when its payload is the same; a 304 always does (the
        server says the page is the one we hold).
        """
        known = self.captured.get(response.url)
        if known is None:
            return None, None
        repeats = response.status == NOT_MODIFIED or (
            200 <= response.status < 300 and known[0] == payload_digest(response.body)
        )
        return (known[1], known[0]) if repeats else (None, None)

    def _count(self, key: str, value: int = 1) -> None:
        if self.stats is not None and value:
            self.stats.inc_value(key, value)


# One WarcCapture per crawler, whichever middleware is built first.
_CAPTURES: WeakKeyDictionary[Any, WarcCapture] = WeakKeyDictionary()


def capture_for(crawler: Crawler) -> WarcCapture:
    settings = crawler.settings
    if not settings.getbool("WARC_ENABLED", True):
        raise NotConfigured("WARC_ENABLED is off: raw responses are not kept")
    capture = _CAPTURES.get(crawler)
    if capture is None:
        db_url = resolve_db_url(settings.get("ARCHIVE_DB_URL"))
        folder = warc_dir(db_url, settings.get("ARCHIVE_WARC_DIR"))
        capture = _CAPTURES[crawler] = WarcCapture(db_url, folder, settings.getint("WARC_BATCH_SIZE", 50), crawler.stats)
        crawler.signals.connect(capture.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(capture.spider_closed, signal=signals.spider_closed)
    return capture


class WarcCaptureMiddleware:
    """2xx responses, decoded, and 304s (585, below HttpCompressionMiddleware)."""

    def __init__(self, capture: WarcCapture) -> None:
        self.capture = capture

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        return cls(capture_for(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        if 200 <= response.status < 300 or response.status == NOT_MODIFIED:
            self.capture.capture(request, response)
        return response


class WarcRedirectMiddleware:
    """3xx redirects, as received (610, above RedirectMiddleware, which never passes them down)."""

    def __init__(self, capture: WarcCapture) -> None:
        self.capture = capture

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRedirectMiddleware:
        return cls(capture_for(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in REDIRECT_STATUSES and b"Location" in response.headers:
            self.capture.capture(request, response, decoded=False)
        return response


def _original(row: Any) -> Original:
    return Original(row["record_id"], row["url"], row["fetched_at"])


def _pairs(headers: Any) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
