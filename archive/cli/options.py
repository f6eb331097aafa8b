"""Shared pieces of the command line: the error-handling group and common options."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from datetime import date

import click

from archive.errors import ArchiveError

TRACEBACK_ENV = "INO_ARCHIVE_TRACEBACK"  # set to 1 to see where an unexpected error came from


class ArchiveGroup(click.Group):
    """Turns library errors into one line and exit code 1; never shows a traceback.

    ``ArchiveError`` is the library's own (its message is the line).  A
    database or file error that escaped the library is still one line; any
    other exception is a bug, said so in one line (``INO_ARCHIVE_TRACEBACK=1``
    re-raises it).  Click's usage errors (exit 2) pass through.
    """

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ArchiveError as exc:
            _fail(ctx, str(exc))
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Exception as exc:
            if os.environ.get(TRACEBACK_ENV) == "1":
                raise
            _fail(ctx, unexpected_error(exc))


def unexpected_error(exc: Exception) -> str:
    """One line for an exception the library did not turn into an ``ArchiveError``."""
    from archive.errors import error_reason

    reason = error_reason(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or reason}: {exc.filename}" if exc.filename else reason
    if _is_database_error(exc):
        return f"database error: {reason}"
    return f"unexpected {type(exc).__name__}: {reason} (a bug in ino-archive; {TRACEBACK_ENV}=1 shows where)"


def _is_database_error(exc: Exception) -> bool:
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(exc, SQLAlchemyError | sqlite3.Error)


def _fail(ctx: click.Context, message: str) -> None:
    click.echo(f"Error: {' '.join(message.split())}", err=True)
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


def open_session(db: str | None, *, write: bool = False) -> AbstractContextManager:
    """A session on an existing archive (read commands never create one).

    ``write``: the command will change the archive, so a read-only one is
    refused now (``ReadOnlyArchive``), before any work.
    """
    from archive.db import check_writable, open_engine, resolve_db_url, session_for

    engine = open_engine(resolve_db_url(db), create=False)
    if write:
        try:
            check_writable(engine)
        except BaseException:
            engine.dispose()
            raise
    return session_for(engine)
