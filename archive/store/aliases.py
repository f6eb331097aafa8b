"""One article per text, found at every URL it was found at, shown at a URL the order of arrival does not choose.

A site that republishes a news item under a cluster section (its own
canonical link) gives two pages with one text.  Dropping the later one made
the archive depend on crawl order (and two workers on Redis build another
archive than one).  Instead ``fold_copies`` runs in the store's write
transaction before the upsert: every record whose text (``content_hash``) is
an archived article's, or another record's in the batch, becomes an alias of
that article (``article_urls``), and the article's URL is the best of all its
URLs by ``url_rank``:

1. a URL some page's canonical link names (a page at another address said
   "this is the real one");
2. a URL matching the source's article patterns (``preferred``, from
   ``sources.toml``: the news section, not a cluster page);
3. the shortest, then the first in alphabetical order.

When a record's URL outranks the article's, the article moves to it
(``canonical_url`` updated in place, then the record upserted onto it, the
earlier state kept as a version); otherwise the record is folded into the
article and not written.  Between records of one canonical URL (tracking
parameters), the smaller fetched URL is kept.  So the final archive is the
same whatever order pages arrived in, in one process or several.

On PostgreSQL the folding of concurrent writers is serialised by a
transaction-level advisory lock (SQLite writers hold the file lock).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from archive.db import dialect_insert
from archive.models import Article, ArticleUrl, utcnow
from archive.store.records import has_content

Preferred = Callable[[str, str], bool]  # (source, url) → the URL matches the source's article patterns
_FOLD_LOCK = 0x1F0_1D_C0_91E5  # pg_advisory_xact_lock key of the folding step
urls_table = ArticleUrl.__table__


def url_rank(url: str, *, named: bool, preferred: bool) -> tuple[bool, bool, int, str]:
    """Sort key of a candidate URL: the smallest wins (see the module docstring).

    >>> sorted(["http://x/cluster/a", "http://x/news/a"], key=lambda u: url_rank(u, named=False, preferred="news" in u))
    ['http://x/news/a', 'http://x/cluster/a']
    """
    return (not named, not preferred, len(url), url)


@dataclass
class Folded:
    """What ``fold_copies`` decided: records to upsert, and how many were folded into archived articles."""

    records: list[dict[str, Any]]
    folded: int = 0


def fold_copies(session: Session, records: Iterable[Mapping[str, Any]], preferred: Preferred | None = None) -> Folded:
    """Decide, record by record, which to write and which are copies (see the module docstring)."""
    preferred = preferred or (lambda _source, _url: False)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _FOLD_LOCK})

    def rank(record: Mapping[str, Any], url: str | None = None) -> tuple[bool, bool, int, str]:
        url = url or record["canonical_url"]
        named = record["url"] != url or _named(session, url)
        return url_rank(url, named=named, preferred=preferred(record["source"], url))

    # In the batch first: one record per canonical URL (the smaller fetched URL), then one per text.
    by_canonical: dict[str, dict[str, Any]] = {}
    for record in records:
        kept = by_canonical.get(record["canonical_url"])
        if kept is None or record["url"] < kept["url"]:
            by_canonical[record["canonical_url"]] = dict(record)
    batch_aliases: dict[str, list[Mapping[str, Any]]] = {}
    best_by_text: dict[str, dict[str, Any]] = {}
    for url in sorted(by_canonical):
        record = by_canonical[url]
        if not has_content(record.get("title"), record.get("text")):
            best_by_text[f"blank {url}"] = record
            continue
        best = best_by_text.get(record["content_hash"])
        if best is None or rank(record) < rank(best):
            if best is not None:
                batch_aliases.setdefault(record["content_hash"], []).append(best)
            best_by_text[record["content_hash"]] = record
        else:
            batch_aliases.setdefault(record["content_hash"], []).append(record)
    result = Folded([])
    for key, record in sorted(best_by_text.items()):
        copies = batch_aliases.get(key, [])
        result.folded += len(copies)
        if _against_archive(session, record, rank):
            result.records.append({**record, "_aliases": _urls_of(record, *copies)})
        else:
            result.folded += 1
            _add_aliases(session, _archived_id(session, record), _urls_of(record, *copies))
    return result


def record_aliases(session: Session, records: Iterable[Mapping[str, Any]]) -> None:
    """After the upsert: each written record's URLs (and its folded copies') as its article's aliases."""
    for record in records:
        article_id = session.scalar(select(Article.id).where(Article.canonical_url == record["canonical_url"]))
        if article_id is not None:
            _add_aliases(session, article_id, record.get("_aliases") or _urls_of(record))


