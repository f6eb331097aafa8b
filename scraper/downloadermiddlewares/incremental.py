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
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.db import open_engine, resolve_db_url, writer
from archive.pages import ARTICLE, Seen, load_seen, record_fetches

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

GONE_STATUSES = (404, 410)
# Callback name → the kind of page it reads.
KINDS = {"parse_page": "page", "parse_sitemap": "sitemap", "parse_feed": "feed", "parse_robots": "robots"}
UNCHANGED_META = "archive_unchanged"


class NotModified(IgnoreRequest):
    """The server answered 304: the archived article is current."""


class IncrementalMiddleware:
    def __init__(self, db_url: str, batch_size: int = 100, stats: Any = None) -> None:
        self.db_url = db_url
        self.batch_size = max(1, batch_size)
        self.stats = stats
        self.engine: Engine | None = None
        self.seen: dict[str, Seen] = {}
        self.buffer: list[dict[str, Any]] = []

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
        self.engine = open_engine(self.db_url, create=True)
        with Session(self.engine) as session:
            self.seen = load_seen(session)
        logger.info("Incremental crawl: %d known URLs", len(self.seen))

    def spider_closed(self) -> None:
        self.flush()
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

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
            self._record(fetch)
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
            self._record(fetch)
        return response

    def _record(self, fetch: dict[str, Any]) -> None:
        self.buffer.append(fetch)
        if len(self.buffer) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        rows, self.buffer = self.buffer, []
        if not rows or self.engine is None:
            return
        try:
            with Session(writer(self.engine)) as session, session.begin():
                record_fetches(session, rows)
        except SQLAlchemyError as exc:
            # Only an optimisation is lost: these URLs are fetched in full next time.
            logger.warning("Could not record %d fetches: %s", len(rows), str(exc).splitlines()[0])
            self._count("incremental/db_errors")

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
