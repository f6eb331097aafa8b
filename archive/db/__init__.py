"""Where the archive lives and how it is opened: engines, schema versions, full-text indexes, the crawl lock.

Modules (public names are imported from ``archive.db``, not from them):

* ``engine`` – database URLs (a path, ``$INO_ARCHIVE_DB``, the user's data
  folder), engines with SQLite's pragmas, sessions, ``writer``, ``dialect_insert``;
* ``schema`` – the schema version: created at head, upgraded through Alembic
  (the scripts in ``migrations/``), an unknown revision refused;
* ``fulltext`` – the indexes the schema carries beside the models: SQLite's
  FTS5 tables and triggers and covering filter indexes, PostgreSQL's stored
  ``tsvector``;
* ``opening`` – ``open_engine``: check the file, build the engine, create or
  upgrade the schema and the indexes, refuse another program's database
  (``ForeignDatabase``) and, for writers, a read-only one (``ReadOnlyArchive``);
* ``lock`` – one crawl per archive (``flock`` next to SQLite, an advisory lock
  on PostgreSQL);
* ``batches`` – ``BatchRecorder``, rows a crawl component writes in batches.

May import: ``archive.models``, ``archive.errors``, ``archive.knowledge``.
"""

from archive.db.batches import BatchRecorder
from archive.db.engine import (
    APP_NAME,
    CASEFOLD_FUNCTION,
    build_engine,
    default_db_path,
    dialect_insert,
    resolve_db_url,
    session_for,
    session_scope,
    sqlite_path,
    write_session_for,
    writer,
)
from archive.db.fulltext import (
    DATE_INDEX,
    FOLD_FROM,
    FOLD_TO,
    FTS_TABLE,
    SEARCH_INDEX,
    SEARCH_VECTOR,
    STEMS_TABLE,
    ensure_search_index,
    rebuild_search_index,
)
from archive.db.lock import ArchiveLocked, crawl_lock, file_lock, lock_path
from archive.db.opening import ReadOnlyArchive, check_writable, create_schema, open_engine, upgrade_archive
from archive.db.schema import ForeignDatabase, SchemaState, head_revision

__all__ = [
    "APP_NAME",
    "DATE_INDEX",
    "FOLD_FROM",
    "FOLD_TO",
    "FTS_TABLE",
    "SEARCH_INDEX",
    "SEARCH_VECTOR",
    "STEMS_TABLE",
    "ArchiveLocked",
    "BatchRecorder",
    "CASEFOLD_FUNCTION",
    "ForeignDatabase",
    "ReadOnlyArchive",
    "SchemaState",
    "build_engine",
    "check_writable",
    "crawl_lock",
    "create_schema",
    "default_db_path",
    "dialect_insert",
    "ensure_search_index",
    "file_lock",
    "head_revision",
    "lock_path",
    "open_engine",
    "rebuild_search_index",
    "resolve_db_url",
    "session_for",
    "session_scope",
    "sqlite_path",
    "upgrade_archive",
    "write_session_for",
    "writer",
]
