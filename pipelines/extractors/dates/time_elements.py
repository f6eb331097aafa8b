"""Publication dates in machine-readable body elements: ``<time>``, ``itemprop``, ``abbr.published``.

Elements that say outright they hold the publication date (``<time pubdate>``,
``itemprop="datePublished"``) are tried page-wide first, when they agree;
then the first such element inside the article, outside excluded zones and
not marked as a change, event or clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extractors.dates.parse import (
    on_utc_clock,
    one_day_apart,
    parse_date_text,
    parse_machine_date,
)
from pipelines.extractors.dates.zones import NOT_PUBLISHED, marks

if TYPE_CHECKING:
    from datetime import date

    from lxml.html import HtmlElement

    from pipelines.extractors.dates.page import Page

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
TIME_ATTRIBUTES = ("datetime", "content", "title")


def from_time(page: Page) -> date | None:
    """The agreed publication-marked date, else the article's first machine-readable date."""
    if (found := _from_publication_marked(page)) is not None:
        return found
    roots = ARTICLE_ROOTS(page.tree) or [page.tree]
    for root in roots:
        for element in TIME_ELEMENTS(root):
            if page.zones.excluded(element) or NOT_PUBLISHED.search(marks(element)):
                continue
            if (found := _element_date(page, element)) is not None:
                return found
    return None


def _from_publication_marked(page: Page) -> date | None:
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
        if (result := _element_date(page, element)) is not None:
            found.append(result)
    if not 0 < len(found) <= MARKED_PER_ARTICLE or len(set(found)) > 1:
        return None
    return found[0]


def _element_date(page: Page, element: HtmlElement) -> date | None:
    """The element's machine date; the day its own text shows when the machine time, in UTC,
    falls one day off it (``datetime="2023-11-01T23:01:00Z"`` shown as "02 Novembre 2023")."""
    value = _time_value(element)
    found = parse_machine_date(value, page.today, page.zone) if value else None
    if found is None or not on_utc_clock(value):
        return found
    shown = parse_date_text(" ".join(element.text_content().split()), page.today, yearless=False)
    return shown if shown is not None and one_day_apart(shown, found) else found


def _in_list_item(element: HtmlElement) -> bool:
    return next(element.iterancestors("li"), None) is not None


def _time_value(element: HtmlElement) -> str:
    for attribute in TIME_ATTRIBUTES:
        if value := element.get(attribute):
            return value
    return element.text_content()
