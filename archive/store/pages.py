"""The record of every fetched URL: validators, body hash, kind, and gone pages.

The incremental middleware (``scraper.downloadermiddlewares.incremental``)
reads it at the start of a crawl to send conditional requests, and writes one
row per fetched URL; the store marks the pages that became articles, so only
articles are fetched conditionally (listings, sitemaps and feeds are always
re-read).  Library functions take the caller's session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from archive.db import dialect_insert
from archive.models import Page, utcnow

pages = Page.__table__

ARTICLE = "article"
# Per-row columns a fetch reports; a missing key keeps the stored value.
_FETCH_COLUMNS = ("status", "etag", "last_modified", "body_hash")


@dataclass(frozen=True)
class Seen:
    """What the archive remembers about a URL."""

    kind: str | None
    status: int | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    gone: bool


def build_seen_query() -> Any:
    return select(
        pages.c.url, pages.c.kind, pages.c.status, pages.c.etag,
        pages.c.last_modified, pages.c.body_hash, pages.c.gone_at,
    )


def load_seen(session: Session) -> dict[str, Seen]:
    """Every known URL → what was seen last time."""
    return {
        url: Seen(kind, status, etag, modified, body_hash, gone_at is not None)
        for url, kind, status, etag, modified, body_hash, gone_at in session.execute(build_seen_query())
    }


def record_fetches(session: Session, fetches: Iterable[Mapping[str, Any]]) -> int:
    """Upsert one row per fetch: ``url`` plus any of status, etag, last_modified, body_hash, kind, changed, gone.

    ``changed=True`` stamps ``changed_at``; ``gone=True`` stamps ``gone_at``
    (kept until the page answers 200 again, which clears it).
    """
    now = utcnow()
    rows: dict[str, dict[str, Any]] = {}
    for fetch in fetches:
        rows[fetch["url"]] = {
            "url": fetch["url"],
            "kind": fetch.get("kind"),
            **{c: fetch.get(c) for c in _FETCH_COLUMNS},
            "first_seen_at": now,
            "last_seen_at": now,
            "changed_at": now if fetch.get("changed") else None,
            "gone_at": now if fetch.get("gone") else None,
        }
    if not rows:
        return 0
    # Sorted by URL: one lock order for concurrent writers (see archive.store).
    statement = dialect_insert(session)(pages).values([rows[url] for url in sorted(rows)])
    new = statement.excluded
    ok = new.status < 400
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[pages.c.url],
            set_={
                # A page that became an article stays one when re-read as a plain fetch.
                "kind": case((pages.c.kind == ARTICLE, pages.c.kind), else_=func.coalesce(new.kind, pages.c.kind)),
                "status": new.status,
                "last_seen_at": new.last_seen_at,
                **{c: case((ok, func.coalesce(new[c], pages.c[c])), else_=pages.c[c]) for c in _FETCH_COLUMNS[1:]},
                "changed_at": func.coalesce(new.changed_at, pages.c.changed_at),
                "gone_at": case((ok, None), else_=func.coalesce(pages.c.gone_at, new.gone_at)),
            },
        )
    )
    return len(rows)


def mark_articles(session: Session, urls: Iterable[str]) -> int:
    """Mark the pages at ``urls`` as articles (fetched conditionally from now on)."""
    return record_fetches(session, [{"url": url, "kind": ARTICLE, "status": 200} for url in urls])
