"""The whole picture of a query: attention over time, facets, and who appears with whom.

Every function takes the same ``SearchQuery`` as ``search`` and counts the
articles it finds (each article once), whatever its ``limit`` and ``offset``:

* ``timeline`` – matching articles per week, month or year, with the number
  of articles in the searched collection in that period and the share.  The
  collection is what the query searches before its words and names: the
  relevance scope (``include_all``, ``min_relevance``), the language and the
  source.  Every period between the first and the last is listed (empty ones
  too), from ``since``/``until`` when given, else from the collection's first
  and last dated article; undated matches are counted apart.
* ``facets`` – the people, organisations, places, sources and languages
  named in most matching articles, with the number of articles.
* ``co_occurring`` – for a person or organisation (named as ``--person``
  names it, any alias in any script), the people and organisations named in
  the same matching articles: how many articles, first and last date.

Counts are grouped by the database; only per-day counts and per-entity rows
come back to Python.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Integer, Select, String, distinct, func, literal, select, union_all
from sqlalchemy.orm import Session

from archive.models import Article, Entity, Mention
from archive.search import deadline
from archive.search.entity_filter import entity_name_matches
from archive.search.periods import check_period, period_key, period_range
from archive.search.query import (
    SearchQuery,
    backend_for,
    build_grouped,
    counted_article_ids,
    execute,
    prepare,
)

FACET_KINDS = {"person": "people", "org": "organisations", "place": "places"}
DEFAULT_TOP = 10


@dataclass(frozen=True)
class PeriodCount:
    """Matching articles in one period, and all articles of the collection in it."""

    period: str
    matches: int
    total: int

    @property
    def share(self) -> float:
        return self.matches / self.total if self.total else 0.0


@dataclass(frozen=True)
class Timeline:
    by: str
    periods: list[PeriodCount]
    undated: int = 0

    @property
    def matches(self) -> int:
        return sum(period.matches for period in self.periods) + self.undated


@dataclass(frozen=True)
class FacetValue:
    name: str
    count: int


@dataclass(frozen=True)
class Facets:
    """Top values among the matches, most articles first (ties by name)."""

    people: list[FacetValue] = field(default_factory=list)
    organisations: list[FacetValue] = field(default_factory=list)
    places: list[FacetValue] = field(default_factory=list)
    sources: list[FacetValue] = field(default_factory=list)
    languages: list[FacetValue] = field(default_factory=list)


@dataclass(frozen=True)
class Companion:
    """An entity named in the same articles as another: how often, and over which period."""

    kind: str
    name: str
    articles: int
    first: date | None
    last: date | None


def collection(query: SearchQuery) -> SearchQuery:
    """What ``query`` searches before its words and names: the base of a share."""
    return replace(query, text="", raw=False, person=None, org=None, limit=1, offset=0)


def _per_day(session: Session, query: SearchQuery) -> Counter[date | None]:
    stmt = build_grouped(query, prepare(session), Article.published)
    return Counter({published: count for published, count in execute(session, stmt)})


def timeline(session: Session, query: SearchQuery, by: str = "month") -> Timeline:
    """Matching articles per period, with the collection's articles per period (for the share)."""
    return timelines(session, [query], by)[0]


def timelines(session: Session, queries: list[SearchQuery], by: str = "month") -> list[Timeline]:
    """``timeline`` of several queries compared on one chart; a collection shared by them is counted once."""
    check_period(by)
    totals: dict[SearchQuery, Counter[date | None]] = {}
    found = []
    for query in queries:
        base = collection(query)
        with deadline.time_limit(session, query.time_limit):  # each query compared has the budget of one search
            if base not in totals:
                totals[base] = _per_day(session, base)
            found.append(_periods(query, by, _per_day(session, query), totals[base]))
    return found


def _periods(query: SearchQuery, by: str, matches: Counter[date | None], totals: Counter[date | None]) -> Timeline:
    dated = [day for day in totals if day is not None]
    if not dated:
        return Timeline(by, [], matches.get(None, 0))
    first = query.since or min(dated)
    last = query.until or max(dated)
    counted: dict[str, list[int]] = {key: [0, 0] for key in period_range(first, last, by)}
    for index, counts in ((0, matches), (1, totals)):
        for day, count in counts.items():
            if day is not None and period_key(day, by) in counted:
                counted[period_key(day, by)][index] += count
    periods = [PeriodCount(key, m, t) for key, (m, t) in counted.items()]
    return Timeline(by, periods, matches.get(None, 0))


