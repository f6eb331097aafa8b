"""Run one crawl in this process and say what happened.

The CLI's ``crawl`` and ``demo`` call :func:`run_crawl`.  Everything that can
be checked before the reactor starts is checked here (source names, URLs, the
database), so bad input fails fast with one line instead of a Scrapy log.
Scrapy exits cleanly even when nothing could be fetched, so the outcome is
read from the crawl stats (:func:`summarize`) and recorded in ``crawl_runs``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive import logs
from archive.db import open_engine, resolve_db_url
from archive.errors import ArchiveError
from scraper.sources import SourceError, adhoc_source, load_sources, select_sources
from scraper.spiders.news import NewsSpider

logger = logging.getLogger(__name__)

# Exit codes of `ino-archive crawl` (documented in the README).
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_NOTHING_FETCHED = 3

_DROP_PREFIX = "item_dropped_reasons_count/"
_ERROR_PREFIXES = ("spider/errors/", "spider/http_status/", "ssrf/")


@dataclass
class CrawlOptions:
    sources: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    db: str | None = None
    allow_private: bool = False
    settings: dict[str, str] = field(default_factory=dict)
    log_file: str | None = None
    log_level: str = "ERROR"  # what reaches stderr; the log file gets INFO
    sources_file: str | None = None
    progress: bool = False  # a live progress line on stderr (terminals only)


@dataclass
class CrawlSummary:
    pages_fetched: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    finish_reason: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.pages_fetched else EXIT_NOTHING_FETCHED

    @property
    def status(self) -> str:
        return "ok" if self.pages_fetched else "nothing fetched"

    def counts(self) -> dict:
        return {
            "pages_fetched": self.pages_fetched,
            "articles_inserted": self.inserted,
            "articles_updated": self.updated,
            "articles_unchanged": self.unchanged,
            "dropped": self.dropped,
            "errors": self.errors,
        }


def build_settings(options: CrawlOptions, db_url: str) -> Settings:
    """Project settings, then the command's own, then ``-s NAME=VALUE`` overrides."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("ARCHIVE_DB_URL", db_url, priority="cmdline")
    settings.set("ARCHIVE_ALLOW_PRIVATE", options.allow_private, priority="cmdline")
    # Handlers are ours (archive.logs): terse stderr, full log file.
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    settings.set("PROGRESS_ENABLED", options.progress, priority="cmdline")
    if options.sources_file:
        settings.set("SOURCES_FILE", options.sources_file, priority="cmdline")
    for name, value in options.settings.items():
        settings.set(name, value, priority="cmdline")
    return settings


def check_options(options: CrawlOptions) -> str:
    """Validate sources, URLs and the database before any network work; return the DB URL."""
    try:
        if options.sources:
            select_sources(load_sources(options.sources_file), options.sources)
        for url in options.urls:
            adhoc_source(url)
    except SourceError as exc:
        raise ArchiveError(str(exc)) from exc
    db_url = resolve_db_url(options.db)
    open_engine(db_url, create=True).dispose()
    return db_url


def run_crawl(options: CrawlOptions) -> CrawlSummary:
    """Crawl as the options say, record the run, return its summary.

    The Twisted reactor runs once per process, so call this once per process.
    """
    db_url = check_options(options)
    started = datetime.now(UTC)
    process = CrawlerProcess(build_settings(options, db_url))
    logs.configure(options.log_level, options.log_file)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, source=options.sources or None, url=options.urls or None)
    process.start()
    summary = summarize(crawler.stats.get_stats() if crawler.stats else {})
    summary.started_at, summary.finished_at = started, datetime.now(UTC)
    _record(db_url, summary, options)
    return summary


def summarize(stats: dict) -> CrawlSummary:
    """Read a crawl's outcome from Scrapy's stats."""
    return CrawlSummary(
        pages_fetched=int(stats.get("spider/pages_fetched", 0)),
        inserted=int(stats.get("archive/articles_inserted", 0)),
        updated=int(stats.get("archive/articles_updated", 0)),
        unchanged=int(stats.get("archive/articles_unchanged", 0)),
        dropped=_with_prefix(stats, (_DROP_PREFIX,), strip=True),
        errors=_with_prefix(stats, _ERROR_PREFIXES, strip=False),
        finish_reason=stats.get("finish_reason"),
    )


def _with_prefix(stats: dict, prefixes: tuple[str, ...], *, strip: bool) -> dict[str, int]:
    found = {}
    for key, value in sorted(stats.items()):
        prefix = next((p for p in prefixes if key.startswith(p)), None)
        if prefix:
            found[key[len(prefix) :] if strip else key] = int(value)
    return found


def _record(db_url: str, summary: CrawlSummary, options: CrawlOptions) -> None:
    from sqlalchemy.orm import Session

    from archive.runs import record_run

    engine = open_engine(db_url, create=True)
    try:
        with Session(engine) as session:
            record_run(
                session,
                started_at=summary.started_at,
                finished_at=summary.finished_at,
                status=summary.status,
                finish_reason=summary.finish_reason,
                counts=summary.counts(),
                sources=options.sources + options.urls,
            )
            session.commit()
    finally:
        engine.dispose()
