"""`ino-archive search`: full-text search with filters, as a table, JSON or CSV.

``filter_options`` is the one bundle of filter flags, shared with ``export``
so that every search filter means the same thing there.
"""

from __future__ import annotations

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


class QueryCommand(click.Command):
    """A command whose words may start with a minus: ``search -погода`` excludes a word.

    Before click parses the options, every argument that is not an option
    (or an option's value) goes after ``--``, so ``-погода`` and ``-2016``
    are words while ``--limt`` stays an unknown option with click's hint.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._words_last(args))

    def _words_last(self, args: list[str]) -> list[str]:
        known, takes_value = set(), set()
        for param in self.params:
            if isinstance(param, click.Option):
                known.update(param.opts + param.secondary_opts)
                if not (param.is_flag or param.count):
                    takes_value.update(param.opts)
        options: list[str] = []
        words: list[str] = []
        index = 0
        while index < len(args):
            arg = args[index]
            if arg == "--":
                words.extend(args[index + 1 :])
                break
            if arg in known or arg.startswith("--"):
                options.append(arg)
                if arg in takes_value and index + 1 < len(args):
                    index += 1
                    options.append(args[index])
            else:
                words.append(arg)
            index += 1
        return [*options, "--", *words] if words else options


def raw_cells_option(func):
    return click.option(
        "--raw-cells", is_flag=True,
        help="CSV: write text exactly (cells starting with = + - @ are otherwise made inert with an apostrophe).",
    )(func)


def delimiter_option(func):
    return click.option(
        "--delimiter", type=click.Choice([",", ";"]), default=",", show_default=True,
        help="CSV: the column separator (';' for locales whose Excel expects it).",
    )(func)


def filter_options(func):
    """The search filters, identical on every command that takes them."""
    for option in reversed(_FILTERS):
        func = option(func)
    return func


def build_query(text: str, **options):
    """A ``SearchQuery`` from the command's text and filter options."""
    from archive.search import SearchQuery

    return SearchQuery(text=text or "", **options)


@click.command(cls=QueryCommand)
@click.argument("query", nargs=-1)
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
@click.option("--time-limit", type=click.FloatRange(0, min_open=True), metavar="SECONDS",
              help="Stop a search that needs longer than this, with an error (default 0.8).")
@raw_cells_option
@delimiter_option
def search(query, db, fmt, with_facets, top, raw_cells, delimiter, **options):
    """Full-text search over titles and texts, with a snippet per hit.

    Words match any inflected form ("кластерами" finds "кластер"). QUERY may
    use "quoted phrases", AND, OR, NOT (or -word) and prefix*; anything else
    is searched as plain words.  Several arguments are one query
    (`search Томск -погода`).  A query is at most 2000 characters and 32
    different words.

    \b
    Example:
      ino-archive search "кластер" --lang ru --since 2016-01-01
      ino-archive search '"ИНО Томск" OR university -погода' --sort date
      ino-archive search кластер --since 2016 --until 2017-06 --facets
    """
    from archive.search import facets, search_with_count
    from archive.search import search as run_search

    if options["time_limit"] is None:
        del options["time_limit"]  # the library's SEARCH_TIME_LIMIT
    query_spec = build_query(" ".join(query), **options)
    with open_session(db) as session:
        if fmt == "table" or with_facets:
            found, total = search_with_count(session, query_spec)
        else:
            found = run_search(session, query_spec)
            total = len(found)
        hits = [_hit_dict(hit) for hit in found]
        values = facet_dict(facets(session, query_spec, top)) if with_facets else None
    if values is None:
        _print_hits(hits, fmt, total, query_spec.offset, raw_cells=raw_cells, delimiter=delimiter)
    elif fmt == "json":
        click.echo(json.dumps({"total": total, "hits": hits, "facets": values}, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        _print_facets_csv(values, raw_cells=raw_cells, delimiter=delimiter)
    else:
        _print_hits(hits, fmt, total, query_spec.offset)
        _print_facets(values, total)


FACET_LABELS = {"people": "People", "organisations": "Organisations", "places": "Places",
                "sources": "Sources", "languages": "Languages"}


def facet_dict(found) -> dict[str, list[dict]]:
    from archive.knowledge import clean_text

    return {name: [{"name": clean_text(value.name), "articles": value.count} for value in getattr(found, name)]
            for name in FACET_LABELS}


def _print_facets(found: dict[str, list[dict]], total: int) -> None:
    from archive.knowledge import terminal_text as shown

    click.echo(f"\nIn the {total} matching article(s):")
    for name, label in FACET_LABELS.items():
        values = "; ".join(f"{shown(value['name'])} ({value['articles']})" for value in found[name]) or "-"
        click.echo(f"  {label}: {values}")


def _print_facets_csv(found: dict[str, list[dict]], *, raw_cells: bool, delimiter: str) -> None:
    """With --facets, CSV is the facet table: facet, name, articles."""
    from archive.export import write_csv

    rows = [{"facet": name, "name": value["name"], "articles": value["articles"]}
            for name in FACET_LABELS for value in found[name]]
    write_csv(sys.stdout, ["facet", "name", "articles"], rows, neutralise=not raw_cells, delimiter=delimiter)


def _hit_dict(hit) -> dict:
    from archive.knowledge import clean_optional

    # Cleaned again on the way out: an archive written before text was cleaned at extraction.
    return {
        "url": clean_optional(hit.url),
        "title": clean_optional(hit.title),
        "published": hit.published.isoformat() if hit.published else None,
        "source": clean_optional(hit.source),
        "language": hit.language,
        "score": round(hit.score, 4),
        "snippet": clean_optional(hit.snippet),
        "extract_error": clean_optional(hit.extract_error),
    }


def _print_hits(hits: list[dict], fmt: str, total: int, offset: int, *, raw_cells: bool = False,
                delimiter: str = ",") -> None:
    if fmt == "json":
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from archive.export import write_csv

        write_csv(sys.stdout, HIT_FIELDS, hits, neutralise=not raw_cells, delimiter=delimiter)
    else:
        from archive.knowledge import terminal_text as shown

        for hit in hits:
            click.echo(f"{hit['published'] or '----------'}  {shown(hit['title'] or '(no title)')}")
            click.echo(f"            {shown(hit['url'])}")
            click.echo(f"            {shown(hit['snippet'])}")
            if hit["extract_error"]:
                click.echo(f"            extract error: {shown(hit['extract_error'])}")
        shown = f"{offset + 1}-{offset + len(hits)} of {total}" if hits else f"0 of {total}"
        click.echo(f"{shown} hit(s)", err=True)
