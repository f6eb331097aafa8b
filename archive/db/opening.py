"""Opening the archive: check the file, build the engine, create or upgrade the schema and the search indexes."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from alembic.util import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from archive.db.engine import (
    CORRUPT_SIGNS,
    build_engine,
    check_sqlite_file,
    sqlite_path,
    writer,
)
from archive.db.fulltext import ensure_search_index
from archive.db.schema import SchemaState, prepare_schema
from archive.errors import DatabaseError, error_reason

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine


def create_schema(engine: Engine, where: str = "the archive", *, create: bool = True, upgrade: bool | None = None) -> SchemaState:
    """Create or upgrade the schema (``archive.db.schema``) and, on SQLite, the FTS indexes."""
    state = prepare_schema(engine, create=create, where=where, upgrade_old=upgrade)
    if engine.dialect.name == "sqlite" and (create or state.action != "current"):
        with writer(engine).begin() as conn:
            # Missing or outdated indexes (an older schema or stemmer) are rebuilt
            # from the articles; see archive.db.fulltext.
            ensure_search_index(conn)
    return state


def open_engine(db_url: str, *, create: bool = True, upgrade: bool | None = None) -> Engine:
    """Open the archive at ``db_url``; the caller disposes of the engine.

    ``create=True`` (crawl) makes the file and schema when missing, and
    upgrades an older schema.  ``create=False`` (search, export, stats)
    refuses a missing archive or an older schema (``upgrade=True`` upgrades
    it: ``ino-archive db upgrade``).  Raises ``DatabaseError`` with a one-line reason.
    """
    return _open(db_url, create=create, upgrade=upgrade)[0]


def upgrade_archive(db_url: str) -> SchemaState:
    """``ino-archive db upgrade``: bring an existing archive to the newest schema."""
    engine, state = _open(db_url, create=False, upgrade=True)
    engine.dispose()
    return state


def _open(db_url: str, *, create: bool, upgrade: bool | None) -> tuple[Engine, SchemaState]:
    try:
        url = make_url(db_url)
    except ArgumentError as exc:
        raise DatabaseError(f"invalid database URL {db_url!r}: {exc}") from exc
    where = _describe(url)
    path = sqlite_path(url) if url.get_backend_name() == "sqlite" else None
    if path is not None:
        check_sqlite_file(path, create=create)
    try:
        engine = build_engine(url)
    except NoSuchModuleError as exc:
        raise DatabaseError(
            f"cannot open database {where}: unknown database type {url.drivername!r}"
            " (use a file path, sqlite:///PATH or postgresql+psycopg://…)"
        ) from exc
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot open database {where}: {exc}") from exc
    try:
        state = _prepare(engine, where, create=create, upgrade=upgrade)
    except BaseException:
        engine.dispose()
        raise
    return engine, state


def _prepare(engine: Engine, where: str, *, create: bool, upgrade: bool | None) -> SchemaState:
    try:
        return create_schema(engine, where, create=create, upgrade=upgrade)
    except (SQLAlchemyError, sqlite3.Error, CommandError) as exc:
        # sqlite3 errors raised inside the connect hook (pragmas) arrive unwrapped.
        reason = error_reason(exc)
        if any(sign in reason for sign in CORRUPT_SIGNS):
            reason += " (left untouched; use another path)"
        raise DatabaseError(f"cannot open database {where}: {reason}") from exc


def _describe(url: URL) -> str:
    """Where the archive is, for messages: a path, or the URL without password."""
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        return str(path) if path is not None else "(in memory)"
    return url.render_as_string(hide_password=True)
