"""Errors the archive library raises for its callers.

Every message is one line a user can act on; the CLI prints it as
``Error: <message>`` and exits with status 1, never with a traceback.
Third-party errors (sqlite3, psycopg, SQLAlchemy, OSError) are mapped to
these at one boundary, keeping the cause (``raise … from exc``)::

    ArchiveError            anything the user can fix: a path, a query, a file
    ├── DatabaseError       the database cannot be opened, is corrupt or missing
    ├── ExportError         an export target cannot be written
    └── QueryError          a search the archive refuses: too long, too many terms, no words
"""

from __future__ import annotations


def error_reason(exc: BaseException) -> str:
    r"""A third-party error in one line: the driver's own first line, without SQLAlchemy's SQL dump and links.

    >>> error_reason(ValueError("no such table: articles\n[SQL: SELECT ...]"))
    'no such table: articles'
    >>> error_reason(RuntimeError())
    'RuntimeError'
    """
    message = str(getattr(exc, "orig", None) or exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__


class ArchiveError(Exception):
    """A problem with the archive the user can act on (one-line message)."""


class DatabaseError(ArchiveError):
    """The database cannot be opened, is not a SQLite file, or has no archive yet."""


class ExportError(ArchiveError):
    """An export file or folder cannot be created or written."""


class QueryError(ArchiveError):
    """A search query the archive will not run: over its bounds, or with nothing to search for."""
