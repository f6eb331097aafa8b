"""The cascade: one small function per signal, most trusted first, and the rules that settle disagreements (``find_published``)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING

from pipelines.extractors.dates.label import from_label
from pipelines.extractors.dates.months import month_number
from pipelines.extractors.dates.page import Page, PublishedDate
from pipelines.extractors.dates.parse import (
    TOMSK_TZ,
    one_day_apart,
    parse_date_text,
    parse_iso,
    parse_machine_date,
)
from pipelines.extractors.dates.structured import (
    from_generic_meta,
    from_json_ld,
    from_meta,
    from_script,
)
from pipelines.extractors.dates.time_elements import from_time
from pipelines.extractors.dates.url import date_from_url, from_image_url
from pipelines.extractors.dates.visible import (
    from_marked,
    from_text_after_headline,
    from_title,
    from_visible,
    from_visible_before_update,
    from_visible_yearless,
)
from pipelines.extractors.dates.peer import from_htmldate
from pipelines.extractors.dates.zones import in_excluded_zone
from scraper.sources import select_elements

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml import etree
    from lxml.html import HtmlElement

__all__ = [
    "TOMSK_TZ", "PublishedDate", "find_published", "in_excluded_zone", "month_number",
    "parse_date_text", "parse_iso",
]

logger = logging.getLogger(__name__)


def from_selector(page: Page) -> date | None:
    """The date in the element the source's config points at: its machine attribute, else its text."""
    for element in select_elements(page.tree, page.selector):
        machine = element.get("datetime") or element.get("content")
        found = parse_machine_date(machine, page.today, page.zone) if machine else None
        found = found or parse_date_text(" ".join(element.text_content().split()), page.today)
        if found is not None:
            return found
    return None


def from_url(page: Page) -> date | None:
    """The date in the page's own URL, read before the page (see ``find_published``)."""
    return page.url_date


# Most trusted first; a labelled date names its own signal (see ``dates_label``).
SIGNALS: tuple[tuple[str, Callable[[Page], date | PublishedDate | None]], ...] = (
    ("selector", from_selector),
    ("json-ld", from_json_ld),
    ("meta", from_meta),
    ("label", from_label),
    ("time", from_time),
    ("visible", from_visible),
    ("meta", from_generic_meta),
    ("url", from_url),
    ("image", from_image_url),
    ("script", from_script),
    ("marked", from_marked),
    ("text", from_text_after_headline),
    ("title", from_title),
    ("visible", from_visible_yearless),
)


def find_published(
    tree: HtmlElement | None,
    *,
    url: str | None = None,
    title: str | None = None,
    now: datetime | date | None = None,
    zone: tzinfo | None = None,
    selector: etree.XPath | None = None,
) -> PublishedDate | None:
    """Return the publication date from the most trusted signal that has one.

    ``now`` is the fetch time: relative dates ("3 hours ago", "вчера") count
    back from it, and no date after it is ever returned.  A UTC timestamp is
    read in ``zone`` (the source's time zone); ``zone=None`` keeps every date
    as the page wrote it.  A timestamp with its own offset always keeps the
    day it was written with.  A source's own date ``selector`` (sources
    config) is trusted above all; htmldate (extensive search) answers when
    none of the page's own signals does.
    """
    today = _fetch_moment(now, zone)
    url_date = date_from_url(url, today)
    if tree is None:
        return PublishedDate(url_date, "url") if url_date else None
    page = Page(tree, today, zone, title, url_date, selector, url=url)
    for signal, finder in SIGNALS:
        if (found := finder(page)) is not None:
            # A labelled date is counted under the element that holds it.
            answer = found if isinstance(found, PublishedDate) else PublishedDate(found, signal)
            return _agree_with_url(page, _agree_with_page(page, _settle_structured(page, answer)), url_date)
    found = from_htmldate(page, url)
    return PublishedDate(found, "htmldate") if found is not None else None



# What a reader sees of the date, in cascade order: it settles a disagreement of the structured dates.
SEEN_SIGNALS = (from_time, from_visible, from_marked, from_text_after_headline)


def _agree_with_page(page: Page, found: PublishedDate) -> PublishedDate:
    """The date shown near the headline when a JSON-LD or meta time in UTC (or in no zone) is one day off it.

    The timestamp was written in another zone than the site's; the page shows its
    own day, as a URL does (see ``_agree_with_url``).  Not a date shown as an update.
    """
    if not found.utc_clock:
        return found
    shown = from_visible_before_update(page)
    return PublishedDate(shown, "visible") if shown and one_day_apart(shown, found.date) else found


def _shown(page: Page) -> date | None:
    """The first date the reader sees (``SEEN_SIGNALS``), if any."""
    return next((seen for finder in SEEN_SIGNALS if (seen := finder(page)) is not None), None)


def _settle_structured(page: Page, found: PublishedDate) -> PublishedDate:
    """JSON-LD's date, unless ``article:published_time`` says another and the page shows that one.

    The two disagree when one of them was rewritten (a re-publication, a time
    zone slip); neither is more often right, the visible date is.  When the
    page shows neither, htmldate's reading of the page settles it.
    """
    if found.signal != "json-ld" or (other := from_meta(page)) is None or other.date == found.date:
        return found
    shown = _shown(page)
    if shown is None:
        shown = from_htmldate(page, page.url)
    return other if shown == other.date else found




def _agree_with_url(page: Page, found: PublishedDate, url_date: date | None) -> PublishedDate:
    """Prefer the URL's date when it is the found date one day off (time zones) and the
    page does not show the found date (then the article went out the day after its
    URL was made), or in another year (a year-less visible date took the wrong year)."""
    if url_date is None or found.signal == "url":
        return found
    one_day_off = one_day_apart(found.date, url_date) and _shown(page) != found.date
    same_day = (found.date.month, found.date.day) == (url_date.month, url_date.day)
    other_year = same_day and found.date != url_date
    return PublishedDate(url_date, "url") if one_day_off or other_year else found


def _fetch_moment(now: datetime | date | None, zone: tzinfo | None) -> date:
    """The fetch time in the page's zone, UTC without one (a ``datetime``), or the fetch day when only a day is known.

    Relative dates count back from it, and no date after its day is taken.
    """
    if now is None:
        now = datetime.now(UTC)
    if not isinstance(now, datetime):
        return now
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(zone or UTC)
