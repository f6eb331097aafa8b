"""`ino-archive db upgrade`: bring an archive to the newest schema (Alembic migrations)."""

from __future__ import annotations

import click

from archive.cli.options import db_option


@click.command("upgrade")
@db_option
def upgrade(db):
    """Apply the schema migrations to an existing archive (SQLite or PostgreSQL).

    Rows are kept; an archive made before migrations existed is recognised and
    upgraded too.  A crawl upgrades its archive by itself; search, export and
    stats ask for this command instead of changing the archive.

    \b
    Example:
      ino-archive db upgrade --db archive.sqlite3
      ino-archive db upgrade --db postgresql+psycopg://user@host/dbname
    """
    from archive.db import resolve_db_url, upgrade_archive

    state = upgrade_archive(resolve_db_url(db))
    if state.action == "current":
        click.echo(f"The archive is up to date (schema revision {state.after}).")
    else:
        click.echo(f"Upgraded the archive from schema revision {state.before or 'none'} to {state.after}.")
