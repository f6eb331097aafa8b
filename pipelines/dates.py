"""Stage 3: fill ``published`` and ``published_from`` from the page's HTML.

The work is done by ``pipelines.extractors.dates.find_published``; this
pipeline only feeds it the page's tree (the one the spider and the text
stage parsed, shared and only read: ``page_tree``), URL, title, fetch time,
the source's own date selector and time zone (sources config: ``timezone``),
and counts which signal answered (``pipelines/date/from/<signal>``) or that
none did (``pipelines/date/missing``).

A page of a source without a ``timezone`` (an ad-hoc ``crawl --url``, files
given to ``extract``) is dated in ``DATES_TIMEZONE`` (an IANA name; unset by
default: dates are kept as the pages wrote them; ``extract --timezone`` sets it).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from itemadapter import ItemAdapter

from pipelines.extractors.dates import find_published
from pipelines.guard import stage_guard
from scraper.decode import page_tree
from scraper.sources import NO_RULES, SourceRules, load_source_rules, zone_named

if TYPE_CHECKING:
    from datetime import tzinfo

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class DatesPipeline:
    """Date each article from its most trusted date signal."""

    def __init__(
        self,
        stats: StatsCollector | None = None,
        rules: dict[str, SourceRules] | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        self.stats = stats
        self.rules = rules or {}
        self.zone = zone  # for sources that name no time zone

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DatesPipeline:
        settings = crawler.settings
        return cls(
            stats=crawler.stats,
            rules=load_source_rules(settings.get("SOURCES_FILE")),
            zone=zone_named(settings.get("DATES_TIMEZONE")),
        )

    @stage_guard("date")
    def process_item(self, item):
        adapter = ItemAdapter(item)
        rules = self.rules.get(adapter.get("source") or "", NO_RULES)
        found = find_published(
            page_tree(adapter.get("html") or ""),
            url=adapter.get("url"),
            title=adapter.get("title"),
            now=adapter.get("fetched_at"),
            zone=rules.timezone or self.zone,
            selector=rules.date,
        )
        if found is None:
            logger.debug("no publication date found on %s", adapter.get("url"))
            self._count("pipelines/date/missing")
            return item
        adapter["published"] = found.date
        adapter["published_from"] = found.signal
        self._count(f"pipelines/date/from/{found.signal}")
        return item

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
