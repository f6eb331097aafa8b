"""htmldate as one more date signal: the page it may read, and the answers it may give.

htmldate (extensive search) reads every date-like string of a page; this
cascade refuses some of them on purpose: dates in sidebars, comment threads
and footers (``zones``), event dates in the body text, modification dates,
and a bare year.  So htmldate reads a copy of the page without those
(``page_for_htmldate``), and an answer on the first of January, htmldate's
way of completing a year it found alone, is not taken.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extractors.dates.parse import checked, latest_day
from pipelines.extractors.dates.visible import SHORT_TEXT
from pipelines.extractors.dates.zones import without_zones

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from pipelines.extractors.dates.page import Page

logger = logging.getLogger(__name__)

EXTENSIVE = True
TEXT_BLOCKS = ("p", "li", "blockquote", "td")
MODIFIED_METAS = etree.XPath(
    "//meta[contains(translate(@property, 'MODIFED', 'modifed'), 'modified')"
    " or contains(translate(@name, 'MODIFED', 'modifed'), 'modified')"
    " or contains(translate(@itemprop, 'MODIFED', 'modifed'), 'modified')]"
)
JSON_LD = etree.XPath("//script[@type='application/ld+json']")
JSON_MODIFIED = re.compile(r'"dateModified"\s*:\s*"[^"]*"\s*,?')


def from_htmldate(page: Page, url: str | None) -> date | None:
    """htmldate's original-date guess (extensive search) on ``page_for_htmldate``, no later than the fetch day."""
    from htmldate import find_date  # imported on the first page without a date of its own

    limit = latest_day(page.today)
    try:
        found = find_date(page_for_htmldate(page.tree), url=url, original_date=True, extensive_search=EXTENSIVE,
                          outputformat="%Y-%m-%d", max_date=limit.isoformat())
    except (ValueError, TypeError, RecursionError, etree.LxmlError) as exc:
        logger.debug("htmldate failed on %s: %s", url, exc)
        return None
    if not found or found.endswith("-01-01"):
        return None
    return checked(date.fromisoformat(found), limit)


def page_for_htmldate(tree: HtmlElement) -> HtmlElement:
    """A copy of the page without excluded zones, body text and modification dates.

    Body text is any paragraph, item or cell longer than a visible date's
    element (``visible.SHORT_TEXT``): its dates are event dates.
    """
    root = without_zones(tree)
    for block in [el for el in root.iter(*TEXT_BLOCKS) if len(el.text_content().strip()) > SHORT_TEXT]:
        if block.getparent() is not None:
            block.drop_tree()
    for meta in MODIFIED_METAS(root):
        meta.getparent().remove(meta)
    for script in JSON_LD(root):
        if script.text and "dateModified" in script.text:
            script.text = JSON_MODIFIED.sub("", script.text)
    return root

