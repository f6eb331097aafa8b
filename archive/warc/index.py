"""The ``warc_records`` index: which WARC file and offset holds each capture.

``index_records`` adds rows (idempotent on the WARC-Record-ID);
``build_latest_captures`` selects the newest full capture of each URL, the
input of ``reprocess`` and what a revisit record points to;
``build_captured_urls`` the URLs that have one (the incremental middleware
asks for the rest in full).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.db import dialect_insert
from archive.models import WarcRecord, utcnow

records = WarcRecord.__table__

_COLUMNS = ("record_id", "record_type", "url", "warc_file", "offset", "length", "status", "content_type",
            "payload_digest", "source", "fetched_at")


def index_records(session: Session, rows: Iterable[Mapping[str, Any]]) -> int:
    """Add index rows (from ``WarcFile.write_response``); records already indexed are left alone."""
    values = [{c: row.get(c) for c in _COLUMNS} for row in rows]
    for value in values:
        # Every row has every column (one multi-row INSERT); the model's defaults for the missing ones.
        value["record_type"] = value["record_type"] or "response"
        value["fetched_at"] = value["fetched_at"] or utcnow()
    if not values:
        return 0
    insert = dialect_insert(session)
    for start in range(0, len(values), 200):
        statement = insert(records).values(values[start : start + 200])
        session.execute(statement.on_conflict_do_nothing(index_elements=[records.c.record_id]))
    return len(values)


def build_latest_captures(*, html_only: bool = True, warc_file: str | None = None) -> Any:
    """SELECT the newest 2xx full capture (not a revisit) per URL (by id), ordered by id."""
    newest = select(func.max(records.c.id)).where(
        records.c.status.between(200, 299), records.c.record_type == "response"
    )
    if warc_file is not None:
        newest = newest.where(records.c.warc_file == warc_file)
    newest = newest.group_by(records.c.url)
    query = select(records).where(records.c.id.in_(newest)).order_by(records.c.id)
    if html_only:
        query = query.where(
            func.lower(func.coalesce(records.c.content_type, "text/html")).like("%html%")
        )
    return query


def build_captured_urls() -> Any:
    """SELECT each URL with at least one indexed full 2xx capture (a revisit alone is not one)."""
    return select(records.c.url).where(
        records.c.status.between(200, 299), records.c.record_type == "response"
    ).distinct()


def load_captured_urls(session: Session) -> set[str]:
    """The URLs whose raw page the archive holds (see ``build_captured_urls``)."""
    return set(session.scalars(build_captured_urls()))


def iter_captures(session: Session, **options: Any) -> Iterator[Mapping[str, Any]]:
    """Index rows of the newest capture of each URL, as mappings."""
    yield from session.execute(build_latest_captures(**options)).mappings()


def build_all_records() -> Any:
    return select(records).order_by(records.c.id)

