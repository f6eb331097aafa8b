"""Find the publication date of an article page.

``find_published`` tries one small function per signal, from the most trusted
to the least: JSON-LD ``datePublished``, specific ``<meta>`` tags, a date
after a "published" label ("Datum:", "Veröffentlicht am", "Опубликовано"),
``<time>`` and similar machine-readable elements (one element marked
``pubdate``/``datePublished`` page-wide first), a visible date near the
headline, a bare ``<meta name="date">`` (often the CMS's last change), the
URL, the lead image's URL, the page data in scripts, the first date-marked
element of the page, a dateline or byline right after the headline, and the
page title.  Each returns ``None`` when nothing matches, so the cascade moves on.
A complete date in the URL is the site's own local date: it overrides a
machine timestamp that is one day off (a time zone shift) or a year-less
visible date given the wrong year.

Dates never come from sidebars, comment threads, widgets or site footers (see
``dates_zones``), never from ``dateModified`` or HTTP headers, and never from
the article body, whose dates are usually event dates (only a dateline that
opens it counts).  Text is read by ``dates_text.parse_date_text``.
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
    is_date_marked,
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
# Day first, as European sites write it: /meldungen/29-10-2021.
URL_DAY_FIRST = re.compile(r"[/_-](\d{2})-(\d{2})-((?:19|20)\d{2})(?:[/_.-]|$)")

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
)
META_RANK = {name: rank for rank, name in enumerate(META_NAMES)}
# A bare "date" is often the page's last change (CMS default): it is read only
# after the dates shown on the page itself.
GENERIC_META_NAMES = ("date", "dc.date", "dc:date", "dcterms.date")
GENERIC_META_RANK = {name: rank for rank, name in enumerate(GENERIC_META_NAMES)}
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
# Elements that say outright they hold the publication date, tried page-wide
# first; inside list items they date the other articles of a list.  An article
# has one such date, perhaps repeated; more of them are teasers.
PUBLICATION_MARKED = etree.XPath("//time[@pubdate] | //*[@itemprop='datePublished']")
MARKED_PER_ARTICLE = 2
# The lead image is usually uploaded the day the article is published (/files/2016/05/04/…).
IMAGE_URLS = etree.XPath("//meta[@property='og:image' or @name='twitter:image'][@content]/@content")
# Page data in scripts (analytics layers, app state) names the publication date too.
SCRIPTS = etree.XPath("//script[not(@type='application/ld+json')]/text()")
SCRIPT_PUBLISHED = re.compile(
    r"""["']?(?:datePublished|publishDate|publish_date|published_at|publishedAt|publicationDate"""
    r"""|publication_date|article_publication_date|first_publish_date|date_published|publishdate|pubDate)"""
    r"""["']?\s*[:=]\s*["']([^"'<>]{8,40})["']"""
)
PAGE_TITLES = etree.XPath("//meta[@property='og:title']/@content | //title/text()")
# Text right after the headline, up to the body text: bylines without markup.
AFTER_HEADLINE = etree.XPath(
    "following::text()[normalize-space()][position() <= $limit]", smart_strings=True
)
TEXT_AFTER_HEADLINE = 30
BODY_TEXT = 200
# A dateline opens the body text with a complete date and a dash.
DATELINE = 24
DATELINE_PARAGRAPHS = 2
DATELINE_START = re.compile(r"\(?\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\)?\s*[-–—:|„“\"«]")
TITLE_TEXTS = etree.XPath("//title/text() | (//h1)[1]")
# Words that introduce the publication date ("Datum:", "Veröffentlicht am",
# "Опубликовано"); never "Updated:" or "Stand:", which name a later change.
PUBLISHED_LABEL = re.compile(
    r"(?<![^\W\d_])(?:published(?:\s+on)?|posted(?:\s+on)?|publication\s+date|date\s+published|datum"
    r"|ver(?:ö|oe)ffentlicht(?:\s+am)?|ver(?:ö|oe)ffentlichung|erschienen(?:\s+am)?|erstellt(?:\s+am)?"
    r"|опубликовано|дата\s+публикации|дата|publié\s+le|publicado(?:\s+el)?|pubblicato(?:\s+il)?"
    r"|gepubliceerd(?:\s+op)?|opublikowano)(?![^\W\d_])\s*:?",
    re.IGNORECASE,
)
# Body texts: plain strings to scan quickly, the same texts as nodes once a label is seen.
BODY_STRINGS = etree.XPath("//body//text()[normalize-space()]", smart_strings=False)
BODY_TEXTS = etree.XPath("//body//text()[normalize-space()]", smart_strings=True)
# A label's date is in its own text or in the next few text nodes; the
# element holding it (or its parent) names the signal counted.
LABEL_REACH = 2
LABEL_HOLDER_LEVELS = 2


@dataclass
class PublishedDate:
    """A publication date and the signal it came from."""

    date: date
    # "selector" | "json-ld" | "meta" | "label" | "time" | "visible" | "url" | "image"
    # | "script" | "marked" | "text" | "title"
    signal: str


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
    signals: tuple[tuple[str, Callable[[_Page], date | PublishedDate | None]], ...] = (
        ("selector", lambda page: _from_selector(page, selector)),
        ("json-ld", _from_json_ld),
        ("meta", _from_meta),
        ("label", _from_label),
        ("time", _from_time),
        ("visible", _from_visible),
        ("meta", _from_generic_meta),
        ("url", lambda _: from_url),
        ("image", _from_image_url),
        ("script", _from_script),
        ("marked", _from_marked),
        ("text", _from_text_after_headline),
        ("title", _from_title),
    )
    for signal, finder in signals:
        if (found := finder(page)) is not None:
            # A labelled date is counted under the element that holds it.
            answer = found if isinstance(found, PublishedDate) else PublishedDate(found, signal)
            return _agree_with_url(answer, from_url)
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
    """Prefer the URL's date when it is the found date one day off (time zones)
    or in another year (a year-less visible date took the wrong year)."""
    if from_url is None or found.signal == "url":
        return found
    one_day_off = abs(found.date - from_url) == timedelta(1)
    same_day = (found.date.month, found.date.day) == (from_url.month, from_url.day)
    other_year = same_day and found.date != from_url
    return PublishedDate(from_url, "url") if one_day_off or other_year else found


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
    return _meta_date(page, META_RANK)