def _against_archive(session: Session, record: dict[str, Any], rank: Callable[..., Any]) -> bool:
    """Whether to write ``record``: a new text, its own URL's article, or a copy whose URL outranks the article's.

    A winning copy moves the archived article to the record's URL first.
    """
    canonical = record["canonical_url"]
    own = session.execute(
        select(Article.id, Article.url, Article.content_hash).where(Article.canonical_url == canonical)
    ).first()
    if own is not None:
        # The same page again: a changed text is a new version; the same text keeps the smaller fetched URL.
        if own.content_hash != record["content_hash"]:
            return True
        if record["url"] < own.url:
            session.execute(update(Article).where(Article.id == own.id).values(url=record["url"]))
            return True
        return record["url"] == own.url
    holder = _holder(session, record)
    if holder is None:
        return True
    holder_rank = rank({"url": holder.url, "canonical_url": holder.canonical_url, "source": record["source"]})
    if rank(record) >= holder_rank:
        return False
    # The fetched URL is not in the extraction's hash: set it here, the upsert then writes what changed.
    session.execute(update(Article).where(Article.id == holder.id).values(canonical_url=canonical, url=record["url"]))
    return True


def _holder(session: Session, record: Mapping[str, Any]) -> Any:
    """The archived article this record's text or URL already belongs to, if any."""
    by_alias = select(ArticleUrl.article_id).where(ArticleUrl.url == record["canonical_url"]).scalar_subquery()
    query = select(Article.id, Article.url, Article.canonical_url).where(Article.id == by_alias)
    found = session.execute(query).first()
    if found is None and has_content(record.get("title"), record.get("text")):
        query = (
            select(Article.id, Article.url, Article.canonical_url)
            .where(Article.content_hash == record["content_hash"])
            .order_by(Article.id)
            .limit(1)
        )
        found = session.execute(query).first()
    return found


def _archived_id(session: Session, record: Mapping[str, Any]) -> int | None:
    own = session.scalar(select(Article.id).where(Article.canonical_url == record["canonical_url"]))
    if own is not None:
        return own
    holder = _holder(session, record)
    return holder.id if holder is not None else None


def _named(session: Session, url: str) -> bool:
    return bool(session.scalar(select(ArticleUrl.named).where(ArticleUrl.url == url, ArticleUrl.named.is_(True))))


def _urls_of(*records: Mapping[str, Any]) -> dict[str, bool]:
    """url → named by a canonical link, for every URL the records were found at."""
    urls: dict[str, bool] = {}
    for record in records:
        canonical, fetched = record["canonical_url"], record["url"]
        urls[canonical] = urls.get(canonical, False) or fetched != canonical
        urls.setdefault(fetched, False)
    return urls


def _add_aliases(session: Session, article_id: int | None, urls: Mapping[str, bool]) -> None:
    if article_id is None or not urls:
        return
    now = utcnow()
    insert = dialect_insert(session)
    rows = [{"article_id": article_id, "url": url, "named": named, "first_seen_at": now} for url, named in sorted(urls.items())]
    statement = insert(urls_table).values(rows)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[urls_table.c.url],
            set_={"article_id": statement.excluded.article_id, "named": urls_table.c.named | statement.excluded.named},
        )
    )
