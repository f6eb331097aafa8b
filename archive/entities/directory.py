"""Who appears in the archive: entities with counts, first and last seen, and aliases.

``build_entity_list`` is the query (pure, testable); ``list_entities`` runs it
and attaches each entity's aliases (``entity_aliases`` plus the gazetteer's).
"Seen" is by publication date; an entity named only in undated articles is
dated by when those articles were fetched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.errors import ArchiveError, error_reason
from archive.knowledge import load_gazetteer, name_key
from archive.models import Article, Entity, EntityAlias, Mention

KINDS = ("person", "org", "place")


@dataclass(frozen=True)
class EntitySummary:
    """One entity as ``ino-archive entities`` shows it."""

    kind: str
    name: str
    mentions: int
    articles: int
    first_seen: date | None
    last_seen: date | None
    aliases: list[str] = field(default_factory=list)


def build_entity_list(kind: str | None = None, top: int | None = None) -> Select[Any]:
    """Entities by article count (then mentions, name), with their counts and dates."""
    if kind is not None and kind not in KINDS:
        raise ArchiveError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    articles = func.count(distinct(Mention.article_id))
    stmt = (
        select(
            Entity.id,
            Entity.kind,
            Entity.name,
            func.count(Mention.id).label("mentions"),
            articles.label("articles"),
            func.min(Article.published).label("first_published"),
            func.max(Article.published).label("last_published"),
            func.min(Article.fetched_at).label("first_fetched"),
            func.max(Article.fetched_at).label("last_fetched"),
        )
        .join(Mention, Mention.entity_id == Entity.id)
        .join(Article, Article.id == Mention.article_id)
        .group_by(Entity.id, Entity.kind, Entity.name)
        .order_by(articles.desc(), func.count(Mention.id).desc(), Entity.name)
    )
    if kind is not None:
        stmt = stmt.where(Entity.kind == kind)
    return stmt.limit(top) if top else stmt


def list_entities(session: Session, kind: str | None = None, top: int | None = None) -> list[EntitySummary]:
    """Run ``build_entity_list`` and attach aliases."""
    try:
        rows = session.execute(build_entity_list(kind, top)).all()
        aliases = _aliases(session, [row.id for row in rows])
    except SQLAlchemyError as exc:
        raise ArchiveError(f"cannot list entities: {error_reason(exc)}") from exc
    return [
        EntitySummary(
            row.kind,
            row.name,
            row.mentions,
            row.articles,
            row.first_published or _day(row.first_fetched),
            row.last_published or _day(row.last_fetched),
            _with_gazetteer(row.kind, row.name, aliases.get(row.id, [])),
        )
        for row in rows
    ]


def _aliases(session: Session, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        query = (
            select(EntityAlias.entity_id, EntityAlias.alias)
            .where(EntityAlias.entity_id.in_(ids[start : start + 500]), EntityAlias.origin != "name")
            .order_by(EntityAlias.id)
        )
        for entity_id, alias in session.execute(query):
            found[entity_id].append(alias)
    return found


def _with_gazetteer(kind: str, name: str, aliases: list[str]) -> list[str]:
    entry = load_gazetteer().link(kind, name)
    extra = entry.aliases if entry is not None and entry.name == name else ()
    seen = {name_key(name)}
    unique = []
    for alias in (*extra, *aliases):
        if name_key(alias) not in seen:
            seen.add(name_key(alias))
            unique.append(alias)
    return unique


def _day(value: Any) -> date | None:
    return value.date() if value is not None else None
