"""Stage 6: drop articles already seen under another URL.

Computes ``content_hash`` (sha256 of the casefolded, whitespace-collapsed title
and text; see ``archive.store.records.content_hash``) and raises ``DuplicateArticle``
when

* the same canonical URL already passed in this run, or
* the same content passed in this run, or is in the archive, under a
  different canonical URL.

The same URL with the same content in the archive is *not* a duplicate: that
is a re-crawl, and the store counts it as unchanged.

The archive is checked through this stage's own engine (``ARCHIVE_DB_URL``,
opened in ``open_spider``), one short connection per lookup on the indexed
``content_hash``; built without a URL (``DedupPipeline()``) it remembers only
the current run.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from archive.db import open_engine, resolve_db_url
from archive.models import Article
from archive.store import content_hash, has_content
from pipelines.exceptions import DuplicateArticle
from pipelines.guard import stage_guard

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

STAT_DUPLICATES = "pipelines/dedup/duplicates"
STAT_DB_ERRORS = "pipelines/dedup/db_errors"


class DedupPipeline:
    def __init__(self, db_url: str | None = None, stats: StatsCollector | None = None) -> None:
        self.db_url = db_url
        self.stats = stats
        self.engine: Engine | None = None
        self.seen_urls: set[str] = set()
        self.seen_hashes: dict[str, str] = {}  # content_hash → canonical_url

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        # Same resolution as the store, so dedup checks the archive being written.
        db_url = resolve_db_url(crawler.settings.get("ARCHIVE_DB_URL"))
        return cls(db_url=db_url, stats=crawler.stats)

    def open_spider(self) -> None:
        if self.db_url is not None:
            self.engine = open_engine(self.db_url, create=True)

    def close_spider(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

    @stage_guard("dedup")
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        canonical = adapter.get("canonical_url") or adapter["url"]
        title, text = adapter.get("title"), adapter.get("text")
        digest = content_hash(title, text)
        adapter["content_hash"] = digest
        if canonical in self.seen_urls:
            self._drop(f"{canonical} already seen in this run")
        self.seen_urls.add(canonical)
        # Blank pages all share one hash; they are not copies of each other.
        if has_content(title, text):
            self._check_content(canonical, digest)
            self.seen_hashes.setdefault(digest, canonical)
        return item

    def _check_content(self, canonical: str, digest: str) -> None:
        other = self.seen_hashes.get(digest)
        if other is not None and other != canonical:
            self._drop(f"{canonical} has the same content as {other} (this run)")
        other = self._archived_url(digest, canonical)
        if other is not None:
            self._drop(f"{canonical} has the same content as {other} (archive)")

    def _archived_url(self, digest: str, canonical: str) -> str | None:
        """A canonical URL in the archive with this content, other than ``canonical``."""
        if self.engine is None:
            return None
        query = (
            select(Article.canonical_url)
            .where(Article.content_hash == digest, Article.canonical_url != canonical)
            .limit(1)
        )
        try:
            with self.engine.connect() as conn:
                return conn.scalar(query)
        except SQLAlchemyError as exc:
            # A busy or vanished archive must not lose the article: let the store decide.
            logger.warning("dedup could not check the archive for %s: %s", canonical, exc)
            if self.stats is not None:
                self.stats.inc_value(STAT_DB_ERRORS)
            return None

    def _drop(self, reason: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(STAT_DUPLICATES)
        raise DuplicateArticle(f"duplicate: {reason}")
