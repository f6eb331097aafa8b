"""Run one crawl in this process and say what happened.

The CLI's ``crawl`` and ``demo`` call :func:`run_crawl`.  Everything that can
be checked before the reactor starts is checked here (source names, URLs, the
database), so bad input fails fast with one line instead of a Scrapy log.
Scrapy exits cleanly even when nothing could be fetched, so the outcome is
read from the crawl stats (:mod:`scraper.run.summary`) and recorded in
``crawl_runs``.  The crawl holds the archive's lock (:mod:`archive.db.lock`), so
a second crawl on the same archive stops at once.
"""

from __future__ import annotations

import logging
import os
import socket
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy.orm import Session

from archive.db import ArchiveLocked, crawl_lock, open_engine, resolve_db_url, writer
from archive.errors import ArchiveError
from archive.store import finish_run, mark_interrupted, record_run, start_run
from scraper.distributed import DistributedSetupError, check_redis, distributed_settings
from scraper.run import logs
from scraper.run.summary import DEFAULT_MAX_ERROR_RATE, CrawlSummary, summarize
from scraper.sources import SourceError, adhoc_source, load_sources, select_sources
from scraper.spiders.news import NewsSpider

logger = logging.getLogger(__name__)

__all__ = ["CrawlOptions", "CrawlSummary", "run_crawl", "summarize"]


@dataclass
class CrawlOptions:
    sources: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    db: str | None = None
    allow_private: bool = False
    allow_hosts: list[str] = field(default_factory=list)  # exact host:port pairs let through, metadata ones too
    settings: dict[str, str] = field(default_factory=dict)
    log_file: str | None = None
    log_level: str = "ERROR"  # what reaches stderr; the log file gets INFO
    sources_file: str | None = None
    progress: bool = False  # a live progress line on stderr (terminals only)
    max_error_rate: float = DEFAULT_MAX_ERROR_RATE
    lock: bool = True  # one crawl per archive (archive.db.lock); off only for tests of overlapping writers
    redis: str | None = None  # a distributed crawl: the frontier in this Redis (scraper.distributed)


