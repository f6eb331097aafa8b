"""`ino-archive export FORMAT`: datasets out of the archive, one subcommand per format."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli.options import db_option, open_session

_ALL_HELP = "Also export articles not about INO Tomsk, with their flags."


@click.group()
def export():
    """Export the archive (JSON Lines, CSV)."""


@export.command("jsonl")
@db_option
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The file to write.")
@click.option("--all", "include_all", is_flag=True, help=_ALL_HELP)
def export_jsonl(db, out, include_all):
    """One JSON object per article.

    \b
    Example:
      ino-archive export jsonl --out articles.jsonl
    """
    from archive.export import export_jsonl as write_jsonl

    with open_session(db) as session:
        count = write_jsonl(session, Path(out), include_all=include_all)
    click.echo(f"Wrote {count} articles to {out}")


@export.command("csv")
@db_option
@click.option("--out", required=True, type=click.Path(file_okay=False), help="The folder for articles.csv, entities.csv, mentions.csv.")
@click.option("--all", "include_all", is_flag=True, help=_ALL_HELP)
def export_csv(db, out, include_all):
    """articles.csv, entities.csv and mentions.csv, UTF-8.

    \b
    Example:
      ino-archive export csv --out ./dataset
    """
    from archive.export import export_csv as write_csv

    with open_session(db) as session:
        counts = write_csv(session, Path(out), include_all=include_all)
    for name, count in counts.items():
        click.echo(f"Wrote {count} rows to {Path(out) / name}")
