"""Shared pieces of the command line: the error-handling group and common options."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date

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


def parse_date(ctx, param, value: str | None) -> date | None:
    """A day; for ``--since``/``--until`` also a year or a year-month (the first or the last day of it)."""
    if value is None:
        return None
    from archive.search import date_bound

    try:
        return date_bound(value, end=param is not None and param.name == "until")
    except ArchiveError as exc:
        raise click.BadParameter(str(exc)) from None


def parse_settings(ctx, param, values: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE")
        pairs[name.strip()] = setting
    return pairs


def open_session(db: str | None) -> AbstractContextManager:
    """A session on an existing archive (read commands never create one)."""
    from archive.db import open_engine, resolve_db_url, session_for

    return session_for(open_engine(resolve_db_url(db), create=False))
