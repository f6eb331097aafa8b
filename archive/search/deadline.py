"""A time budget for one search: past it the database stops and the query is refused.

The syntax bounds (``syntax.check_bounds``) refuse what is long or has many
terms before any work, but a short query can still be costly: 32 of the
commonest words OR-ed, or one-letter prefixes, touch every row's postings.
So every statement of a search runs under a deadline (``SEARCH_TIME_LIMIT``
seconds by default, ``SearchQuery.time_limit``): SQLite's progress handler
aborts the statement (``interrupted``), PostgreSQL its ``statement_timeout``
(set for the rest of the budget, inside the transaction only).  The caller
gets ``QueryError``, one line, and the archive is never changed.

``time_limit(session, seconds)`` opens a budget shared by every search
statement inside it (the CLI's page of hits and its count); ``search`` and
``search_count`` open their own when none is open.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.errors import QueryError

SEARCH_TIME_LIMIT = 0.8  # seconds for one search (its page and count): under 1 s with the parsing and snippets
# How often (SQLite virtual machine steps) the progress handler looks at the clock: ~1 ms of work.
_PROGRESS_STEPS = 1000
_KEY = "archive.search.deadline"


@dataclass(frozen=True)
class Deadline:
    seconds: float
    at: float  # time.monotonic() when the budget runs out

    def remaining_ms(self) -> int:
        return max(1, int((self.at - time.monotonic()) * 1000))

    def expired(self) -> bool:
        return time.monotonic() >= self.at

    def error(self) -> QueryError:
        return QueryError(
            f"the search needed more than {self.seconds:g} s and was stopped;"
            " use fewer or rarer words, longer prefixes, or a longer --time-limit"
        )


def current(session: Session) -> Deadline | None:
    """The budget open on ``session``, if any."""
    return session.info.get(_KEY)


@contextmanager
def time_limit(session: Session, seconds: float | None) -> Iterator[None]:
    """Run the search statements inside under one budget of ``seconds`` (None: no limit, or one already open)."""
    if seconds is None or current(session) is not None:
        yield
        return
    deadline = Deadline(seconds, time.monotonic() + seconds)
    session.info[_KEY] = deadline
    dialect = session.get_bind().dialect.name
    raw = session.connection().connection.dbapi_connection if dialect == "sqlite" else None
    if raw is not None:
        raw.set_progress_handler(deadline.expired, _PROGRESS_STEPS)
    try:
        yield
    finally:
        del session.info[_KEY]
        if raw is not None:
            raw.set_progress_handler(None, 0)
        elif dialect == "postgresql" and session.in_transaction():
            try:
                _set_timeout(session, "0")
            except SQLAlchemyError:
                pass  # a failed statement aborted the transaction: the setting ends with it


def before_statement(session: Session) -> None:
    """Give the next statement what is left of the budget; ``QueryError`` when nothing is."""
    deadline = current(session)
    if deadline is None:
        return
    if deadline.expired():
        raise deadline.error()
    if session.get_bind().dialect.name == "postgresql":
        _set_timeout(session, str(deadline.remaining_ms()))


def stopped(session: Session) -> QueryError | None:
    """After a failed statement: the ``QueryError`` to raise if the budget stopped it (the transaction reset)."""
    deadline = current(session)
    if deadline is None or not deadline.expired():
        return None
    session.rollback()
    return deadline.error()


def _set_timeout(session: Session, value: str) -> None:
    # set_config(..., true) lasts until the transaction ends, like SET LOCAL, and takes a bound value.
    session.execute(text("SELECT set_config('statement_timeout', :value, true)"), {"value": value})
