"""Find the publication date of an article page.

``find_published`` tries one small function per signal, from the most trusted
to the least: JSON-LD ``datePublished``, ``<meta>`` tags, ``<time>`` elements
inside the article, a visible date near the headline, and finally the URL.
Each returns ``None`` when nothing matches, so the cascade simply moves on.

Dates never come from sidebars, comment threads, widgets or footers (see
``EXCLUDED_ZONE``), never from ``dateModified`` or HTTP headers, and never from
the article body, whose dates are usually event dates.  Text dates are parsed
by ``parse_date_text``: Russian and English month names in any case or
abbreviation, transliterated Russian ("14 martha 2016"), numeric and relative
forms ("вчера в 12:05").
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

# Zoned datetimes are read as the local date in Tomsk, where the programme's
# news is published, so a 23:30 UTC item is dated the next day as locals saw it.
TOMSK_TZ = timezone(timedelta(hours=7), "Asia/Tomsk")
EARLIEST = date(1990, 1, 1)

# --- month names -------------------------------------------------------------
EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
RU_ABBREVIATIONS = {
    "янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7,
    "авг": 8, "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12,
}
# Stems take any case ending: марта, марте, мартом; мая, маю, мае.
RU_STEMS = (
    "январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август",
    "сентябр", "октябр", "ноябр", "декабр",
)
RU_MONTH = re.compile(
    r"^(" + "|".join(RU_STEMS) + r")(ь|я|ю|ем|ём|е|а|у|ом|й)?$"
)
# Transliterated or machine-garbled Russian: marta, martha, fevralya, iyunya.
TRANSLIT_STEMS = (
    ("yanvar", 1), ("janvar", 1), ("fevral", 2), ("mart", 3), ("aprel", 4),
    ("ma", 5), ("iyun", 6), ("iun", 6), ("iyul", 7), ("iul", 7), ("avgust", 8),
    ("sentyabr", 9), ("sentjabr", 9), ("oktyabr", 10), ("oktjabr", 10),
    ("noyabr", 11), ("nojabr", 11), ("dekabr", 12),
)
TRANSLIT_MONTH = re.compile(
    r"^(" + "|".join(stem for stem, _ in TRANSLIT_STEMS) + r")"
    r"(ya|ia|ja|iya|e|a|ha|y|i|u|om|')?$"
)
TRANSLIT_NUMBERS = dict(TRANSLIT_STEMS)

# --- text patterns ---------------------------------------------------------------
_WORD = r"([^\W\d_]{3,12}(?![^\W\d_])\.?)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th|-?го|-?е)?"
_YEAR = r"(\d{4})"
DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d){_DAY}\s+(?:of\s+)?{_WORD},?\s+{_YEAR}(?!\d)", re.IGNORECASE
)
MONTH_DAY_YEAR = re.compile(
    rf"(?<![^\W\d_]){_WORD}\s+{_DAY},?\s+{_YEAR}(?!\d)", re.IGNORECASE
)
# Russian sites often omit the current year: "14 марта, 12:05".
DAY_MONTH = re.compile(rf"(?<!\d){_DAY}\s+{_WORD}(?!\s*\d{{4}})", re.IGNORECASE)
ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
DOTTED_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d.])")
SLASHED_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
RELATIVE_DAYS = {
    "сегодня": 0, "today": 0, "вчера": 1, "yesterday": 1, "позавчера": 2,
}
RELATIVE = re.compile(r"(?<!\w)(" + "|".join(RELATIVE_DAYS) + r")(?!\w)", re.IGNORECASE)

# --- URL patterns ------------------------------------------------------------------
URL_PATTERNS = (
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$|[-_.])"),
    re.compile(r"[/_-]((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[/_.-]|$)"),
    re.compile(r"[/_-]((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_.-]|$)"),
)

# --- page zones -----------------------------------------------------------------------
# Class/id words of page areas whose dates belong to other items or to the site.
EXCLUDED_ZONE = re.compile(
    r"(?<![a-z])(sidebar|side-bar|aside|comment|footer|copyright|widget|related"
    r"|latest|popular|recent|most-read|more-news|other-news|news-list|lenta"
    r"|currency|rates?(?![a-z])|exchange|weather|breadcrumb|banner|advert|promo"
    r"|subscribe|similar|teaser|feed|nav|menu)",
    re.IGNORECASE,
)
EXCLUDED_TAGS = frozenset({"aside", "footer", "nav", "form", "script", "style", "noscript"})
DATE_CLASS = re.compile(
    r"date|time|pub|posted|byline|meta|created|datum|when", re.IGNORECASE
)
# Visible dates sit in short elements; long ones are body text with event dates.
SHORT_TEXT = 100
NEAR_ELEMENTS = 12
HEADLINE_LEVELS = 3

META_NAMES = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "published_time", "article.published", "datepublished", "pubdate",
    "publishdate", "publish-date", "publish_date", "dc.date.issued",
    "dcterms.issued", "dc.date.created", "dcterms.created", "citation_publication_date",
    "citation_date", "parsely-pub-date", "sailthru.date", "date", "dc.date",
)
META_ATTRIBUTES = ("property", "name", "itemprop", "http-equiv")
ARTICLE_TYPES = re.compile(r"Article|Posting|Report|Blog", re.IGNORECASE)
ARTICLE_ROOTS = "//article | //*[@itemtype[contains(., 'Article') or contains(., 'Posting')]]"
TIME_ELEMENTS = (
    ".//time[@datetime] | .//*[@itemprop='datePublished']"
    " | .//abbr[@title][contains(concat(' ', normalize-space(@class), ' '), ' published ')]"
)
HEADINGS = "//h1 | //h2 | //h3"
PAGE_TITLES = "//meta[@property='og:title']/@content | //title/text()"


@dataclass
class PublishedDate:
    """A publication date and the signal it came from."""

    date: date
    signal: str  # "json-ld" | "meta" | "time" | "visible" | "url"


def find_published(
    tree: HtmlElement | None,
    *,
    url: str | None = None,
    title: str | None = None,
    now: datetime | date | None = None,
    zone: tzinfo | None = TOMSK_TZ,
) -> PublishedDate | None:
    """Return the publication date from the most trusted signal that has one.

    Zoned timestamps are read in ``zone`` (Tomsk); ``zone=None`` keeps the date
    as the page wrote it, which is what foreign-page benchmarks label.
    """
    today = _today(now)
    signals = (
        ("json-ld", lambda: _from_json_ld(tree, today, zone)),
        ("meta", lambda: _from_meta(tree, today, zone)),
        ("time", lambda: _from_time(tree, today, zone)),
        ("visible", lambda: _from_visible(tree, title, today)),
        ("url", lambda: _from_url(url, today)),
    )
    for signal, finder in signals:
        if signal != "url" and tree is None:
            continue
        found = finder()
        if found is not None:
            return PublishedDate(found, signal)
    return None


def _today(now: datetime | date | None) -> date:
    if now is None:
        return datetime.now(TOMSK_TZ).date()
    if isinstance(now, datetime):
        return _local_date(now)
    return now


def _local_date(moment: datetime, zone: tzinfo | None = TOMSK_TZ) -> date:
    if moment.tzinfo is None or zone is None:
        return moment.date()
    return moment.astimezone(zone).date()


def _checked(candidate: date | None, today: date) -> date | None:
    if candidate is None or not EARLIEST <= candidate <= today:
        return None
    return candidate


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- parsing ---------------------------------------------------------------------------
def month_number(word: str) -> int | None:
    """Return the month (1–12) a Russian, English or transliterated word names.

    >>> month_number("марта"), month_number("Sept."), month_number("martha")
    (3, 9, 3)
    """
    word = word.lower().rstrip(".").replace("ё", "е")
    if word in EN_MONTHS:
        return EN_MONTHS[word]
    if word in RU_ABBREVIATIONS:
        return RU_ABBREVIATIONS[word]
    if match := RU_MONTH.match(word):
        return RU_STEMS.index(match.group(1)) + 1 if len(word) > 2 else None
    if match := TRANSLIT_MONTH.match(word):
        return TRANSLIT_NUMBERS[match.group(1)] if len(word) > 2 else None
    return None


def parse_iso(value: str, today: date, zone: tzinfo | None = TOMSK_TZ) -> date | None:
    """Parse a machine-readable date (ISO 8601 or RFC 2822) as a date in ``zone``."""
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return _checked(_local_date(moment, zone), today)
    except ValueError:
        pass
    try:
        return _checked(_local_date(parsedate_to_datetime(value), zone), today)
    except (TypeError, ValueError, IndexError):
        return None


def parse_date_text(text: str, today: date) -> date | None:
    """Return the first plausible date written in ``text``, or ``None``.

    >>> parse_date_text("14 martha 2016", date(2024, 1, 1))
    datetime.date(2016, 3, 14)
    >>> parse_date_text("вчера в 12:05", date(2024, 3, 2))
    datetime.date(2024, 3, 1)
    """
    candidates = sorted(_text_candidates(text, today), key=lambda pair: pair[0])
    for _, found in candidates:
        if (checked := _checked(found, today)) is not None:
            return checked
    return None


def parse_machine_date(value: str, today: date, zone: tzinfo | None = TOMSK_TZ) -> date | None:
    """Parse an attribute value: ISO first, then any written form."""
    return parse_iso(value, today, zone) or parse_date_text(value, today)


def _text_candidates(text: str, today: date) -> Iterator[tuple[int, date | None]]:
    for match in DAY_MONTH_YEAR.finditer(text):
        yield match.start(), _word_date(match.group(3), match.group(2), match.group(1))
    for match in MONTH_DAY_YEAR.finditer(text):
        yield match.start(), _word_date(match.group(3), match.group(1), match.group(2))
    for match in ISO_DATE.finditer(text):
        yield match.start(), _make_date(*map(int, match.groups()))
    for match in DOTTED_DATE.finditer(text):
        yield match.start(), _numeric_date(match.group(3), match.group(2), match.group(1))
    for match in SLASHED_DATE.finditer(text):
        yield match.start(), _slashed_date(*match.groups())
    for match in RELATIVE.finditer(text):
        yield match.start(), today - timedelta(days=RELATIVE_DAYS[match.group(1).lower()])
    # Year-less dates only when nothing complete was written.
    for match in DAY_MONTH.finditer(text):
        yield len(text) + match.start(), _yearless_date(match.group(2), match.group(1), today)


def _word_date(year: str, month_word: str, day: str) -> date | None:
    month = month_number(month_word)
    return _make_date(int(year), month, int(day)) if month else None


def _numeric_date(year: str, month: str, day: str) -> date | None:
    full_year = int(year) if len(year) == 4 else 2000 + int(year)
    return _make_date(full_year, int(month), int(day))


def _slashed_date(first: str, second: str, year: str) -> date | None:
    # Day first as in Russia, unless only the American reading is possible.
    if int(second) > 12:
        return _make_date(int(year), int(first), int(second))
    return _make_date(int(year), int(second), int(first))


def _yearless_date(month_word: str, day: str, today: date) -> date | None:
    month = month_number(month_word)
    found = _make_date(today.year, month, int(day)) if month else None
    if found is not None and found > today:
        found = _make_date(today.year - 1, month, int(day))
    return found


# --- page zones -------------------------------------------------------------------------------
def in_excluded_zone(element: HtmlElement) -> bool:
    """True when ``element`` sits in a sidebar, comments, widget, footer or menu."""
    for node in element.iterancestors(None):
        if _is_excluded(node):
            return True
    return _is_excluded(element)


def _is_excluded(node: HtmlElement) -> bool:
    if not isinstance(node.tag, str):
        return True
    if node.tag in EXCLUDED_TAGS:
        return True
    marks = f"{node.get('class', '')} {node.get('id', '')}"
    return bool(marks.strip()) and EXCLUDED_ZONE.search(marks) is not None


# --- signals ----------------------------------------------------------------------------------
def _from_json_ld(tree: HtmlElement, today: date, zone: tzinfo | None) -> date | None:
    values = [
        value
        for script in tree.xpath("//script[@type='application/ld+json']")
        for value in _json_ld_dates(_load_json(script.text_content()))
    ]
    # Values from article-typed objects come first (sorted is stable).
    for _, value in sorted(values, key=lambda pair: not pair[0]):
        if (found := parse_machine_date(value, today, zone)) is not None:
            return found
    return None


def _load_json(raw: str) -> Any:
    try:
        return json.loads(raw.strip().rstrip(";"))
    except ValueError:
        logger.debug("unreadable JSON-LD block skipped")
        return None


def _json_ld_dates(node: Any) -> Iterator[tuple[bool, str]]:
    if isinstance(node, list):
        for child in node:
            yield from _json_ld_dates(child)
    elif isinstance(node, dict):
        value = node.get("datePublished")
        if isinstance(value, str):
            kind = node.get("@type", "")
            yield bool(ARTICLE_TYPES.search(str(kind))), value
        for key, child in node.items():
            if key != "datePublished" and isinstance(child, (list, dict)):
                yield from _json_ld_dates(child)


def _from_meta(tree: HtmlElement, today: date, zone: tzinfo | None) -> date | None:
    metas = {}
    for meta in tree.xpath("//meta[@content]"):
        for attribute in META_ATTRIBUTES:
            key = (meta.get(attribute) or "").strip().lower()
            metas.setdefault(key, meta.get("content"))
    for name in META_NAMES:
        if name in metas and (found := parse_machine_date(metas[name], today, zone)):
            return found
    return None


def _from_time(tree: HtmlElement, today: date, zone: tzinfo | None) -> date | None:
    roots = tree.xpath(ARTICLE_ROOTS) or [tree]
    for root in roots:
        for element in root.xpath(TIME_ELEMENTS):
            if in_excluded_zone(element) or _is_modified(element):
                continue
            value = _time_value(element)
            if value and (found := parse_machine_date(value, today, zone)):
                return found
    return None


def _time_value(element: HtmlElement) -> str:
    for attribute in ("datetime", "content", "title"):
        if value := element.get(attribute):
            return value
    return element.text_content()


def _is_modified(element: HtmlElement) -> bool:
    marks = f"{element.get('itemprop', '')} {element.get('class', '')}".lower()
    return "modified" in marks or "updated" in marks


def _from_visible(tree: HtmlElement, title: str | None, today: date) -> date | None:
    heading = _find_heading(tree, title)
    if heading is None:
        return None
    container = heading
    for _ in range(HEADLINE_LEVELS):
        container = container.getparent()
        if container is None or _is_excluded(container):
            return None
        if (found := _near_heading(container, heading, today)) is not None:
            return found
    return None


def _find_heading(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The headline: the longest heading matching the title, else the first h1."""
    headings = [h for h in tree.xpath(HEADINGS) if not in_excluded_zone(h)]
    wanted = _squash(title or " ".join(tree.xpath(PAGE_TITLES)[:1]))
    matching = [h for h in headings if _matches_title(_squash(h.text_content()), wanted)]
    if matching:
        return max(matching, key=lambda h: len(h.text_content()))
    h1s = [h for h in headings if h.tag == "h1"]
    return h1s[0] if h1s else None


