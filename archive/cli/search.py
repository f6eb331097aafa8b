"""`ino-archive search`: full-text search with filters, as a table, JSON or CSV.

``filter_options`` is the one bundle of filter flags, shared with ``export``
so that every search filter means the same thing there.
"""

from __future__ import annotations

import csv
import json
import sys

import click

from archive.cli.options import db_option, open_session, parse_date

HIT_FIELDS = ["url", "title", "published", "source", "language", "score", "snippet", "extract_error"]

_FILTERS = [
    click.option("--raw", is_flag=True, help="Take the words as the database's own syntax (FTS5 on SQLite, to_tsquery on PostgreSQL)."),
    click.option("--person", metavar="NAME", help="Only articles naming this person (any part of the name, any case)."),
    click.option("--org", metavar="NAME", help="Only articles naming this organisation."),
    click.option("--lang", type=click.Choice(["ru", "en", "other"]), help="Only articles in this language."),
    click.option("--source", metavar="NAME", help="Only articles from this source."),
    click.option("--since", callback=parse_date, metavar="DATE", help="Published on or after (2016, 2016-03 or 2016-03-14: its first day)."),
    click.option("--until", callback=parse_date, metavar="DATE", help="Published on or before (2016, 2016-03 or 2016-03-14: its last day)."),
    click.option("--min-relevance", type=float, metavar="SCORE", help="Only articles whose INO Tomsk relevance score is at least SCORE."),
    click.option("--all", "include_all", is_flag=True, help="Include articles not about INO Tomsk."),
]


def filter_options(func):
    """The search filters, identical on every command that takes them."""
    for option in reversed(_FILTERS):
        func = option(func)
    return func


def build_query(text: str, **options):
    """A ``SearchQuery`` from the command's text and filter options."""
    from archive.search import SearchQuery

    return SearchQuery(text=text or "", **options)


@click.command()
@click.argument("query", required=False, default="")
@db_option
@filter_options
@click.option("--sort", type=click.Choice(["relevance", "date"]), help="Order of hits (default: relevance with words, date without).")
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--facets", "with_facets", is_flag=True,
              help="Also the people, organisations, places, sources and languages of all matching articles, with counts.")
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True, metavar="N",
              help="How many values per facet (with --facets).")
def search(query, db, fmt, with_facets, top, **options):
    """Full-text search over titles and texts, with a snippet per hit.

    Words match any inflected form ("кластерами" finds "кластер"). QUERY may
    use "quoted phrases", AND, OR, NOT (or -word) and prefix*; anything else
    is searched as plain words.

    \b
    Example:
      ino-archive search "кластер" --lang ru --since 2016-01-01
      ino-archive search '"ИНО Томск" OR university -погода' --sort date
      ino-archive search кластер --since 2016 --until 2017-06 --facets
    """
    from archive.search import facets, search_count
    from archive.search import search as run_search

    query_spec = build_query(query, **options)
    with open_session(db) as session:
        hits = [_hit_dict(hit) for hit in run_search(session, query_spec)]
        total = search_count(session, query_spec) if fmt == "table" or with_facets else len(hits)
        found = facet_dict(facets(session, query_spec, top)) if with_facets else None
    if found is None:
        _print_hits(hits, fmt, total, query_spec.offset)
    elif fmt == "json":
        click.echo(json.dumps({"total": total, "hits": hits, "facets": found}, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        _print_facets_csv(found)
    else:
        _print_hits(hits, fmt, total, query_spec.offset)
        _print_facets(found, total)


FACET_LABELS = {"people": "People", "organisations": "Organisations", "places": "Places",
                "sources": "Sources", "languages": "Languages"}


def facet_dict(found) -> dict[str, list[dict]]:
    return {name: [{"name": value.name, "articles": value.count} for value in getattr(found, name)]
            for name in FACET_LABELS}


def _print_facets(found: dict[str, list[dict]], total: int) -> None:
    click.echo(f"\nIn the {total} matching article(s):")
    for name, label in FACET_LABELS.items():
        values = "; ".join(f"{value['name']} ({value['articles']})" for value in found[name]) or "-"
        click.echo(f"  {label}: {values}")


def _print_facets_csv(found: dict[str, list[dict]]) -> None:
    """With --facets, CSV is the facet table: facet, name, articles."""
    writer = csv.writer(sys.stdout)
    writer.writerow(["facet", "name", "articles"])
    for name in FACET_LABELS:
        writer.writerows([name, value["name"], value["articles"]] for value in found[name])


def _hit_dict(hit) -> dict:
    return {
        "url": hit.url,
        "title": hit.title,
        "published": hit.published.isoformat() if hit.published else None,
        "source": hit.source,
        "language": hit.language,
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
        "extract_error": hit.extract_error,
    }


def _print_hits(hits: list[dict], fmt: str, total: int, offset: int) -> None:
    if fmt == "json":
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=HIT_FIELDS)
        writer.writeheader()
        writer.writerows(hits)
    else:
        for hit in hits:
            click.echo(f"{hit['published'] or '----------'}  {hit['title'] or '(no title)'}")
            click.echo(f"            {hit['url']}")
            click.echo(f"            {hit['snippet']}")
            if hit["extract_error"]:
                click.echo(f"            extract error: {hit['extract_error']}")
        shown = f"{offset + 1}-{offset + len(hits)} of {total}" if hits else f"0 of {total}"
        click.echo(f"{shown} hit(s)", err=True)
