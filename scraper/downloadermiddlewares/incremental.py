"""Incremental re-crawls: conditional requests for known articles, and a record of every fetch.

At the start of a crawl the ``pages`` table (:mod:`archive.store.pages`) is read
once.  A request for a page that became an article gets ``If-None-Match`` /
``If-Modified-Since`` from the validators its last answer carried; a ``304``
ends there as :class:`NotModified` (the spider counts it as unchanged).  A
``200`` whose body hashes the same as last time is flagged
``meta["archive_unchanged"]``: the spider follows its links but yields no
item.  Listings, sitemaps and feeds are never marked as articles, so they are
always re-read.  A page that answered before and now answers 404 or 410 is
marked gone (its article stays).

With WARC capture on (``WARC_ENABLED``), an article whose raw page is not in
the ``warc_records`` index (a WARC file cut short, records lost) is fetched
without validators: a ``304`` would leave it uncaptured until it changes.
The captured URLs are read once, at ``engine_started``: the WARC middleware
repairs the index at ``spider_opened`` (``archive.warc.repair``), and handlers
of one signal run in no promised order.  Counted as
``incremental/uncaptured``.

Each fetch is written back (url, kind, status, validators, body hash) in
batches of ``INCREMENTAL_BATCH_SIZE`` and at close, except the new validators
and body hash of a known article fetched in full: those are written only at
``spider_closed``, after the store's last commit.  Written earlier, a crawl
killed between that batch and the store's would leave the pages table saying
"seen" for a version the archive never got, and the next crawl would skip it
(304 or "same body") until the page changed again.  The database stays the
source of truth: losing a batch in a crash only costs a full re-fetch.

Sits below ``HttpCompressionMiddleware`` (590) so it hashes decoded bodies.
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from sqlalchemy.orm import Session

from archive.db import BatchRecorder, resolve_db_url
from archive.store import ARTICLE, Seen, load_seen, record_fetches
from archive.warc import load_captured_urls

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

GONE_STATUSES = (404, 410)
# Callback name → the kind of page it reads.
KINDS = {"parse_page": "page", "parse_sitemap": "sitemap", "parse_feed": "feed", "parse_robots": "robots"}
UNCHANGED_META = "archive_unchanged"


class NotModified(IgnoreRequest):
    """The server answered 304: the archived article is current."""


class IncrementalMiddleware:
    def __init__(self, db_url: str, batch_size: int = 100, stats: Any = None, *, require_capture: bool = False) -> None:
        self.stats = stats
        self.seen: dict[str, Seen] = {}
        # With WARC on, only articles whose raw page the index holds are fetched conditionally.
        self.require_capture = require_capture
        self.captured: set[str] = set()
        # Fetch rows of re-read articles, written after the store has committed (module docstring).
        self.after_store: list[dict[str, Any]] = []
        # Only an optimisation is lost when a batch fails: those URLs are fetched in full next time.
        self.fetches = BatchRecorder(
            db_url, record_fetches, batch_size=batch_size, what="fetches",
            error_stat="incremental/db_errors", stats=stats, level=logging.WARNING,
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        settings = crawler.settings
        if not settings.getbool("INCREMENTAL_ENABLED", True):
            raise NotConfigured("INCREMENTAL_ENABLED is off: every page is fetched in full")
        middleware = cls(
            resolve_db_url(settings.get("ARCHIVE_DB_URL")),
            settings.getint("INCREMENTAL_BATCH_SIZE", 100),
            crawler.stats,
            require_capture=settings.getbool("WARC_ENABLED", True),
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.engine_started, signal=signals.engine_started)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        with Session(self.fetches.open()) as session:
            self.seen = load_seen(session)
        logger.info("Incremental crawl: %d known URLs", len(self.seen))

    def engine_started(self) -> None:
        if not self.require_capture:
            return
        with Session(self.fetches.engine) as session:  # opened at spider_opened
            self.captured = load_captured_urls(session)
        logger.info("Incremental crawl: %d URLs with a raw capture", len(self.captured))

    def spider_closed(self) -> None:
        # Scrapy closes the item pipelines (the store's last commit) before it sends spider_closed.
        for fetch in self.after_store:
            self.fetches.add(fetch)
        self.after_store.clear()
        self.fetches.close()

    def process_request(self, request: Request) -> None:
        seen = self.seen.get(request.url)
        if seen is None or seen.kind != ARTICLE or seen.gone:
            return
        if self.require_capture and request.url not in self.captured:
            self._count("incremental/uncaptured")
            return
        if seen.etag:
            request.headers.setdefault(b"If-None-Match", seen.etag.encode("latin-1", "replace"))
        if seen.last_modified:
            request.headers.setdefault(b"If-Modified-Since", seen.last_modified.encode("latin-1", "replace"))

    def process_response(self, request: Request, response: Response) -> Response:
        seen = self.seen.get(response.url)
        fetch = {"url": response.url, "kind": _kind(request), "status": response.status}
        if response.status == 304:
            self.fetches.add(fetch)
            self._count("incremental/not_modified")
            raise NotModified(f"{response.url} not modified since the last crawl")
        if response.status < 300:
            fetch.update(_validators(response))
            fetch["body_hash"] = hashlib.sha256(response.body).hexdigest()
            if seen is not None and seen.body_hash == fetch["body_hash"] and seen.kind == ARTICLE:
                request.meta[UNCHANGED_META] = True
                self._count("incremental/unchanged_body")
            fetch["changed"] = seen is not None and seen.body_hash not in (None, fetch["body_hash"])
        elif response.status in GONE_STATUSES and seen is not None and (seen.status or 0) < 400:
            fetch["gone"] = True
            self._count("incremental/gone")
            logger.info("%s is gone (%d); its article is kept and marked gone", response.url, response.status)
        if response.status < 300 and seen is not None and seen.kind == ARTICLE:
            self.after_store.append(fetch)
        elif response.status < 300 or response.status in GONE_STATUSES:
            self.fetches.add(fetch)
        return response

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def _kind(request: Request) -> str | None:
    return KINDS.get(getattr(request.callback, "__name__", ""), None)


def _validators(response: Response) -> dict[str, str | None]:
    def header(name: bytes) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1")[:500] if value else None

    return {"etag": header(b"ETag"), "last_modified": header(b"Last-Modified")}
