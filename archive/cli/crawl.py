"""`ino-archive crawl` and `ino-archive demo`: run the spider, print what happened."""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

import click

from archive.cli.options import db_option, parse_settings


@click.command()
@click.option("--source", "sources", multiple=True, metavar="NAME", help="A configured source (repeatable; default: all).")
@click.option("--url", "urls", multiple=True, metavar="URL", help="Crawl this site ad hoc, following links on the same host.")
@db_option
@click.option("--allow-private", is_flag=True, help="Allow private and loopback addresses (local tests, the demo); not link-local or cloud metadata ones.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="HOST:PORT",
              help="Allow this exact host and port whatever its address, link-local included (repeatable).")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", callback=parse_settings, help="Override a Scrapy setting.")
@click.option("--sources-file", type=click.Path(dir_okay=False), help="Use this sources config instead of the packaged one.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write the full crawl log (INFO) to this file.")
@click.option("-v", "--verbose", is_flag=True, help="Show the crawl log on stderr.")
@click.option("--max-error-rate", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Exit 6 when more than this share of requests failed for good.")
@click.option("--no-lock", is_flag=True, help="Do not take the archive's crawl lock (unsafe; for tests of overlapping writers).")
@click.option("--redis", "redis_url", envvar="REDIS_URL", metavar="URL",
              help="Distributed crawl: share the request queue and seen URLs with every worker using this Redis.")
def crawl(sources, urls, db, allow_private, allow_hosts, settings, sources_file, log_file, verbose, max_error_rate, no_lock, redis_url):
    """Crawl sources into the archive and print a summary.

    Exit codes: 0 ok; 1 bad input or database error; 3 nothing could be
    fetched; 4 another crawl is running on this archive; 5 a pipeline could
    not open or the archive is read-only; 6 the error rate passed
    --max-error-rate; 7 articles were found but none could be stored.

    With --redis, run the same command on any number of machines: the
    workers share one frontier and one per-host request rate, and each stops
    when the queue is empty and every worker is idle.

    \b
    Example:
      ino-archive crawl --source sherpaspro --source tomsk-gov
      ino-archive crawl --redis redis://queue.lan:6379/0 --db postgresql+psycopg://archive@db.lan/ino
    """
    from archive.db import ArchiveLocked, ReadOnlyArchive
    from scraper.run import EXIT_LOCKED, EXIT_STARTUP_FAILED, CrawlOptions, run_crawl

    options = CrawlOptions(
        sources=list(sources),
        urls=list(urls),
        db=db,
        allow_private=allow_private,
        allow_hosts=list(allow_hosts),
        settings=settings,
        log_file=log_file,
        log_level="INFO" if verbose else "ERROR",
        sources_file=sources_file,
        progress=sys.stderr.isatty() and not verbose,
        max_error_rate=max_error_rate,
        lock=not no_lock,
        redis=redis_url or None,
    )
    try:
        summary = run_crawl(options)
    except ArchiveLocked as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    except ReadOnlyArchive as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_STARTUP_FAILED)  # like a store that cannot open: nothing was fetched
    print_summary(summary)
    sys.exit(summary.exit_code)


def print_summary(summary) -> None:
    from scraper.run import (
        EXIT_ERROR_RATE,
        EXIT_NOT_STORED,
        EXIT_NOTHING_FETCHED,
        EXIT_STARTUP_FAILED,
    )

    click.echo(f"Pages fetched:     {summary.pages_fetched}")
    folded = f", {summary.folded} found again at other URLs" if summary.folded else ""
    click.echo(f"Articles stored:   {summary.inserted} new, {summary.updated} updated, {summary.unchanged} unchanged{folded}")
    click.echo(f"Re-crawl:          {summary.not_modified} not modified (304), {summary.same_body} same body, {summary.gone} gone")
    dropped = ", ".join(f"{reason} {n}" for reason, n in summary.dropped.items()) or "none"
    click.echo(f"Pages dropped:     {dropped}")
    errors = ", ".join(f"{key} {n}" for key, n in summary.errors.items()) or "none"
    click.echo(f"Errors:            {errors}")
    failures = ", ".join(f"{stage} {n}" for stage, n in summary.failures.items()) or "none"
    click.echo(f"Failures recorded: {failures}")
    messages = {
        EXIT_STARTUP_FAILED: f"the crawl could not start: {summary.startup_error}",
        EXIT_NOTHING_FETCHED: f"nothing could be fetched: {summary.refusal}" if summary.refusal
        else "nothing could be fetched; see the log (--log-file or -v).",
        EXIT_ERROR_RATE: f"{summary.error_rate:.0%} of requests failed (more than --max-error-rate"
        f" {summary.max_error_rate:.0%}); see the failures table and the log.",
        EXIT_NOT_STORED: f"none of the {summary.store_failed} articles found could be stored (the database refused"
        " every batch); see the failures table (stage store) and the log.",
    }
    if summary.idle_worker:
        click.echo("Nothing left to do: the other workers had fetched every page of the shared queue.")
    elif summary.exit_code in messages:
        click.echo(f"Error: {messages[summary.exit_code]}", err=True)



@click.command()
@click.option("--db", metavar="DB", help="Where to write the demo archive (default: ./ino-archive-demo.sqlite3, replaced).")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True,
              help="The port the sample site is served on (its articles link there).")
@click.option("--serve", "serve_only", is_flag=True,
              help="Only serve the sample site again (until Ctrl-C), so the demo archive's links open.")
def demo(db, port, serve_only):
    """Serve the bundled sample site on 127.0.0.1, crawl it into a fresh archive, show what to run next.

    \b
    Example:
      ino-archive demo
      ino-archive demo --serve
    """
    from scraper.run import run_demo, serve_sample

    if serve_only:
        with serve_sample(port) as site:
            click.echo(f"Serving the sample site at {site.url('/')} (Ctrl-C to stop)")
            try:
                threading.Event().wait()
            except KeyboardInterrupt:
                click.echo("Stopped.", err=True)
        return
    result = run_demo(db, port=port, program=invoked_program())
    print_summary(result.summary)
    click.echo(f"\nDemo archive: {result.db_path}\nTry next:")
    for command in result.next_commands:
        click.echo(f"  {command}")
    sys.exit(result.summary.exit_code)


def invoked_program() -> str:
    """``ino-archive`` as the user can type it again: the bare name when it is on PATH, else its path.

    After the quickstart (``.venv/bin/ino-archive demo``, no venv activated)
    the bare name is "command not found", so the commands to try next say
    ``.venv/bin/ino-archive`` instead.
    """
    argv0 = sys.argv[0] if sys.argv else ""
    if Path(argv0).name != "ino-archive":
        return "ino-archive"  # python -m archive.cli, a test runner: the documented name
    path = Path(argv0).absolute()
    found = shutil.which("ino-archive")
    if found and Path(found).absolute() == path:
        return "ino-archive"
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
