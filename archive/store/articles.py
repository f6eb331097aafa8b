"""Idempotent writes: articles upserted on canonical_url, entities on (kind, name).

Each batch (deduplicated by canonical_url, sorted so every writer locks rows
in one order) is written with ``INSERT … ON CONFLICT`` (SQLite and PostgreSQL
share the syntax through their dialect ``insert``): first ``DO NOTHING``,
whose returned rows are exactly the articles this writer inserted; then the
rest are locked (``FOR UPDATE``), their changed ones copied to
``article_versions`` and overwritten with ``DO UPDATE … WHERE`` the
``extract_hash`` differs.  So a re-crawl never adds a second row for a page,
and several crawler processes writing the same articles at once (PostgreSQL)
neither duplicate nor lose rows or versions, and count each insert once.
Unchanged articles keep ``updated_at`` (and the full-text index) untouched.

The caller owns the session and commits; these functions only execute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session

from archive.db import dialect_insert
from archive.models import Article, Entity, Mention, Source, utcnow
from archive.store.article_versions import keep_versions

articles = Article.__table__
entities = Entity.__table__
mentions = Mention.__table__
sources_table = Source.__table__

# Rows per statement: ~25 columns × 200 rows stays far below SQLite's
# 32766 bound parameters and PostgreSQL's 65535.
CHUNK_ROWS = 200

# Columns a re-crawl may change; id, canonical_url and created_at never do.
_UPDATABLE = tuple(
    c.name for c in articles.columns if c.name not in {"id", "canonical_url", "created_at"}
)


@dataclass(frozen=True)
class UpsertCounts:
    """What one upsert did, article by article."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged


def upsert_articles(session: Session, records: Iterable[Mapping[str, Any]]) -> UpsertCounts:
    """Insert or update ``records`` (from ``item_to_record``) keyed by canonical_url.

    Records repeating a canonical_url within the batch collapse to the last
    one (one statement cannot touch a row twice).  Inserted and updated
    articles get their mentions replaced.
    """
    batch = {record["canonical_url"]: record for record in records}
    insert = dialect_insert(session)
    counts = UpsertCounts()
    # Every writer locks rows in canonical_url order, so concurrent writers
    # (several crawler processes on one PostgreSQL) queue instead of deadlocking.
    for chunk in _chunks([batch[url] for url in sorted(batch)], CHUNK_ROWS):
        counts += _upsert_chunk(session, insert, chunk)
    return counts


def _upsert_chunk(
    session: Session, insert: Callable[..., Any], chunk: Sequence[Mapping[str, Any]]
) -> UpsertCounts:
    now = utcnow()
    # 1. New articles: the rows this statement inserted, and no other writer did.
    inserted = dict(session.execute(build_article_insert(insert, [article_row(r, now) for r in chunk])).all())
    known = [r for r in chunk if r["canonical_url"] not in inserted]
    updated: dict[str, int] = {}
    if known:
        # 2. Known articles, locked until commit: no writer changes them between
        #    our read, the copy of the earlier version and our update.
        existing = _locked_hashes(session, [r["canonical_url"] for r in known])
        changed = [r for r in known if existing.get(r["canonical_url"]) != r["extract_hash"]]
        keep_versions(session, {r["canonical_url"]: r["extract_hash"] for r in changed if r["canonical_url"] in existing})
        if changed:
            updated = dict(session.execute(build_article_upsert(insert, [article_row(r, now) for r in changed])).all())
    written = {**inserted, **updated}
    by_url = {r["canonical_url"]: r["mentions"] for r in chunk}
    replace_mentions(session, {id_: by_url[url] for url, id_ in written.items()})
    return UpsertCounts(len(inserted), len(updated), len(chunk) - len(written))


def _locked_hashes(session: Session, urls: Sequence[str]) -> dict[str, str]:
    # FOR UPDATE in URL order (nothing on SQLite, whose writers hold the file lock).
    query = (
        select(articles.c.canonical_url, articles.c.extract_hash)
        .where(articles.c.canonical_url.in_(urls))
        .order_by(articles.c.canonical_url)
        .with_for_update()
    )
    return {url: hash_ for url, hash_ in session.execute(query)}


