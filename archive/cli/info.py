"""`ino-archive stats`, `sources` and `db path`: what is in the archive and where."""

from __future__ import annotations

import click

from archive.cli.options import db_option, open_session
from archive.errors import ArchiveError


@click.command()
@db_option
def stats(db):
    """Counts by source, language and year, and the last crawl runs.

    \b
    Example:
      ino-archive stats --db archive.sqlite3
    """
    from archive.stats import archive_stats, format_stats

    with open_session(db) as session:
        click.echo(format_stats(archive_stats(session)))



@click.command()
@click.option("--sources-file", type=click.Path(dir_okay=False), help="Read this sources config instead of the packaged one.")
def sources(sources_file):
    """List the configured sources.

    \b
    Example:
      ino-archive sources
    """
    from scraper.sources import SourceError, load_sources

    try:
        configured = load_sources(sources_file)
    except SourceError as exc:
        raise ArchiveError(str(exc)) from exc
    for source in configured.values():
        click.echo(f"{source.name:14} {source.language or '--':3} {source.title}")
        click.echo(f"{'':14}     {', '.join(source.start_urls)}")



@click.group()
def db():
    """Where the archive lives."""


@db.command("path")
def db_path():
    """Print the default archive location.

    \b
    Example:
      ino-archive db path
    """
    from archive.db import default_db_path

    click.echo(str(default_db_path()))
