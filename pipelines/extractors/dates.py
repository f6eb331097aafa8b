"""Find the publication date of an article page.

``find_published`` tries one small function per signal, from the most trusted
to the least: JSON-LD ``datePublished``, ``<meta>`` tags, ``<time>`` and
similar machine-readable elements, a visible date near the headline, a date
in the URL, then the first date-marked element of the page and the page title.
Each returns ``None`` when nothing matches, so the cascade simply moves on.
A complete date in the URL is the site's own local date: it overrides a
machine timestamp that is one day off (a time zone shift).

Dates never come from sidebars, comment threads, widgets or footers (see
``dates_zones``), never from ``dateModified`` or HTTP headers, and never from
the article body, whose dates are usually event dates.  Text is read by
``dates_text.parse_date_text``.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from lxml import etree

from pipelines.extractors.dates_text import (
    TOMSK_TZ,
    checked,
    local_date,
    make_date,
    month_number,
    parse_date_text,
    parse_iso,
    parse_machine_date,
)
from pipelines.extractors.dates_zones import (
    HEADINGS,
    NOT_PUBLISHED,
    ZoneCache,
    date_marked,
    in_excluded_zone,
    is_date_classed,
)
from pipelines.extractors.selectors import select_elements

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from lxml.html import HtmlElement

__all__ = [
    "TOMSK_TZ", "PublishedDate", "find_published", "in_excluded_zone", "month_number",
    "parse_date_text", "parse_iso",
]

logger = logging.getLogger(__name__)

# Visible dates sit in short elements; long ones are body text with event dates.
SHORT_TEXT = 100
NEAR_ELEMENTS = 12
HEADLINE_LEVELS = 3

# --- URL patterns ----------------------------------------------------------------------
URL_PATTERNS = (
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$|[-_.])"),
    re.compile(r"[/_-]((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[/_.-]|$)"),
    re.compile(r"[/_-]((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_.-]|$)"),
)

# --- machine-readable markup --------------------------------------------------------------
META_NAMES = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "article:published", "og:article:published", "article:published_date",
    "article:post_date", "article:publicationdate", "published_time", "article.published",
    "article.created", "article_date_original", "datepublished", "datecreated",
    "pubdate", "publishdate", "publish-date", "publish_date", "publish_time",
    "published-date", "published_date", "publisheddate", "publication_date",
    "og:pubdate", "og:publish_date", "og:datepublished", "dc.date.issued",
    "dcterms.issued", "dc.date.created", "dcterms.created", "dc.date.publication",
    "dc.created", "dc:created", "citation_publication_date", "citation_date",
    "bepress_citation_date", "parsely-pub-date", "sailthru.date", "rnews:datepublished",
    "displaydate", "date_published", "date_created", "dateposted", "content_create_date",
    "cxenseparse:recs:publishtime", "shareaholic:article_published_time",
    "twt-published-at", "vr:published_time", "mediator_published_time", "rbpubdate",
    "date", "dc.date", "dc:date", "dcterms.date",
)
META_RANK = {name: rank for rank, name in enumerate(META_NAMES)}
META_ATTRIBUTES = ("property", "name", "itemprop")
METAS = etree.XPath("//meta[@content]")
JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()")
JSON_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
ARTICLE_TYPES = re.compile(r"Article|Posting|Report|Blog", re.IGNORECASE)
ARTICLE_ROOTS = etree.XPath(
    "//article | //*[@itemtype[contains(., 'Article') or contains(., 'Posting')]]"
)
TIME_ELEMENTS = etree.XPath(
    ".//time[@datetime or @pubdate] | .//*[@itemprop='datePublished' or @itemprop='dateCreated']"
    " | .//abbr[@title][contains(concat(' ', normalize-space(@class), ' '), ' published ')]"
    " | .//*[@content][contains(@property, 'dc:date') or contains(@property, 'dc:created')]"
)
PAGE_TITLES = etree.XPath("//meta[@property='og:title']/@content | //title/text()")
# Text right after the headline, up to the body text: bylines without markup.
AFTER_HEADLINE = etree.XPath(
    "following::text()[normalize-space()][position() <= $limit]", smart_strings=True
)
TEXT_AFTER_HEADLINE = 30
BODY_TEXT = 200
TITLE_TEXTS = etree.XPath("//title/text() | (//h1)[1]")


@dataclass
class PublishedDate:
    """A publication date and the signal it came from."""

    date: date
    signal: str  # "json-ld" | "meta" | "time" | "visible" | "url" | "marked" | "title"


@dataclass
class _Page:
    """One page being dated: the tree, the clock and a cache of excluded zones."""

    tree: HtmlElement
    today: date
    zone: tzinfo | None
    title: str | None = None
    zones: ZoneCache = field(default_factory=ZoneCache)
    _heading: list[HtmlElement | None] = field(default_factory=list)

    def heading(self) -> HtmlElement | None:
        """The headline element, looked up once."""
        if not self._heading:
            self._heading.append(_find_heading(self))
        return self._heading[0]


def find_published(
    tree: HtmlElement | None,
    *,
    url: str | None = None,
    title: str | None = None,
    now: datetime | date | None = None,
    zone: tzinfo | None = TOMSK_TZ,
    selector: etree.XPath | None = None,
) -> PublishedDate | None:
    """Return the publication date from the most trusted signal that has one.

    Zoned timestamps are read in ``zone`` (Tomsk); ``zone=None`` keeps the date
    as the page wrote it, which is what foreign-page benchmarks label.  A
    source's own date ``selector`` (sources config) is trusted above all.
    """
    today = _today(now)
    from_url = _from_url(url, today)
    if tree is None:
        return PublishedDate(from_url, "url") if from_url else None
    page = _Page(tree, today, zone, title)
    signals: tuple[tuple[str, Callable[[_Page], date | None]], ...] = (
        ("selector", lambda page: _from_selector(page, selector)),
        ("json-ld", _from_json_ld),
        ("meta", _from_meta),
        ("time", _from_time),
        ("visible", _from_visible),
        ("url", lambda _: from_url),
        ("marked", _from_marked),
        ("text", _from_text_after_headline),
        ("title", _from_title),
    )
    for signal, finder in signals:
        if (found := finder(page)) is not None:
            return _agree_with_url(PublishedDate(found, signal), from_url)
    return None


def _from_selector(page: _Page, selector: etree.XPath | None) -> date | None:
    """The date in the element the source's config points at: its machine attribute, else its text."""
    for element in select_elements(page.tree, selector):
        machine = element.get("datetime") or element.get("content")
        found = parse_machine_date(machine, page.today, page.zone) if machine else None
        found = found or parse_date_text(" ".join(element.text_content().split()), page.today)
        if found is not None:
            return found
    return None


