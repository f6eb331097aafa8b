"""What is in the archive: totals, breakdowns, and the last crawls.

Each breakdown counts all articles and the relevant ones side by side, so a
researcher sees both how much was fetched and how much is usable.
Results are plain dataclasses: they outlive the session that read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, extract, func, select
from sqlalchemy.orm import Session

from archive.models import (
    Article,
    ArticleVersion,
    CrawlRun,
    Entity,
    Mention,
    Page,
    WarcRecord,
)
from archive.store import failures_by_stage, last_runs

_relevant_count = func.count(Article.id).filter(Article.is_relevant.is_(True))


@dataclass(frozen=True)
class Breakdown:
    """Articles in one group: all of them, and the relevant ones."""

    total: int
    relevant: int


@dataclass(frozen=True)
class RunSummary:
    """A crawl run, detached from the session."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    finish_reason: str | None
    counts: dict[str, Any]
    sources: list[str]
    host: str | None = None
    pid: int | None = None

    @classmethod
    def from_run(cls, run: CrawlRun) -> RunSummary:
        return cls(
            run.id,
            run.started_at,
            run.finished_at,
            run.status,
            run.finish_reason,
            dict(run.counts or {}),
            list(run.sources or []),
            run.host,
            run.pid,
        )


@dataclass(frozen=True)
class ArchiveStats:
    """Counts for ``ino-archive stats``; ``by_year`` uses None for undated articles."""

    total_articles: int
    relevant_articles: int
    entities: int
    mentions: int
    by_source: dict[str, Breakdown] = field(default_factory=dict)
    by_language: dict[str | None, Breakdown] = field(default_factory=dict)
    by_year: dict[int | None, Breakdown] = field(default_factory=dict)
    last_runs: list[RunSummary] = field(default_factory=list)
    # Earlier versions kept, gone pages, failures by stage, raw captures (operation_counts below).
    operations: dict[str, int] = field(default_factory=dict)


def build_breakdown(key: ColumnElement[Any]) -> Select[Any]:
    """SELECT key, all articles, relevant articles GROUP BY key."""
    labelled = key.label("key")
    return (
        select(labelled, func.count(Article.id), _relevant_count)
        .group_by(labelled)
        .order_by(labelled)
    )


def _breakdown(session: Session, key: ColumnElement[Any]) -> dict[Any, Breakdown]:
    rows = session.execute(build_breakdown(key))
    return {k: Breakdown(int(total), int(relevant)) for k, total, relevant in rows}


def archive_stats(session: Session, *, runs: int = 5) -> ArchiveStats:
    """Totals and breakdowns by source, language and publication year."""
    total, relevant = session.execute(select(func.count(Article.id), _relevant_count)).one()
    return ArchiveStats(
        total_articles=int(total),
        relevant_articles=int(relevant or 0),
        entities=int(session.scalar(select(func.count(Entity.id))) or 0),
        mentions=int(session.scalar(select(func.count(Mention.id))) or 0),
        by_source=_breakdown(session, Article.source),
        by_language=_breakdown(session, Article.language),
        by_year={
            (int(year) if year is not None else None): counts
            for year, counts in _breakdown(session, extract("year", Article.published)).items()
        },
        last_runs=[RunSummary.from_run(run) for run in last_runs(session, runs)],
        operations=operation_counts(session),
    )


# --- text report ---------------------------------------------------------------------


def format_stats(stats: ArchiveStats) -> str:
    """A plain-text report of ``stats`` for the terminal."""
    lines = [
        f"Articles: {stats.total_articles} ({stats.relevant_articles} relevant)",
        f"Entities: {stats.entities}, mentions: {stats.mentions}",
    ]
    for title, breakdown in (
        ("By source", stats.by_source),
        ("By language", stats.by_language),
        ("By year", stats.by_year),
    ):
        lines += ["", f"{title:24}{'all':>8}{'relevant':>10}"]
        lines += [_breakdown_line(key, counts) for key, counts in breakdown.items()]
    if stats.operations:
        lines += ["", "Operations: " + ", ".join(f"{k} {v}" for k, v in stats.operations.items())]
    lines += ["", "Last crawls:" if stats.last_runs else "Last crawls: none yet"]
    lines += [_run_line(run) for run in stats.last_runs]
    return "\n".join(lines)


def _breakdown_line(key: Any, counts: Breakdown) -> str:
    label = "(unknown)" if key in (None, "") else str(key)
    return f"  {label:22}{counts.total:>8}{counts.relevant:>10}"


def _run_line(run: RunSummary) -> str:
    started = run.started_at.strftime("%Y-%m-%d %H:%M UTC")
    reason = f" ({run.finish_reason})" if run.finish_reason else ""
    counts = run.counts
    written = ", ".join(
        f"{name} {counts.get(f'articles_{name}', 0)}" for name in ("inserted", "updated", "unchanged")
    )
    dropped = sum((counts.get("dropped") or {}).values())
    if run.status == "running":
        return f"  #{run.id} {started}  running (pid {run.pid} on {run.host}), or killed: the next crawl here will tell"
    line = f"  #{run.id} {started}  {run.status}{reason}: {written}, dropped {dropped}"
    # Outcomes recorded since the incremental crawl (older runs lack them).
    extra = [f"{label} {counts[key]}" for key, label in _RUN_OUTCOMES if counts.get(key)]
    if counts.get("error_rate"):
        extra.append(f"error rate {counts['error_rate']:.0%}")
    return line + (", " + ", ".join(extra) if extra else "")


_RUN_OUTCOMES = (("not_modified", "not modified"), ("same_body", "same body"), ("gone", "gone"),
                 ("failed_requests", "failed"))

def operation_counts(session: Session) -> dict[str, int]:
    """Non-zero counts only, so an archive without them shows nothing extra."""
    counts = {
        "earlier versions": session.scalar(select(func.count(ArticleVersion.id))),
        "pages gone": session.scalar(select(func.count(Page.id)).where(Page.gone_at.is_not(None))),
        "raw captures": session.scalar(select(func.count(WarcRecord.id))),
        **{f"failures ({stage})": n for stage, n in failures_by_stage(session).items()},
    }
    return {name: int(n) for name, n in counts.items() if n}