def build_settings(options: CrawlOptions, db_url: str) -> Settings:
    """Project settings, then the command's own, then ``-s NAME=VALUE`` overrides."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("ARCHIVE_DB_URL", db_url, priority="cmdline")
    settings.set("ARCHIVE_ALLOW_PRIVATE", options.allow_private, priority="cmdline")
    if options.allow_hosts:
        settings.set("ARCHIVE_ALLOW_HOSTS", list(options.allow_hosts), priority="cmdline")
    # Handlers are ours (scraper.run.logs): terse stderr, full log file.
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    settings.set("PROGRESS_ENABLED", options.progress, priority="cmdline")
    if options.sources_file:
        settings.set("SOURCES_FILE", options.sources_file, priority="cmdline")
    for name, value in options.settings.items():
        settings.set(name, value, priority="cmdline")
    if options.redis:
        for name, value in distributed_settings(options.redis, settings.get("DISTRIBUTED_KEY_PREFIX")).items():
            settings.set(name, value, priority="cmdline")
    return settings


def check_url(url: str) -> None:
    """``ArchiveError`` for a ``--url`` that cannot be fetched: unparsable, a bad port, not text.

    >>> check_url("http://127.0.0.1:99999/")
    Traceback (most recent call last):
    archive.errors.ArchiveError: not a valid URL: 'http://127.0.0.1:99999/' (Port out of range 0-65535)
    """
    try:
        url.encode("utf-8")
        parts = urlsplit(url)
        parts.port  # noqa: B018 (parsing the port is the check: out of range or not a number)
    except (UnicodeEncodeError, ValueError) as exc:
        reason = "not UTF-8 text" if isinstance(exc, UnicodeEncodeError) else str(exc)
        raise ArchiveError(f"not a valid URL: {url!r} ({reason})") from None


def check_options(options: CrawlOptions) -> str:
    """Validate sources, URLs and the database before any network work; return the DB URL."""
    for url in options.urls:
        check_url(url)
    try:
        if options.sources:
            select_sources(load_sources(options.sources_file), options.sources)
        for url in options.urls:
            adhoc_source(url)
        if options.redis:
            check_redis(options.redis)
            distributed_settings(options.redis, options.settings.get("DISTRIBUTED_KEY_PREFIX", "ino-archive"))
    except (SourceError, DistributedSetupError) as exc:
        raise ArchiveError(str(exc)) from exc
    db_url = resolve_db_url(options.db)
    open_engine(db_url, create=True).dispose()
    return db_url


def run_crawl(options: CrawlOptions) -> CrawlSummary:
    """Crawl as the options say, record the run, return its summary.

    The Twisted reactor runs once per process, so call this once per process.
    A distributed crawl (``options.redis``) takes no archive lock: its workers
    write to one archive on purpose, coordinated by the shared frontier.
    """
    db_url = check_options(options)
    started = datetime.now(UTC)
    try:
        with crawl_lock(db_url) if options.lock and not options.redis else nullcontext():
            # Recorded before anything is fetched: a crawl killed from here on still shows in `stats`.
            run_id = _start(db_url, options, started)
            summary = _run_process(options, db_url)
    except ArchiveLocked:
        _record(db_url, CrawlSummary(started_at=started, finished_at=datetime.now(UTC)), options, status="locked")
        raise
    summary.started_at, summary.finished_at = started, datetime.now(UTC)
    _finish(db_url, run_id, summary)
    return summary


def _run_process(options: CrawlOptions, db_url: str) -> CrawlSummary:
    process = CrawlerProcess(build_settings(options, db_url))
    logs.configure(options.log_level, options.log_file)
    crawler = process.create_crawler(NewsSpider)
    startup_errors: list[str] = []
    done = process.crawl(crawler, source=options.sources or None, url=options.urls or None)
    # A component that cannot open (the store's database, say) fails the crawl's
    # Deferred while Scrapy itself exits cleanly: keep the reason for the exit code.
    done.addErrback(lambda failure: startup_errors.append(f"{failure.type.__name__}: {failure.getErrorMessage()}"))
    process.start()
    summary = summarize(crawler.stats.get_stats() if crawler.stats else {}, max_error_rate=options.max_error_rate)
    summary.distributed = bool(options.redis)
    if startup_errors:
        summary.startup_error = startup_errors[0]
        logger.error("The crawl could not start: %s", summary.startup_error)
    return summary


def _start(db_url: str, options: CrawlOptions, started: datetime) -> int:
    """Mark this host's dead runs interrupted, and record this one as running; its id."""
    engine = open_engine(db_url, create=True)
    try:
        with Session(writer(engine)) as session:
            host = socket.gethostname()
            for run_id in mark_interrupted(session, host, _process_alive):
                logger.warning("Crawl run #%d on %s ended without finishing: marked interrupted", run_id, host)
            run = start_run(session, started_at=started, sources=options.sources + options.urls, host=host,
                            pid=os.getpid())
            session.commit()
            return run.id
    finally:
        engine.dispose()


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True


def _finish(db_url: str, run_id: int, summary: CrawlSummary) -> None:
    engine = open_engine(db_url, create=True)
    try:
        with Session(writer(engine)) as session:
            finish_run(
                session,
                run_id,
                finished_at=summary.finished_at,
                status=summary.status,
                finish_reason=summary.finish_reason or ("startup failed" if summary.startup_error else None),
                counts=summary.counts(),
            )
            session.commit()
    finally:
        engine.dispose()


def _record(db_url: str, summary: CrawlSummary, options: CrawlOptions, status: str | None = None) -> None:
    engine = open_engine(db_url, create=True)
    try:
        with Session(writer(engine)) as session:
            record_run(
                session,
                started_at=summary.started_at,
                finished_at=summary.finished_at,
                status=status or summary.status,
                finish_reason=summary.finish_reason or ("startup failed" if summary.startup_error else None),
                counts=summary.counts(),
                sources=options.sources + options.urls,
            )
            session.commit()
    finally:
        engine.dispose()
