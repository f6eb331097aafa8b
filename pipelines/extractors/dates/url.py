"""Dates written in URLs: the article's own (/2016/03/14/…) and its lead image's.

A complete date in the article URL is the site's own local date, so
``find_published`` also uses it to correct a found date that is one day off.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extractors.dates.parse import checked, make_date

if TYPE_CHECKING:
    from datetime import date

    from pipelines.extractors.dates.page import Page

URL_PATTERNS = (
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$|[-_.])"),
    re.compile(r"[/_-]((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[/_.-]|$)"),
    re.compile(r"[/_-]((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_.-]|$)"),
)
# Day first, as European sites write it: /meldungen/29-10-2021.
URL_DAY_FIRST = re.compile(r"[/_-](\d{2})-(\d{2})-((?:19|20)\d{2})(?:[/_.-]|$)")
# The lead image is usually uploaded the day the article is published (/files/2016/05/04/…).
IMAGE_URLS = etree.XPath("//meta[@property='og:image' or @name='twitter:image'][@content]/@content")


def date_from_url(url: str | None, today: date) -> date | None:
    """The complete date written in ``url`` (in 1990..today), or ``None``."""
    if not url:
        return None
    for pattern in URL_PATTERNS:
        if match := pattern.search(url):
            return checked(make_date(*map(int, match.groups())), today)
    if match := URL_DAY_FIRST.search(url):
        day, month, year = map(int, match.groups())
        return checked(make_date(year, month, day), today)
    return None


def from_image_url(page: Page) -> date | None:
    """The date in the URL of the page's lead image (``og:image``, ``twitter:image``)."""
    for url in IMAGE_URLS(page.tree):
        if (found := date_from_url(str(url), page.today)) is not None:
            return found
    return None
