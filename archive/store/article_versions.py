"""Earlier versions of articles: nothing a re-crawl or reprocess changes is lost.

Before the upsert overwrites an article whose extraction changed, the row as
it was is copied into ``article_versions`` (all columns, as JSON), in the same
transaction.  ``article_history`` reads them back, oldest first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Article, ArticleVersion, utcnow

articles = Article.__table__
versions = ArticleVersion.__table__


def build_changed_rows(urls_to_hash: Mapping[str, str]) -> Any:
    """SELECT the stored articles among ``urls_to_hash`` whose extract_hash differs from the new one."""
    return select(articles).where(articles.c.canonical_url.in_(list(urls_to_hash)))


def keep_versions(session: Session, urls_to_hash: Mapping[str, str]) -> int:
    """Copy each stored article about to change into article_versions; return how many."""
    if not urls_to_hash:
        return 0
    now = utcnow()
    rows = [
        {
            "article_id": row["id"],
            "canonical_url": row["canonical_url"],
            "extract_hash": row["extract_hash"],
            "record": _jsonable(row),
            "valid_from": row["updated_at"],
            "replaced_at": now,
        }
        for row in session.execute(build_changed_rows(urls_to_hash)).mappings()
        if row["extract_hash"] != urls_to_hash[row["canonical_url"]]
    ]
    if rows:
        session.execute(versions.insert(), rows)
    return len(rows)


def article_history(session: Session, canonical_url: str) -> Sequence[ArticleVersion]:
    """The earlier versions of one article, oldest first."""
    query = (
        select(ArticleVersion)
        .where(ArticleVersion.canonical_url == canonical_url)
        .order_by(ArticleVersion.replaced_at, ArticleVersion.id)
    )
    return list(session.scalars(query))


def _jsonable(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row with dates as ISO strings, so it fits a JSON column.

    >>> _jsonable({"published": date(2016, 3, 14), "n": 1})
    {'published': '2016-03-14', 'n': 1}
    """
    return {k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in row.items()}
