"""Datasets for researchers: JSON Lines, or three CSV files that join on ids.

Rows stream from the database (``yield_per``: a server-side cursor on
PostgreSQL, batches on SQLite), so an export never holds the archive in
memory.  Files are written next to their target as ``<name>.part`` and
renamed into place when complete, so a failed export leaves no half file.

By default only relevant articles (and their entities and mentions) are
exported; ``include_all=True`` adds the rest, told apart by ``is_relevant``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.errors import ArchiveError, ExportError
from archive.models import Article, Entity, Mention
from archive.records import ARTICLE_EXPORT_FIELDS, LIST_FIELDS, export_row

YIELD_PER = 500
LIST_SEPARATOR = "; "
ENTITY_FIELDS = ("entity_id", "kind", "name", "articles", "mentions")
MENTION_FIELDS = ("article_url", "entity_id", "kind", "name", "surface", "start", "end", "role")


# --- queries -------------------------------------------------------------------------


def _scope(stmt: Select[Any], include_all: bool) -> Select[Any]:
    return stmt if include_all else stmt.where(Article.is_relevant.is_(True))


def build_article_export(*, include_all: bool = False) -> Select[Any]:
    """Every exported article's fields, oldest row first."""
    columns = [Article.__table__.c[name] for name in ARTICLE_EXPORT_FIELDS]
    return _scope(select(*columns).order_by(Article.id), include_all)


def build_entity_export(*, include_all: bool = False) -> Select[Any]:
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
    return _scope(stmt, include_all)


def build_mention_export(*, include_all: bool = False) -> Select[Any]:
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
        .order_by(Mention.article_id, Mention.id)
    )
    return _scope(stmt, include_all)


def _stream(session: Session, stmt: Select[Any]) -> Iterator[Mapping[str, Any]]:
    try:
        yield from session.execute(stmt.execution_options(yield_per=YIELD_PER)).mappings()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ArchiveError(f"export failed while reading the archive: {reason}") from exc


# --- writers -------------------------------------------------------------------------


def export_jsonl(
    session: Session, path: Path | str | IO[str], *, include_all: bool = False
) -> int:
    """One JSON object per article (``ARTICLE_EXPORT_FIELDS``); returns the count.

    ``path`` may also be an open text stream (e.g. ``sys.stdout``).
    """
    rows = (export_row(row) for row in _stream(session, build_article_export(include_all=include_all)))
    with _output(path) as out:
        return _write_jsonl(out, rows)


def _write_jsonl(out: IO[str], rows: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def export_csv(session: Session, folder: Path | str, *, include_all: bool = False) -> dict[str, int]:
    """Write articles.csv, entities.csv and mentions.csv into ``folder``.

    Returns data rows written per file name:
    ``{"articles.csv": …, "entities.csv": …, "mentions.csv": …}``.
    """
    folder = Path(folder)
    _make_folder(folder)
    articles = (
        csv_article_row(export_row(row))
        for row in _stream(session, build_article_export(include_all=include_all))
    )
    entities = _stream(session, build_entity_export(include_all=include_all))
    mentions = _stream(session, build_mention_export(include_all=include_all))
    counts: dict[str, int] = {}
    for name, fields, rows in (
        ("articles", ARTICLE_EXPORT_FIELDS, articles),
        ("entities", ENTITY_FIELDS, entities),
        ("mentions", MENTION_FIELDS, mentions),
    ):
        with _output(folder / f"{name}.csv") as out:
            counts[f"{name}.csv"] = _write_csv(out, fields, rows)
    return counts


def csv_article_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Lists joined with "; ", booleans as true/false, None as empty."""
    out = dict(row)
    for name in LIST_FIELDS:
        out[name] = LIST_SEPARATOR.join(out[name])
    out["is_relevant"] = "true" if out["is_relevant"] else "false"
    return out


def _write_csv(out: IO[str], fields: Iterable[str], rows: Iterable[Mapping[str, Any]]) -> int:
    fields = list(fields)
    writer = csv.writer(out)
    writer.writerow(fields)
    count = 0
    for row in rows:
        writer.writerow(["" if row[name] is None else row[name] for name in fields])
        count += 1
    return count


# --- files ---------------------------------------------------------------------------


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {folder}: {exc.strerror or exc}") from exc


@contextmanager
def _output(target: Path | str | IO[str]) -> Iterator[IO[str]]:
    """A stream given by the caller as is, or a path written atomically."""
    if not isinstance(target, str | Path):
        yield target
        return
    path = Path(target)
    _make_folder(path.parent)
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding="utf-8", newline="") as out:
            yield out
        part.replace(path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        part.unlink(missing_ok=True)
