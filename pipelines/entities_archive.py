"""Stage 6½: after the store, keep the dates articles name and link entities across the archive.

Sits between dedup and the store (``ITEM_PIPELINES`` 650) so it sees exactly
the items the store receives, and remembers each one's date mentions by
canonical URL until the store has written its article.  Every
``ENTITIES_DATES_FLUSH_ITEMS`` items (default 200) the remembered mentions of
articles already in the archive are written and forgotten, so memory stays
flat over a long crawl and a killed crawl keeps the date mentions of what it
stored (an article being re-read may get its new mentions a batch before its
new text; the next crawl re-reads it anyway, as its new version was not
recorded).  On ``spider_closed``, when the store's last batch is committed,
the rest are written, then ``archive.entities.relink.relink_archive`` merges
entities across articles and languages and rewrites the articles' name lists.
Counted as ``pipelines/entities/date_mentions_stored``,
``pipelines/entities/merged``, ``pipelines/entities/relinked_articles`` and
``pipelines/entities/removed`` (entities no mention names any more).

In a distributed crawl every worker writes its own date mentions, and only
the last worker to leave links (``scraper.distributed.state.worker_left``):
by then every other worker's articles are committed.

Settings: ``ENTITIES_ARCHIVE_ENABLED`` (default on), ``ENTITIES_RELINK``
(default on; off leaves linking to ``ino-archive entities --relink``),
``ENTITIES_DATES_FLUSH_ITEMS`` (200).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured
from sqlalchemy.exc import SQLAlchemyError

from archive.db import open_engine, resolve_db_url, session_for, write_session_for
from archive.entities import relink_archive, replace_date_mentions
from archive.errors import ArchiveError
from pipelines.guard import stage_guard
from scraper.distributed import worker_left

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

DEFAULT_FLUSH_ITEMS = 200


class EntitiesArchivePipeline:
    """Date mentions into the archive and cross-article linking at the end of a crawl."""

    def __init__(
        self,
        db_url: str,
        relink: bool = True,
        stats: StatsCollector | None = None,
        flush_items: int = DEFAULT_FLUSH_ITEMS,
    ) -> None:
        self.db_url = db_url
        self.relink = relink
        self.stats = stats
        self.flush_items = max(1, flush_items)
        self.pending: dict[str, list[Any]] = {}
        # Mentions kept after the last write (articles the store has not written yet).
        self.kept = 0
        # A worker of a distributed crawl relinks only when it is the last to leave.
        self.last_worker = True

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EntitiesArchivePipeline:
        settings = crawler.settings
        if not settings.getbool("ENTITIES_ARCHIVE_ENABLED", True):
            raise NotConfigured("ENTITIES_ARCHIVE_ENABLED is off")
        pipeline = cls(
            resolve_db_url(settings.get("ARCHIVE_DB_URL")),
            relink=settings.getbool("ENTITIES_RELINK", True),
            stats=crawler.stats,
            flush_items=settings.getint("ENTITIES_DATES_FLUSH_ITEMS", DEFAULT_FLUSH_ITEMS),
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.worker_left, signal=worker_left)
        return pipeline

    @stage_guard("entities_archive")
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter.get("canonical_url") or adapter["url"]
        self.pending[url] = list(adapter.get("date_mentions") or [])
        if len(self.pending) >= self.kept + self.flush_items:
            self.write_stored()
        return item

    def write_stored(self) -> None:
        """Write the mentions of the pending articles the store has written; keep the others."""
        try:
            with write_session_for(open_engine(self.db_url, create=True)) as session:
                written = replace_date_mentions(session, self.pending)
        except (ArchiveError, SQLAlchemyError) as exc:
            # Kept for the next try; at worst they are written at the end of the crawl.
            logger.warning("Could not store date mentions yet: %s", exc)
            written = {}
        self._count("pipelines/entities/date_mentions_stored", sum(written.values()))
        for url in written:
            del self.pending[url]
        self.kept = len(self.pending)

    def worker_left(self, last: bool) -> None:
        """A distributed worker leaves: link entities only if every other worker is gone (stored)."""
        self.last_worker = last

    def spider_closed(self) -> None:
        """Runs after every pipeline closed, so the store's last batch is committed."""
        try:
            self.finish()
        except (ArchiveError, SQLAlchemyError) as exc:
            logger.error("Could not store date mentions or link entities: %s", exc)

    def finish(self) -> None:
        """Write the pending date mentions and relink the archive in one transaction."""
        if not self.pending and not self.relink:
            return
        with session_for(open_engine(self.db_url, create=True)) as session:
            written = replace_date_mentions(session, self.pending)
            self._count("pipelines/entities/date_mentions_stored", sum(written.values()))
            self.pending = {}
            if self.relink and not self.last_worker:
                logger.info("Cross-article entity linking left to the last worker of the crawl")
            elif self.relink:
                result = relink_archive(session)
                self._count("pipelines/entities/merged", result.merged)
                self._count("pipelines/entities/relinked_articles", result.articles)
                self._count("pipelines/entities/removed", result.removed)

    def _count(self, key: str, value: int) -> None:
        if self.stats is not None and value:
            self.stats.inc_value(key, value)