def _agree_with_url(found: PublishedDate, from_url: date | None) -> PublishedDate:
    """Prefer the URL's date when a machine timestamp is one day off (time zones)."""
    if from_url is not None and found.signal != "url" and abs(found.date - from_url) == timedelta(1):
        return PublishedDate(from_url, "url")
    return found


def _today(now: datetime | date | None) -> date:
    if now is None:
        return datetime.now(TOMSK_TZ).date()
    if isinstance(now, datetime):
        return local_date(now)
    return now


# --- JSON-LD ---------------------------------------------------------------------------------
def _from_json_ld(page: _Page) -> date | None:
    values = [value for raw in JSON_LD(page.tree) for value in _json_ld_values(raw)]
    # Values from article-typed objects come first (sorted is stable).
    for _, value in sorted(values, key=lambda pair: not pair[0]):
        if (found := parse_machine_date(value, page.today, page.zone)) is not None:
            return found
    return None


def _json_ld_values(raw: str) -> list[tuple[bool, str]]:
    if "datePublished" not in raw:
        return []
    try:
        return list(_json_ld_dates(json.loads(raw.strip().rstrip(";"))))
    except ValueError:
        # Broken JSON (trailing commas, raw newlines) still names its date.
        logger.debug("unreadable JSON-LD block read with a pattern")
        return [(False, match.group(1)) for match in JSON_PUBLISHED.finditer(raw)]


def _json_ld_dates(node: Any) -> Iterator[tuple[bool, str]]:
    if isinstance(node, list):
        for child in node:
            yield from _json_ld_dates(child)
    elif isinstance(node, dict):
        value = node.get("datePublished")
        if isinstance(value, str):
            yield bool(ARTICLE_TYPES.search(str(node.get("@type", "")))), value
        for key, child in node.items():
            if key != "datePublished" and isinstance(child, (list, dict)):
                yield from _json_ld_dates(child)


# --- meta and time elements --------------------------------------------------------------------
def _from_meta(page: _Page) -> date | None:
    found: list[tuple[int, str]] = []
    for meta in METAS(page.tree):
        for attribute in META_ATTRIBUTES:
            rank = META_RANK.get((meta.get(attribute) or "").strip().lower())
            if rank is not None:
                found.append((rank, meta.get("content")))
    for _, content in sorted(found, key=lambda pair: pair[0]):
        if (result := parse_machine_date(content, page.today, page.zone)) is not None:
            return result
    return None


