"""Re-run every pipeline on raw pages, without network: ``reprocess`` and ``import``.

:func:`reprocess` reads the newest HTML capture of every URL from the WARC
files (``archive.warc.index``) and passes each through the crawl's own
``ITEM_PIPELINES`` — text, language, dates, entities, relevance, dedup,
store — built from the project settings as Scrapy builds them.  Improved
extraction so reaches the whole archive; a changed article keeps its earlier
version (``archive.store.article_versions``).  :func:`import_warc` first copies the
responses of a WARC file made by another crawler into the archive's WARC
folder, then reprocesses just those.

A page that breaks an extraction stage is stored anyway, with the stage and
error in ``articles.extract_error`` (``pipelines.guard``); a reprocess that
goes through clears it.  An exception that still escapes (the store) is
recorded in the ``failures`` table (stage ``extract``) and the run goes on;
the raw page stays in the WARC files.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import build_from_crawler, load_object
from sqlalchemy.orm import Session

from archive.db import open_engine, write_session_for
from archive.errors import ArchiveError
from archive.store import record_failures
from archive.warc import Capture, iter_captures, read_capture, warc_dir
from scraper.run.captures import capture_to_item

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass
class ReprocessSummary:
    pages: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)

    def count(self, key: str) -> int:
        return int(self.stats.get(key, 0) or 0)

    @property
    def stage_errors(self) -> int:
        """Pages a stage raised on (stored with ``extract_error``), counted once per stage."""
        return sum(int(v) for k, v in self.stats.items() if k.startswith("pipelines/") and k.endswith("/error"))

    @property
    def dropped(self) -> dict[str, int]:
        prefix = "item_dropped_reasons_count/"
        return {k[len(prefix) :]: int(v) for k, v in sorted(self.stats.items()) if k.startswith(prefix)}


def project_settings(db_url: str, overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("ARCHIVE_DB_URL", db_url, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def reprocess(db_url: str, settings: Settings | None = None, *, warc_file: str | None = None,
              progress: Progress | None = None) -> ReprocessSummary:
    """Re-run the pipelines on the newest capture of every URL (or of one WARC file's URLs)."""
    settings = settings or project_settings(db_url)
    folder = warc_dir(db_url, settings.get("ARCHIVE_WARC_DIR"))
    engine = open_engine(db_url, create=False)
    try:
        with Session(engine) as session:
            rows = [dict(row) for row in iter_captures(session, warc_file=warc_file)]
    finally:
        engine.dispose()
    run = PipelineRun(settings)
    summary = ReprocessSummary(pages=len(rows))
    run.open()
    try:
        for done, row in enumerate(rows, 1):
            _process_row(run, folder, row, summary)
            if progress:
                progress(done, len(rows))
    finally:
        run.close()
    summary.stats = run.stats.get_stats()
    _record_failures(db_url, summary.failed)
    return summary


def _process_row(run: PipelineRun, folder: Path, row: dict[str, Any], summary: ReprocessSummary) -> None:
    try:
        capture: Capture = read_capture(folder, row["warc_file"], row["offset"])
    except ArchiveError as exc:
        summary.failed.append((row["url"], f"raw page unreadable: {exc}"))
        return
    item = capture_to_item(capture, source=row.get("source"), fetched_at=row.get("fetched_at"))
    reason = run.process(item)
    if reason:
        summary.failed.append((row["url"], reason))


class PipelineRun:
    """The crawl's ITEM_PIPELINES, built and driven without a reactor or a spider."""

    def __init__(self, settings: Settings) -> None:
        self.crawler = SimpleNamespace(settings=settings, spider=None, stats=None)
        self.crawler.signals = SignalManager(self.crawler)
        self.stats = self.crawler.stats = MemoryStatsCollector(self.crawler)
        self.pipelines: list[Any] = []
        for path, order in sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1]):
            if order is None:
                continue
            try:
                self.pipelines.append(build_from_crawler(load_object(path), self.crawler))
            except NotConfigured as exc:
                logger.info("Pipeline %s is switched off: %s", path, exc)

    def open(self) -> None:
        for pipeline in self.pipelines:
            if hasattr(pipeline, "open_spider"):
                pipeline.open_spider()
        self.crawler.signals.send_catch_log(signals.spider_opened, spider=None)

    def process(self, item: Any) -> str | None:
        """Run every stage on ``item``; the failure's reason, or None."""
        for pipeline in self.pipelines:
            try:
                item = pipeline.process_item(item)
            except DropItem as exc:
                self.stats.inc_value(f"item_dropped_reasons_count/{type(exc).__name__}")
                return None
            except Exception as exc:  # noqa: BLE001 (any stage bug must not stop the run; it is recorded)
                self.stats.inc_value("reprocess/stage_errors")
                return f"{type(pipeline).__name__}: {type(exc).__name__}: {exc}"
        return None

    def close(self) -> None:
        for pipeline in reversed(self.pipelines):
            if hasattr(pipeline, "close_spider"):
                pipeline.close_spider()
        self.crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")


def _record_failures(db_url: str, failed: list[tuple[str, str]]) -> None:
    if not failed:
        return
    with write_session_for(open_engine(db_url, create=False)) as session:
        record_failures(session, [{"url": url, "stage": "extract", "reason": why} for url, why in failed])
