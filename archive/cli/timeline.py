"""`ino-archive timeline QUERY`: attention over time, matching articles per week, month or year."""

from __future__ import annotations

import csv
import json
import sys

import click

from archive.cli.options import db_option, open_session
from archive.cli.search import build_query, filter_options

FIELDS = ["period", "matches", "total", "share"]


@click.command()
@click.argument("query", required=False, default="")
@db_option
@filter_options
@click.option("--by", type=click.Choice(["week", "month", "year"]), default="month", show_default=True,
              help="Count per ISO week (2016-W05), month (2016-02) or year.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def timeline(query, db, by, fmt, **filters):
    """Matching articles per period, and their share of all articles of that period.

    QUERY is the search language of `ino-archive search`; the filters narrow
    it the same way. `total` counts the articles of the period the query
    searched before its words and names (the --all scope, --lang, --source),
    `share` is matches / total. Every period from the first to the last is
    listed, empty ones included; undated matches are counted on stderr
    (in the JSON as "undated").

    \b
    Example:
      ino-archive timeline кластер --by month --format csv > cluster.csv
      ino-archive timeline "ИНО Томск" --by year --lang ru --since 2012 --until 2020
    """
    from archive.search import timeline as count_timeline

    with open_session(db) as session:
        found = count_timeline(session, build_query(query, **filters), by)
    rows = [{"period": p.period, "matches": p.matches, "total": p.total, "share": round(p.share, 4)}
            for p in found.periods]
    if fmt == "json":
        click.echo(json.dumps({"by": by, "periods": rows, "undated": found.undated}, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    else:
        click.echo(f"{by:<8} {'matches':>8} {'total':>8} {'share':>7}")
        for row in rows:
            click.echo(f"{row['period']:<8} {row['matches']:>8} {row['total']:>8} {row['share']:>7.1%}")
    click.echo(f"{found.matches} matching article(s) in {len(rows)} period(s), {found.undated} undated", err=True)
