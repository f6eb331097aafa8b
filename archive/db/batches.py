"""Rows a crawl component records in the archive, written in batches.

Downloader middlewares and extensions (page fetches, failures, the WARC
index) each buffer their rows; one writer transaction per batch keeps
SQLite's write lock short.  A batch the database refuses is logged and
counted, never fatal: the crawl goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.db.engine import writer
from archive.db.opening import open_engine

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)


class BatchRecorder:
    """Buffer rows; ``write(session, rows)`` them every ``batch_size`` rows and at close."""

    def __init__(
        self,
        db_url: str,
        write: Callable[[Session, list[dict[str, Any]]], Any],
        *,
        batch_size: int,
        what: str,
        error_stat: str,
        stats: Any = None,
        before_write: Callable[[], None] | None = None,
        level: int = logging.ERROR,
    ) -> None:
        self.db_url = db_url
        self.write = write
        self.batch_size = max(1, batch_size)
        self.what = what
        self.error_stat = error_stat
        self.stats = stats
        self.before_write = before_write
        self.level = level
        self.engine: Engine | None = None
        self.rows: list[dict[str, Any]] = []

    def open(self) -> Engine:
        self.engine = open_engine(self.db_url, create=True)
        return self.engine

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        rows, self.rows = self.rows, []
        if not rows or self.engine is None:
            return
        if self.before_write is not None:
            self.before_write()
        try:
            with Session(writer(self.engine)) as session, session.begin():
                self.write(session, rows)
        except SQLAlchemyError as exc:
            logger.log(self.level, "Could not record %d %s: %s", len(rows), self.what, str(exc).splitlines()[0])
            if self.stats is not None:
                self.stats.inc_value(self.error_stat)

    def close(self) -> None:
        self.flush()
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