def facets(session: Session, query: SearchQuery, top: int = DEFAULT_TOP) -> Facets:
    """The ``top`` people, organisations, places, sources and languages of the matching articles.

    One statement: the matches are found once (a CTE both databases
    materialise when it is read more than once), then counted by entity
    (through their mentions), by source and by language.
    """
    matched = counted_article_ids(query, prepare(session), Article.source, Article.language).cte("matched")
    by_entity = (
        select(literal("entity").label("facet"), Mention.entity_id.label("entity_id"),
               literal(None, String).label("value"), func.count(distinct(Mention.article_id)).label("articles"))
        .select_from(matched).join(Mention, Mention.article_id == matched.c.id).group_by(Mention.entity_id)
    )
    by_value = [
        select(literal(name), literal(None, Integer), column, func.count()).select_from(matched).group_by(column)
        for name, column in (("sources", matched.c.source), ("languages", matched.c.language))
    ]
    counts: dict[str, Counter[Any]] = {"entity": Counter(), "sources": Counter(), "languages": Counter()}
    with deadline.time_limit(session, query.time_limit):
        for facet, entity_id, value, articles in execute(session, union_all(by_entity, *by_value)):
            counts[facet][entity_id if facet == "entity" else (value or "unknown")] += articles
        names = _entity_names(session, list(counts["entity"]))
    by_kind: dict[str, list[FacetValue]] = {kind: [] for kind in FACET_KINDS}
    for entity_id, (kind, name) in names.items():
        if kind in by_kind:
            by_kind[kind].append(FacetValue(name, counts["entity"][entity_id]))
    values = {FACET_KINDS[kind]: _top(found, top) for kind, found in by_kind.items()}
    for name in ("sources", "languages"):
        values[name] = _top([FacetValue(value, count) for value, count in counts[name].items()], top)
    return Facets(**values)


def _entity_names(session: Session, entity_ids: list[int]) -> dict[int, tuple[str, str]]:
    names: dict[int, tuple[str, str]] = {}
    for start in range(0, len(entity_ids), 500):
        batch = select(Entity.id, Entity.kind, Entity.name).where(Entity.id.in_(entity_ids[start : start + 500]))
        names.update((entity_id, (kind, name)) for entity_id, kind, name in execute(session, batch))
    return names


def _top(values: list[FacetValue], top: int) -> list[FacetValue]:
    return sorted(values, key=lambda value: (-value.count, value.name))[:top]


def co_occurring(session: Session, query: SearchQuery, kind: str, name: str,
                 top: int = DEFAULT_TOP) -> list[Companion]:
    """People and organisations named with the ``kind`` entity ``name`` in the articles ``query`` finds."""
    dialect_name = prepare(session)
    named = replace(query, person=name) if kind == "person" else replace(query, org=name)
    itself = select(Entity.id).where(
        Entity.kind == kind, entity_name_matches(kind, name, backend_for(dialect_name).casefold)
    )
    with deadline.time_limit(session, query.time_limit):
        excluded = {entity_id for (entity_id,) in execute(session, itself)}
        named_with = _named_in(session, counted_article_ids(named, dialect_name, Article.published), excluded)
    found = [
        Companion(other_kind, other_name, count, first, last)
        for other_kind, other_name, count, first, last in named_with
        if other_kind in ("person", "org")
    ]
    return sorted(found, key=lambda c: (-c.articles, c.name))[:top]


def _named_in(session: Session, ids: Select[Any],
              excluded: set[int]) -> list[tuple[str, str, int, date | None, date | None]]:
    """(kind, name, articles, first, last) of every entity named in the articles ``ids`` selects (id, published).

    Driven from the mentions of those articles (by ``mentions.article_id``),
    not from the entities: starting from every entity of a kind read all
    300 000 mentions of a 100 000-article archive to keep a few hundred.
    """
    matched = ids.subquery("matched")
    stmt = (
        select(Mention.entity_id, func.count(distinct(Mention.article_id)),
               func.min(matched.c.published), func.max(matched.c.published))
        .select_from(matched).join(Mention, Mention.article_id == matched.c.id).group_by(Mention.entity_id)
    )
    counts = {row[0]: row[1:] for row in execute(session, stmt) if row[0] not in excluded}
    names = _entity_names(session, list(counts))
    return [(*names[entity_id], *found) for entity_id, found in counts.items() if entity_id in names]
