"""Stage 7: write articles to the archive in batches.

The pipeline owns the unit of work: it opens the engine and one session in
``open_spider``, buffers records, upserts and commits every
``ARCHIVE_BATCH_SIZE`` items and at close.  Before each upsert, copies of
one text under other URLs are folded into one article whose URL does not
depend on crawl order (``archive.store.fold_copies``; the source's article
patterns, from ``SOURCES_FILE``, say which URL is preferred), counted as
``archive/articles_folded``.  If the archive cannot be opened,
``open_spider`` raises ``archive.errors.DatabaseError`` so the crawl fails
before fetching anything.  A batch the database rejects is rolled back,
logged and counted (``archive/articles_failed``); the crawl goes on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.db import dialect_insert, open_engine, resolve_db_url, writer
from archive.store import (
    UpsertCounts,
    fold_copies,
    item_to_record,
    mark_articles,
    record_aliases,
    record_failures,
    upsert_articles,
    upsert_sources,
)
from scraper.sources import SourceError, load_sources

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 50


class StorePipeline:
    def __init__(
        self,
        db_url: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
        stats: StatsCollector | None = None,
        article_patterns: dict[str, tuple] | None = None,
    ) -> None:
        self.db_url = db_url
        self.batch_size = max(1, batch_size)
        self.stats = stats
        self.article_patterns = article_patterns or {}  # source name → compiled patterns of its article URLs
        self.engine: Engine | None = None
        self.session: Session | None = None
        self.buffer: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        return cls(
            db_url=resolve_db_url(settings.get("ARCHIVE_DB_URL")),
            batch_size=settings.getint("ARCHIVE_BATCH_SIZE", DEFAULT_BATCH_SIZE),
            stats=crawler.stats,
            article_patterns=_article_patterns(settings.get("SOURCES_FILE")),
        )

    def open_spider(self) -> None:
        self.engine = open_engine(self.db_url, create=True)
        # Write transactions take the lock at BEGIN, so overlapping writers queue, not fail.
        self.session = Session(writer(self.engine))
        try:
            dialect_insert(self.session)  # unsupported databases fail now, not at the first batch
        except BaseException:
            self.close_spider()
            raise
        logger.info("Archiving to %s", self.engine.url.render_as_string(hide_password=True))

    def process_item(self, item: Any) -> Any:
        self.buffer.append(item_to_record(item))
        if len(self.buffer) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self) -> None:
        try:
            if self.session is not None:
                self.flush()
        finally:
            if self.session is not None:
                self.session.close()
                self.session = None
            if self.engine is not None:
                self.engine.dispose()
                self.engine = None

    def flush(self) -> UpsertCounts:
        """Upsert and commit the buffered records as one transaction."""
        records, self.buffer = self.buffer, []
        if not records or self.session is None:
            return UpsertCounts()
        try:
            upsert_sources(self.session, {r["source"] for r in records})
            folded = fold_copies(self.session, records, self.preferred)
            counts = upsert_articles(self.session, folded.records)
            record_aliases(self.session, folded.records)
            mark_articles(self.session, {r["url"] for r in records})
            self.session.commit()
        except SQLAlchemyError as exc:
            self.session.rollback()
            logger.error("Could not store %d articles: %s", len(records), exc)
            self._count("archive/articles_failed", len(records))
            self._record_failures(records, exc)
            return UpsertCounts()
        self._count("archive/articles_inserted", counts.inserted)
        self._count("archive/articles_updated", counts.updated)
        self._count("archive/articles_unchanged", counts.unchanged)
        if folded.folded:
            self._count("archive/articles_folded", folded.folded)
        return counts

    def preferred(self, source: str, url: str) -> bool:
        """Whether ``url`` matches ``source``'s article patterns (the URL to show among copies)."""
        return any(pattern.search(url) for pattern in self.article_patterns.get(source, ()))

    def _record_failures(self, records: list[dict[str, Any]], exc: Exception) -> None:
        """Say which pages were not stored, and why; the raw pages stay in the WARC files."""
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        try:
            record_failures(self.session, [{"url": r["url"], "stage": "store", "reason": reason} for r in records])
            self.session.commit()
        except SQLAlchemyError:
            self.session.rollback()
            logger.error("Could not record the store failure either; see the log for the URLs")

    def _count(self, key: str, value: int) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, value)


def _article_patterns(sources_file: str | None) -> dict[str, tuple]:
    try:
        return {name: source.article_patterns for name, source in load_sources(sources_file).items()}
    except SourceError:
        return {}  # the crawl reports the config's errors
