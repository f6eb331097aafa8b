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
fetches titles and texts for those rows only.  A ranked page is tried first
from FTS5's few best-scored matches (``candidates``, ``ranked_page``), so
that a common word's ~30 000 matches are scored but not all looked up here.  The indexes are SQLite-only
and created on opening when missing (``ensure_filter_indexes``), so existing
archives get them without a migration.
"""

from __future__ import annotations

import heapq
from typing import Any

from sqlalchemy import Select, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Alias
from sqlalchemy.sql.util import ClauseAdapter

from archive.db import DATE_INDEX, SEARCH_INDEX
from archive.models import Article

MMAP_BYTES = 256 * 1024 * 1024

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


# --- ranked pages from the best matches ------------------------------------------------
#
# bm25 is computed for every match whatever the plan; what a ranked page need
# not do is look up the filter columns of all ~30 000 matches of a common
# word.  FTS5 keeps the ``count`` best-scored matches in a bounded sort, only
# those are joined to the filter index, and the page is cut from them when
# that is provably the page the full plan would give; otherwise the caller
# runs the full plan (``archive.search.build_search``).

MIN_CANDIDATES = 200
CANDIDATES_PER_HIT = 4
MAX_CANDIDATES = 1000  # deeper pages: the full plan, whose cost does not grow with the offset


def candidate_count(wanted: int) -> int | None:
    """How many best matches to rank a page of ``wanted`` hits (offset + limit) from, or None."""
    count = max(MIN_CANDIDATES, CANDIDATES_PER_HIT * wanted)
    return count if count <= MAX_CANDIDATES else None


def candidates(best: Select[Any], passes: Any) -> Select[Any]:
    """SELECT id, score, published, passes (the filters) of the rows ``best`` selects (id, score)."""
    best_rows = best.subquery("best")
    articles = _IndexedArticles._construct(Article.__table__, name="article_filters")
    # Only the filters are rewritten onto the index: cloning the whole statement cost more than the query.
    passes = ClauseAdapter(articles).traverse(passes)
    return (
        select(best_rows.c.id, best_rows.c.score, articles.c.published, passes.label("passes"))
        .select_from(best_rows)
        .join(articles, articles.c.id == best_rows.c.id, isouter=True)  # every candidate counts, even unmatched
    )


def ranked_page(rows: list[Any], count: int, offset: int, limit: int) -> list[Any] | None:
    """The page (best first, ties newest first, then by id) cut from ``count`` best matches, or None.

    Exact or nothing: every match outside the candidates scores at most the
    lowest candidate score, so when enough candidates that pass the filters
    score strictly above it, the first ``offset + limit`` hits are among them.
    Fewer than ``count`` rows means every match is a candidate.
    """
    if len(rows) < count:
        sure = [row for row in rows if row.passes]
    else:
        lowest = min(row.score for row in rows)
        sure = [row for row in rows if row.passes and row.score > lowest]
        if len(sure) < offset + limit:
            return None
    return heapq.nsmallest(offset + limit, sure, key=_best_first)[offset:]


def _best_first(row: Any) -> tuple[Any, ...]:
    # The full plan's ORDER BY score DESC, published DESC NULLS LAST, id DESC.
    published = row.published.toordinal() if row.published is not None else 0
    return (-row.score, row.published is None, -published, -row.id)