def _matches_title(text: str, wanted: str) -> bool:
    return bool(text and wanted) and (text in wanted or wanted in text)


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def _near_heading(container: HtmlElement, heading: HtmlElement, today: date) -> date | None:
    elements = [el for el in container.iter(None) if isinstance(el.tag, str)]
    position = {el: index for index, el in enumerate(elements)}
    start = position[heading]
    nearby = [
        el
        for el in elements[max(0, start - NEAR_ELEMENTS) : start + NEAR_ELEMENTS + 1]
        if _may_hold_date(el, heading)
    ]
    # Date-classed elements first, then the nearest plain short neighbour.
    nearby.sort(key=lambda el: (not _is_date_classed(el), abs(position[el] - start)))
    for element in nearby:
        if (found := parse_date_text(element.text_content(), today)) is not None:
            return found
    return None


def _may_hold_date(element: HtmlElement, heading: HtmlElement) -> bool:
    if element is heading or element in heading.iterancestors(None):
        return False
    if element.tag in EXCLUDED_TAGS or in_excluded_zone(element):
        return False
    return len(element.text_content().strip()) <= SHORT_TEXT


def _is_date_classed(element: HtmlElement) -> bool:
    marks = f"{element.get('class', '')} {element.get('id', '')} {element.get('itemprop', '')}"
    return DATE_CLASS.search(marks) is not None


def _from_url(url: str | None, today: date) -> date | None:
    if not url:
        return None
    for pattern in URL_PATTERNS:
        if match := pattern.search(url):
            return _checked(_make_date(*map(int, match.groups())), today)
    return None
