"""Match an entity by any of its names, in any script: the ``--person`` / ``--org`` filter.

An entity matches ``NAME`` when its canonical name contains ``NAME`` (any
case), when ``NAME`` is a gazetteer alias or spelling of it ("ТГУ", "TSU"
-> Tomsk State University), or when one of its aliases has ``NAME``'s
script-neutral key as whole words ("Жвачкин" and "Zhvachkin" both find Sergey
Zhvachkin).  Aliases live in ``entity_aliases`` (``archive.entities.aliases``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, or_, select

from archive.knowledge import link_names, load_gazetteer, padded, translit_key
from archive.models import Entity, EntityAlias


def entity_name_matches(
    kind: str, name: str, casefold: Callable[[ColumnElement[Any]], ColumnElement[Any]]
) -> ColumnElement[bool]:
    """A condition on ``Entity`` true for entities of ``kind`` that ``name`` names."""
    conditions = [casefold(Entity.name).contains(name.casefold(), autoescape=True)]
    canonical = link_names([(kind, name)], load_gazetteer())[(kind, name)]
    if canonical != name:
        conditions.append(Entity.name == canonical)
    key = translit_key(name)
    if key:
        by_alias = select(EntityAlias.entity_id).where(EntityAlias.key.contains(padded(key), autoescape=True))
        conditions.append(Entity.id.in_(by_alias))
    return or_(*conditions)
