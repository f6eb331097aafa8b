"""The ``ino-archive`` command line: parse options, call the library, report.

No business logic lives here.  Library errors (:class:`ArchiveError`) become
``Error: …`` on stderr with exit code 1 and no traceback.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path

import click

from archive.errors import ArchiveError



class ArchiveGroup(click.Group):
    """Turns library errors into one line and exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ArchiveError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


def db_option(func):
    return click.option(
        "--db",
        metavar="DB",
        envvar="INO_ARCHIVE_DB",
        help="SQLite file path or SQLAlchemy URL (default: the archive in your data folder; see `ino-archive db path`).",
    )(func)


def _parse_date(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2016-03-14") from None


def _parse_settings(ctx, param, values: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE")
        pairs[name.strip()] = setting
    return pairs


@click.group(cls=ArchiveGroup)
@click.version_option(package_name="ino-archive")
def main():
    """ino-archive: crawl, extract, archive and search news about INO Tomsk."""


# --- crawl --------------------------------------------------------------------------


@main.command()
@click.option("--source", "sources", multiple=True, metavar="NAME", help="A configured source (repeatable; default: all).")
@click.option("--url", "urls", multiple=True, metavar="URL", help="Crawl this site ad hoc, following links on the same host.")
@db_option
@click.option("--allow-private", is_flag=True, help="Allow private, loopback and link-local addresses (local tests, the demo).")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", callback=_parse_settings, help="Override a Scrapy setting.")
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
    _print_summary(summary)
    sys.exit(summary.exit_code)


def _print_summary(summary) -> None:
    click.echo(f"Pages fetched:     {summary.pages_fetched}")
    click.echo(f"Articles stored:   {summary.inserted} new, {summary.updated} updated, {summary.unchanged} unchanged")
    dropped = ", ".join(f"{reason} {n}" for reason, n in summary.dropped.items()) or "none"
    click.echo(f"Pages dropped:     {dropped}")
    errors = ", ".join(f"{key} {n}" for key, n in summary.errors.items()) or "none"
    click.echo(f"Errors:            {errors}")
    if not summary.pages_fetched:
        click.echo("Error: nothing could be fetched; see the log (--log-file or -v).", err=True)


# --- extract ------------------------------------------------------------------------


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--url", help="The page's original address (for a single FILE).")
@click.option("--manifest", type=click.Path(dir_okay=False), help='JSONL file of {"path": ..., "url": ...} lines.')
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
def extract(files, url, manifest, fmt):
    """Run the extraction pipelines on saved HTML files, offline; one JSON object per input on stdout.

    \b
    Example:
      ino-archive extract page.html --url http://sherpaspro.com/news/313/?lang=en
    """
    from archive.extract import PageInput, extract_pages, read_manifest

    if url and len(files) != 1:
        raise click.UsageError("--url goes with exactly one FILE")
    inputs = [PageInput(path=f, url=url) for f in files]
    if manifest:
        inputs += read_manifest(manifest)
    if not inputs:
        raise click.UsageError("give FILE arguments or --manifest")
    for record in extract_pages(inputs):
        for warning in record["warnings"]:
            click.echo(f"Warning: {record['input']}: {warning}", err=True)
        click.echo(json.dumps(record, ensure_ascii=False, default=str))


# --- search -------------------------------------------------------------------------


@main.command()
@click.argument("query", required=False, default="")
@db_option
@click.option("--person", metavar="NAME", help="Only articles naming this person.")
@click.option("--org", metavar="NAME", help="Only articles naming this organisation.")
@click.option("--lang", type=click.Choice(["ru", "en", "other"]), help="Only articles in this language.")
@click.option("--source", metavar="NAME", help="Only articles from this source.")
@click.option("--since", callback=_parse_date, metavar="DATE", help="Published on or after (YYYY-MM-DD).")
@click.option("--until", callback=_parse_date, metavar="DATE", help="Published on or before (YYYY-MM-DD).")
@click.option("--all", "include_all", is_flag=True, help="Include articles not about INO Tomsk.")
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def search(query, db, person, org, lang, source, since, until, include_all, limit, offset, fmt):
    """Full-text search over titles and texts, with a snippet per hit.

    \b
    Example:
      ino-archive search "кластер" --lang ru --since 2016-01-01
    """
    from archive.search import SearchQuery
    from archive.search import search as run_search

    query_spec = SearchQuery(
        text=query, person=person, org=org, lang=lang, source=source,
        since=since, until=until, include_all=include_all, limit=limit, offset=offset,
    )
    with _session(db) as session:
        hits = [_hit_dict(hit) for hit in run_search(session, query_spec)]
    _print_hits(hits, fmt)


def _hit_dict(hit) -> dict:
    return {
        "url": hit.url,
        "title": hit.title,
        "published": hit.published.isoformat() if hit.published else None,
        "source": hit.source,
        "language": hit.language,
        "snippet": hit.snippet,
    }


def _print_hits(hits: list[dict], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["url", "title", "published", "source", "language", "snippet"])
        writer.writeheader()
        writer.writerows(hits)
    else:
        for hit in hits:
            click.echo(f"{hit['published'] or '----------'}  {hit['title'] or '(no title)'}")
            click.echo(f"            {hit['url']}")
            click.echo(f"            {hit['snippet']}")
        click.echo(f"{len(hits)} hit(s)", err=True)


# --- export -------------------------------------------------------------------------


@main.command()
@click.argument("fmt", metavar="jsonl|csv", type=click.Choice(["jsonl", "csv"]))
@db_option
@click.option("--out", required=True, type=click.Path(), help="jsonl: the file to write; csv: the folder for articles.csv, entities.csv, mentions.csv.")
@click.option("--all", "include_all", is_flag=True, help="Also export articles not about INO Tomsk, with their flags.")
def export(fmt, db, out, include_all):
    """Export the archive as JSON Lines or CSV files.

    \b
    Example:
      ino-archive export csv --out ./dataset
    """
    from archive import export as exporter

    with _session(db) as session:
        if fmt == "jsonl":
            count = exporter.export_jsonl(session, Path(out), include_all=include_all)
            click.echo(f"Wrote {count} articles to {out}")
        else:
            counts = exporter.export_csv(session, Path(out), include_all=include_all)
            for name, count in counts.items():
                click.echo(f"Wrote {count} rows to {Path(out) / name}")


# --- stats, sources, db ---------------------------------------------------------------


@main.command()
@db_option
def stats(db):
    """Counts by source, language and year, and the last crawl runs.

    \b
    Example:
      ino-archive stats --db archive.sqlite3
    """
    from archive.stats import archive_stats, format_stats

    with _session(db) as session:
        click.echo(format_stats(archive_stats(session)))


@main.command()
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


@main.group()
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


# --- demo -----------------------------------------------------------------------------


@main.command()
@click.option("--db", metavar="DB", help="Where to write the demo archive (default: ./ino-archive-demo.sqlite3, replaced).")
def demo(db):
    """Serve the bundled sample site on 127.0.0.1, crawl it into a fresh archive, show what to run next.

    \b
    Example:
      ino-archive demo
    """
    from archive.demo import run_demo

    result = run_demo(db)
    _print_summary(result.summary)
    click.echo(f"\nDemo archive: {result.db_path}\nTry next:")
    for command in result.next_commands:
        click.echo(f"  {command}")
    sys.exit(result.summary.exit_code)


def _session(db: str | None):
    from archive.db import open_engine, resolve_db_url, session_for

    return session_for(open_engine(resolve_db_url(db), create=False))


if __name__ == "__main__":
    main()
