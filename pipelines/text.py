"""Stage 1: fill the item's canonical URL, title, main text and link density.

The page is parsed once here; the pure extractors in ``pipelines.extractors``
do the work.  A page without main text leaves the chain as ``EmptyPage``,
unless the pipeline was built with ``drop_empty=False`` (the offline
``ino-archive extract`` command), which keeps the item with empty fields and
a warning instead.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from itemadapter import ItemAdapter

from pipelines.exceptions import EmptyPage
from pipelines.extractors.canonical import find_canonical_url
from pipelines.extractors.html import parse_html
from pipelines.extractors.maintext import extract_main_text, page_link_density
from pipelines.extractors.title import extract_title

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

EMPTY_STAT = "pipelines/text/empty"
# A page without main text whose visible text is mostly links is a listing,
# not an empty page: the relevance stage recognises and drops it by that name.
LISTING_MIN_LINK_DENSITY = 0.5


class TextPipeline:
    """Extract what the page says; drop (or flag) pages that say nothing."""

    def __init__(self, stats: StatsCollector | None = None, drop_empty: bool = True) -> None:
        self.stats = stats
        self.drop_empty = drop_empty

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TextPipeline:
        return cls(stats=crawler.stats, drop_empty=crawler.settings.getbool("TEXT_DROP_EMPTY", True))

    def process_item(self, item):
        adapter = ItemAdapter(item)
        url = adapter.get("url") or ""
        tree = parse_html(adapter.get("html") or "")
        adapter["canonical_url"] = find_canonical_url(tree, url) if url else None
        if tree is None:
            return self.empty(item, url, "empty or unparsable HTML")
        adapter["title"] = extract_title(tree)
        main = extract_main_text(tree, url)
        if main is None:
            return self.no_main_text(item, tree, url)
        adapter["text"] = main.text
        adapter["link_density"] = main.link_density
        return item

    def no_main_text(self, item, tree, url: str):
        """A page of links (a listing) goes on to the relevance stage, which names it; else it is empty."""
        adapter = ItemAdapter(item)
        density = page_link_density(tree)
        if density >= LISTING_MIN_LINK_DENSITY or adapter.get("url_kind") == "listing":
            adapter["link_density"] = density
            return item
        return self.empty(item, url, "no main text")

    def empty(self, item, url: str, reason: str):
        """Count the empty page, then drop it or keep it with a warning."""
        if self.stats is not None:
            self.stats.inc_value(EMPTY_STAT)
        message = f"text: {reason}"
        if self.drop_empty:
            raise EmptyPage(f"{reason}: {url}")
        logger.debug("keeping empty page %s (%s)", url, reason)
        adapter = ItemAdapter(item)
        adapter["warnings"] = [*(adapter.get("warnings") or []), message]
        return item
