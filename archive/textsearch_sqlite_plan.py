"""Fast search plans on SQLite: filter through covering indexes, fetch wide rows last.

An article row holds its whole text, so SQLite walks a chain of overflow pages
to reach any column stored after it (language, published, is_relevant…).
Checking the filters of the ~30 000 matches of a common word that way was most
of a search's time at 100 000 articles.  Two covering indexes keep the filter
columns together, away from the text:

* ``ix_articles_search_filters`` (id first): a full-text match joins the
  articles by id.  SQLite's planner always prefers the rowid lookup there, so
  the join names this index (``INDEXED BY``, ``indexed_articles``).
* ``ix_articles_by_date`` (published, id first): lists without words walk it
  newest first and stop after one page.  Named too: without it the planner
  starts from a person's or organisation's mentions and reads every one of
  their articles' wide rows to sort them by date.

``archive.search`` then chooses the page of ids over these narrow indexes and
fetches titles and texts for those rows only.  The indexes are SQLite-only
and created on opening when missing (``ensure_filter_indexes``), so existing
archives get them without a migration.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Alias
from sqlalchemy.sql.util import ClauseAdapter

from archive.models import Article

FILTER_COLUMNS = "is_relevant, language, source, relevance"
SEARCH_INDEX = "ix_articles_search_filters"
DATE_INDEX = "ix_articles_by_date"
MMAP_BYTES = 256 * 1024 * 1024
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


def map_for_reading(conn: Any) -> None:
    """Read the file through a memory map: large posting lists (common words) without a copy per page.

    Searches only: the mapped pages count towards a process's resident memory,
    which exports keep flat.
    """
    conn.execute(text(f"PRAGMA mmap_size={MMAP_BYTES}"))


class _IndexedArticles(Alias):
    """``articles`` read through one covering index (rendered with ``INDEXED BY`` on SQLite)."""

    inherit_cache = True
    index_name = SEARCH_INDEX


class _ArticlesByDate(_IndexedArticles):
    inherit_cache = True
    index_name = DATE_INDEX


@compiles(_IndexedArticles)
def _render_plain(element: _IndexedArticles, compiler: Any, **kw: Any) -> str:
    return compiler.visit_alias(element, **kw)


@compiles(_IndexedArticles, "sqlite")
def _render_indexed(element: _IndexedArticles, compiler: Any, **kw: Any) -> str:
    rendered = compiler.visit_alias(element, **kw)
    return f"{rendered} INDEXED BY {element.index_name}" if kw.get("asfrom") else rendered


def indexed_articles(stmt: Select[Any], *, by_date: bool = False) -> Select[Any]:
    """``stmt`` with every use of ``articles`` read from a covering index instead.

    ``by_date``: walk ``DATE_INDEX`` newest first (lists without words, which
    stop after one page); else look rows up by id in ``SEARCH_INDEX`` (the
    matches of a word search, or the articles naming a person).  Only for
    statements that need no column outside the index: it has no title or text.
    """
    kind = _ArticlesByDate if by_date else _IndexedArticles
    alias = kind._construct(Article.__table__, name="article_filters")
    return ClauseAdapter(alias).traverse(stmt)
