"""`ino-archive extract`: the pipelines on saved pages, offline."""

from __future__ import annotations

import json

import click


@click.command()
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
    from scraper.run import PageInput, extract_pages, read_manifest

    if url and len(files) != 1:
        raise click.UsageError("--url goes with exactly one FILE")
    inputs = [PageInput(path=f, url=url) for f in files]
    if manifest:
        inputs += read_manifest(manifest)
    if not inputs:
        raise click.UsageError("give FILE arguments or --manifest")
    for record in extract_pages(inputs):
        for warning in record["warnings"]:
            click.echo(printable(f"Warning: {record['input']}: {warning}"), err=True)
        click.echo(printable(json.dumps(record, ensure_ascii=False, default=str)))


def printable(line: str) -> str:
    """``line`` with bytes a file name held that are not UTF-8 (lone surrogates) written as JSON escapes."""
    return line.encode("utf-8", "backslashreplace").decode("utf-8")
