"""Datasets for researchers: JSON Lines, Parquet, or three CSV files that join on ids.

Rows stream from the database (``yield_per``: a server-side cursor on
PostgreSQL, batches on SQLite), so an export never holds the archive in
memory.  Files are written next to their target as ``<name>.part`` and
renamed into place when complete, so a failed export leaves no half file.

What is exported is chosen by a :class:`~archive.search.SearchQuery`: every
search filter (words, person, org, source, language, dates, relevance)
applies.  By default only relevant articles (and their entities and
mentions) are exported; ``include_all`` adds the rest, told apart by
``is_relevant``.  Columns are described in docs/data-dictionary.md.

CSV cells that spreadsheet programs would run as formulas are defused by
default (``csv_cells.excel_cell``); ``raw_cells=True`` writes the exact text
(what pandas and R read back is what the archive holds); ``excel=True`` adds
a BOM; ``delimiter=";"`` suits locales whose Excel expects it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.errors import ArchiveError, ExportError, error_reason
from archive.export.csv_cells import DELIMITERS, write_csv
from archive.models import Article, ArticleUrl, Entity, Mention
from archive.search import SearchQuery, filtered_article_ids, prepare
from archive.store import ARTICLE_EXPORT_FIELDS, LIST_FIELDS, export_row

YIELD_PER = 1000
LIST_SEPARATOR = "; "
ENTITY_FIELDS = ("entity_id", "kind", "name", "articles", "mentions")
MENTION_FIELDS = ("article_url", "entity_id", "kind", "name", "surface", "start", "end", "role")
URL_FIELDS = ("article_url", "url", "named")
CSV_FILES = {
    "articles.csv": ARTICLE_EXPORT_FIELDS,
    "entities.csv": ENTITY_FIELDS,
    "mentions.csv": MENTION_FIELDS,
    "urls.csv": URL_FIELDS,
}


# --- queries -------------------------------------------------------------------------


_NARROWING = ("person", "org", "lang", "since", "until", "source", "min_relevance")


def _scope(stmt: Select[Any], query: SearchQuery, dialect_name: str) -> Select[Any]:
    """Only the articles ``query`` finds; the relevance flag alone needs no subquery."""
    if query.has_text or any(getattr(query, name) is not None for name in _NARROWING):
        return stmt.where(Article.id.in_(filtered_article_ids(query, dialect_name)))
    return stmt if query.include_all else stmt.where(Article.is_relevant.is_(True))


def build_article_export(query: SearchQuery | None = None, dialect_name: str = "sqlite") -> Select[Any]:
    """Every exported article's fields, by canonical URL (the same order whatever order they were crawled in)."""
    columns = [Article.__table__.c[name] for name in ARTICLE_EXPORT_FIELDS]
    return _scope(select(*columns).order_by(Article.canonical_url), query or SearchQuery(), dialect_name)


def build_url_export(query: SearchQuery | None = None, dialect_name: str = "sqlite") -> Select[Any]:
    """Every URL an exported article was found at (``article_urls``), by article and URL."""
    stmt = (
        select(Article.canonical_url.label("article_url"), ArticleUrl.url, ArticleUrl.named)
        .join(Article, Article.id == ArticleUrl.article_id)
        .order_by(Article.canonical_url, ArticleUrl.url)
    )
    return _scope(stmt, query or SearchQuery(), dialect_name)


def build_entity_export(query: SearchQuery | None = None, dialect_name: str = "sqlite") -> Select[Any]:
    """Entities mentioned in exported articles, with article and mention counts."""
    stmt = (
        select(
            Entity.id.label("entity_id"),
            Entity.kind,
            Entity.name,
            func.count(distinct(Mention.article_id)).label("articles"),
            func.count(Mention.id).label("mentions"),
        )
        .join(Mention, Mention.entity_id == Entity.id)
        .join(Article, Article.id == Mention.article_id)
        .group_by(Entity.id, Entity.kind, Entity.name)
        .order_by(Entity.kind, Entity.name)
    )
    return _scope(stmt, query or SearchQuery(), dialect_name)


