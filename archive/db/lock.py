"""One crawl at a time per archive: a lock taken before the crawl starts.

Cron may start a crawl while yesterday's is still running; two crawls on one
archive would fetch everything twice and fight over writes.  So a crawl holds
a lock for its whole run:

* SQLite: an advisory ``flock`` on ``<archive>.lock`` next to the file (the
  kernel drops it when the process dies, even on ``kill -9``, so a crash never
  leaves a stale lock behind; the pid inside is only for the message);
* PostgreSQL: ``pg_try_advisory_lock`` on a key derived from the database and
  schema, held by one connection for the run (dropped with the connection).

A second crawl gets :class:`ArchiveLocked` at once instead of waiting.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from archive.db.engine import sqlite_path
from archive.db.opening import open_engine
from archive.errors import ArchiveError

LOCK_SUFFIX = ".lock"


class ArchiveLocked(ArchiveError):
    """Another crawl holds the archive's lock."""


@contextmanager
def crawl_lock(db_url: str) -> Iterator[None]:
    """Hold the archive's crawl lock while the block runs, or raise ArchiveLocked."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is None:  # an in-memory archive cannot be shared
            yield
            return
        with file_lock(lock_path(path)):
            yield
        return
    with advisory_lock(db_url):
        yield


def lock_path(db_path: Path) -> Path:
    """``archive.sqlite3`` → ``archive.sqlite3.lock``.

    >>> lock_path(Path("/srv/archive.sqlite3")).name
    'archive.sqlite3.lock'
    """
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive, non-blocking flock on ``path`` (created if missing, never deleted).

    The file stays after the run: deleting it would let a third process lock
    a new file while a second still holds the old one.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ArchiveError(f"cannot create the lock file {path}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise ArchiveLocked(
                f"another crawl (pid {holder}) is running on this archive (lock {path}); try again later"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def advisory_key(database: str, schema: str) -> int:
    """A stable signed 64-bit key for one archive (database + schema).

    >>> advisory_key("test", "public") == advisory_key("test", "public")
    True
    """
    digest = hashlib.sha256(f"ino-archive crawl {database} {schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def advisory_lock(db_url: str) -> Iterator[None]:
    """A PostgreSQL session-level advisory lock, held on one connection for the block."""
    engine = open_engine(db_url, create=True)
    try:
        with engine.connect() as conn:
            try:
                database, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
                key = advisory_key(database, schema)
                got = conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
                conn.commit()
            except SQLAlchemyError as exc:
                raise ArchiveError(f"cannot take the crawl lock: {str(exc).splitlines()[0]}") from exc
            if not got:
                raise ArchiveLocked(f"another crawl is running on this archive ({database}.{schema}); try again later")
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                conn.commit()
    finally:
        engine.dispose()
