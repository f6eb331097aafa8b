"""Stage 4: fill ``mentions``, ``people``, ``organisations`` and ``places``.

The extraction is ``pipelines.extractors.entities.extract_entities``; this
pipeline runs it on the main text in the language stage's language and lists
each kind's canonical names once, in order of first appearance.  Switched off
with ``ENTITIES_ENABLED = False`` (natasha's models cost ~1 s and some memory).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from pipelines.extractors.entities import extract_entities, unique_names

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

NAME_FIELDS = {"people": "person", "organisations": "org", "places": "place"}


class EntitiesPipeline:
    """Name the people, organisations and places each article mentions."""

    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EntitiesPipeline:
        if not crawler.settings.getbool("ENTITIES_ENABLED", True):
            raise NotConfigured("ENTITIES_ENABLED is off")
        return cls(stats=crawler.stats)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        mentions = extract_entities(adapter.get("text") or "", adapter.get("language"))
        adapter["mentions"] = mentions
        for field_name, kind in NAME_FIELDS.items():
            adapter[field_name] = unique_names(mentions, kind)
        logger.debug("%d mentions in %s", len(mentions), adapter.get("url"))
        if self.stats is not None:
            self.stats.inc_value("pipelines/entities/mentions", len(mentions))
        return item
