"""Freeze the heap while a crawl runs (``scraper.runtime``).

When the spider opens, everything alive (modules, Scrapy, models loaded
before) is moved out of the garbage collector's full scans; when it closes,
it is handed back.  Models that load during the crawl freeze themselves
(``freeze_long_lived``).

Setting: ``GC_FREEZE_ENABLED`` (default on).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from scraper.runtime import crawl_ended, crawl_started

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class HeapFreeze:
    """Freezes the heap when the spider opens, thaws it when the spider closes."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HeapFreeze:
        if not crawler.settings.getbool("GC_FREEZE_ENABLED", True):
            raise NotConfigured("GC_FREEZE_ENABLED is off")
        extension = cls()
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        crawl_started()

    def spider_closed(self) -> None:
        crawl_ended()
