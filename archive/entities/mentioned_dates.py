"""Store the dates each article names (``date_mentions``), apart from its publication date."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from itemadapter import ItemAdapter
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive.models import Article, DateMention

CHUNK = 200


def replace_date_mentions(session: Session, by_url: Mapping[str, Iterable[Any]]) -> dict[str, int]:
    """Replace the date mentions of the articles at these canonical URLs.

    Returns {canonical_url: rows written} for the URLs found in the archive;
    URLs not (yet) stored are left out, so the caller can keep them for later.
    """
    urls = list(by_url)
    ids: dict[str, int] = {}
    for start in range(0, len(urls), CHUNK):
        chunk = urls[start : start + CHUNK]
        query = select(Article.canonical_url, Article.id).where(Article.canonical_url.in_(chunk))
        ids.update({url: id_ for url, id_ in session.execute(query)})
    if not ids:
        return {}
    session.execute(delete(DateMention).where(DateMention.article_id.in_(list(ids.values()))))
    written: dict[str, int] = {}
    rows = []
    for url, article_id in ids.items():
        found = [ItemAdapter(m).asdict() for m in by_url[url]]
        rows += [{"article_id": article_id, **m} for m in found]
        written[url] = len(found)
    if rows:
        session.execute(DateMention.__table__.insert(), rows)
    return written
