"""Parquet export: the articles' fields, typed (dates as dates, lists as lists).

The same fields as JSON Lines and articles.csv (``ARTICLE_EXPORT_FIELDS``),
written in row groups of ``BATCH_ROWS`` so memory stays flat.  pyarrow is an
optional dependency: the error names the pip of the Python running
ino-archive, which works from a checkout and from an installed package alike.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from archive.errors import ExportError
from archive.export.datasets import YIELD_PER, build_article_export, make_folder, stream
from archive.search import SearchQuery, prepare
from archive.store import ARTICLE_EXPORT_FIELDS

BATCH_ROWS = 5 * YIELD_PER


def article_schema() -> Any:
    """The Arrow schema of an article row, in ``ARTICLE_EXPORT_FIELDS`` order."""
    import pyarrow as pa

    text, names = pa.string(), pa.list_(pa.string())
    types = {
        "published": pa.date32(),
        "people": names,
        "organisations": names,
        "places": names,
        "relevance": pa.float64(),
        "is_relevant": pa.bool_(),
        "relevance_terms": names,
        "fetched_at": pa.timestamp("us", tz="UTC"),
    }
    return pa.schema([(name, types.get(name, text)) for name in ARTICLE_EXPORT_FIELDS])


def _columns(rows: list[Any]) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {name: [] for name in ARTICLE_EXPORT_FIELDS}
    for row in rows:
        for name in ARTICLE_EXPORT_FIELDS:
            columns[name].append(row[name])
    for name in ("people", "organisations", "places", "relevance_terms"):
        columns[name] = [list(value or []) for value in columns[name]]
    return columns


def _batches(session: Session, query: SearchQuery) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in stream(session, build_article_export(query, prepare(session))):
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def export_parquet(session: Session, path: Path | str, *, query: SearchQuery | None = None) -> int:
    """Write the articles ``query`` selects to ``path``; returns the count."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ExportError(
            f"Parquet export needs pyarrow, which is not installed: run {sys.executable} -m pip install 'pyarrow>=14'"
            " (in a checkout, .venv/bin/pip install -e '.[parquet]' does the same)"
        ) from exc
    path = Path(path)
    make_folder(path.parent)
    part = path.with_name(path.name + ".part")
    schema = article_schema()
    count = 0
    try:
        # Python opens the file: pyarrow would encode the name as strict UTF-8, and a name with bytes the
        # file system's encoding cannot decode (read as surrogates) would fail there
        with open(part, "wb") as sink, pq.ParquetWriter(sink, schema, compression="zstd") as writer:
            for batch in _batches(session, query or SearchQuery()):
                writer.write_table(pa.Table.from_pydict(_columns(batch), schema=schema))
                count += len(batch)
        part.replace(path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        part.unlink(missing_ok=True)
    return count

