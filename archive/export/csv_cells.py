"""Writing CSV rows, in the exact edition or the Excel edition.

The exact edition writes values as they are (``None`` as an empty cell), so
pandas and R read back what the archive holds.  The Excel edition defuses
formula injection: a spreadsheet program runs a cell that begins with
``= + - @``, a tab or a carriage return as a formula, so such cells get a
leading apostrophe, which Excel and LibreOffice show as text and hide.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def excel_cell(value: Any) -> Any:
    """A text cell that would start a formula, made inert; other values as they are.

    >>> [excel_cell(v) for v in ("=HYPERLINK(1)", "-1", "Томск", 2.5, None)]
    ["'=HYPERLINK(1)", "'-1", 'Томск', 2.5, None]
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(
    out: IO[str], fields: Iterable[str], rows: Iterable[Mapping[str, Any]], *, excel: bool = False
) -> int:
    """Header and rows to ``out``; returns the number of data rows."""
    fields = list(fields)
    writer = csv.writer(out)
    writer.writerow(fields)
    count = 0
    for row in rows:
        values = ["" if row[name] is None else row[name] for name in fields]
        writer.writerow([excel_cell(v) for v in values] if excel else values)
        count += 1
    return count
