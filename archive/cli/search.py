"""`ino-archive search`: full-text search with filters, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys

import click

from archive.cli.options import db_option, open_session, parse_date


@click.command()
@click.argument("query", required=False, default="")
@db_option
@click.option("--person", metavar="NAME", help="Only articles naming this person.")
@click.option("--org", metavar="NAME", help="Only articles naming this organisation.")
@click.option("--lang", type=click.Choice(["ru", "en", "other"]), help="Only articles in this language.")
@click.option("--source", metavar="NAME", help="Only articles from this source.")
@click.option("--since", callback=parse_date, metavar="DATE", help="Published on or after (YYYY-MM-DD).")
@click.option("--until", callback=parse_date, metavar="DATE", help="Published on or before (YYYY-MM-DD).")
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
    with open_session(db) as session:
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
