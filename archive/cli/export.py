"""`ino-archive export FORMAT`: datasets out of the archive, one subcommand per format.

Every format takes the search filters (``filter_options``) and ``--query``,
so an export is "what this search finds", in full.
"""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli.options import db_option, open_session
from archive.cli.search import (
    build_query,
    delimiter_option,
    filter_options,
    raw_cells_option,
)


def checked_query(session, text: str, filters: dict):
    """The export's query; a --source the archive does not hold is refused with its sources, before any file is written."""
    from archive.search import check_source

    query = build_query(text, **filters)
    check_source(session, query)
    return query


def query_option(func):
    return click.option(
        "--query", "text", metavar="WORDS", default="", help="Only articles these words find (the search syntax)."
    )(func)


@click.group()
def export():
    """Export the archive (JSON Lines, CSV, Parquet, a static site); columns in docs/data-dictionary.md."""


@export.command("jsonl")
@db_option
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The file to write.")
@query_option
@filter_options
def export_jsonl(db, out, text, **filters):
    """One JSON object per article.

    \b
    Example:
      ino-archive export jsonl --out articles.jsonl
      ino-archive export jsonl --out ru-2016.jsonl --lang ru --since 2016-01-01 --until 2016-12-31
    """
    from archive.export import export_jsonl as write_jsonl

    with open_session(db) as session:
        count = write_jsonl(session, Path(out), query=checked_query(session, text, filters))
    click.echo(f"Wrote {count} articles to {out}")


@export.command("csv")
@db_option
@click.option("--out", required=True, type=click.Path(file_okay=False), help="The folder for articles.csv, entities.csv, mentions.csv, urls.csv.")
@click.option("--excel", is_flag=True, help="Add a BOM, so Excel reads the files as UTF-8.")
@raw_cells_option
@delimiter_option
@query_option
@filter_options
def export_csv(db, out, excel, raw_cells, delimiter, text, **filters):
    """articles.csv, entities.csv, mentions.csv and urls.csv (every URL an article was found at), UTF-8.

    Text cells starting with = + - @ (a formula to a spreadsheet) get a
    leading apostrophe; --raw-cells writes the exact text for pandas and R.

    \b
    Example:
      ino-archive export csv --out ./dataset
      ino-archive export csv --out ./zhvachkin --person Жвачкин --excel --delimiter ';'
      ino-archive export csv --out ./for-pandas --raw-cells
    """
    from archive.export import export_csv as write_csv

    with open_session(db) as session:
        counts = write_csv(session, Path(out), query=checked_query(session, text, filters), excel=excel,
                           raw_cells=raw_cells, delimiter=delimiter)
    for name, count in counts.items():
        click.echo(f"Wrote {count} rows to {Path(out) / name}")


@export.command("parquet")
@db_option
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The .parquet file to write.")
@query_option
@filter_options
def export_parquet(db, out, text, **filters):
    """The articles as one typed Parquet file (dates as dates, lists as lists).

    \b
    Example:
      ino-archive export parquet --out articles.parquet
    """
    from archive.export import export_parquet as write_parquet

    with open_session(db) as session:
        count = write_parquet(session, Path(out), query=checked_query(session, text, filters))
    click.echo(f"Wrote {count} articles to {out}")
