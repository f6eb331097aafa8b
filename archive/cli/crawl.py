"""`ino-archive crawl` and `ino-archive demo`: run the spider, print what happened."""

from __future__ import annotations

import sys

import click

from archive.cli.options import db_option, parse_settings


@click.command()
@click.option("--source", "sources", multiple=True, metavar="NAME", help="A configured source (repeatable; default: all).")
@click.option("--url", "urls", multiple=True, metavar="URL", help="Crawl this site ad hoc, following links on the same host.")
@db_option
@click.option("--allow-private", is_flag=True, help="Allow private, loopback and link-local addresses (local tests, the demo).")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", callback=parse_settings, help="Override a Scrapy setting.")
@click.option("--sources-file", type=click.Path(dir_okay=False), help="Use this sources config instead of the packaged one.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write the full crawl log (INFO) to this file.")
@click.option("-v", "--verbose", is_flag=True, help="Show the crawl log on stderr.")
def crawl(sources, urls, db, allow_private, settings, sources_file, log_file, verbose):
    """Crawl sources into the archive and print a summary.

    Exit codes: 0 ok; 1 bad input or database error; 3 nothing could be fetched.

    \b
    Example:
      ino-archive crawl --source sherpaspro --source tomsk-gov
    """
    from archive.crawl import CrawlOptions, run_crawl

    options = CrawlOptions(
        sources=list(sources),
        urls=list(urls),
        db=db,
        allow_private=allow_private,
        settings=settings,
        log_file=log_file,
        log_level="INFO" if verbose else "ERROR",
        sources_file=sources_file,
        progress=sys.stderr.isatty() and not verbose,
    )
    summary = run_crawl(options)
    print_summary(summary)
    sys.exit(summary.exit_code)


def print_summary(summary) -> None:
    click.echo(f"Pages fetched:     {summary.pages_fetched}")
    click.echo(f"Articles stored:   {summary.inserted} new, {summary.updated} updated, {summary.unchanged} unchanged")
    dropped = ", ".join(f"{reason} {n}" for reason, n in summary.dropped.items()) or "none"
    click.echo(f"Pages dropped:     {dropped}")
    errors = ", ".join(f"{key} {n}" for key, n in summary.errors.items()) or "none"
    click.echo(f"Errors:            {errors}")
    if not summary.pages_fetched:
        click.echo("Error: nothing could be fetched; see the log (--log-file or -v).", err=True)



@click.command()
@click.option("--db", metavar="DB", help="Where to write the demo archive (default: ./ino-archive-demo.sqlite3, replaced).")
def demo(db):
    """Serve the bundled sample site on 127.0.0.1, crawl it into a fresh archive, show what to run next.

    \b
    Example:
      ino-archive demo
    """
    from archive.demo import run_demo

    result = run_demo(db)
    print_summary(result.summary)
    click.echo(f"\nDemo archive: {result.db_path}\nTry next:")
    for command in result.next_commands:
        click.echo(f"  {command}")
    sys.exit(result.summary.exit_code)
