"""Keep what the text stage learned about each source's recurring blocks (``boilerplate_blocks``).

The text stage (``pipelines.text``) loads the rows at the start of a crawl or
reprocess and saves the sources it saw at the end, so a cron run that
fetches one new article knows the sidebar every earlier article carried.
The rows are plain tuples ``(block, confirmed, pages)``: ``pages`` are the
page keys a block not yet confirmed was seen on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive.models import BoilerplateBlock, utcnow

Row = tuple[int, bool, tuple[int, ...]]
CHUNK = 500


def load_blocks(session: Session) -> dict[str, list[Row]]:
    """The stored rows by source."""
    query = select(BoilerplateBlock.source, BoilerplateBlock.block, BoilerplateBlock.confirmed, BoilerplateBlock.pages)
    found: dict[str, list[Row]] = defaultdict(list)
    for source, block, confirmed, pages in session.execute(query):
        found[source].append((block, bool(confirmed), tuple(int(page) for page in pages.split())))
    return dict(found)


def save_blocks(session: Session, source: str, rows: Iterable[Row]) -> int:
    """Replace ``source``'s rows with ``rows``; returns how many were written."""
    session.execute(delete(BoilerplateBlock).where(BoilerplateBlock.source == source))
    now = utcnow()
    values: list[dict[str, Any]] = [
        {"source": source, "block": block, "confirmed": confirmed,
         "pages": " ".join(str(page) for page in pages), "seen_at": now}
        for block, confirmed, pages in rows
    ]
    for start in range(0, len(values), CHUNK):
        session.execute(BoilerplateBlock.__table__.insert(), values[start : start + CHUNK])
    return len(values)
