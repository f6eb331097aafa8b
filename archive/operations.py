"""Counts of the operational tables for ``ino-archive stats``: versions, gone pages, failures, captures."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.failures import failures_by_stage
from archive.models import ArticleVersion, Page, WarcRecord


def operation_counts(session: Session) -> dict[str, int]:
    """Non-zero counts only, so an archive without them shows nothing extra."""
    counts = {
        "earlier versions": session.scalar(select(func.count(ArticleVersion.id))),
        "pages gone": session.scalar(select(func.count(Page.id)).where(Page.gone_at.is_not(None))),
        "raw captures": session.scalar(select(func.count(WarcRecord.id))),
        **{f"failures ({stage})": n for stage, n in failures_by_stage(session).items()},
    }
    return {name: int(n) for name, n in counts.items() if n}
