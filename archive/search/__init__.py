"""Full-text search over the archive, in Russian and English word forms, on SQLite and PostgreSQL.

Modules (public names are imported from ``archive.search``):

* ``syntax`` – the search language (phrases, OR, NOT/-word, prefix*) parsed
  forgivingly into a small tree, and its bounds (``MAX_QUERY_CHARS``,
  ``MAX_QUERY_TERMS``, ``check_bounds``);
* ``query`` – ``SearchQuery``: build the statement (``build_search``), then run
  it (``search``, ``search_count``); filters by source, language, dates,
  relevance, person and organisation (``check_source``: an unknown source
  name is refused with the archive's names);
* ``sqlite``, ``sqlite_plan`` – FTS5 matching over the stemmed index, and the
  plans that filter through covering indexes before reading wide rows;
* ``postgres`` – matching against the stored ``tsvector``;
* ``deadline`` – the time budget of one search (``SEARCH_TIME_LIMIT``,
  ``time_limit``): past it the database stops and the query is refused;
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
from archive.search.deadline import SEARCH_TIME_LIMIT, time_limit
from archive.search.periods import PERIODS, date_bound, period_key, period_range
from archive.search.query import (
    SearchHit,
    SearchQuery,
    build_search,
    build_search_count,
    check_source,
    filtered_article_ids,
    prepare,
    search,
    search_count,
    search_with_count,
)
from archive.search.snippet import make_snippet
from archive.search.syntax import (
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    ParsedQuery,
    check_bounds,
    parse_query,
)

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "PERIODS",
    "SEARCH_TIME_LIMIT",
    "Companion",
    "FacetValue",
    "Facets",
    "ParsedQuery",
    "PeriodCount",
    "SearchHit",
    "SearchQuery",
    "Timeline",
    "build_search",
    "build_search_count",
    "check_bounds",
    "check_source",
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
    "search_with_count",
    "time_limit",
    "timeline",
    "timelines",
]
