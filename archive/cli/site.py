"""`ino-archive export site` and `ino-archive serve`: the static archive site."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archive.cli.export import checked_query, query_option
from archive.cli.options import db_option, open_session
from archive.cli.search import filter_options


def _progress():
    if not sys.stderr.isatty():
        return None  # quiet under cron and in pipes

    def show(pages: int) -> None:
        if pages % 100 == 0:
            click.echo(f"\r{pages} pages written", err=True, nl=False)

    return show


@click.command("site")
@db_option
@click.option("--out", required=True, type=click.Path(file_okay=False), help="The folder to write the site into (empty, or an earlier site).")
@query_option
@filter_options
def export_site(db, out, text, **filters):
    """A static website of the archive: browse, read, and search offline.

    Open OUT/index.html from disk, copy the folder to any static host, or run
    `ino-archive serve OUT`.

    \b
    Example:
      ino-archive export site --db archive.sqlite3 --out ./site
    """
    from archive.site import export_site as write_site

    progress = _progress()
    with open_session(db) as session:
        counts = write_site(session, Path(out), query=checked_query(session, text, filters), progress=progress)
    if progress is not None:
        click.echo("", err=True)
    click.echo(
        f"Wrote {counts['pages']} pages ({counts['articles']} articles, {counts['people']} people,"
        f" {counts['orgs']} organisations) to {out}; open {Path(out) / 'index.html'}"
    )


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (only this machine by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0 picks a free one).")
@click.option("--db", metavar="DB", help="Also answer the query page from this archive (file path or SQLAlchemy URL) instead of the site's offline index.")
def serve(folder, host, port, db):
    """Serve a static site written by `export site` until Ctrl-C.

    With --db, searches, facets and timelines on the query page are answered
    by the archive's database (exact phrases, the archive's own ranking).

    \b
    Example:
      ino-archive serve ./site --port 8000
      ino-archive serve ./site --db archive.sqlite3
    """
    from archive.db import open_engine, resolve_db_url
    from archive.site import exposure_warning, make_server

    engine = open_engine(resolve_db_url(db), create=False) if db else None
    server = make_server(folder, host, port, engine=engine, settle=True)
    warning = exposure_warning(host)
    if warning:
        click.echo(f"Warning: {warning}", err=True)
    address, bound_port = server.server_address[:2]
    answered = " (queries answered from the archive)" if engine is not None else ""
    click.echo(f"Serving {folder} at http://{address}:{bound_port}/{answered} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()
        if engine is not None:
            engine.dispose()
