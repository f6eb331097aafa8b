"""The SQLite full-text indexes and keeping them current.

Two FTS5 tables, both filled by triggers on ``articles``:

* ``articles_fts`` – the words as written (unicode61, diacritics removed),
  external content ``content="articles"``: Datasette detects it by that
  spelling and offers full-text search on the articles table; ``--raw``
  searches use it with FTS5's own syntax.
* ``articles_stems`` – the stemmed shadow text (``textsearch.stem_text``: one
  stem per word, in order), contentless.  Normal searches match stems here.
  ``columnsize=0``: it keeps no per-row token counts, because reading them
  (one ``_docsize`` lookup per match) was most of a ranked search's time on
  a common word (~30 000 matches at 100 000 articles).  Its bm25 therefore
  has no document-length normalisation, like PostgreSQL's ``ts_rank``
  without a normalisation flag ((``archive.search.sqlite`` explains the ranking)).
  Its triggers call the ``ino_stem`` SQL function that ``archive.db`` registers
  on every connection, so only ino-archive can write articles; any SQLite
  client (Datasette, the ``sqlite3`` shell) can read and search.

A contentless index is deleted from by repeating the stems it was given, so
the stemmer must not change underneath it: ``search_index_state`` records the
stemming version, and ``ensure_search_index`` rebuilds both indexes when a
table is missing, built by an older schema, or stemmed by another version.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import text

from archive.knowledge import STEMMING_VERSION, stem_text

logger = logging.getLogger(__name__)

FTS_TABLE = "articles_fts"
STEMS_TABLE = "articles_stems"
STATE_TABLE = "search_index_state"
STEM_FUNCTION = "ino_stem"
TRIGGERS = ("articles_fts_ai", "articles_fts_ad", "articles_fts_au")
# What ensure_search_index compares; changing the DDL below means bumping it.
SCHEMA_VERSION = f"3;{STEMMING_VERSION}"
REBUILD_BATCH = 500


FTS_SCHEMA = (
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, text, content="articles", content_rowid="id",
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {STEMS_TABLE} USING fts5(
        title, text, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2')""",
    f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (name TEXT PRIMARY KEY, version TEXT NOT NULL)",
    f"""CREATE TRIGGER IF NOT EXISTS articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
        INSERT INTO {STEMS_TABLE}(rowid, title, text)
        VALUES (new.id, {STEM_FUNCTION}(new.title), {STEM_FUNCTION}(new.text));
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO {STEMS_TABLE}({STEMS_TABLE}, rowid, title, text)
        VALUES ('delete', old.id, {STEM_FUNCTION}(old.title), {STEM_FUNCTION}(old.text));
    END""",
    # Only when title or text change, so metadata-only upserts leave the index alone.
    f"""CREATE TRIGGER IF NOT EXISTS articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO {STEMS_TABLE}({STEMS_TABLE}, rowid, title, text)
        VALUES ('delete', old.id, {STEM_FUNCTION}(old.title), {STEM_FUNCTION}(old.text));
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
        INSERT INTO {STEMS_TABLE}(rowid, title, text)
        VALUES (new.id, {STEM_FUNCTION}(new.title), {STEM_FUNCTION}(new.text));
    END""",
)


FILTER_COLUMNS = "is_relevant, language, source, relevance"
SEARCH_INDEX = "ix_articles_search_filters"
DATE_INDEX = "ix_articles_by_date"
FILTER_INDEXES = {
    SEARCH_INDEX: f"articles (id, published, {FILTER_COLUMNS})",
    DATE_INDEX: f"articles (published, id, {FILTER_COLUMNS})",
}


def missing_filter_indexes(conn: Any) -> list[str]:
    """The covering indexes this archive does not have yet."""
    present = {
        row[0]
        for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles'"))
    }
    return [name for name in FILTER_INDEXES if name not in present]


def ensure_filter_indexes(conn: Any) -> list[str]:
    """Create the missing covering indexes; returns their names (a read-only check when none)."""
    missing = missing_filter_indexes(conn)
    for name in missing:
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {FILTER_INDEXES[name]}"))
    return missing


