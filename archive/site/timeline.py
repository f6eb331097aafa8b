"""A bar chart of mentions per month with labelled axes, drawn as inline SVG (no script needed)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from archive.search import date_bound, period_range

BAR_WIDTH = 8
HEIGHT = 60
LEFT = 34  # room for the count labels
BOTTOM = 18  # room for the year labels


@dataclass(frozen=True)
class Bar:
    month: str
    count: int
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class Tick:
    label: str
    x: int
    y: int


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]
    width: int
    height: int
    first: str
    last: str
    peak: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left: int = LEFT
    bottom: int = BOTTOM


def _months(first: str, last: str) -> list[str]:
    return period_range(date_bound(first), date_bound(last), "month")


def timeline(months: Counter[str]) -> Timeline | None:
    """Bars for every month from the first mention to the last, empty months included.

    The x axis is labelled with each year where its first month is drawn (or
    with the first month), the y axis with 0, half the peak and the peak.

    >>> t = timeline(Counter({"2016-01": 2, "2016-03": 1}))
    >>> [(b.month, b.count, b.height) for b in t.bars]
    [('2016-01', 2, 60), ('2016-02', 0, 0), ('2016-03', 1, 30)]
    >>> [tick.label for tick in t.x_ticks], [tick.label for tick in t.y_ticks]
    (['2016'], ['0', '1', '2'])
    """
    if not months:
        return None
    span = _months(min(months), max(months))
    peak = max(months.values())
    bars = []
    for index, month in enumerate(span):
        height = round(HEIGHT * months.get(month, 0) / peak)
        bars.append(Bar(month, months.get(month, 0), LEFT + index * BAR_WIDTH, HEIGHT - height, height))
    x_ticks = [Tick(bar.month[:4], bar.x, HEIGHT + 13) for bar in bars
               if bar.month.endswith("-01") or bar is bars[0]]
    if len(x_ticks) > 1 and x_ticks[1].x - x_ticks[0].x < 4 * BAR_WIDTH:
        x_ticks = x_ticks[1:]  # the first month's year would run into the next January's
    levels = sorted({0, peak // 2, peak}) if peak > 1 else [0, peak]
    y_ticks = [Tick(str(level), LEFT - 4, HEIGHT - round(HEIGHT * level / peak) + 4) for level in levels]
    return Timeline(bars, LEFT + len(span) * BAR_WIDTH, HEIGHT, span[0], span[-1], peak, x_ticks, y_ticks)
