"""The archive's schema version: create at head, upgrade through Alembic, refuse the unknown.

Migrations live in ``archive/db/migrations`` and run through Alembic's API on
our own connection, so no ``alembic.ini`` is needed.  What opening does
(``prepare_schema``), by what it finds:

* no table at all: with ``create`` the tables are made from the models
  and stamped at head (what the migrations would build, faster); without it,
  "no archive";
* tables, but not an ino-archive's (another program's database: no
  ``alembic_version`` and not the foundation tables an archive made before
  migrations has): refused untouched, whatever the command (``ForeignDatabase``);
* an archive behind head, or one with no ``alembic_version`` at all (made
  before migrations existed: stamped at the foundation revision ``0001``
  first): writers (``create=True``: crawl, import, reprocess) upgrade it,
  readers (search, export, stats) ask for ``ino-archive db upgrade``;
* a revision this version does not know (a newer ino-archive wrote it): refused.

All of it runs in one transaction holding the archive's schema lock
(SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-level advisory
lock), so crawler processes starting together create or upgrade it once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from archive.db.engine import writer
from archive.db.fulltext import create_search_vector
from archive.errors import DatabaseError
from archive.models import Base

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger(__name__)

SCRIPT_LOCATION = "archive.db:migrations"
BASELINE = "0001"  # the foundation schema: what an un-versioned archive is stamped at
VERSION_TABLE = "alembic_version"
# Objects that exist on purpose outside the models (compare_metadata skips them).
# What an archive made before migrations existed (revision 0001, un-versioned) is recognised by.
FOUNDATION_TABLES = frozenset({"articles", "crawl_runs", "entities", "mentions", "sources"})
FOUNDATION_ARTICLE_COLUMNS = frozenset({"canonical_url", "content_hash", "extract_hash", "relevance_terms"})
UNMAPPED = {"search_vector", "ix_articles_search_vector", "articles_fts", "articles_stems", "search_index_state"}


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic filter: leave the full-text objects and FTS5 shadow tables alone."""
    if name in UNMAPPED:
        return False
    return not (type_ == "table" and name and name.startswith(("articles_fts_", "articles_stems_")))


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The newest revision this ino-archive knows."""
    script = ScriptDirectory.from_config(alembic_config(None))  # type: ignore[arg-type]
    head = script.get_current_head()
    assert head is not None
    return head


@cache
def known_revisions() -> frozenset[str]:
    script = ScriptDirectory.from_config(alembic_config(None))  # type: ignore[arg-type]
    return frozenset(rev.revision for rev in script.walk_revisions())


def current_revision(conn: Connection) -> str | None:
    """The archive's recorded revision, or None when it has none."""
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(conn: Connection, revision: str = "head") -> None:
    """Apply the migrations up to ``revision``; an un-versioned archive is stamped at the baseline first."""
    config = alembic_config(conn)
    if current_revision(conn) is None and inspect(conn).has_table("articles"):
        command.stamp(config, BASELINE)
    command.upgrade(config, revision)


def create_at_head(conn: Connection) -> None:
    """A fresh archive: every table from the models, then the backend's extras, stamped at head."""
    Base.metadata.create_all(conn)
    if conn.dialect.name == "postgresql":
        create_search_vector(conn)
    command.stamp(alembic_config(conn), "head")


@dataclass(frozen=True)
class SchemaState:
    """What opening found and left: revisions before and after (``before`` None: none recorded)."""

    action: str  # created | upgraded | current
    before: str | None
    after: str


def prepare_schema(engine: Engine, *, create: bool, where: str, upgrade_old: bool | None = None) -> SchemaState:
    """Make the archive's schema current, or check that it is (see the module docstring).

    ``upgrade_old`` (default: ``create``) lets an existing archive be upgraded
    without allowing a missing one to be created (``ino-archive db upgrade``).
    """
    upgrade_old = create if upgrade_old is None else upgrade_old
    with schema_transaction(engine, write=create or upgrade_old) as conn:
        head = head_revision()
        tables = set(inspect(conn).get_table_names())
        if not tables:
            if not create:
                raise DatabaseError(f"no archive at {where}; run `ino-archive crawl` first")
            create_at_head(conn)
            return SchemaState("created", None, head)
        check_is_archive(conn, tables, where)
        revision = current_revision(conn)
        if revision == head:
            return SchemaState("current", revision, head)
        if revision is not None and revision not in known_revisions():
            raise DatabaseError(
                f"the archive at {where} has schema revision {revision}, unknown to this"
                f" ino-archive (head {head}); it was written by a newer version: upgrade ino-archive"
            )
        if not upgrade_old:
            raise DatabaseError(
                f"the archive at {where} has an older schema (revision {revision or 'none'},"
                f" this ino-archive needs {head}); run `ino-archive db upgrade --db {where}` first"
            )
        logger.info("Upgrading the archive schema at %s from %s to %s", where, revision or "none", head)
        upgrade(conn)
        return SchemaState("upgraded", revision, head)


class ForeignDatabase(DatabaseError):
    """The database holds tables, but not an ino-archive's: another program's file, never changed."""


def is_archive(tables: set[str], article_columns: Callable[[], set[str]]) -> bool:
    """Whether a database holding ``tables`` is an ino-archive (versioned, or the un-versioned foundation)."""
    if not tables or VERSION_TABLE in tables:
        return True
    return FOUNDATION_TABLES <= tables and FOUNDATION_ARTICLE_COLUMNS <= article_columns()


def check_is_archive(conn: Connection, tables: set[str], where: str) -> None:
    """``ForeignDatabase`` unless ``tables`` are an ino-archive's."""
    if is_archive(tables, lambda: {column["name"] for column in inspect(conn).get_columns("articles")}):
        return
    refuse_foreign(tables, where)


def refuse_foreign(tables: set[str], where: str) -> None:
    shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
    raise ForeignDatabase(
        f"the database {where} is not an ino-archive (it holds other tables: {shown});"
        " left untouched; give a new file or an empty database"
    )


def schema_lock_key(database: str, schema: str) -> int:
    """A signed 64-bit advisory lock key for one archive's schema (not the crawl lock's).

    >>> schema_lock_key("test", "public") == schema_lock_key("test", "other")
    False
    """
    digest = hashlib.sha256(f"ino-archive schema {database} {schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def schema_transaction(engine: Engine, *, write: bool = True) -> Iterator[Connection]:
    """One transaction that holds the archive's schema lock until it ends (readers take none)."""
    if not write:
        with engine.begin() as conn:
            yield conn
        return
    if engine.dialect.name == "sqlite":
        with writer(engine).begin() as conn:
            yield conn
        return
    with engine.begin() as conn:
        database, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
        key = schema_lock_key(database, schema)
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        yield conn
