"""Publication dates written for readers: near the headline, in date-marked elements, in the title.

Visible dates sit in short elements; long ones are body text whose dates are
usually event dates, so only a dateline that opens the body text counts.
"""

from __future__ import annotations

import re
from collections import deque
from itertools import islice
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extractors.dates.parse import parse_date_text, parse_machine_date
from pipelines.extractors.dates.zones import (
    NOT_PUBLISHED,
    date_marked,
    is_date_classed,
    marks,
)

if TYPE_CHECKING:
    from datetime import date

    from lxml.html import HtmlElement

    from pipelines.extractors.dates.page import Page

SHORT_TEXT = 100
NEAR_ELEMENTS = 12
HEADLINE_LEVELS = 3
# Text right after the headline, up to the body text: bylines without markup.
AFTER_HEADLINE = etree.XPath(
    "following::text()[normalize-space()][position() <= $limit]", smart_strings=True
)
TEXT_AFTER_HEADLINE = 30
BODY_TEXT = 200
# A dateline opens the body text with a complete date and a dash, or with the
# place, a comma and the date ("Karlsruhe, (12.11.2021). Traditionell …",
# "Томская область, 26 мая, 2011, 09:21 — ИА Регнум.").
DATELINE = 48
DATELINE_PARAGRAPHS = 2
_NUMERIC_DATE = r"\(?\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\)?"
# "26 мая, 2011" or "May 26, 2011", then perhaps a time: the date a regional dateline gives.
_WORD_DATE = r"(?:\d{1,2}\.?\s+[^\W\d_]{3,12}\.?|[^\W\d_]{3,12}\.?\s+\d{1,2})(?:,?\s+\d{4})?(?:,?\s+\d{1,2}:\d{2})?"
# A place of up to three words, the first capitalised ("Karlsruhe", "Томская область", "New York").
_PLACE = r"[A-ZÄÖÜА-ЯЁ][^\W\d_]+(?:[-\s][^\W\d_]+){0,2}"
DATELINE_START = re.compile(
    rf"{_NUMERIC_DATE}\s*[-–—:|„“\"«]|{_PLACE},\s*(?:{_NUMERIC_DATE}|{_WORD_DATE})\s*(?:[-–—:|„“\"«]|\.\s)"
)
TITLE_TEXTS = etree.XPath("//title/text() | (//h1)[1]")
# Labels of a later change: "Updated 8 hours ago", "Aktualisiert am", "Stand: 07.11.2023".
UPDATE_LABEL = re.compile(
    r"(?<![^\W\d_])(?:updated?|aktualisiert|stand|обновлено|mis\s+à\s+jour|actualizado|aggiornato)(?![^\W\d_])",
    re.IGNORECASE,
)


# --- visible text near the headline ---------------------------------------------------------------
def from_visible(page: Page) -> date | None:
    """A short complete date in the headline's neighbourhood, up to a few containers out."""
    return _visible(page, yearless=False)


def from_visible_yearless(page: Page) -> date | None:
    """A date without a year near the headline ("14 марта, 12:05"), in the year that makes it latest.

    Tried after every signal with a complete date: near a headline a year-less
    date is often a deadline or an event ("bis 3. April") on a page dated elsewhere.
    """
    return _visible(page, yearless=True)


def from_visible_before_update(page: Page) -> date | None:
    """``from_visible`` reading each text only up to an "Updated"/"Aktualisiert"/"Stand" label."""
    return _visible(page, yearless=False, updates=False)


def before_update(text: str) -> str:
    """The text before a label naming a later change: what follows it is not the publication date."""
    match = UPDATE_LABEL.search(text)
    return text[: match.start()] if match else text


def _visible(page: Page, yearless: bool, updates: bool = True) -> date | None:
    heading = page.heading()
    if heading is None:
        return None
    container = heading
    # The heading's ancestors are never read, nor read again what a closer container had.
    seen = set(heading.iterancestors(None))
    for _ in range(HEADLINE_LEVELS):
        container = container.getparent()
        if container is None or page.zones.excluded(container):
            return None
        if (found := _near_heading(page, container, heading, seen, yearless, updates)) is not None:
            return found
    return None


