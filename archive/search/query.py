"""Search over the archive: build the query, then run it.

``build_search(query, dialect_name)`` is pure: it returns a ``Select`` that
tests compile and inspect.  ``search(session, query)`` runs it and cuts the
snippets.  Words are matched by stem (``archive.knowledge.morphology``), so inflected
forms find each other in Russian and English, on each backend in its own way
(``BACKENDS``): SQLite through the FTS5 shadow index of stems, PostgreSQL
through its ``russian`` text search configuration.

The text is parsed by a forgiving query language (``syntax``:
phrases, AND / OR / NOT, prefix*) that never fails; ``raw=True`` hands the
text to the backend's own syntax instead, and its errors become
``ArchiveError``.  Every value reaches the database as a bound parameter.
The same filters serve ``archive.export`` (``filtered_article_ids``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from types import SimpleNamespace
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, func, literal, select, true
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.db import CASEFOLD_FUNCTION, ensure_search_index
from archive.errors import ArchiveError, QueryError, error_reason
from archive.models import Article, Entity, Mention
from archive.search import deadline, postgres, sqlite, sqlite_plan
from archive.search.snippet import SNIPPET_WIDTH, snippet_maker
from archive.search.syntax import ParsedQuery, check_bounds, parse_query

SORTS = ("relevance", "date")
MAX_OFFSET = 1_000_000_000  # far past any archive; a bigger one overflows the databases' integers


@dataclass(frozen=True)
class SearchQuery:
    """What the user asked for; empty ``text`` lists by date with the filters."""

    text: str = ""
    raw: bool = False
    person: str | None = None
    org: str | None = None
    lang: str | None = None
    since: date | None = None
    until: date | None = None
    source: str | None = None
    include_all: bool = False
    min_relevance: float | None = None
    sort: Literal["relevance", "date"] | None = None
    limit: int = 20
    offset: int = 0
    time_limit: float | None = deadline.SEARCH_TIME_LIMIT  # seconds; past it the search is stopped (QueryError)

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ArchiveError(f"--limit must be at least 1 (got {self.limit})")
        if self.offset < 0:
            raise ArchiveError(f"--offset cannot be negative (got {self.offset})")
        if self.offset > MAX_OFFSET or self.limit > MAX_OFFSET:
            raise ArchiveError(f"--offset and --limit must be at most {MAX_OFFSET}")
        for option, value in (("query", self.text), ("--person", self.person), ("--org", self.org),
                              ("--source", self.source), ("--lang", self.lang)):
            _check_text(option, value)
        if self.sort is not None and self.sort not in SORTS:
            raise ArchiveError(f"--sort must be one of {', '.join(SORTS)} (got {self.sort!r})")
        if self.since and self.until and self.since > self.until:
            raise ArchiveError(f"--since {self.since} is after --until {self.until}")
        if self.time_limit is not None and not self.time_limit > 0:
            raise ArchiveError(f"--time-limit must be more than 0 seconds (got {self.time_limit})")
        check_bounds(self.text, raw=self.raw)  # QueryError: too long, too many terms, or no words

    @cached_property
    def parsed(self) -> ParsedQuery:
        return ParsedQuery() if self.raw else parse_query(self.text)

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip()) if self.raw else bool(self.parsed)


def _check_text(option: str, value: str | None) -> None:
    """``QueryError`` for text that is not Unicode (bytes a terminal could not decode reach us as surrogates)."""
    if value is None:
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(f"the {option} text is not valid UTF-8: {value!r}") from None


@dataclass(frozen=True)
class SearchHit:
    """One result: enough to show a line and follow the link."""

    url: str
    title: str | None
    published: date | None
    source: str
    language: str | None
    snippet: str
    score: float
    article_id: int = 0
    extract_error: str | None = None  # the stages that raised on the page (pipelines.guard)


@dataclass(frozen=True)
class Backend:
    """How one database matches words, and how it folds names for the entity filter."""

    restrict: Callable[[Select[Any], ParsedQuery | None, str | None], tuple[Select[Any], ColumnElement[Any]]]
    casefold: Callable[[ColumnElement[Any]], ColumnElement[Any]]


BACKENDS: dict[str, Backend] = {
    # SQLite's lower() folds ASCII only; ours (registered in archive.db) folds Cyrillic too.
    "sqlite": Backend(sqlite.restrict, lambda expr: getattr(func, CASEFOLD_FUNCTION)(expr)),
    "postgresql": Backend(postgres.restrict, func.lower),
}


# The entity filter (``_mentions_entity``) takes the backend under its former name.
TextMatcher = Backend


def backend_for(dialect_name: str) -> Backend:
    try:
        return BACKENDS[dialect_name]
    except KeyError:
        raise ArchiveError(f"search is not supported on {dialect_name!r}; use SQLite or PostgreSQL") from None


# --- building ----------------------------------------------------------------------


def _filters(query: SearchQuery, matcher: Backend) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not query.include_all:
        conditions.append(Article.is_relevant.is_(True))
    if query.min_relevance is not None:
        conditions.append(Article.relevance >= query.min_relevance)
    if query.lang:
        conditions.append(Article.language == query.lang.lower())
    if query.source:
        conditions.append(Article.source == query.source)
    if query.since:
        conditions.append(Article.published >= query.since)
    if query.until:
        conditions.append(Article.published <= query.until)
    for kind, name in (("person", query.person), ("org", query.org)):
        if name:
            conditions.append(_mentions_entity(kind, name, matcher))
    return conditions


def _mentions_entity(kind: str, name: str, matcher: TextMatcher) -> ColumnElement[bool]:
    """The article mentions an entity of ``kind`` that ``name`` names, by any alias in any script.

    Uncorrelated: the few matching entities are found once, their mentions
    through the index on ``mentions.entity_id``, and the article ids tested
    as a set, instead of one entity lookup per candidate article.
    """
    from archive.search.entity_filter import entity_name_matches

    entity_ids = select(Entity.id).where(Entity.kind == kind, entity_name_matches(kind, name, matcher.casefold))
    return Article.id.in_(select(Mention.article_id).where(Mention.entity_id.in_(entity_ids)))


def _restricted(stmt: Select[Any], query: SearchQuery, dialect_name: str) -> tuple[Select[Any], ColumnElement[Any]]:
    """``stmt`` with the words and filters applied, and the score column."""
    backend = backend_for(dialect_name)
    score: ColumnElement[Any] = literal(0.0)
    if query.has_text:
        raw = query.text if query.raw else None
        stmt, score = backend.restrict(stmt, None if query.raw else query.parsed, raw)
    conditions = _filters(query, backend)
    return (stmt.where(and_(*conditions)) if conditions else stmt), score


def _order(query: SearchQuery, score: ColumnElement[Any], published: Any, article_id: Any) -> list[Any]:
    """Best first (ties newest first), or newest first; ``id`` makes the order total."""
    by_date = [published.desc().nulls_last(), article_id.desc()]
    sort = query.sort or ("relevance" if query.has_text else "date")
    return [score.desc(), *by_date] if sort == "relevance" and query.has_text else by_date


def _narrowed(stmt: Select[Any], query: SearchQuery, dialect_name: str) -> Select[Any]:
    """On SQLite, ids and filter columns come from a covering index, never from the wide rows."""
    if dialect_name != "sqlite":
        return stmt
    return sqlite_plan.indexed_articles(stmt, by_date=not query.has_text)


def build_search(query: SearchQuery, dialect_name: str) -> Select[Any]:
    """SELECT id, url, title, published, source, language, text, score for ``query``.

    Two stages: the page of ids and scores is chosen first (``page``), from
    the narrow filter columns, then the wide columns (title, text) are read
    for those rows only, never for every match.
    """
    stmt, score = _restricted(select(Article.id, Article.published).select_from(Article), query, dialect_name)
    # Ordering by the label, not a copy of the expression, computes bm25 once per match instead of twice.
    scored = score.label("score")
    stmt = stmt.add_columns(scored).order_by(*_order(query, scored, Article.published, Article.id))
    page = _narrowed(stmt.limit(query.limit).offset(query.offset), query, dialect_name).subquery("page")
    return (
        select(*_hit_columns(), page.c.score)
        .join(page, page.c.id == Article.id)
        .order_by(*_order(query, page.c.score, page.c.published, page.c.id))
    )


def _hit_columns() -> list[Any]:
    """What a hit shows, read for the rows of one page only."""
    return [
        Article.id,
        Article.canonical_url.label("url"),
        Article.title,
        Article.published,
        Article.source,
        Article.language,
        Article.text,
        Article.extract_error,
    ]


def build_search_count(query: SearchQuery, dialect_name: str) -> Select[Any]:
    """SELECT count(*) of every hit for ``query``, ignoring limit and offset."""
    stmt, _score = _restricted(select(func.count(Article.id)).select_from(Article), query, dialect_name)
    return _narrowed(stmt, query, dialect_name)


def build_grouped(query: SearchQuery, dialect_name: str, *columns: Any) -> Select[Any]:
    """SELECT ``columns``, count(*) of the articles ``query`` finds, grouped by ``columns``.

    The columns must be filter columns (published, source, language): on
    SQLite the counts then come from a covering index, never the wide rows.
    """
    stmt, _score = _restricted(select(*columns, func.count()).select_from(Article), query, dialect_name)
    return _counted(stmt.group_by(*columns), query, dialect_name)


def counted_article_ids(query: SearchQuery, dialect_name: str, *columns: Any) -> Select[Any]:
    """SELECT the ids (and filter ``columns``) of every article ``query`` finds, planned for counting them all."""
    stmt, _score = _restricted(select(Article.id, *columns).select_from(Article), query, dialect_name)
    return _counted(stmt, query, dialect_name)


def _counted(stmt: Select[Any], query: SearchQuery, dialect_name: str) -> Select[Any]:
    """``_narrowed`` for statements that visit every match: a person's or organisation's few
    articles are looked up by id, not found by walking the whole date index."""
    if dialect_name != "sqlite":
        return stmt
    return sqlite_plan.indexed_articles(stmt, by_date=not (query.has_text or query.person or query.org))


def filtered_article_ids(query: SearchQuery, dialect_name: str) -> Select[Any]:
    """SELECT the ids of every article ``query`` finds (for exports and the site)."""
    stmt, _score = _restricted(select(Article.id).select_from(Article), query, dialect_name)
    return _narrowed(stmt, query, dialect_name)


# --- running ------------------------------------------------------------------------


def prepare(session: Session) -> str:
    """The session's dialect name; on SQLite, (re)builds a missing or outdated index first."""
    dialect_name = session.get_bind().dialect.name
    if dialect_name == "sqlite":
        try:
            ensure_search_index(session)
        except SQLAlchemyError as exc:
            raise ArchiveError(f"cannot build the search index: {error_reason(exc)}") from exc
    return dialect_name


