"""The names each entity goes by (``entity_aliases``) and people's name parts (``person_names``).

Aliases come from four places (``origin``): the entity's own name, the
gazetteer's aliases for it, names merged into it by relinking, and the
surfaces its mentions were written as.  Each alias keeps a script-neutral
``key`` (``translit_key``, padded with spaces) so ``search --person``
finds "Жвачкин" under "Sergey Zhvachkin".
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive.knowledge import load_gazetteer, name_key, padded, split_name, translit_key
from archive.models import Entity, EntityAlias, Mention, PersonName


def refresh_aliases(session: Session, merged: Mapping[int, set[str]] | None = None) -> int:
    """Add every missing alias; returns how many were added."""
    wanted: dict[tuple[int, str], str] = {}
    gazetteer = load_gazetteer()
    for entity_id, name in session.execute(select(Entity.id, Entity.name)):
        wanted[(entity_id, name)] = "name"
        entry = gazetteer.by_key.get(name_key(name))
        for alias in entry.aliases if entry is not None and entry.name == name else ():
            wanted.setdefault((entity_id, alias), "gazetteer")
    for entity_id, names in (merged or {}).items():
        for name in names:
            wanted.setdefault((entity_id, name), "merged")
    surfaces = select(Mention.entity_id, Mention.surface).distinct()
    for entity_id, surface in session.execute(surfaces):
        wanted.setdefault((entity_id, " ".join(surface.split())), "surface")
    have = {(id_, alias) for id_, alias in session.execute(select(EntityAlias.entity_id, EntityAlias.alias))}
    rows = [
        {"entity_id": entity_id, "alias": alias, "key": padded(translit_key(alias)), "origin": origin}
        for (entity_id, alias), origin in wanted.items()
        if (entity_id, alias) not in have
    ]
    if rows:
        session.execute(EntityAlias.__table__.insert(), rows)
    return len(rows)


def refresh_person_names(session: Session) -> None:
    """Rewrite the name parts of every person entity from its canonical name."""
    session.execute(delete(PersonName))
    people = session.execute(select(Entity.id, Entity.name).where(Entity.kind == "person")).all()
    rows = [{"entity_id": id_, **split_name(name)._asdict()} for id_, name in people]
    if rows:
        session.execute(PersonName.__table__.insert(), rows)
