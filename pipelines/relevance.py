"""Stage 5: drop listing pages, then score and flag the articles.

Listing pages (section fronts, tag pages, archives) are followed by the
spider but never stored: they leave the chain as ``ListingPage``.  The page
kind is decided by ``pipelines.extractors.pagekind`` from the page's structure.  Articles
get ``page_type="article"``, a ``relevance`` score, the terms behind it and
``is_relevant`` (score >= ``RELEVANCE_THRESHOLD``).  Irrelevant articles are
kept, flagged, so the threshold can be changed later without a re-crawl.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from itemadapter import ItemAdapter

from pipelines.exceptions import ListingPage
from pipelines.extractors.pagekind import LISTING, page_kind
from pipelines.extractors.relevance import score_relevance
from pipelines.guard import stage_guard
from scraper.decode import page_tree

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class RelevancePipeline:
    """Tell articles from listings, and relevant articles from the rest."""

    def __init__(self, threshold: float = 1.0, stats: StatsCollector | None = None) -> None:
        self.threshold = threshold
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevancePipeline:
        threshold = crawler.settings.getfloat("RELEVANCE_THRESHOLD", 1.0)
        return cls(threshold=threshold, stats=crawler.stats)

    @stage_guard("relevance")
    def process_item(self, item):
        adapter = ItemAdapter(item)
        text = adapter.get("text") or ""
        tree = page_tree(adapter.get("html") or "")
        kind = page_kind(tree, adapter.get("url"), adapter.get("url_kind"), text=text,
                         link_density=adapter.get("link_density"))
        if kind == LISTING:
            self._count("pipelines/relevance/listing")
            raise ListingPage(f"listing page, followed but not stored: {adapter.get('url')}")
        found = score_relevance(adapter.get("title"), text)
        adapter["page_type"] = "article"
        adapter["relevance"] = found.score
        adapter["relevance_terms"] = found.terms
        adapter["is_relevant"] = found.score >= self.threshold
        self._count(f"pipelines/relevance/{'relevant' if adapter['is_relevant'] else 'not_relevant'}")
        return item

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
