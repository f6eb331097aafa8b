"""Dates a researcher types, and the periods attention is counted in.

``--since 2016`` means the first day of 2016 and ``--until 2016-02`` the
last day of February 2016: a bound may be a year, a year-month or a day
(``date_bound``).  Timelines count per ISO week, month or year
(``period_key``), with every period between the first and the last one
listed, empty ones included (``period_range``), so charts of several queries
share one axis.  The site's JavaScript (``archive/site/static/query.js``)
reads bounds and names periods the same way.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from archive.errors import ArchiveError

PERIODS = ("week", "month", "year")
_BOUND = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_NOT_A_DATE = "{text!r} is not a date: give a year (2016), a month (2016-03) or a day (2016-03-14)"


def date_bound(text: str, *, end: bool = False) -> date:
    """The first day (or with ``end``, the last day) that ``text`` names: a year, a year-month or a day.

    >>> date_bound("2016"), date_bound("2016", end=True)
    (datetime.date(2016, 1, 1), datetime.date(2016, 12, 31))
    >>> date_bound("2016-02", end=True), date_bound("2016-03-14", end=True)
    (datetime.date(2016, 2, 29), datetime.date(2016, 3, 14))
    """
    found = _BOUND.fullmatch(text.strip())
    if not found:
        raise ArchiveError(_NOT_A_DATE.format(text=text))
    year, month, day = (int(part) if part else None for part in found.groups())
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)  # type: ignore[arg-type]
        if day is None:
            last = calendar.monthrange(year, month)[1]  # type: ignore[arg-type]
            return date(year, month, last if end else 1)  # type: ignore[arg-type]
        return date(year, month, day)  # type: ignore[arg-type]
    except ValueError:  # a month 13, a 30 February
        raise ArchiveError(_NOT_A_DATE.format(text=text)) from None


def check_period(by: str) -> str:
    if by not in PERIODS:
        raise ArchiveError(f"unknown period {by!r}; use one of {', '.join(PERIODS)}")
    return by


def period_key(day: date, by: str) -> str:
    """The period ``day`` falls in: ``2016-W05`` (ISO week), ``2016-02`` or ``2016``.

    >>> [period_key(date(2016, 1, 3), by) for by in PERIODS]
    ['2015-W53', '2016-01', '2016']
    """
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def period_range(first: date, last: date, by: str) -> list[str]:
    """Every period from the one holding ``first`` to the one holding ``last``.

    >>> period_range(date(2015, 11, 20), date(2016, 2, 1), "month")
    ['2015-11', '2015-12', '2016-01', '2016-02']
    >>> period_range(date(2015, 12, 30), date(2016, 1, 12), "week")
    ['2015-W53', '2016-W01', '2016-W02']
    """
    if first > last:
        return []
    if by == "year":
        return [f"{year:04d}" for year in range(first.year, last.year + 1)]
    if by == "month":
        keys, year, month = [], first.year, first.month
        while (year, month) <= (last.year, last.month):
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return keys
    monday = first - timedelta(days=first.weekday())
    keys = []
    while monday <= last:
        keys.append(period_key(monday, "week"))
        monday += timedelta(days=7)
    return keys