def check_source(session: Session, query: SearchQuery) -> None:
    """``ArchiveError`` naming the archive's sources when ``query.source`` names none of its articles.

    Called when a search found nothing, so that a misspelt source is not
    mistaken for an empty result.
    """
    if not query.source:
        return
    if execute(session, select(Article.id).where(Article.source == query.source).limit(1)):
        return
    names = [row[0] for row in execute(session, select(Article.source).distinct().order_by(Article.source))]
    known = ", ".join(names) if names else "none yet"
    raise ArchiveError(f"no source named {query.source!r} in this archive; its sources: {known}")


def search(session: Session, query: SearchQuery, marks: tuple[str, str] = ("[", "]")) -> list[SearchHit]:
    """Run ``query``; hits best first (or newest first without words); ``marks`` enclose matches in snippets.

    ``QueryError`` when it needs more than ``query.time_limit`` seconds.
    """
    dialect_name = prepare(session)
    with deadline.time_limit(session, query.time_limit):
        hits = _search(session, query, dialect_name, marks)
        if not hits:
            check_source(session, query)
    return hits


def search_with_count(session: Session, query: SearchQuery) -> tuple[list[SearchHit], int]:
    """The page of hits and the number of all hits, under one time budget (``query.time_limit``)."""
    prepare(session)
    with deadline.time_limit(session, query.time_limit):
        return search(session, query), search_count(session, query)