def _near_heading(
    page: Page, container: HtmlElement, heading: HtmlElement, seen: set[HtmlElement], yearless: bool, updates: bool
) -> date | None:
    window = [(distance, el) for distance, el in _window(container, heading) if el not in seen]
    seen.update(el for _, el in window)
    nearby = [(distance, el) for distance, el in window if is_short(page, el)]
    # Date-classed elements first, then the nearest plain short neighbour.
    nearby.sort(key=lambda pair: (not is_date_classed(pair[1]), pair[0]))
    for _, element in nearby:
        text = spaced_text(element) if updates else before_update(spaced_text(element))
        if (found := parse_date_text(text, page.today, yearless=yearless)) is not None:
            return found
    return None


def _window(container: HtmlElement, heading: HtmlElement) -> list[tuple[int, HtmlElement]]:
    """The elements of ``container`` up to ``NEAR_ELEMENTS`` before and after the heading in
    page order, with their distance from it (the rest of a large container is never listed)."""
    elements = (el for el in container.iter(None) if isinstance(el.tag, str))
    before: deque[HtmlElement] = deque(maxlen=NEAR_ELEMENTS)
    for element in elements:
        if element is heading:
            break
        before.append(element)
    window = [(len(before) - index, el) for index, el in enumerate(before)]
    return window + [(index, el) for index, el in enumerate(islice(elements, NEAR_ELEMENTS), 1)]


def spaced_text(element: HtmlElement) -> str:
    """The element's text with its children's texts apart: a date split over spans
    ("<span>Apr</span> <span>04</span><span>2013</span>") reads as the reader sees it."""
    return " ".join(element.itertext())


def is_short(page: Page, element: HtmlElement) -> bool:
    """True when ``element`` is outside the excluded zones and its text is short."""
    if page.zones.excluded(element):
        return False
    return len(element.text_content().strip()) <= SHORT_TEXT


# --- the rest of the page ----------------------------------------------------------------------
def from_marked(page: Page) -> date | None:
    """The first short element whose class or id says it holds a date."""
    for element in date_marked(page.tree):
        if NOT_PUBLISHED.search(marks(element)) or not is_short(page, element):
            continue
        text = spaced_text(element)
        if (found := parse_date_text(text, page.today, yearless=False)) is not None:
            return found
        value = element.get("title") or element.get("datetime") or element.get("content")
        if value and (found := parse_machine_date(value, page.today, page.zone)):
            return found
    return None


def from_text_after_headline(page: Page) -> date | None:
    """The first short text between the headline and the body text."""
    heading = page.heading()
    if heading is None:
        return None
    paragraphs = 0
    for text in AFTER_HEADLINE(heading, limit=TEXT_AFTER_HEADLINE):
        if len(text) > BODY_TEXT:
            # The lead or the body text may open with a dateline ("27.1.2022 – Bei der …");
            # their other dates are event dates.
            if (found := _dateline(page, text)) is not None or paragraphs == DATELINE_PARAGRAPHS - 1:
                return found
            paragraphs += 1
            continue
        parent = text.getparent()
        if parent is None or page.zones.excluded(parent) or len(text) > SHORT_TEXT:
            continue
        if (found := parse_date_text(text, page.today, yearless=False)) is not None:
            return found
    return None


def _dateline(page: Page, text: str) -> date | None:
    opening = text.lstrip()[:DATELINE]
    if not DATELINE_START.match(opening):
        return None
    return parse_date_text(opening, page.today, yearless=False)


def from_title(page: Page) -> date | None:
    """A complete date in the page's ``<title>`` or first ``<h1>``."""
    for node in TITLE_TEXTS(page.tree):
        text = node if isinstance(node, str) else node.text_content()
        if (found := parse_date_text(text, page.today, yearless=False)) is not None:
            return found
    return None