def article_row(record: Mapping[str, Any], now: Any) -> dict[str, Any]:
    """The full ``articles`` row for a record; every row has every column."""
    row = {name: record.get(name) for name in _UPDATABLE if name != "updated_at"}
    row.update(canonical_url=record["canonical_url"], created_at=now, updated_at=now)
    return row


def build_article_insert(insert: Callable[..., Any], rows: list[dict[str, Any]]) -> Any:
    """INSERT … ON CONFLICT (canonical_url) DO NOTHING, returning the rows it inserted."""
    statement = insert(articles).values(rows).on_conflict_do_nothing(index_elements=[articles.c.canonical_url])
    return statement.returning(articles.c.canonical_url, articles.c.id)


def build_article_upsert(insert: Callable[..., Any], rows: list[dict[str, Any]]) -> Any:
    """INSERT … ON CONFLICT (canonical_url) DO UPDATE … WHERE the extraction changed."""
    statement = insert(articles).values(rows)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[articles.c.canonical_url],
        set_={name: excluded[name] for name in _UPDATABLE},
        where=articles.c.extract_hash != excluded.extract_hash,
    ).returning(articles.c.canonical_url, articles.c.id)


def replace_mentions(session: Session, by_article: Mapping[int, list[Mapping[str, Any]]]) -> int:
    """Delete the articles' mentions and write ``by_article`` instead."""
    if not by_article:
        return 0
    for ids in _chunks(list(by_article), CHUNK_ROWS):
        session.execute(delete(mentions).where(mentions.c.article_id.in_(ids)))
    pairs = {(m["kind"], m["name"]) for found in by_article.values() for m in found}
    if not pairs:
        return 0
    entity_ids = upsert_entities(session, pairs)
    rows = [
        {
            "article_id": article_id,
            "entity_id": entity_ids[(m["kind"], m["name"])],
            "surface": m["surface"],
            "start": m.get("start"),
            "end": m.get("end"),
            "role": m.get("role"),
        }
        for article_id, found in by_article.items()
        for m in found
    ]
    session.execute(mentions.insert(), rows)
    return len(rows)


def upsert_entities(session: Session, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Ensure each (kind, name) exists; return their ids."""
    insert = dialect_insert(session)
    ids: dict[tuple[str, str], int] = {}
    for chunk in _chunks(sorted(set(pairs)), CHUNK_ROWS):
        values = [{"kind": kind, "name": name} for kind, name in chunk]
        session.execute(
            insert(entities).values(values).on_conflict_do_nothing(index_elements=["kind", "name"])
        )
        found = select(entities.c.kind, entities.c.name, entities.c.id).where(
            tuple_(entities.c.kind, entities.c.name).in_(chunk)
        )
        ids.update({(kind, name): id_ for kind, name, id_ in session.execute(found)})
    return ids


def upsert_sources(session: Session, sources: Iterable[str | Mapping[str, Any]]) -> int:
    """Record sources by name (plain names, or dicts with name/language/url).

    Known sources get ``last_seen_at`` bumped; a missing language or url never
    erases the stored one.  Returns how many distinct sources were written.
    """
    now = utcnow()
    rows: dict[str, dict[str, Any]] = {}
    for source in sources:
        info = {"name": source} if isinstance(source, str) else dict(source)
        if info.get("name"):
            rows[info["name"]] = {
                "name": info["name"],
                "language": info.get("language"),
                "url": info.get("url"),
                "first_seen_at": now,
                "last_seen_at": now,
            }
    if not rows:
        return 0
    # Sorted: one lock order for every writer (see upsert_articles).
    statement = dialect_insert(session)(sources_table).values([rows[name] for name in sorted(rows)])
    excluded = statement.excluded
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[sources_table.c.name],
            set_={
                "last_seen_at": excluded.last_seen_at,
                "language": func.coalesce(excluded.language, sources_table.c.language),
                "url": func.coalesce(excluded.url, sources_table.c.url),
            },
        )
    )
    return len(rows)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
