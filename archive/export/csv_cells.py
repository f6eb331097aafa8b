"""Writing CSV rows, safe to open in a spreadsheet unless asked otherwise.

A spreadsheet program runs a cell that begins with ``= + - @``, a tab or a
carriage return as a formula (``=HYPERLINK(…)`` showed a live link in
LibreOffice), and crawled text is anyone's text.  So by default such text
cells get a leading apostrophe, which Excel and LibreOffice show as text and
hide (``neutralise``); ``neutralise=False`` (``--raw-cells``) writes values
exactly as the archive holds them, for pandas and R.  ``None`` is an empty
cell either way; numbers are never changed.  ``delimiter`` is ``,`` or, for
locales whose Excel expects it, ``;``.
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


DELIMITERS = (",", ";")


def write_csv(
    out: IO[str],
    fields: Iterable[str],
    rows: Iterable[Mapping[str, Any]],
    *,
    neutralise: bool = True,
    delimiter: str = ",",
) -> int:
    """Header and rows to ``out``; returns the number of data rows."""
    fields = list(fields)
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(fields)
    count = 0
    for row in rows:
        values = ["" if row[name] is None else row[name] for name in fields]
        writer.writerow([excel_cell(v) for v in values] if neutralise else values)
        count += 1
    return count
