"""What the site shows, read from the archive: article summaries, entities, timelines.

Article pages are written while streaming (``article_pages``); the browse
pages and the search index need only short summaries (id, title, date,
source, language), which are kept in memory.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from archive.export import stream
from archive.models import Article, Entity, Mention
from archive.search import Companion, SearchQuery, filtered_article_ids, prepare

KINDS = {"person": "people", "org": "orgs"}
INDEXED_KINDS = ("person", "org", "place")  # places are facets, without pages of their own


@dataclass(frozen=True)
class Summary:
    """One article as listed on browse pages and in the search index."""

    id: int
    title: str
    published: date | None
    source: str
    language: str


@dataclass
class EntityPage:
    """A person, organisation or place: its articles and mentions per month."""

    kind: str
    name: str
    id: int = 0
    articles: list[Summary] = field(default_factory=list)
    months: Counter[str] = field(default_factory=Counter)


def companions(page: EntityPage, by_article: dict[int, list[EntityPage]], top: int = 15) -> list[Companion]:
    """People and organisations named in ``page``'s articles, most shared articles first.

    ``by_article``: article id -> the entity pages naming it.
    """
    shared: dict[int, list[Summary]] = defaultdict(list)
    others: dict[int, EntityPage] = {}
    for article in page.articles:
        for other in by_article.get(article.id, ()):
            if other is not page and other.kind in KINDS:
                shared[id(other)].append(article)
                others[id(other)] = other
    found = []
    for key, articles in shared.items():
        dates = [article.published for article in articles if article.published]
        found.append(Companion(others[key].kind, others[key].name, len(articles), min(dates, default=None),
                               max(dates, default=None)))
    found.sort(key=lambda companion: (-companion.articles, companion.name))
    return found[:top]


def _scoped(stmt: Select[Any], session: Session, query: SearchQuery) -> Select[Any]:
    return stmt.where(Article.id.in_(filtered_article_ids(query, prepare(session))))


def article_pages(session: Session, query: SearchQuery) -> Iterator[Any]:
    """Every article with its text and entity names, newest first."""
    stmt = select(
        Article.id, Article.canonical_url, Article.url, Article.title, Article.text, Article.published,
        Article.source, Article.language, Article.people, Article.organisations, Article.places,
    ).order_by(Article.published.desc().nulls_last(), Article.id.desc())
    yield from stream(session, _scoped(stmt, session, query))


def summary(row: Any) -> Summary:
    return Summary(row["id"], row["title"] or "(no title)", row["published"], row["source"] or "",
                   row["language"] or "other")


def entity_pages(session: Session, query: SearchQuery, summaries: dict[int, Summary]) -> Iterator[EntityPage]:
    """People, organisations and places of the exported articles, one at a time."""
    stmt = (
        select(Entity.id, Entity.kind, Entity.name, Mention.article_id)
        .join(Mention, Mention.entity_id == Entity.id)
        .where(Entity.kind.in_(list(INDEXED_KINDS)))
        .order_by(Entity.id)
    )
    stmt = stmt.where(Mention.article_id.in_(filtered_article_ids(query, prepare(session))))
    page: EntityPage | None = None
    current, seen = None, set()
    for row in stream(session, stmt):
        if row["id"] != current:
            if page is not None:
                yield page
            page, current, seen = EntityPage(row["kind"], row["name"], row["id"]), row["id"], set()
        article = summaries.get(row["article_id"])
        if article is None or page is None:
            continue
        if article.published:
            page.months[article.published.strftime("%Y-%m")] += 1
        if article.id not in seen:
            seen.add(article.id)
            page.articles.append(article)
    if page is not None:
        yield page


def group_by(summaries: list[Summary], key: str) -> dict[str, list[Summary]]:
    """Summaries by year, source or language, newest first within each."""
    groups: dict[str, list[Summary]] = defaultdict(list)
    for item in summaries:
        value = getattr(item, key) if key != "year" else (str(item.published.year) if item.published else "undated")
        groups[value or "unknown"].append(item)
    return dict(sorted(groups.items(), reverse=(key == "year")))
