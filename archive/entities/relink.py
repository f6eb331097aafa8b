"""Link entities across the whole archive, after articles are stored.

Extraction links the names within one article; only the archive sees that
"I. Petrov" in one article and "Ivan Petrov" in another, or "Иван Петров" in
Russian and "Ivan Petrov" in English, are one person.  ``relink_archive``
runs ``archive.knowledge.linking.link_names`` over every entity,
moves each merged entity's mentions to the canonical entity (keeping the
merged name as an alias, origin ``merged``), refreshes ``entity_aliases`` and
``person_names``, rewrites the people/organisations/places lists of the
articles whose mentions moved, and deletes the entities no mention names any
more (the names an earlier extraction gave, once ``reprocess`` or a re-crawl
has replaced every article's mentions), so an archive brought up to a new
model keeps one entity per real one.  It is idempotent: a second run changes
nothing.
It runs at the end of every crawl (``pipelines.entities_archive``) and as
``ino-archive entities --relink``.  The caller owns the session and commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session

from archive.entities.aliases import refresh_aliases, refresh_person_names
from archive.knowledge import link_names, load_gazetteer
from archive.models import Article, Entity, EntityAlias, Mention, PersonName
from archive.store import upsert_entities

LIST_COLUMNS = {"person": "people", "org": "organisations", "place": "places"}


@dataclass(frozen=True)
class RelinkResult:
    """What one relink changed."""

    merged: int = 0  # entities folded into another
    articles: int = 0  # articles whose name lists were rewritten
    aliases: int = 0  # aliases added
    removed: int = 0  # entities no mention names any more, deleted


def relink_archive(session: Session) -> RelinkResult:
    """Merge entities that name one real entity; see the module docstring."""
    # First the names no mention uses any more: they link nothing, and must not become link targets.
    removed = remove_unmentioned(session)
    rows = session.execute(
        select(Entity.id, Entity.kind, Entity.name, func.count(Mention.id))
        .outerjoin(Mention, Mention.entity_id == Entity.id)
        .group_by(Entity.id, Entity.kind, Entity.name)
    ).all()
    weights = {(kind, name): count for _id, kind, name, count in rows}
    canonical = link_names(weights, load_gazetteer(), weights)
    moves = {
        (kind, name): canonical[(kind, name)]
        for _id, kind, name, _count in rows
        if canonical[(kind, name)] != name
    }
    targets = upsert_entities(session, {(kind, name) for (kind, _), name in moves.items()})
    ids = {(kind, name): id_ for id_, kind, name, _count in rows}
    merged_aliases = defaultdict(set)
    touched: set[int] = set()
    for (kind, name), target_name in moves.items():
        source_id, target_id = ids[(kind, name)], targets[(kind, target_name)]
        touched.update(session.scalars(select(Mention.article_id).where(Mention.entity_id == source_id)))
        session.execute(update(Mention).where(Mention.entity_id == source_id).values(entity_id=target_id))
        session.execute(delete(Entity).where(Entity.id == source_id))
        merged_aliases[target_id].add(name)
    added = refresh_aliases(session, merged_aliases)
    refresh_person_names(session)
    rewrite_name_lists(session, touched)
    return RelinkResult(merged=len(moves), articles=len(touched), aliases=added, removed=removed)


def remove_unmentioned(session: Session) -> int:
    """Delete the entities no mention names (with their aliases and name parts); returns how many."""
    unmentioned = select(Entity.id).where(~exists().where(Mention.entity_id == Entity.id))
    ids = list(session.scalars(unmentioned))
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        session.execute(delete(EntityAlias).where(EntityAlias.entity_id.in_(chunk)))
        session.execute(delete(PersonName).where(PersonName.entity_id.in_(chunk)))
        session.execute(delete(Entity).where(Entity.id.in_(chunk)))
    return len(ids)


def rewrite_name_lists(session: Session, article_ids: set[int]) -> None:
    """Set each article's people/organisations/places from its mentions, canonical and unique."""
    for article_id in sorted(article_ids):
        found = session.execute(
            select(Entity.kind, Entity.name)
            .join(Mention, Mention.entity_id == Entity.id)
            .where(Mention.article_id == article_id)
            .order_by(Mention.start, Mention.id)
        ).all()
        values = {
            column: list(dict.fromkeys(name for kind_, name in found if kind_ == kind))
            for kind, column in LIST_COLUMNS.items()
        }
        session.execute(update(Article).where(Article.id == article_id).values(**values))
