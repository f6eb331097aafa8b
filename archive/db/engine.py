"""Where the archive lives, and opening it safely.

* ``default_db_path()`` – the user's data folder, or ``$INO_ARCHIVE_DB``.
* ``resolve_db_url(db)`` – a path or URL from the command line → SQLAlchemy URL.
* ``open_engine(url, create=...)`` – checks the file before SQLite touches it,
  sets the SQLite pragmas on every connection, creates the schema on first use
  and upgrades an older one (``archive.db.schema``: Alembic), then the SQLite
  FTS5 indexes with their triggers.

An existing file is never overwritten or truncated: a file that is not a
SQLite database is refused before any connection is made.  No engine exists
until a caller asks for one; sessions belong to the caller.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir
from sqlalchemy import create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from archive.db.fulltext import register_functions
from archive.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

logger = logging.getLogger(__name__)

# Dialect → its INSERT construct with ON CONFLICT support.
INSERTS: dict[str, Callable[..., Any]] = {
    "sqlite": sqlite.insert,
    "postgresql": postgresql.insert,
}

APP_NAME = "ino-archive"
DB_FILENAME = "archive.sqlite3"
DB_ENV_VAR = "INO_ARCHIVE_DB"
SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's words for a file it cannot read as a database.
CORRUPT_SIGNS = ("not a database", "malformed")
NO_ARCHIVE_HINT = "run `ino-archive crawl` first"
# SQLite files this process has checked (or let SQLite create).  Checking the header again means
# opening and closing the file, and on POSIX closing *any* descriptor of a file drops every fcntl
# lock the process holds on it, SQLite's included: another process's reader could then take the
# archive for unused on close and delete its WAL under a running crawl ("disk I/O error").
_CHECKED_FILES: set[Path] = set()
# SQLite's lower() and LIKE fold ASCII only; searches by name need Cyrillic too.
CASEFOLD_FUNCTION = "ino_casefold"
# Execution option that makes SQLite write transactions BEGIN IMMEDIATE (see writer()).
IMMEDIATE_OPTION = "ino_sqlite_immediate"

# Applied on every new SQLite connection: WAL lets readers (search, export)
# work while a crawl writes; busy_timeout waits for a lock instead of failing
# (30 s: a reprocess batch or a crawl's commit may hold the write lock a while).
SQLITE_PRAGMAS = (
    # busy_timeout first: switching a new file to WAL needs a moment of
    # exclusive access, and two processes opening it together must wait, not fail.
    "PRAGMA busy_timeout=30000",
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)
# How long a pragma that meets a lock SQLite will not wait for is retried (as busy_timeout).
PRAGMA_RETRY_SECONDS = 30


def default_db_path() -> Path:
    """The archive file: ``$INO_ARCHIVE_DB`` if set, else the user's data folder."""
    override = os.environ.get(DB_ENV_VAR)
    if override:
        return Path(override).expanduser().absolute()
    return Path(user_data_dir(APP_NAME)) / DB_FILENAME


def resolve_db_url(db: str | None) -> str:
    """Turn ``--db`` into an SQLAlchemy URL.

    ``None`` → the default file (its data folder is created; a folder named
    by the user never is).  A string with ``://`` is a URL, used as is.
    Anything else is a file path.

    >>> resolve_db_url("postgresql+psycopg://u@h/db")
    'postgresql+psycopg://u@h/db'
    """
    if db is None:
        path = default_db_path()
        if not os.environ.get(DB_ENV_VAR):
            path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().absolute()}"


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for in-memory databases."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().absolute()


