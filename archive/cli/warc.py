"""`ino-archive reprocess`, `import` and `export warc`: working from the raw pages (WARC)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archive.cli.options import db_option, open_session


def _progress():
    """A progress line on stderr at a terminal; nothing under cron."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\rProcessed {done}/{total} pages", err=True, nl=done == total)

    return show


def _print_processed(summary) -> None:
    click.echo(f"Pages processed:   {summary.pages}")
    click.echo(
        f"Articles stored:   {summary.count('archive/articles_inserted')} new, "
        f"{summary.count('archive/articles_updated')} updated (earlier versions kept), "
        f"{summary.count('archive/articles_unchanged')} unchanged"
    )
    dropped = ", ".join(f"{reason} {n}" for reason, n in summary.dropped.items()) or "none"
    click.echo(f"Pages dropped:     {dropped}")
    click.echo(f"Stage errors:      {summary.stage_errors} (pages stored with extract_error)")
    click.echo(f"Failures recorded: {len(summary.failed)}")


@click.command()
@db_option
def reprocess(db):
    """Re-run every pipeline on the stored raw pages, without network.

    Improved extraction reaches the whole archive; changed articles keep
    their earlier versions; a page that fails a stage is stored with the
    error in extract_error, cleared when a later reprocess goes through.

    \b
    Example:
      ino-archive reprocess --db archive.sqlite3
    """
    from archive.db import resolve_db_url
    from scraper.run import reprocess as run

    with open_session(db, write=True):
        pass  # a missing, foreign or read-only archive is refused before any page is read
    _print_processed(run(resolve_db_url(db), progress=_progress()))


@click.command("import")
@click.argument("warc", type=click.Path(dir_okay=False))
@db_option
def import_(warc, db):
    """Add the pages of a WARC file made by another crawler (.warc or .warc.gz).

    \b
    Example:
      ino-archive import crawl-2024.warc.gz --db archive.sqlite3
    """
    from archive.db import open_engine, resolve_db_url
    from scraper.run import import_warc

    db_url = resolve_db_url(db)
    open_engine(db_url, create=True).dispose()
    result = import_warc(db_url, warc, progress=_progress())
    click.echo(f"Responses copied:  {result.responses} ({result.skipped} other records skipped,"
               f" {result.unreadable} unreadable)")
    _print_processed(result.processed)


@click.command("warc")
@db_option
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The file to write (.warc.gz or .warc).")
def export_warc(db, out):
    """Every raw capture as one standard WARC file (replayable in pywb or ReplayWeb.page).

    \b
    Example:
      ino-archive export warc --db archive.sqlite3 --out archive.warc.gz
    """
    from archive.db import resolve_db_url
    from archive.warc import export_warc as write
    from archive.warc import warc_dir
    from scraper.run import project_settings

    db_url = resolve_db_url(db)
    with open_session(db) as session:  # a bad --db is refused before the WARC folder is worked out
        folder = warc_dir(db_url, project_settings(db_url).get("ARCHIVE_WARC_DIR"))
        count = write(session, folder, Path(out))
    click.echo(f"Wrote {count} records to {out}")
