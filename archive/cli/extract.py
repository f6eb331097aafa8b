"""`ino-archive extract`: the pipelines on saved pages, offline."""

from __future__ import annotations

import json

import click


@click.command()
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--url", help="The page's original address (for a single FILE).")
@click.option("--manifest", type=click.Path(dir_okay=False), help='JSONL file of {"path": ..., "url": ...} lines.')
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--timezone", metavar="ZONE",
              help="IANA time zone (e.g. Asia/Tomsk) UTC timestamps are dated in; default: dates as the pages write them.")
def extract(files, url, manifest, fmt, timezone):
    """Run the extraction pipelines on saved HTML files, offline; one JSON object per input on stdout.

    A FILE that is a folder stands for every file under it (hidden ones aside), in name order.

    Each record also lists, under "boilerplate_removed", the blocks of the page's
    site (its host) that recur on other pages given and were left out of the text.
    A file saved gzip-compressed is read as the page; a file without markup is
    read as an article's plain text (a paragraph per line, the headline and the
    date from its opening lines). An input that cannot be read as HTML (missing,
    empty, binary) still gives its record, with "input_error" saying why; the
    command then ends with an error (exit 1).

    \b
    Example:
      ino-archive extract page.html --url http://sherpaspro.com/news/313/?lang=en --timezone Asia/Tomsk
    """
    from scraper.run import PageInput, extract_pages, files_given, read_manifest
    from scraper.sources import SourceError, zone_named

    if timezone:
        try:
            zone_named(timezone)
        except SourceError as exc:
            raise click.ClickException(str(exc)) from exc

    files = files_given(files)  # a folder: the files under it
    if url and len(files) != 1:
        raise click.UsageError("--url goes with exactly one FILE")
    inputs = [PageInput(path=f, url=url) for f in files]
    if manifest:
        inputs += read_manifest(manifest)
    if not inputs:
        raise click.UsageError("give FILE arguments or --manifest")
    unreadable = 0
    for record in extract_pages(inputs, timezone=timezone):
        for warning in record["warnings"]:
            click.echo(printable(f"Warning: {record['input']}: {warning}"), err=True)
        click.echo(printable(json.dumps(record, ensure_ascii=False, default=str)))
        unreadable += record["input_error"] is not None
    if unreadable:
        raise click.ClickException(f"{unreadable} of {len(inputs)} inputs could not be read as HTML (warnings above)")


def printable(line: str) -> str:
    """``line`` with bytes a file name held that are not UTF-8 (lone surrogates) written as JSON escapes."""
    return line.encode("utf-8", "backslashreplace").decode("utf-8")
