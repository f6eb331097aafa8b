"""A small bar chart of mentions per month, drawn as inline SVG (no script needed)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

BAR_WIDTH = 8
HEIGHT = 60


@dataclass(frozen=True)
class Bar:
    month: str
    count: int
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]
    width: int
    height: int
    first: str
    last: str
    peak: int


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def timeline(months: Counter[str]) -> Timeline | None:
    """Bars for every month from the first mention to the last, empty months included.

    >>> t = timeline(Counter({"2016-01": 2, "2016-03": 1}))
    >>> [(b.month, b.count, b.height) for b in t.bars]
    [('2016-01', 2, 60), ('2016-02', 0, 0), ('2016-03', 1, 30)]
    """
    if not months:
        return None
    span = _months(min(months), max(months))
    peak = max(months.values())
    bars = []
    for index, month in enumerate(span):
        height = round(HEIGHT * months.get(month, 0) / peak)
        bars.append(Bar(month, months.get(month, 0), index * BAR_WIDTH, HEIGHT - height, height))
    return Timeline(bars, len(span) * BAR_WIDTH, HEIGHT, span[0], span[-1], peak)
