"""The crawl log: one ``CrawlRun`` row per crawl, written by whoever ran it.

A crawl is recorded when it starts (``start_run``: status "running", its
host and process id) and completed when it ends (``finish_run``), so a crawl
killed with ``kill -9`` still shows in ``stats``; the next crawl on the same
host marks every run whose process is gone "interrupted"
(``mark_interrupted``).  Runs on other hosts are left as they are: only
their own host can tell whether their process lives.

``counts_from_stats`` distils Scrapy's stats dict into the counts worth
keeping, so the CLI can do::

    record_run(session, started_at=..., finished_at=..., status="finished",
               finish_reason=stats.get("finish_reason"),
               counts=counts_from_stats(stats), sources=names)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import CrawlRun

DROPPED_PREFIX = "item_dropped_reasons_count/"

# Scrapy stats key → name in CrawlRun.counts.
STAT_COUNTS = {
    "response_received_count": "pages_fetched",
    "item_scraped_count": "items_stored",
    "archive/articles_inserted": "articles_inserted",
    "archive/articles_updated": "articles_updated",
    "archive/articles_unchanged": "articles_unchanged",
    "archive/articles_failed": "articles_failed",
    "pipelines/dedup/duplicates": "duplicates",
    "log_count/ERROR": "errors",
    "spider_exceptions/count": "spider_exceptions",
    "downloader/exception_count": "download_errors",
}


def counts_from_stats(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The run's counts from Scrapy stats; missing keys count as 0.

    >>> counts_from_stats({"item_dropped_reasons_count/ListingPage": 3})["dropped"]
    {'ListingPage': 3}
    """
    counts: dict[str, Any] = {name: int(stats.get(key, 0) or 0) for key, name in STAT_COUNTS.items()}
    counts["dropped"] = {
        key[len(DROPPED_PREFIX) :]: int(value)
        for key, value in sorted(stats.items())
        if key.startswith(DROPPED_PREFIX)
    }
    return counts


def record_run(
    session: Session,
    *,
    started_at: datetime,
    finished_at: datetime | None,
    status: str,
    finish_reason: str | None,
    counts: Mapping[str, Any],
    sources: Iterable[str],
) -> CrawlRun:
    """Add a crawl run to the session (flushed, so it has an id); the caller commits."""
    run = CrawlRun(
        started_at=started_at,
        finished_at=finished_at,
        status=status,
        finish_reason=finish_reason,
        counts=dict(counts),
        sources=sorted(set(sources)),
    )
    session.add(run)
    session.flush()
    return run


RUNNING = "running"
INTERRUPTED = "interrupted"


def start_run(session: Session, *, started_at: datetime, sources: Iterable[str], host: str, pid: int) -> CrawlRun:
    """Record a crawl that starts now, as running (flushed, so it has an id); the caller commits."""
    run = CrawlRun(started_at=started_at, finished_at=None, status=RUNNING, finish_reason=None, counts={},
                   sources=sorted(set(sources)), host=host, pid=pid)
    session.add(run)
    session.flush()
    return run


def finish_run(
    session: Session,
    run_id: int,
    *,
    finished_at: datetime,
    status: str,
    finish_reason: str | None,
    counts: Mapping[str, Any],
) -> None:
    """Complete the run ``start_run`` recorded; the caller commits."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        return
    run.finished_at, run.status, run.finish_reason, run.counts = finished_at, status, finish_reason, dict(counts)


def mark_interrupted(session: Session, host: str, alive: Callable[[int], bool]) -> list[int]:
    """Mark this host's "running" runs whose process is gone as interrupted; their ids.  The caller commits."""
    found = session.scalars(select(CrawlRun).where(CrawlRun.status == RUNNING, CrawlRun.host == host))
    marked = []
    for run in found:
        if run.pid is None or not alive(run.pid):
            run.status, run.finish_reason = INTERRUPTED, "the process ended without finishing the run"
            marked.append(run.id)
    return marked


def build_last_runs(n: int = 5) -> Any:
    """SELECT of the ``n`` most recent runs, newest first."""
    return select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(n)


def last_runs(session: Session, n: int = 5) -> list[CrawlRun]:
    """The ``n`` most recent crawl runs, newest first."""
    return list(session.scalars(build_last_runs(n)))