# PostgreSQL: a stored, GIN-indexed tsvector on the articles (searched by archive.search.postgres).
SEARCH_VECTOR = "search_vector"
# Folded in documents and queries alike: ё as е (as everywhere), and Latin letters
# without their diacritics (café = cafe), as SQLite's FTS5 tokenizer does.
FOLD_FROM = "ЁёÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽž"
FOLD_TO = "ЕеAAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZz"
# Keep in step with migration 0003 (tests/test_migrations.py compares the two).
SEARCH_VECTOR_DDL = (
    f"""ALTER TABLE articles ADD COLUMN IF NOT EXISTS {SEARCH_VECTOR} tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('russian'::regconfig, translate(coalesce(title, ''), '{FOLD_FROM}', '{FOLD_TO}')), 'A')
        || setweight(to_tsvector('russian'::regconfig, translate(coalesce(text, ''), '{FOLD_FROM}', '{FOLD_TO}')), 'B')
    ) STORED""",
    f"CREATE INDEX IF NOT EXISTS ix_articles_{SEARCH_VECTOR} ON articles USING gin ({SEARCH_VECTOR})",
)


def create_search_vector(conn: Any) -> None:
    """Add the stored vector and its GIN index to a fresh archive's ``articles``."""
    for statement in SEARCH_VECTOR_DDL:
        conn.execute(text(statement))


def register_functions(dbapi_conn: Any) -> None:
    """Make ``ino_stem`` callable from SQL (the triggers need it)."""
    dbapi_conn.create_function(STEM_FUNCTION, 1, stem_text, deterministic=True)


def index_version(conn: Any) -> str | None:
    """The recorded schema;stemming version, or None when never recorded."""
    has_state = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
        {"name": STATE_TABLE},
    ).first()
    if not has_state:
        return None
    row = conn.execute(
        text(f"SELECT version FROM {STATE_TABLE} WHERE name = :name"), {"name": STEMS_TABLE}
    ).first()
    return row[0] if row else None


def index_is_current(conn: Any) -> bool:
    return index_version(conn) == SCHEMA_VERSION


def ensure_search_index(conn: Any) -> bool:
    """Rebuild the indexes when missing or outdated; True when it rebuilt.

    ``conn`` is a SQLAlchemy ``Connection`` or ``Session`` on SQLite.  The
    covering indexes search filters through are added here too when missing
    (``archive.search.sqlite_plan``).
    """
    ensure_filter_indexes(conn)
    if index_is_current(conn):
        return False
    rebuild_search_index(conn)
    return True


def rebuild_search_index(conn: Any) -> int:
    """Drop and recreate both indexes and their triggers; returns articles indexed."""
    logger.info("rebuilding the full-text indexes (stemming %s)", STEMMING_VERSION)
    for trigger in TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    conn.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))
    conn.execute(text(f"DROP TABLE IF EXISTS {STEMS_TABLE}"))
    for statement in FTS_SCHEMA:
        conn.execute(text(statement))
    conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
    count = _fill_stems(conn)
    conn.execute(
        text(f"INSERT OR REPLACE INTO {STATE_TABLE}(name, version) VALUES (:name, :version)"),
        {"name": STEMS_TABLE, "version": SCHEMA_VERSION},
    )
    return count


def _fill_stems(conn: Any) -> int:
    """Stem in Python, in batches, so memory stays flat on a large archive."""
    count, last_id = 0, 0
    while True:
        rows = conn.execute(
            text("SELECT id, title, text FROM articles WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last_id, "n": REBUILD_BATCH},
        ).all()
        if not rows:
            return count
        conn.execute(
            text(f"INSERT INTO {STEMS_TABLE}(rowid, title, text) VALUES (:id, :title, :text)"),
            [{"id": r.id, "title": stem_text(r.title), "text": stem_text(r.text)} for r in rows],
        )
        count += len(rows)
        last_id = rows[-1].id