def _from_time(page: _Page) -> date | None:
    roots = ARTICLE_ROOTS(page.tree) or [page.tree]
    for root in roots:
        for element in TIME_ELEMENTS(root):
            if page.zones.excluded(element) or NOT_PUBLISHED.search(_marks(element)):
                continue
            value = _time_value(element)
            if value and (found := parse_machine_date(value, page.today, page.zone)):
                return found
    return None


def _time_value(element: HtmlElement) -> str:
    for attribute in ("datetime", "content", "title"):
        if value := element.get(attribute):
            return value
    return element.text_content()


def _marks(element: HtmlElement) -> str:
    return f"{element.get('class', '')} {element.get('id', '')} {element.get('itemprop', '')}"


# --- visible text near the headline ---------------------------------------------------------------
def _from_visible(page: _Page) -> date | None:
    heading = page.heading()
    if heading is None:
        return None
    container = heading
    for _ in range(HEADLINE_LEVELS):
        container = container.getparent()
        if container is None or page.zones.excluded(container):
            return None
        if (found := _near_heading(page, container, heading)) is not None:
            return found
    return None


def _find_heading(page: _Page) -> HtmlElement | None:
    """The headline: the longest heading matching the title, else the first h1."""
    headings = [h for h in HEADINGS(page.tree) if not page.zones.excluded(h)]
    wanted = _squash(page.title or " ".join(PAGE_TITLES(page.tree)[:1]))
    matching = [h for h in headings if _matches_title(_squash(h.text_content()), wanted)]
    if matching:
        return max(matching, key=lambda h: len(h.text_content()))
    h1s = [h for h in headings if h.tag == "h1"]
    return h1s[0] if h1s else None


def _matches_title(text: str, wanted: str) -> bool:
    return bool(text and wanted) and (text in wanted or wanted in text)


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def _near_heading(page: _Page, container: HtmlElement, heading: HtmlElement) -> date | None:
    elements = [el for el in container.iter(None) if isinstance(el.tag, str)]
    position = {el: index for index, el in enumerate(elements)}
    start = position[heading]
    ancestors = set(heading.iterancestors(None))
    nearby = [
        el
        for el in elements[max(0, start - NEAR_ELEMENTS) : start + NEAR_ELEMENTS + 1]
        if el is not heading and el not in ancestors and _is_short(page, el)
    ]
    # Date-classed elements first, then the nearest plain short neighbour.
    nearby.sort(key=lambda el: (not is_date_classed(el), abs(position[el] - start)))
    for element in nearby:
        if (found := parse_date_text(element.text_content(), page.today)) is not None:
            return found
    return None


def _is_short(page: _Page, element: HtmlElement) -> bool:
    if page.zones.excluded(element):
        return False
    return len(element.text_content().strip()) <= SHORT_TEXT


# --- the rest of the page ----------------------------------------------------------------------
def _from_marked(page: _Page) -> date | None:
    """The first short element whose class or id says it holds a date."""
    for element in date_marked(page.tree):
        if NOT_PUBLISHED.search(_marks(element)) or not _is_short(page, element):
            continue
        text = element.text_content()
        if (found := parse_date_text(text, page.today, yearless=False)) is not None:
            return found
        value = element.get("title") or element.get("datetime") or element.get("content")
        if value and (found := parse_machine_date(value, page.today, page.zone)):
            return found
    return None


def _from_text_after_headline(page: _Page) -> date | None:
    """The first short text between the headline and the body text."""
    heading = page.heading()
    if heading is None:
        return None
    for text in AFTER_HEADLINE(heading, limit=TEXT_AFTER_HEADLINE):
        if len(text) > BODY_TEXT:
            return None
        parent = text.getparent()
        if parent is None or page.zones.excluded(parent) or len(text) > SHORT_TEXT:
            continue
        if (found := parse_date_text(text, page.today, yearless=False)) is not None:
            return found
    return None


def _from_title(page: _Page) -> date | None:
    for node in TITLE_TEXTS(page.tree):
        text = node if isinstance(node, str) else node.text_content()
        if (found := parse_date_text(text, page.today, yearless=False)) is not None:
            return found
    return None


def _from_url(url: str | None, today: date) -> date | None:
    if not url:
        return None
    for pattern in URL_PATTERNS:
        if match := pattern.search(url):
            return checked(make_date(*map(int, match.groups())), today)
    return None
