"""Datasets out of the archive: CSV, JSON Lines, Parquet, and the entity network and timeline.

Modules (public names are imported from ``archive.export``):

* ``datasets`` – articles, entities and mentions as CSV files that join on
  ids, or JSON Lines; the rows stream, so memory stays flat;
* ``parquet`` – the articles' fields, typed (dates as dates, lists as lists);
* ``entities`` – the co-occurrence network (GraphML, GEXF) and the monthly
  mentions timeline (CSV);
* ``csv_cells`` – CSV rows in the exact edition or the Excel edition.

The filters are the search's (``archive.search``).  May import:
``archive.search``, ``archive.store``, ``archive.models``, ``archive.errors``, ``archive.knowledge``.
"""

from archive.export.csv_cells import write_csv
from archive.export.datasets import (
    CSV_FILES,
    article_rows,
    csv_article_row,
    export_csv,
    export_jsonl,
    output,
    stream,
)
from archive.export.entities import export_network, export_timeline
from archive.export.parquet import export_parquet

__all__ = [
    "CSV_FILES",
    "article_rows",
    "csv_article_row",
    "export_csv",
    "export_jsonl",
    "export_network",
    "export_parquet",
    "export_timeline",
    "output",
    "stream",
    "write_csv",
]
