"""Pages that could not be fetched or processed, with the reason: the ``failures`` table.

One row per (URL, stage); a failure seen again bumps ``occurrences`` and
``last_seen_at`` and keeps the newest reason, so daily re-crawls do not grow
the table.  Stages: ``fetch`` (network, refused address, data loss, limits),
``http`` (a 4xx/5xx status after retries), ``extract`` (an exception escaped
the pipelines; a stage that raises is caught and the page stored with
``articles.extract_error``, see ``pipelines.guard``), ``store`` (the database
refused the batch).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.db import dialect_insert
from archive.models import Failure, utcnow

failures = Failure.__table__

STAGES = ("fetch", "http", "extract", "store")
# Reasons can quote whole exception messages; keep the table readable.
MAX_REASON = 500


def record_failures(session: Session, found: Iterable[Mapping[str, Any]]) -> int:
    """Upsert failures given as ``{"url", "stage", "reason"}``; the caller commits."""
    now = utcnow()
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for failure in found:
        key = (failure["url"], failure["stage"])
        row = rows.setdefault(
            key, {"url": key[0], "stage": key[1], "occurrences": 0, "first_seen_at": now, "last_seen_at": now}
        )
        row["reason"] = str(failure["reason"])[:MAX_REASON]
        row["occurrences"] += 1
    if not rows:
        return 0
    statement = dialect_insert(session)(failures).values(list(rows.values()))
    new = statement.excluded
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[failures.c.url, failures.c.stage],
            set_={
                "reason": new.reason,
                "occurrences": failures.c.occurrences + new.occurrences,
                "last_seen_at": new.last_seen_at,
            },
        )
    )
    return len(rows)


def build_failures_by_stage() -> Any:
    return select(failures.c.stage, func.count(failures.c.id)).group_by(failures.c.stage).order_by(failures.c.stage)


def failures_by_stage(session: Session) -> dict[str, int]:
    return {stage: int(n) for stage, n in session.execute(build_failures_by_stage())}
