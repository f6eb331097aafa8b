"""Errors the archive library raises for its callers.

Every message is one line a user can act on; the CLI prints it as
``Error: <message>`` and exits with status 1, never with a traceback.
Third-party errors (sqlite3, psycopg, SQLAlchemy, OSError) are mapped to
these at one boundary, keeping the cause (``raise … from exc``)::

    ArchiveError            anything the user can fix: a path, a query, a file
    ├── DatabaseError       the database cannot be opened, is corrupt or missing
    └── ExportError         an export target cannot be written
"""

from __future__ import annotations


class ArchiveError(Exception):
    """A problem with the archive the user can act on (one-line message)."""


class DatabaseError(ArchiveError):
    """The database cannot be opened, is not a SQLite file, or has no archive yet."""


class ExportError(ArchiveError):
    """An export file or folder cannot be created or written."""
