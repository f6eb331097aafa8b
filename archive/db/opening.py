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

READ_ONLY_SIGNS = ("readonly database", "read-only", "permission denied")


class ReadOnlyArchive(DatabaseError):
    """A command that writes met an archive it may not write to (a read-only file, mount or role)."""

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
    upgrades an older schema, and checks that the archive can be written
    (``ReadOnlyArchive`` before any work, not at the first batch).  ``create=False`` (search, export, stats)
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
        db_url.encode("utf-8")
        url = make_url(db_url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number, text that is not UTF-8
        raise DatabaseError(f"invalid database URL {db_url!r}: {error_reason(exc)}") from exc
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
        if create:
            check_writable(engine, where)
    except BaseException:
        engine.dispose()
        raise
    return engine, state


def check_writable(engine: Engine, where: str | None = None) -> None:
    """``ReadOnlyArchive`` when ``engine``'s archive cannot be written; nothing is changed.

    SQLite: rewriting ``user_version`` with its own value is the smallest
    write there is (a read-only file or mount refuses it).  PostgreSQL: a
    read-only transaction default or a role without INSERT on ``articles``.
    """
    where = where or _describe(engine.url)
    try:
        if engine.dialect.name == "sqlite":
            with writer(engine).begin() as conn:
                version = conn.exec_driver_sql("PRAGMA user_version").scalar()
                conn.exec_driver_sql(f"PRAGMA user_version = {int(version or 0)}")
            return
        with engine.connect() as conn:
            read_only = conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on"
            may_insert = conn.exec_driver_sql("SELECT has_table_privilege('articles', 'INSERT')").scalar()
        if read_only or not may_insert:
            raise ReadOnlyArchive(f"the archive at {where} is read-only for this user; nothing was changed")
    except (SQLAlchemyError, sqlite3.Error) as exc:
        reason = error_reason(exc)
        if any(sign in reason.lower() for sign in READ_ONLY_SIGNS):
            raise ReadOnlyArchive(f"the archive at {where} is read-only ({reason}); nothing was changed") from exc
        raise DatabaseError(f"cannot write to the archive at {where}: {reason}") from exc


def _prepare(engine: Engine, where: str, *, create: bool, upgrade: bool | None) -> SchemaState:
    try:
        return create_schema(engine, where, create=create, upgrade=upgrade)
    except (SQLAlchemyError, sqlite3.Error, CommandError) as exc:
        # sqlite3 errors raised inside the connect hook (pragmas) arrive unwrapped.
        reason = error_reason(exc)
        if any(sign in reason for sign in CORRUPT_SIGNS):
            reason += " (left untouched; use another path)"
        if any(sign in reason.lower() for sign in READ_ONLY_SIGNS):
            raise ReadOnlyArchive(f"the archive at {where} is read-only ({reason}); nothing was changed") from exc
        raise DatabaseError(f"cannot open database {where}: {reason}") from exc


def _describe(url: URL) -> str:
    """Where the archive is, for messages: a path, or the URL without password."""
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is None and url.database and url.database.startswith("file:"):
            return url.database  # a URI filename (file:…?mode=ro)
        return str(path) if path is not None else "(in memory)"
    return url.render_as_string(hide_password=True)