def _from_generic_meta(page: _Page) -> date | None:
    return _meta_date(page, GENERIC_META_RANK)


def _meta_date(page: _Page, ranks: dict[str, int]) -> date | None:
    found: list[tuple[int, str]] = []
    for meta in METAS(page.tree):
        for attribute in META_ATTRIBUTES:
            rank = ranks.get((meta.get(attribute) or "").strip().lower())
            if rank is not None:
                found.append((rank, meta.get("content")))
    for _, content in sorted(found, key=lambda pair: pair[0]):
        if (result := parse_machine_date(content, page.today, page.zone)) is not None:
            return result
    return None


def _from_time(page: _Page) -> date | None:
    if (found := _from_publication_marked(page)) is not None:
        return found
    roots = ARTICLE_ROOTS(page.tree) or [page.tree]
    for root in roots:
        for element in TIME_ELEMENTS(root):
            if page.zones.excluded(element) or NOT_PUBLISHED.search(_marks(element)):
                continue
            value = _time_value(element)
            if value and (found := parse_machine_date(value, page.today, page.zone)):
                return found
    return None


def _from_publication_marked(page: _Page) -> date | None:
    """The date every element marked as "the publication date" agrees on.

    Teasers of other articles carry the same markup, so a page with more
    marked elements than an article has (the date and perhaps its repeat), or
    with marked elements that disagree, is left to the article-scoped search.
    """
    found = []
    for element in PUBLICATION_MARKED(page.tree):
        # <meta> is read by the meta signal; <head> and list items are excluded.
        if element.tag == "meta" or _in_list_item(element) or page.zones.excluded(element):
            continue
        value = _time_value(element)
        if value and (result := parse_machine_date(value, page.today, page.zone)):
            found.append(result)
    if not 0 < len(found) <= MARKED_PER_ARTICLE or len(set(found)) > 1:
        return None
    return found[0]


def _in_list_item(element: HtmlElement) -> bool:
    return next(element.iterancestors("li"), None) is not None


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
    # Date-classed elements first, then the nearest plain short neighbour;
    # a complete date anywhere near beats a year-less one.
    nearby.sort(key=lambda el: (not is_date_classed(el), abs(position[el] - start)))
    texts = [element.text_content() for element in nearby]
    for yearless in (False, True):
        for text in texts:
            if (found := parse_date_text(text, page.today, yearless=yearless)) is not None:
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


def _dateline(page: _Page, text: str) -> date | None:
    opening = text.lstrip()[:DATELINE]
    if not DATELINE_START.match(opening):
        return None
    return parse_date_text(opening, page.today, yearless=False)


def _from_label(page: _Page) -> PublishedDate | None:
    """A date right after a "published" label, anywhere outside the excluded zones.

    The answer is counted as "time" or "marked" when the date sits in a
    ``<time>`` or date-marked element (the label only chose it), else "label".
    """
    strings = BODY_STRINGS(page.tree)
    texts = None
    for index, string in enumerate(strings):
        if len(string) > SHORT_TEXT or (match := PUBLISHED_LABEL.search(string)) is None:
            continue
        texts = texts if texts is not None else BODY_TEXTS(page.tree)
        text = texts[index]
        parent = text.getparent()
        if parent is None or page.zones.excluded(parent):
            continue
        following = [(string[match.end():], text)]
        following += [(node, node) for node in texts[index + 1 : index + 1 + LABEL_REACH]]
        for candidate, node in following:
            if (found := parse_date_text(candidate, page.today, yearless=False)) is not None:
                return PublishedDate(found, _holder_signal(node))
    return None


def _holder_signal(text: Any) -> str:
    """The signal named after the element holding a labelled date (a text node)."""
    holder = text.getparent()
    if holder is not None and text.is_tail:
        holder = holder.getparent()
    chain = [holder, *holder.iterancestors()][:LABEL_HOLDER_LEVELS] if holder is not None else []
    for element in chain:
        if element.tag == "time":
            return "time"
        if is_date_marked(element):
            return "marked"
    return "label"


def _from_title(page: _Page) -> date | None:
    for node in TITLE_TEXTS(page.tree):
        text = node if isinstance(node, str) else node.text_content()
        if (found := parse_date_text(text, page.today, yearless=False)) is not None:
            return found
    return None


def _from_script(page: _Page) -> date | None:
    """The publication date named in page data, when all its mentions agree
    (lists of references or teasers name several)."""
    found = {
        result
        for script in SCRIPTS(page.tree)
        for match in SCRIPT_PUBLISHED.finditer(script)
        if (result := parse_machine_date(match.group(1), page.today, page.zone)) is not None
    }
    return found.pop() if len(found) == 1 else None


def _from_image_url(page: _Page) -> date | None:
    for url in IMAGE_URLS(page.tree):
        if (found := _from_url(str(url), page.today)) is not None:
            return found
    return None


def _from_url(url: str | None, today: date) -> date | None:
    if not url:
        return None
    for pattern in URL_PATTERNS:
        if match := pattern.search(url):
            return checked(make_date(*map(int, match.groups())), today)
    if match := URL_DAY_FIRST.search(url):
        day, month, year = map(int, match.groups())
        return checked(make_date(year, month, day), today)
    return None
