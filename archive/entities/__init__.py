"""People, organisations and places across the archive: who appears, their names, and linking after a crawl.

Modules (public names are imported from ``archive.entities``):

* ``directory`` – entities with counts, first and last seen, and aliases
  (``ino-archive entities``);
* ``relink`` – one entity per real person or organisation across the whole
  archive (``entities --relink``, and the end of every crawl);
* ``aliases`` – the names each entity goes by, and people's name parts;
* ``mentioned_dates`` – the dates each article names, apart from its
  publication date;
* ``profile`` – what an entity's page shows besides its articles: its name
  variants and the roles written next to it.

How names are compared and linked is shared knowledge (``archive.knowledge``),
the same at extraction and here.  May import: ``archive.store``,
``archive.models``, ``archive.errors``, ``archive.knowledge``.
"""

from archive.entities.directory import EntitySummary, list_entities
from archive.entities.mentioned_dates import replace_date_mentions
from archive.entities.profile import Profile, profiles
from archive.entities.relink import RelinkResult, relink_archive

__all__ = [
    "EntitySummary",
    "Profile",
    "RelinkResult",
    "list_entities",
    "profiles",
    "relink_archive",
    "replace_date_mentions",
]