def check_sqlite_file(path: Path, *, create: bool) -> None:
    """Refuse, before SQLite opens it, a file we must not or cannot use."""
    if path.is_dir():
        raise DatabaseError(f"cannot open database {path}: it is a folder")
    if path.exists():
        if path not in _CHECKED_FILES:
            if not _has_sqlite_header(path):
                raise DatabaseError(
                    f"cannot open database {path}: the file is not a SQLite database"
                    " (left untouched; use another path)"
                )
            _check_not_foreign(path)
        _CHECKED_FILES.add(path)
        return
    if not create:
        raise DatabaseError(f"no archive at {path}; {NO_ARCHIVE_HINT}")
    folder = path.parent
    if not folder.is_dir():
        raise DatabaseError(f"cannot open database {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseError(f"cannot open database {path}: folder {folder} is not writable")
    _CHECKED_FILES.add(path)  # SQLite creates it; its header is never read back with open()


def _check_not_foreign(path: Path) -> None:
    """``ForeignDatabase`` for another program's SQLite file, read before our pragmas (WAL) could change it."""
    from archive.db.schema import is_archive, refuse_foreign

    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return  # unreadable here: opening proper says why
    try:
        tables = {row[0] for row in conn.execute(_USER_TABLES)}
        if not is_archive(tables, lambda: {row[1] for row in conn.execute("PRAGMA table_info(articles)")}):
            refuse_foreign(tables, str(path))
    except sqlite3.Error:
        return  # a corrupt file: opening proper says so
    finally:
        conn.close()


_USER_TABLES = r"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'"


def _has_sqlite_header(path: Path) -> bool:
    """An empty file is a valid (empty) SQLite database; anything else needs the magic."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(f"cannot open database {path}: {exc.strerror or exc}") from exc
    return head in (b"", SQLITE_HEADER)


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


def _on_sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # SQLAlchemy emits BEGIN itself (_on_sqlite_begin), not the driver.
    dbapi_conn.isolation_level = None
    dbapi_conn.create_function(CASEFOLD_FUNCTION, 1, _casefold, deterministic=True)
    register_functions(dbapi_conn)  # ino_stem, for the full-text index triggers
    cursor = dbapi_conn.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            _execute_pragma(cursor, pragma)
    finally:
        cursor.close()


def _execute_pragma(cursor: sqlite3.Cursor, pragma: str) -> None:
    # Two connections switching a new file to WAL at the same moment both hold
    # a shared lock and want an exclusive one; SQLite answers one of them
    # "database is locked" at once, without busy_timeout (waiting would
    # deadlock).  Retrying is the remedy: the other switch finishes in a moment.
    deadline = time.monotonic() + PRAGMA_RETRY_SECONDS
    pause = 0.005
    while True:
        try:
            cursor.execute(pragma)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def _on_sqlite_begin(conn: Any) -> None:
    # A writer that reads first (upserts compare hashes) must hold the write
    # lock from the start: a deferred transaction that upgrades later fails
    # with "database is locked" at once instead of waiting (busy_timeout).
    immediate = conn.get_execution_options().get(IMMEDIATE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine whose transactions take the write lock at BEGIN (SQLite: BEGIN IMMEDIATE).

    Use it for sessions that write (the store pipeline, reprocess, import), so
    overlapping writers queue on busy_timeout instead of failing.
    """
    return engine.execution_options(**{IMMEDIATE_OPTION: True})


def build_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    # pre_ping: a long crawl must survive the server closing idle connections.
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work on a shared engine: commit on success, roll back on error, close."""
    with Session(engine) as session, session.begin():
        yield session


@contextmanager
def session_for(engine: Engine) -> Iterator[Session]:
    """A session that owns ``engine``: one CLI command's unit of work.

    Commits on success, rolls back on error, then closes the session and
    disposes of the engine, so nothing is left open (no ResourceWarning).
    """
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


@contextmanager
def write_session_for(engine: Engine) -> Iterator[Session]:
    """``session_for`` whose transaction takes the write lock at BEGIN (``writer``).

    For a short write beside other writers (the store, another crawl): it
    waits for the lock on busy_timeout instead of failing half-way.
    """
    try:
        with Session(writer(engine)) as session, session.begin():
            yield session
    finally:
        engine.dispose()


def dialect_insert(session: Session) -> Callable[..., Any]:
    """The ON CONFLICT-capable ``insert`` for the session's database."""
    name = session.get_bind().dialect.name
    try:
        return INSERTS[name]
    except KeyError:
        raise DatabaseError(f"unsupported database {name!r}; use SQLite or PostgreSQL") from None
