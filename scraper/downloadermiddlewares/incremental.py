"""Incremental re-crawls: conditional requests for known articles, and a record of every fetch.

At the start of a crawl the ``pages`` table (:mod:`archive.pages`) is read
once.  A request for a page that became an article gets ``If-None-Match`` /
``If-Modified-Since`` from the validators its last answer carried; a ``304``
ends there as :class:`NotModified` (the spider counts it as unchanged).  A
``200`` whose body hashes the same as last time is flagged
``meta["archive_unchanged"]``: the spider follows its links but yields no
item.  Listings, sitemaps and feeds are never marked as articles, so they are
always re-read.  A page that answered before and now answers 404 or 410 is
marked gone (its article stays).

Each fetch is written back (url, kind, status, validators, body hash) in
batches of ``INCREMENTAL_BATCH_SIZE`` and at close.  The database stays the
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

from archive.batches import BatchRecorder
from archive.db import resolve_db_url
from archive.pages import ARTICLE, Seen, load_seen, record_fetches

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
    def __init__(self, db_url: str, batch_size: int = 100, stats: Any = None) -> None:
        self.stats = stats
        self.seen: dict[str, Seen] = {}
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
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        with Session(self.fetches.open()) as session:
            self.seen = load_seen(session)
        logger.info("Incremental crawl: %d known URLs", len(self.seen))

    def spider_closed(self) -> None:
        self.fetches.close()

    def process_request(self, request: Request) -> None:
        seen = self.seen.get(request.url)
        if seen is None or seen.kind != ARTICLE or seen.gone:
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
        if response.status < 300 or response.status in GONE_STATUSES:
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