def _search(session: Session, query: SearchQuery, dialect_name: str, marks: tuple[str, str]) -> list[SearchHit]:
    if dialect_name == "sqlite":
        sqlite_plan.map_for_reading(session)
    rows = _best_rows_sqlite(session, query) if _ranks_from_best(query, dialect_name) else None
    if rows is None:
        rows = execute(session, build_search(query, dialect_name))
    terms = query.parsed.positive_terms if not query.raw else parse_query(query.text).positive_terms
    snippet = snippet_maker(terms, SNIPPET_WIDTH, marks)
    return [
        SearchHit(
            url=row.url,
            title=row.title,
            published=row.published,
            source=row.source,
            language=row.language,
            snippet=snippet(row.text),
            score=float(row.score or 0.0),
            article_id=row.id,
            extract_error=row.extract_error,
        )
        for row in rows
    ]


def _ranks_from_best(query: SearchQuery, dialect_name: str) -> bool:
    """Whether to try the page from the best matches first (SQLite, ranked, no person or org filter).

    A person or organisation filter passes few articles, so the best
    matches would seldom hold a page of them: the full plan is cheaper then.
    """
    sort = query.sort or "relevance"
    named = query.person or query.org
    return dialect_name == "sqlite" and query.has_text and sort == "relevance" and not named


