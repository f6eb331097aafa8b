"""Full-text search over the archive, in Russian and English word forms, on SQLite and PostgreSQL.

Modules (public names are imported from ``archive.search``):

* ``syntax`` – the search language (phrases, OR, NOT/-word, prefix*) parsed
  forgivingly into a small tree;
* ``query`` – ``SearchQuery``: build the statement (``build_search``), then run
  it (``search``, ``search_count``); filters by source, language, dates,
  relevance, person and organisation;
* ``sqlite``, ``sqlite_plan`` – FTS5 matching over the stemmed index, and the
  plans that filter through covering indexes before reading wide rows;
* ``postgres`` – matching against the stored ``tsvector``;
* ``snippet`` – a window of the text with the matched words marked;
* ``entity_filter`` – an entity by any of its names, in any script;
* ``aggregate`` – the whole picture of a query: ``timeline`` (matches and
  share per week, month or year; ``timelines`` for several compared),
  ``facets`` (top people, organisations, places, sources, languages),
  ``co_occurring`` (who appears with an entity);
* ``periods`` – date bounds a researcher types (a year, a month, a day) and
  the periods timelines count in.

May import: ``archive.db``, ``archive.models``, ``archive.errors``, ``archive.knowledge``.
"""

from archive.search.aggregate import (
    Companion,
    Facets,
    FacetValue,
    PeriodCount,
    Timeline,
    co_occurring,
    collection,
    facets,
    timeline,
    timelines,
)
from archive.search.periods import PERIODS, date_bound, period_key, period_range
from archive.search.query import (
    SearchHit,
    SearchQuery,
    build_search,
    build_search_count,
    filtered_article_ids,
    prepare,
    search,
    search_count,
)
from archive.search.snippet import make_snippet
from archive.search.syntax import ParsedQuery, parse_query

__all__ = [
    "Companion",
    "FacetValue",
    "Facets",
    "PERIODS",
    "ParsedQuery",
    "PeriodCount",
    "SearchHit",
    "SearchQuery",
    "Timeline",
    "build_search",
    "build_search_count",
    "co_occurring",
    "collection",
    "date_bound",
    "facets",
    "filtered_article_ids",
    "make_snippet",
    "parse_query",
    "period_key",
    "period_range",
    "prepare",
    "search",
    "search_count",
    "timeline",
    "timelines",
]
