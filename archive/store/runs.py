"""The crawl log: one ``CrawlRun`` row per crawl, written by whoever ran it.

``counts_from_stats`` distils Scrapy's stats dict into the counts worth
keeping, so the CLI can do::

    record_run(session, started_at=..., finished_at=..., status="finished",
               finish_reason=stats.get("finish_reason"),
               counts=counts_from_stats(stats), sources=names)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def build_last_runs(n: int = 5) -> Any:
    """SELECT of the ``n`` most recent runs, newest first."""
    return select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(n)


def last_runs(session: Session, n: int = 5) -> list[CrawlRun]:
    """The ``n`` most recent crawl runs, newest first."""
    return list(session.scalars(build_last_runs(n)))
