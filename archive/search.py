"""Full-text search over the archive: build the query, then run it.

``build_search(query, dialect_name)`` is pure: it returns a ``Select`` that
tests can compile and inspect.  ``search(session, query)`` runs it.

How words are matched depends on the database (``MATCHERS``):

* SQLite – the FTS5 index ``articles_fts`` (unicode61, diacritics removed),
  ranked by bm25 with the title weighted above the body, snippets from FTS5.
* anything else – case-insensitive substring match on title and text, ranked
  by where the words occur, snippets cut in Python.

User text is never FTS syntax: every whitespace-separated word becomes a
quoted FTS5 string (all words must match), so ``"INO``, ``AND OR``, ``*`` or
``NEAR(`` are searched as plain words and never raise.  Every value reaches
the database as a bound parameter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    column,
    exists,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.db import CASEFOLD_FUNCTION
from archive.errors import ArchiveError
from archive.models import Article, Entity, Mention

FTS_TABLE = "articles_fts"
SNIPPET_WIDTH = 160
SNIPPET_TOKENS = 24
TITLE_WEIGHT = 10.0

_WORD = re.compile(r"\w")
_WORDS = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchQuery:
    """What the user asked for; empty ``text`` lists by date with the filters."""

    text: str = ""
    person: str | None = None
    org: str | None = None
    lang: str | None = None
    since: date | None = None
    until: date | None = None
    source: str | None = None
    include_all: bool = False
    limit: int = 20
    offset: int = 0

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ArchiveError(f"--limit must be at least 1 (got {self.limit})")
        if self.offset < 0:
            raise ArchiveError(f"--offset cannot be negative (got {self.offset})")


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


def search_terms(text: str) -> list[str]:
    """The user's words; pieces with no letter or digit (``-``, ``*``, ``"``) are dropped.

    >>> search_terms('"INO  AND -  Томск*')
    ['"INO', 'AND', 'Томск*']
    """
    return [word for word in text.split() if _WORD.search(word)]


def fts5_match_expression(terms: list[str]) -> str:
    """Each word as a quoted FTS5 string; adjacent strings mean AND.

    The one piece of syntax kept is a trailing ``*`` (prefix search), which
    Russian needs to reach inflected forms: ``кластер*`` finds ``кластера``.

    >>> fts5_match_expression(['NEAR(', 'кластер*'])
    '"NEAR(" "кластер"*'
    """
    return " ".join(_fts5_string(term) for term in terms)


def _fts5_string(term: str) -> str:
    stem = term.rstrip("*")
    suffix = "*" if stem != term and _WORD.search(stem) else ""
    body = stem if suffix else term
    return '"' + body.replace('"', '""') + '"' + suffix


def like_words(terms: list[str]) -> list[str]:
    """The letters-and-digits runs of the terms, for substring matching.

    >>> like_words(['"INO', 'Томск-2020*'])
    ['INO', 'Томск', '2020']
    """
    return [word for term in terms for word in _WORDS.findall(term)]


# --- SQLite: FTS5 ----------------------------------------------------------------

_fts = table(FTS_TABLE, column("rowid"))
_fts_ref = literal_column(FTS_TABLE)  # FTS5's hidden column named after the table


def _fts5_restrict(stmt: Select[Any], terms: list[str]) -> Select[Any]:
    return stmt.join(_fts, _fts.c.rowid == Article.id).where(
        _fts_ref.op("MATCH")(fts5_match_expression(terms))
    )


def _fts5_columns(terms: list[str]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    snippet = func.snippet(_fts_ref, -1, "[", "]", "…", SNIPPET_TOKENS)
    # bm25 is lower-is-better; negate it so every dialect's score is higher-is-better.
    score = -func.bm25(_fts_ref, TITLE_WEIGHT, 1.0)
    return snippet, score


# --- other dialects: substring match ----------------------------------------------


def _like_restrict(stmt: Select[Any], terms: list[str]) -> Select[Any]:
    terms = like_words(terms)
    return stmt.where(
        *(
            Article.title.icontains(term, autoescape=True)
            | Article.text.icontains(term, autoescape=True)
            for term in terms
        )
    )


def _like_columns(terms: list[str]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    terms = like_words(terms)
    in_title = [case((Article.title.icontains(t, autoescape=True), 2.0), else_=1.0) for t in terms]
    score = in_title[0]
    for part in in_title[1:]:
        score = score + part
    # The whole text, so the snippet can be cut around the first match in Python.
    return Article.text, score


def make_snippet(text: str | None, terms: list[str], width: int = SNIPPET_WIDTH) -> str:
    """A window of ``text`` around the first term, terms marked with [ ].

    >>> make_snippet("Новости. Губернатор посетил ИНО Томск сегодня.", ["томск"], 30)
    '…посетил ИНО [Томск] сегодня.'
    """
    flat = _SPACES.sub(" ", text or "").strip()
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None
    found = pattern.search(flat) if pattern else None
    start = max(0, found.start() - width // 2) if found else 0
    end = start + width
    if start > 0:  # begin and end on word boundaries, not mid-word
        start = flat.find(" ", start, found.start() if found else None) + 1 or start
    if end < len(flat):
        end = flat.rfind(" ", start, end) if flat.rfind(" ", start, end) > start else end
    window = flat[start:end]
    if pattern:
        window = pattern.sub(lambda m: f"[{m.group(0)}]", window)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    return f"{prefix}{window}{suffix}"


@dataclass(frozen=True)
class TextMatcher:
    """How one dialect matches, ranks and excerpts search words."""

    restrict: Callable[[Select[Any], list[str]], Select[Any]]
    columns: Callable[[list[str]], tuple[ColumnElement[Any], ColumnElement[Any]]]
    finish_snippet: Callable[[str | None, list[str]], str]
    casefold: Callable[[ColumnElement[Any]], ColumnElement[Any]]


MATCHERS: dict[str, TextMatcher] = {
    "sqlite": TextMatcher(
        _fts5_restrict,
        _fts5_columns,
        lambda value, _terms: value or "",
        # SQLite's lower() folds ASCII only; ours folds Cyrillic too.
        lambda expr: getattr(func, CASEFOLD_FUNCTION)(expr),
    ),
}
DEFAULT_MATCHER = TextMatcher(
    _like_restrict,
    _like_columns,
    lambda value, terms: make_snippet(value, like_words(terms)),
    func.lower,
)


def matcher_for(dialect_name: str) -> TextMatcher:
    return MATCHERS.get(dialect_name, DEFAULT_MATCHER)


# --- building ----------------------------------------------------------------------


def _filters(query: SearchQuery, matcher: TextMatcher) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not query.include_all:
        conditions.append(Article.is_relevant.is_(True))
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
    """The article mentions an entity of ``kind`` whose name contains ``name``."""
    name_matches = matcher.casefold(Entity.name).contains(name.casefold(), autoescape=True)
    return exists().where(
        Mention.article_id == Article.id,
        Mention.entity_id == Entity.id,
        Entity.kind == kind,
        name_matches,
    )


def _restricted(stmt: Select[Any], query: SearchQuery, dialect_name: str) -> Select[Any]:
    matcher = matcher_for(dialect_name)
    terms = search_terms(query.text)
    if terms:
        stmt = matcher.restrict(stmt, terms)
    conditions = _filters(query, matcher)
    return stmt.where(and_(*conditions)) if conditions else stmt


def build_search(query: SearchQuery, dialect_name: str) -> Select[Any]:
    """SELECT url, title, published, source, language, snippet, score for ``query``."""
    matcher = matcher_for(dialect_name)
    terms = search_terms(query.text)
    if terms:
        snippet, score = matcher.columns(terms)
    else:
        snippet, score = func.substr(Article.text, 1, SNIPPET_WIDTH * 2), literal(0.0)
    stmt = select(
        Article.canonical_url.label("url"),
        Article.title,
        Article.published,
        Article.source,
        Article.language,
        snippet.label("snippet"),
        score.label("score"),
    ).select_from(Article)
    stmt = _restricted(stmt, query, dialect_name)
    order = [score.desc()] if terms else []
    order += [Article.published.desc().nulls_last(), Article.id.desc()]
    return stmt.order_by(*order).limit(query.limit).offset(query.offset)


def build_search_count(query: SearchQuery, dialect_name: str) -> Select[Any]:
    """SELECT count(*) of every hit for ``query``, ignoring limit and offset."""
    stmt = select(func.count(Article.id)).select_from(Article)
    return _restricted(stmt, query, dialect_name)


# --- running ------------------------------------------------------------------------


def search(session: Session, query: SearchQuery) -> list[SearchHit]:
    """Run ``query``; hits best first (or newest first without words)."""
    dialect_name = session.get_bind().dialect.name
    matcher = matcher_for(dialect_name)
    terms = search_terms(query.text)
    rows = _execute(session, build_search(query, dialect_name))
    finish = matcher.finish_snippet if terms else (lambda value, _t: make_snippet(value, []))
    return [
        SearchHit(
            url=row.url,
            title=row.title,
            published=row.published,
            source=row.source,
            language=row.language,
            snippet=finish(row.snippet, terms),
            score=float(row.score or 0.0),
        )
        for row in rows
    ]


def search_count(session: Session, query: SearchQuery) -> int:
    """How many articles match ``query`` in all (for "showing 20 of N")."""
    dialect_name = session.get_bind().dialect.name
    return int(_execute(session, build_search_count(query, dialect_name))[0][0])


def _execute(session: Session, stmt: Select[Any]) -> list[Any]:
    try:
        return list(session.execute(stmt))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ArchiveError(f"search failed: {reason}") from exc
