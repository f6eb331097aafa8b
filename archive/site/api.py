"""The answers ``serve --db`` gives the query page: the library's search, facets and timeline as JSON.

The page sends its URL's parameters (``q``, ``vs``, ``source``, ``lang``,
``since``, ``until``, ``person``, ``org``, ``sort``, ``by``, ``page``); they
become a ``SearchQuery`` within the scope the site was exported with
(``site.json``: the relevance scope always, the export's language, source
and dates unless the page sets its own), so the database answers for the
same articles the static index holds.  Every query goes through the library
(``archive.search``), bounds of the search language included; its errors
become ``ApiError`` with the library's one-line message.  Snippets mark
matches with U+E000 … U+E001, which the page turns into ``<mark>``
elements with textContent.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from archive.errors import ArchiveError
from archive.search import (
    SearchQuery,
    date_bound,
    facets,
    search,
    search_count,
    timelines,
)

PAGE = 20
MARKS = ("\ue000", "\ue001")
FILTERS = ("source", "lang", "person", "org")
MAX_COMPARED = 8


class ApiError(ArchiveError):
    """A request the page made that the library refused (a bad date, a query past the bounds)."""


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name) or []
    value = values[0].strip() if values else ""
    return value or None


def _bound(value: str | None, end: bool) -> date | None:
    return date_bound(value, end=end) if value else None


def scoped_query(params: dict[str, list[str]], scope: dict[str, Any], text: str | None = None, **extra: Any) -> SearchQuery:
    """The ``SearchQuery`` for the page's parameters within the site's export scope."""
    values: dict[str, Any] = {
        "include_all": bool(scope.get("include_all")), "min_relevance": scope.get("min_relevance"),
        "text": text if text is not None else (_one(params, "q") or ""),
    }
    for name in FILTERS:
        values[name] = _one(params, name) or scope.get(name)
    values["since"] = _bound(_one(params, "since"), False) or (date.fromisoformat(scope["since"]) if scope.get("since") else None)
    values["until"] = _bound(_one(params, "until"), True) or (date.fromisoformat(scope["until"]) if scope.get("until") else None)
    sort = _one(params, "sort")
    values["sort"] = sort if sort in ("relevance", "date") else None
    try:
        return SearchQuery(**values, **extra)
    except ArchiveError as exc:
        raise ApiError(str(exc)) from exc


def answer_search(session: Session, params: dict[str, list[str]], scope: dict[str, Any]) -> dict[str, Any]:
    """One page of hits and the total."""
    try:
        page = max(1, int(_one(params, "page") or 1))
    except ValueError:
        page = 1
    counted = scoped_query(params, scope)
    total = search_count(session, counted)
    pages = max(1, -(-total // PAGE))
    page = min(page, pages)
    query = SearchQuery(**{**asdict(counted), "limit": PAGE, "offset": (page - 1) * PAGE})
    hits = [
        {"id": hit.article_id, "title": hit.title, "published": hit.published.isoformat() if hit.published else None,
         "source": hit.source, "language": hit.language, "snippet": hit.snippet}
        for hit in search(session, query, marks=MARKS)
    ]
    return {"total": total, "page": page, "pages": pages, "hits": hits}


def answer_facets(session: Session, params: dict[str, list[str]], scope: dict[str, Any]) -> dict[str, Any]:
    found = facets(session, scoped_query(params, scope))
    names = {"person": found.people, "org": found.organisations, "place": found.places,
             "source": found.sources, "language": found.languages}
    return {key: [{"name": value.name, "count": value.count} for value in values] for key, values in names.items()}


def answer_timeline(session: Session, params: dict[str, list[str]], scope: dict[str, Any]) -> list[dict[str, Any]]:
    """One series per query: the main one and each compared one (``vs``)."""
    by = _one(params, "by") or "month"
    texts = [_one(params, "q") or ""] + [v.strip() for v in params.get("vs", []) if v.strip()][:MAX_COMPARED]
    found = timelines(session, [scoped_query(params, scope, text=text) for text in texts], by)
    return [
        {"label": text, "undated": one.undated,
         "periods": [{"period": p.period, "matches": p.matches, "total": p.total} for p in one.periods]}
        for text, one in zip(texts, found, strict=True)
    ]


ANSWERS = {"search": answer_search, "facets": answer_facets, "timeline": answer_timeline}
