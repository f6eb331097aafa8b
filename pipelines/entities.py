"""Stage 4: fill ``mentions``, ``people``, ``organisations``, ``places`` and ``date_mentions``.

The extraction is ``pipelines.extractors.entities.extract_entities``; this
pipeline runs it on the main text in the language stage's language and lists
each kind's canonical names once, in order of first appearance.  Dates named
in the text (``entities_dates``) are found too; a day without a year takes the
publication year.  Switched off with ``ENTITIES_ENABLED = False`` (natasha's
models cost ~1 s and some memory).

The trained English model costs about 15 µs a character, several times the rest
of an article's stages together, so by default (``ENTITIES_MODEL_SCOPE =
"tomsk"``) it reads only the English pages that name the Tomsk world or the
programme at all (``pipelines.extractors.relevance.names_tomsk_world``): the
archive's subject; other English pages get the gazetteer and the rules
(counted as ``pipelines/entities/model_skipped``).  ``"all"`` runs it on every
English page.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from pipelines.extractors.entities import (
    extract_entities,
    find_date_mentions,
    unique_names,
)
from pipelines.extractors.relevance import names_tomsk_world
from pipelines.guard import stage_guard

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

NAME_FIELDS = {"people": "person", "organisations": "org", "places": "place"}
MODEL_SCOPES = ("tomsk", "all")


class EntitiesPipeline:
    """Name the people, organisations, places and dates each article mentions."""

    def __init__(self, stats: StatsCollector | None = None, model_scope: str = "tomsk") -> None:
        if model_scope not in MODEL_SCOPES:
            raise ValueError(f"ENTITIES_MODEL_SCOPE must be one of {', '.join(MODEL_SCOPES)}, not {model_scope!r}")
        self.stats = stats
        self.model_scope = model_scope

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EntitiesPipeline:
        if not crawler.settings.getbool("ENTITIES_ENABLED", True):
            raise NotConfigured("ENTITIES_ENABLED is off")
        return cls(stats=crawler.stats, model_scope=crawler.settings.get("ENTITIES_MODEL_SCOPE", "tomsk"))

    @stage_guard("entities")
    def process_item(self, item):
        adapter = ItemAdapter(item)
        text = adapter.get("text") or ""
        language = adapter.get("language")
        statistical = language != "en" or self.model_scope == "all" or names_tomsk_world(adapter.get("title"), text)
        if not statistical and self.stats is not None:
            self.stats.inc_value("pipelines/entities/model_skipped")
        mentions = extract_entities(text, language, statistical=statistical)
        adapter["mentions"] = mentions
        for field_name, kind in NAME_FIELDS.items():
            adapter[field_name] = unique_names(mentions, kind)
        published = adapter.get("published")
        dates = find_date_mentions(text, getattr(published, "year", None))
        adapter["date_mentions"] = dates
        logger.debug("%d mentions, %d dates in %s", len(mentions), len(dates), adapter.get("url"))
        if self.stats is not None:
            self.stats.inc_value("pipelines/entities/mentions", len(mentions))
            self.stats.inc_value("pipelines/entities/date_mentions", len(dates))
        return item
