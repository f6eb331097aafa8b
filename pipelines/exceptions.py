"""Reasons a page leaves the pipeline chain.

Each is a ``DropItem`` subclass, so Scrapy's stats count drops per reason
(``item_dropped_reasons_count/ListingPage``) and the crawl summary can say
what happened to every page.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem


class EmptyPage(DropItem):
    """The page had no extractable main text (binary, empty, an error page)."""


class ListingPage(DropItem):
    """The page lists other articles; it is followed, never stored."""


class DuplicateArticle(DropItem):
    """The same article was already seen under another URL in this archive."""
