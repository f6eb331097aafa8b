"""Stage 2: decide the article's language ("ru", "en" or "other") from its text.

The main text decides; the title stands in when the text is empty, and the
source's ``language_hint`` only when neither says anything (it is a hint about
the site, never about one page).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from itemadapter import ItemAdapter

from pipelines.extractors.language import detect_language
from pipelines.guard import stage_guard

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

STAT_PREFIX = "pipelines/language/"
KNOWN_LANGUAGES = frozenset({"ru", "en", "other"})


class LanguagePipeline:
    """Fill ``language`` and count the decisions per language."""

    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LanguagePipeline:
        return cls(stats=crawler.stats)

    @stage_guard("language")
    def process_item(self, item):
        adapter = ItemAdapter(item)
        language = decide(adapter.get("text"), adapter.get("title"), adapter.get("language_hint"))
        adapter["language"] = language
        if language and self.stats is not None:
            self.stats.inc_value(STAT_PREFIX + language)
        return item


def decide(text: str | None, title: str | None, hint: str | None) -> str | None:
    """Text first, then title, then the source's hint.

    >>> decide("", "", "ru")
    'ru'
    >>> decide("", None, "xx") is None
    True
    """
    language = detect_language(text) or detect_language(title)
    if language is None and hint in KNOWN_LANGUAGES:
        logger.debug("no text to detect the language; using the source's hint %s", hint)
        return hint
    return language