def build_mention_export(query: SearchQuery | None = None, dialect_name: str = "sqlite") -> Select[Any]:
    """Every mention in exported articles, in article and text order."""
    stmt = (
        select(
            Article.canonical_url.label("article_url"),
            Mention.entity_id,
            Entity.kind,
            Entity.name,
            Mention.surface,
            Mention.start,
            Mention.end,
            Mention.role,
        )
        .join(Article, Article.id == Mention.article_id)
        .join(Entity, Entity.id == Mention.entity_id)
        .order_by(Article.canonical_url, Mention.start, Mention.end, Entity.kind, Entity.name, Mention.id)
    )
    return _scope(stmt, query or SearchQuery(), dialect_name)


def stream(session: Session, stmt: Select[Any]) -> Iterator[Mapping[str, Any]]:
    """Rows of ``stmt`` in batches; database errors become ``ArchiveError``."""
    try:
        yield from session.execute(stmt.execution_options(yield_per=YIELD_PER)).mappings()
    except SQLAlchemyError as exc:
        raise ArchiveError(f"export failed while reading the archive: {error_reason(exc)}") from exc


def article_rows(session: Session, query: SearchQuery | None = None) -> Iterator[dict[str, Any]]:
    """Export rows (``export_row``) of every article ``query`` selects, streamed."""
    dialect_name = prepare(session)
    for row in stream(session, build_article_export(query, dialect_name)):
        yield export_row(row)


def _query(query: SearchQuery | None, include_all: bool) -> SearchQuery:
    return query if query is not None else SearchQuery(include_all=include_all)


# --- writers -------------------------------------------------------------------------


def export_jsonl(
    session: Session,
    path: Path | str | IO[str],
    *,
    query: SearchQuery | None = None,
    include_all: bool = False,
) -> int:
    """One JSON object per article (``ARTICLE_EXPORT_FIELDS``); returns the count.

    ``path`` may also be an open text stream (e.g. ``sys.stdout``).
    """
    rows = article_rows(session, _query(query, include_all))
    with output(path) as out:
        count = 0
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count


def export_csv(
    session: Session,
    folder: Path | str,
    *,
    query: SearchQuery | None = None,
    include_all: bool = False,
    excel: bool = False,
    raw_cells: bool = False,
    delimiter: str = ",",
) -> dict[str, int]:
    """Write articles.csv, entities.csv and mentions.csv into ``folder``.

    Returns data rows written per file name.  Formula-like text cells are
    prefixed with an apostrophe unless ``raw_cells`` (``csv_cells``);
    ``excel=True`` adds a BOM, so Excel reads UTF-8; ``delimiter`` is ``,`` or ``;``.
    """
    if delimiter not in DELIMITERS:
        raise ExportError(f"the CSV delimiter must be one of {' '.join(DELIMITERS)} (got {delimiter!r})")
    folder = Path(folder)
    make_folder(folder)
    query = _query(query, include_all)
    dialect_name = prepare(session)
    sources: dict[str, Iterable[Mapping[str, Any]]] = {
        "articles.csv": (csv_article_row(row) for row in article_rows(session, query)),
        "entities.csv": stream(session, build_entity_export(query, dialect_name)),
        "mentions.csv": stream(session, build_mention_export(query, dialect_name)),
        "urls.csv": ({**row, "named": "true" if row["named"] else "false"}
                     for row in stream(session, build_url_export(query, dialect_name))),
    }
    counts: dict[str, int] = {}
    for name, fields in CSV_FILES.items():
        with output(folder / name, encoding="utf-8-sig" if excel else "utf-8") as out:
            counts[name] = write_csv(out, fields, sources[name], neutralise=not raw_cells, delimiter=delimiter)
    return counts


def csv_article_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Lists joined with "; ", booleans as true/false, None as empty."""
    out = dict(row)
    for name in LIST_FIELDS:
        out[name] = LIST_SEPARATOR.join(out[name])
    out["is_relevant"] = "true" if out["is_relevant"] else "false"
    return out


# --- files ---------------------------------------------------------------------------


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {folder}: {exc.strerror or exc}") from exc


@contextmanager
def output(target: Path | str | IO[str], encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A stream given by the caller as is, or a path written atomically."""
    if not isinstance(target, str | Path):
        yield target
        return
    path = Path(target)
    make_folder(path.parent)
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding=encoding, newline="") as out:
            yield out
        part.replace(path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        part.unlink(missing_ok=True)
