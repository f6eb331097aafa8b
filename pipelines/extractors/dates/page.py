"""The page being dated and the answer: what every date signal reads and returns.

``Page`` holds the tree, the clock, the time zone, what the caller knows (the
title, the URL's date, the source's date selector), the excluded-zone cache
and the headline (looked up once, as several signals search near it).
``PublishedDate`` is a found date with the name of the signal it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extractors.dates.zones import HEADINGS, ZoneCache

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# The social title names the article alone more often than <title>, which may be the site's name.
PAGE_TITLES = (etree.XPath("//meta[@property='og:title']/@content"), etree.XPath("//title/text()"))
# Dashes and quotes that editors and templates swap ("Kolumne – Über …" in <title>, "Kolumne - Über …" in <h2>).
SAME_MARKS = str.maketrans({mark: "-" for mark in "‐‑‒–—―−"} | {mark: '"' for mark in "«»„“”‟‘’‚‛'"})


@dataclass
class PublishedDate:
    """A publication date and the signal it came from."""

    date: date
    # "selector" | "json-ld" | "meta" | "label" | "time" | "visible" | "url" | "image"
    # | "script" | "marked" | "text" | "title"
    signal: str
    # Read from a timestamp in UTC or in no zone: the day the site shows may be one off.
    utc_clock: bool = False


@dataclass
class Page:
    """One page being dated: the tree, the clock, what the caller knows and a cache of excluded zones."""

    tree: HtmlElement
    today: date
    zone: tzinfo | None
    title: str | None = None
    url_date: date | None = None
    selector: etree.XPath | None = None
    url: str | None = None
    zones: ZoneCache = field(default_factory=ZoneCache)
    _heading: list[HtmlElement | None] = field(default_factory=list)

    def heading(self) -> HtmlElement | None:
        """The headline element, looked up once."""
        if not self._heading:
            self._heading.append(_find_heading(self))
        return self._heading[0]


def _find_heading(page: Page) -> HtmlElement | None:
    """The headline: the longest heading matching the title, else the first h1, else the first heading."""
    headings = HEADINGS(page.tree)
    wanted = _squash(page.title or _page_title(page.tree))
    # Zones are judged only for the few headings that could be the headline (it is costly).
    matching = [
        h for h in headings
        if _matches_title(_squash(h.text_content()), wanted) and not page.zones.excluded(h)
    ]
    if matching:
        return max(matching, key=lambda h: len(h.text_content()))
    first_h1 = next((h for h in headings if h.tag == "h1" and not page.zones.excluded(h)), None)
    return first_h1 if first_h1 is not None else next((h for h in headings if not page.zones.excluded(h)), None)


def _page_title(tree: HtmlElement) -> str:
    for titles in PAGE_TITLES:
        if found := titles(tree):
            return str(found[0])
    return ""


def _matches_title(text: str, wanted: str) -> bool:
    if not (text and wanted):
        return False
    return wanted in text or text in wanted


def _squash(text: str) -> str:
    """Lower case, one space, one kind of dash and quote: a title and its headline often differ in these."""
    return " ".join(text.lower().translate(SAME_MARKS).split())
