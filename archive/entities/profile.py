"""What a person's or organisation's page shows besides its articles: its names and its roles.

Names are the aliases ``ino-archive entities`` lists (the gazetteer's, merged
names, every surface the texts wrote: other scripts, cases, initials); roles
are the offices written next to the name in the texts (``mentions.role``),
with how many mentions carry each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.entities.directory import _aliases, _with_gazetteer
from archive.errors import ArchiveError, error_reason
from archive.models import Entity, Mention

BATCH = 500


@dataclass(frozen=True)
class Profile:
    name_variants: list[str] = field(default_factory=list)
    roles: list[tuple[str, int]] = field(default_factory=list)  # most mentions first


def profiles(session: Session, entity_ids: list[int]) -> dict[int, Profile]:
    """Name variants and roles of the entities ``entity_ids``."""
    try:
        names: dict[int, tuple[str, str]] = {}
        roles: dict[int, list[tuple[str, int]]] = defaultdict(list)
        aliases = _aliases(session, entity_ids)
        for start in range(0, len(entity_ids), BATCH):
            batch = select(Entity.id, Entity.kind, Entity.name).where(Entity.id.in_(entity_ids[start : start + BATCH]))
            names.update((row.id, (row.kind, row.name)) for row in session.execute(batch))
            stmt = (
                select(Mention.entity_id, Mention.role, func.count())
                .where(Mention.entity_id.in_(entity_ids[start : start + BATCH]), Mention.role.is_not(None))
                .group_by(Mention.entity_id, Mention.role)
            )
            for entity_id, role, count in session.execute(stmt):
                if role.strip():
                    roles[entity_id].append((" ".join(role.split()), count))
    except SQLAlchemyError as exc:
        raise ArchiveError(f"cannot read entity names and roles: {error_reason(exc)}") from exc
    return {
        entity_id: Profile(
            _with_gazetteer(kind, name, aliases.get(entity_id, [])),
            sorted(roles.get(entity_id, []), key=lambda pair: (-pair[1], pair[0])),
        )
        for entity_id, (kind, name) in names.items()
    }
