"""Dates and periods named in an article's text, apart from its publication date.

"On 10-11 of March of 2016", "March 10, 2016", "in 2016-2017", "14.03.2016",
"10–11 марта 2016 года", "в марте 2016 года", "в 2016–2017 годах": each becomes a
``DateMention`` with its span and the first and last day it names.  Patterns
run from specific to generic and never overlap.  A day and month without a
year take ``default_year`` (the publication year) or are skipped.  A bare
year counts only after a word that makes it a date ("in 2016", "с 2011 года").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from datetime import date

from scraper.items import DateMention

EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december")
RU_MONTHS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр",
             "октябр", "ноябр", "декабр")
EN_MONTH = r"(?P<month>" + "|".join(m.capitalize() + "|" + m[:3].capitalize() + r"\." for m in EN_MONTHS) + ")"
RU_MONTH = r"(?P<month>(?:" + "|".join(RU_MONTHS) + r")(?:[ьяеюй]|а|е|ом)?)"
YEAR = r"(?P<year>(?:19[9]\d|20[0-4]\d))"
YEAR2 = r"(?P<year2>(?:19[9]\d|20[0-4]\d))"
DASH = r"\s*[-–—]\s*"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
DAY2 = r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
RU_YEAR_WORD = r"(?:\s*(?:г\.|гг\.|год(?:а|у|ом|ах|ы|ов)?))?"
YEAR_CUE_WORDS = ("in", "since", "by", "until", "till", "from", "during", "of", "before", "after", "for",
                  "в", "с", "со", "до", "к", "по", "на", "от", "за")
YEAR_CUES = r"(?:" + "|".join(YEAR_CUE_WORDS) + ")"
# Every pattern is tried at each position of a text; a lookahead for the
# characters it can start with turns most positions away at once (half the time).
DIGIT_FIRST = r"(?=\d)"
EN_MONTH_FIRST = "(?=[" + "".join(sorted({m[0].upper() for m in EN_MONTHS})) + "])"
RU_MONTH_FIRST = "(?=[" + "".join(sorted({m[0] for m in RU_MONTHS})) + "])"  # its patterns ignore case
YEAR_CUE_FIRST = "(?=[" + "".join(sorted({w[0] for w in YEAR_CUE_WORDS})) + "])"  # ditto

Builder = Callable[[re.Match[str], int | None], tuple[date, date, str] | None]


def _month_number(word: str) -> int:
    folded = word.casefold().rstrip(".")
    for number, name in enumerate(EN_MONTHS, 1):
        if name.startswith(folded) and len(folded) >= 3:
            return number
    for number, stem in enumerate(RU_MONTHS, 1):
        if folded.startswith(stem) and (number != 5 or folded in ("май", "мая", "мае", "маем")):
            return number
    return 0


def _days(match: re.Match[str], default_year: int | None) -> tuple[date, date, str] | None:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else default_year
    month = _month_number(groups["month"])
    if year is None or not month:
        return None
    first = int(groups["day"])
    last = int(groups.get("day2") or first)
    try:
        return date(year, month, first), date(year, month, last), "day"
    except ValueError:
        return None


def _numeric(match: re.Match[str], _default_year: int | None) -> tuple[date, date, str] | None:
    try:
        day = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    return day, day, "day"


def _month(match: re.Match[str], _default_year: int | None) -> tuple[date, date, str] | None:
    year, month = int(match["year"]), _month_number(match["month"])
    if not month:
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"


def _years(match: re.Match[str], _default_year: int | None) -> tuple[date, date, str] | None:
    first = int(match["year"])
    last = int(match.groupdict().get("year2") or first)
    if last < first:
        return None
    return date(first, 1, 1), date(last, 12, 31), "year"


PATTERNS: tuple[tuple[re.Pattern[str], Builder], ...] = (
    (re.compile(rf"{DIGIT_FIRST}\b{DAY}(?:{DASH}{DAY2})?\s+(?:of\s+)?{EN_MONTH}(?:,?\s+(?:of\s+)?{YEAR})?\b"), _days),
    (re.compile(rf"{EN_MONTH_FIRST}\b{EN_MONTH}\s+{DAY}(?:{DASH}{DAY2})?(?:,?\s+{YEAR})?\b"), _days),
    (re.compile(rf"{DIGIT_FIRST}(?<![\w.])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.{YEAR}\b"), _numeric),
    (re.compile(rf"{DIGIT_FIRST}(?<!\w){DAY}(?:{DASH}{DAY2})?\s+{RU_MONTH}(?:\s+{YEAR}{RU_YEAR_WORD})?(?!\w)",
                re.IGNORECASE), _days),
    (re.compile(rf"{EN_MONTH_FIRST}\b{EN_MONTH}(?:\s+of)?\s+{YEAR}\b"), _month),
    (re.compile(rf"{RU_MONTH_FIRST}(?<!\w){RU_MONTH}\s+{YEAR}{RU_YEAR_WORD}(?!\w)", re.IGNORECASE), _month),
    (re.compile(rf"{DIGIT_FIRST}(?<![\w-]){YEAR}{DASH}{YEAR2}{RU_YEAR_WORD}(?![\w-])"), _years),
    (re.compile(rf"{YEAR_CUE_FIRST}\b{YEAR_CUES}\s+(?:the\s+year\s+)?(?P<span>{YEAR}{RU_YEAR_WORD})(?![\w-])",
                re.IGNORECASE), _years),
    (re.compile(rf"{DIGIT_FIRST}(?<![\w-]){YEAR}\s*(?:г\.|год(?:а|у|ом)?)(?!\w)"), _years),
)


def find_date_mentions(text: str, default_year: int | None = None) -> list[DateMention]:
    """Dates and periods named in ``text``, in text order.

    >>> [(m.surface, m.date_from.isoformat(), m.date_to.isoformat())
    ...  for m in find_date_mentions("On 10-11 of March of 2016 and in 2016-2017.")]
    [('10-11 of March of 2016', '2016-03-10', '2016-03-11'), ('2016-2017', '2016-01-01', '2017-12-31')]
    >>> [(m.surface, m.precision) for m in find_date_mentions("в 2016–2017 годах, в марте 2016 года")]
    [('2016–2017 годах', 'year'), ('марте 2016 года', 'month')]
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for start, end, period in _candidates(text, default_year):
        if not any(start < t_end and t_start < end for t_start, t_end in taken):
            taken.append((start, end))
            found.append(DateMention(text[start:end], start, end, *period))
    return sorted(found, key=lambda m: m.start)


def _candidates(text: str, default_year: int | None) -> Iterator[tuple[int, int, tuple[date, date, str]]]:
    for pattern, build in PATTERNS:
        for match in pattern.finditer(text):
            period = build(match, default_year)
            if period is not None:
                # a cue word ("in", "с") is evidence, not part of the date
                span = "span" if "span" in pattern.groupindex else 0
                yield match.start(span), match.end(span), period
