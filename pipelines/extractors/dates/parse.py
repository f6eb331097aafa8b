"""Read dates written as text or as machine-readable values.

``parse_date_text`` finds the first plausible date in a string: month names
in any case or abbreviation (``dates_months``: Russian by stem, so every
grammatical case matches; transliterated Russian such as "14 martha 2016"),
numeric forms (day first, as in Russia, unless only the American reading is
possible), two-digit years after an apostrophe ("15 Sep '11"), CJK
"2020年2月19日" and relative words ("вчера в 12:05", "3 hours ago",
"5 часов назад"), counted from the fetch time when the caller gives it as
``today`` (a ``datetime``, in the page's zone), else from that day.
``parse_iso`` reads ISO 8601 and RFC 2822 values: a timestamp written with its
own offset keeps the day it was written with; a UTC one is read in the zone.
Everything outside 1990..today is rejected: no date is ever later than the fetch.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from pipelines.extractors.dates.months import month_number

if TYPE_CHECKING:
    from collections.abc import Iterator

# Zoned datetimes are read as the local date in Tomsk, where the programme's
# news is published, so a 23:30 UTC item is dated the next day as locals saw it.
TOMSK_TZ = timezone(timedelta(hours=7), "Asia/Tomsk")
EARLIEST = date(1990, 1, 1)

# --- text patterns ------------------------------------------------------------------
_WORD = r"([^\W\d_]{3,12}(?![^\W\d_])\.?)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er|º|-?го|-?е|\.)?"
# A year in full, or its last two digits after an apostrophe ("15 Sep '11").
_YEAR = r"(\d{4}|['’‘]\d{2})"
_OF = r"(?:(?:of|de|del)\s+)?"
# The month may be named twice, as Levantine Arabic sites do ("24 نيسان / أبريل 2020").
_ALSO_NAMED = r"(?:\s*/\s*[^\W\d_]{3,12}(?![^\W\d_]))?"
DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d){_DAY}\s*{_OF}{_WORD}{_ALSO_NAMED},?\s+{_OF}{_YEAR}(?!\d)", re.IGNORECASE
)
MONTH_DAY_YEAR = re.compile(
    rf"(?<![^\W\d_]){_WORD}\s+{_DAY},?\s+{_YEAR}(?!\d)", re.IGNORECASE
)
# Russian sites often omit the current year: "14 марта, 12:05".
DAY_MONTH = re.compile(rf"(?<!\d){_DAY}\s+{_WORD}(?!\s*\d{{4}})", re.IGNORECASE)
ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
CJK_DATE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
DOTTED_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d.])")
SLASHED_DATE = re.compile(r"(?<![\d/])(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?![\d/])")
RELATIVE_DAYS = {
    "сегодня": 0, "today": 0, "вчера": 1, "yesterday": 1, "позавчера": 2,
}
# A date stamp gives the time after the word ("вчера в 12:05", "Today, 9:30 am"); "today" in a sentence is no date.
RELATIVE = re.compile(
    r"(?<!\w)(" + "|".join(RELATIVE_DAYS) + r")(?!\w)(?=[\s,]*(?:(?:в|at|um|à)\s+)?\d{1,2}[:.]\d{2}(?!\d))",
    re.IGNORECASE,
)
# "3 hours ago", "an hour ago", "5 часов назад", "час назад", "vor 2 Stunden": counted back from the fetch time.
AGO_UNITS = (
    (re.compile(r"^(?:min|мин|minute)", re.IGNORECASE), timedelta(minutes=1)),
    (re.compile(r"^(?:h|час|stunde)", re.IGNORECASE), timedelta(hours=1)),
    (re.compile(r"^(?:d|дн|день|tag)", re.IGNORECASE), timedelta(days=1)),
    (re.compile(r"^(?:w|недел|woche)", re.IGNORECASE), timedelta(weeks=1)),
)
_AGO_UNIT = r"(minutes?|mins?|hours?|hrs?|days?|weeks?|минут[уы]?|час(?:а|ов)?|дн(?:я|ей)|день|недел[юиь]|Minuten?|Stunden?|Tagen?|Wochen?)"
_AGO_COUNT = r"(\d{1,3}|an?|one)"
RELATIVE_AGO = re.compile(
    rf"(?<!\w)(?:{_AGO_COUNT}\s+{_AGO_UNIT}\s+(?:ago|назад)|(?:vor)\s+{_AGO_COUNT.replace('an?|one', 'einer?|einem')}\s+{_AGO_UNIT}"
    rf"|{_AGO_UNIT}\s+назад)(?!\w)",
    re.IGNORECASE,
)
# With no fetch time, "N hours ago" is counted from the end of the fetch day.
END_OF_DAY = time(23, 59)


def latest_day(today: date) -> date:
    """The last day a date may be: ``today``, or the day of the fetch time when ``today`` is that moment."""
    return today.date() if isinstance(today, datetime) else today


def checked(candidate: date | None, today: date) -> date | None:
    """``candidate`` when it lies in 1990..today, else ``None`` (``today`` may be the fetch time)."""
    if candidate is None or not EARLIEST <= candidate <= latest_day(today):
        return None
    return candidate


def make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def local_date(moment: datetime, zone: tzinfo | None = TOMSK_TZ) -> date:
    """The day of ``moment``: in ``zone`` for a UTC time, as written for a time in no zone or with its own offset.

    A timestamp that carries its own offset ("2022-05-03T22:46:08-03:00") was
    written where the article appeared: that day is its publication day.

    >>> local_date(datetime.fromisoformat("2022-05-03T22:46:08-03:00"))
    datetime.date(2022, 5, 3)
    >>> local_date(datetime.fromisoformat("2022-05-03T22:46:08+00:00"))
    datetime.date(2022, 5, 4)
    """
    if moment.tzinfo is None or zone is None or moment.utcoffset():
        return moment.date()
    return moment.astimezone(zone).date()


# A timestamp with a time of day in UTC or in no zone: the site's own day may be another.
UTC_CLOCK = re.compile(r"[T\s]\d{1,2}:\d{2}(?::\d{1,2})?(?:[.,]\d+)?\s*(?:Z|[+-]00:?00|GMT|UTC)?\s*$", re.IGNORECASE)


def on_utc_clock(value: str) -> bool:
    """True when a machine timestamp gives a time in UTC or in no zone.

    >>> on_utc_clock("2023-11-09T06:35:00+00:00"), on_utc_clock("2020-12-05T23:15"), on_utc_clock("2020-12-05")
    (True, True, False)
    >>> on_utc_clock("2019-12-09T17:14:32+01:00"), on_utc_clock("Fri, 24 Apr 2020 21:25:06 GMT")
    (False, True)
    """
    return UTC_CLOCK.search(value) is not None


def one_day_apart(first: date, second: date) -> bool:
    """True for two dates a time-zone shift can make of one moment."""
    return abs(first - second) == timedelta(1)


def parse_iso(value: str, today: date, zone: tzinfo | None = TOMSK_TZ) -> date | None:
    """Parse a machine-readable date (ISO 8601 or RFC 2822) as a date in ``zone``."""
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return checked(local_date(moment, zone), today)
    except ValueError:
        pass
    try:
        return checked(local_date(parsedate_to_datetime(value), zone), today)
    except (TypeError, ValueError, IndexError):
        return None


def parse_date_text(text: str, today: date, *, yearless: bool = True) -> date | None:
    """Return the first plausible date written in ``text``, or ``None``.

    A date without a year ("14 марта") takes the year of ``today`` unless
    ``yearless`` is false: away from the headline such dates are event dates.

    >>> parse_date_text("14 martha 2016", date(2024, 1, 1))
    datetime.date(2016, 3, 14)
    >>> parse_date_text("вчера в 12:05", date(2024, 3, 2))
    datetime.date(2024, 3, 1)
    >>> parse_date_text("Veröffentlicht am 6. August 2009", date(2024, 3, 2))
    datetime.date(2009, 8, 6)
    >>> parse_date_text("Posted 15 Sep '11", date(2026, 12, 6))
    datetime.date(2011, 9, 15)
    >>> parse_date_text("5 hours ago", datetime(2024, 3, 2, 3, 0))
    datetime.date(2024, 3, 1)
    >>> parse_date_text("Today, 9:30 am", date(2024, 3, 2)), parse_date_text("As we know it today. In 1600 …", date(2024, 3, 2))
    (datetime.date(2024, 3, 2), None)
    """
    if not text or len(text) < 6:
        return None
    limit = today
    moment = today if isinstance(today, datetime) else None
    today = moment.date() if moment is not None else today
    candidates = sorted(_text_candidates(text, today, yearless, moment), key=lambda pair: pair[0])
    for _, found in candidates:
        if (good := checked(found, limit)) is not None:
            return good
    return None


def counts_from_fetch(text: str, today: date) -> bool:
    """True when the date ``text`` gives depends on the fetch time ("a day ago", "вчера в 12:05").

    >>> counts_from_fetch("a day ago", date(2024, 3, 2)), counts_from_fetch("Publié le 29 juin 2019", date(2024, 3, 2))
    (True, False)
    """
    later = today + timedelta(days=400)  # a fetch more than a year later: absolute dates stay, the others move
    return parse_date_text(text, today, yearless=False) != parse_date_text(text, later, yearless=False)


def parse_machine_date(value: str, today: date, zone: tzinfo | None = TOMSK_TZ) -> date | None:
    """Parse an attribute value: ISO first, then any written form."""
    return parse_iso(value, today, zone) or parse_date_text(value, today)


def _text_candidates(
    text: str, today: date, yearless: bool, moment: datetime | None = None
) -> Iterator[tuple[int, date | None]]:
    for match in RELATIVE_AGO.finditer(text):
        yield match.start(), _ago(match, today, moment)
    if not any(char.isdigit() for char in text):
        return
    for match in DAY_MONTH_YEAR.finditer(text):
        yield match.start(), _word_date(match.group(3), match.group(2), match.group(1), today)
    for match in MONTH_DAY_YEAR.finditer(text):
        yield match.start(), _word_date(match.group(3), match.group(1), match.group(2), today)
    for match in ISO_DATE.finditer(text):
        yield match.start(), make_date(*map(int, match.groups()))
    for match in CJK_DATE.finditer(text):
        yield match.start(), make_date(*map(int, match.groups()))
    for match in DOTTED_DATE.finditer(text):
        yield match.start(), _numeric_date(match.group(3), match.group(2), match.group(1))
    for match in SLASHED_DATE.finditer(text):
        yield match.start(), _slashed_date(*match.groups())
    for match in RELATIVE.finditer(text):
        yield match.start(), today - timedelta(days=RELATIVE_DAYS[match.group(1).lower()])
    if not yearless:
        return
    # Year-less dates only when nothing complete was written.
    for match in DAY_MONTH.finditer(text):
        yield len(text) + match.start(), _yearless_date(match.group(2), match.group(1), today)


def _word_date(year: str, month_word: str, day: str, today: date) -> date | None:
    month = month_number(month_word)
    return make_date(_full_year(year, today), month, int(day)) if month else None


def _full_year(year: str, today: date) -> int:
    """A year as written: four digits, or two after an apostrophe (this century unless that is ahead)."""
    if len(year) == 4:
        return int(year)
    short = int(year[-2:])
    return 2000 + short if 2000 + short <= today.year else 1900 + short


def _ago(match: re.Match, today: date, moment: datetime | None) -> date | None:
    """The day a "N units ago" was, counted back from the fetch time."""
    count_word = match.group(1) or match.group(3) or "1"
    unit_word = match.group(2) or match.group(4) or match.group(5) or ""
    count = int(count_word) if count_word.isdigit() else 1
    unit = next((step for pattern, step in AGO_UNITS if pattern.search(unit_word)), None)
    if unit is None:
        return None
    start = moment if moment is not None else datetime.combine(today, END_OF_DAY)
    return (start - count * unit).date()


def _numeric_date(year: str, month: str, day: str) -> date | None:
    full_year = int(year) if len(year) == 4 else 2000 + int(year)
    return make_date(full_year, int(month), int(day))


def _slashed_date(first: str, second: str, year: str) -> date | None:
    # Day first as in Russia, unless only the American reading is possible.
    if int(second) > 12:
        return make_date(int(year), int(first), int(second))
    return make_date(int(year), int(second), int(first))


def _yearless_date(month_word: str, day: str, today: date) -> date | None:
    month = month_number(month_word)
    found = make_date(today.year, month, int(day)) if month else None
    if found is not None and found > today:
        found = make_date(today.year - 1, month, int(day))
    return found
