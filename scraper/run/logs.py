"""Logging for commands: one line per problem on the terminal, everything in the log file.

Scrapy's own root handler prints tracebacks for ordinary network failures;
a user (or cron's mail) should see one line per problem and the summary,
while ``--log-file`` keeps the full record, tracebacks included.
"""

from __future__ import annotations

import logging
import sys

LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"


class OneLineFormatter(logging.Formatter):
    """Formats a record without its traceback: the message's first line and the exception's."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage().splitlines()[0] if record.getMessage() else ""
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message} ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        return f"{record.levelname}: {message}"


def configure(stderr_level: str = "ERROR", log_file: str | None = None, file_level: str = "INFO") -> None:
    """Replace the root logger's handlers: terse stderr, optional full log file."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setLevel(stderr_level)
    terminal.setFormatter(OneLineFormatter())
    root.addHandler(terminal)
    levels = [logging.getLevelName(stderr_level)]
    if log_file:
        to_file = logging.FileHandler(log_file, encoding="utf-8")
        to_file.setLevel(file_level)
        to_file.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(to_file)
        levels.append(logging.getLevelName(file_level))
    root.setLevel(min(levels))