def _best_rows_sqlite(session: Session, query: SearchQuery) -> list[Any] | None:
    """The page cut from the best-scored matches only (``sqlite_plan.ranked_page``).

    None when that cannot be proved to be the page the full plan
    (``build_search``) gives: the caller runs the full plan then.
    """
    count = sqlite_plan.candidate_count(query.offset + query.limit)
    if count is None:
        return None
    raw = query.text if query.raw else None
    best = sqlite.best_matches(None if query.raw else query.parsed, raw, count)
    if best is None:
        return None
    conditions = _filters(query, backend_for("sqlite"))
    passes = and_(*conditions) if conditions else true()
    page = sqlite_plan.ranked_page(
        execute(session, sqlite_plan.candidates(best, passes)), count, query.offset, query.limit
    )
    if not page:
        return page  # None: not provable; []: no hits
    scores = {row.id: row.score for row in page}
    rows = {row.id: row for row in execute(session, select(*_hit_columns()).where(Article.id.in_(scores)))}
    return [SimpleNamespace(**rows[article_id]._mapping, score=score) for article_id, score in scores.items()]


def search_count(session: Session, query: SearchQuery) -> int:
    """How many articles match ``query`` in all (for "showing 20 of N")."""
    dialect_name = prepare(session)
    with deadline.time_limit(session, query.time_limit):
        count = int(execute(session, build_search_count(query, dialect_name))[0][0])
        if not count:
            check_source(session, query)
    return count


def execute(session: Session, stmt: Select[Any]) -> list[Any]:
    """Run a search statement; database errors (bad raw syntax) become ``ArchiveError``.

    Inside a time budget (``deadline``), a statement the budget stopped is a ``QueryError``.
    """
    try:
        deadline.before_statement(session)
        return list(session.execute(stmt))
    except SQLAlchemyError as exc:
        stopped = deadline.stopped(session)
        if stopped is not None:
            raise stopped from exc
        raise ArchiveError(f"search failed: {error_reason(exc)}") from exc

