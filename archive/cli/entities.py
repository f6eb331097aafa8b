"""`ino-archive entities` and the entity exports `ino-archive export network|timeline`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from archive.cli.options import db_option, open_session

_ALL_HELP = "Also count articles not about INO Tomsk."


@click.command()
@db_option
@click.option("--kind", type=click.Choice(["person", "org", "place"]), help="Only entities of this kind.")
@click.option("--top", type=click.IntRange(1), metavar="N", help="Only the N named in most articles.")
@click.option("--relink", is_flag=True, help="First link entities across articles and languages (a crawl does this at its end).")
@click.option("--with", "with_name", metavar="NAME",
              help="Instead: who is named in the same articles as this person (or, with --kind org, organisation), how often and when.")
@click.option("--all", "include_all", is_flag=True, help="With --with: also count articles not about INO Tomsk.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def entities(db, kind, top, relink, with_name, include_all, fmt):
    """People, organisations and places: mention and article counts, first and last seen, aliases.

    \b
    Example:
      ino-archive entities --kind person --top 20
      ino-archive entities --relink
      ino-archive entities --with ТГУ --kind org --top 10
    """
    from archive.entities import list_entities, relink_archive

    if with_name:
        _companions(db, with_name, kind or "person", top or 10, include_all, fmt)
        return
    with open_session(db, write=relink) as session:
        if relink:
            result = relink_archive(session)
            click.echo(
                f"Relinked: {result.merged} entities merged, {result.articles} articles updated,"
                f" {result.aliases} aliases added",
                err=True,
            )
        found = list_entities(session, kind=kind, top=top)
    rows = [_row(entity) for entity in found]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from archive.knowledge import terminal_text as shown

    for row in rows:
        seen = f"{row['first_seen'] or '?'} … {row['last_seen'] or '?'}"
        click.echo(f"{row['kind']:<6} {shown(row['name'])}  ({row['articles']} articles, {row['mentions']} mentions, {seen})")
        if row["aliases"]:
            click.echo(f"       aka {shown('; '.join(row['aliases']))}")
    click.echo(f"{len(rows)} entities", err=True)


def _companions(db, name: str, kind: str, top: int, include_all: bool, fmt: str) -> None:
    from archive.errors import ArchiveError
    from archive.knowledge import clean_text, terminal_text
    from archive.search import SearchQuery, co_occurring

    if kind not in ("person", "org"):
        raise ArchiveError("--with takes a person or an organisation (--kind person or --kind org)")
    with open_session(db) as session:
        found = co_occurring(session, SearchQuery(include_all=include_all), kind, name, top)
    rows = [{"kind": c.kind, "name": clean_text(c.name), "articles": c.articles,
             "first": c.first.isoformat() if c.first else None, "last": c.last.isoformat() if c.last else None}
            for c in found]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['kind']:<6} {terminal_text(row['name'])}  ({row['articles']} articles, "
                   f"{row['first'] or '?'} … {row['last'] or '?'})")
    click.echo(f"{len(rows)} named with {terminal_text(name)}", err=True)


def _row(entity) -> dict:
    from archive.knowledge import clean_text

    return {
        "kind": entity.kind,
        "name": clean_text(entity.name),
        "articles": entity.articles,
        "mentions": entity.mentions,
        "first_seen": entity.first_seen.isoformat() if entity.first_seen else None,
        "last_seen": entity.last_seen.isoformat() if entity.last_seen else None,
        "aliases": [clean_text(alias) for alias in entity.aliases],
    }


@click.command("network")
@db_option
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="A .graphml or .gexf file.")
@click.option("--all", "include_all", is_flag=True, help=_ALL_HELP)
def export_network(db, out, include_all):
    """Co-occurrence network of people and organisations (edge weight = articles naming both).

    \b
    Example:
      ino-archive export network --out people.graphml
      ino-archive export network --out people.gexf
    """
    from archive.export import export_network as write_network

    with open_session(db) as session:
        nodes, edges = write_network(session, Path(out), include_all=include_all)
    click.echo(f"Wrote {nodes} nodes and {edges} edges to {out}")


@click.command("timeline")
@db_option
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The CSV file to write.")
@click.option("--all", "include_all", is_flag=True, help=_ALL_HELP)
def export_timeline(db, out, include_all):
    """Mentions and articles per entity per month of publication, as CSV.

    \b
    Example:
      ino-archive export timeline --out timeline.csv
    """
    from archive.export import export_timeline as write_timeline

    with open_session(db) as session:
        rows, undated = write_timeline(session, Path(out), include_all=include_all)
    click.echo(f"Wrote {rows} rows to {out}")
    if undated:
        click.echo(f"Left out {undated} article-entity pairs from undated articles", err=True)
