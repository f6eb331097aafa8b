"""Stage 6: the article's ``content_hash``, and the same page fetched twice in one run dropped.

Computes ``content_hash`` (sha256 of the casefolded, whitespace-collapsed title
and text; see ``archive.store.records.content_hash``) and raises
``DuplicateArticle`` when the same canonical URL already passed in this run
at a fetched URL that sorts first (``?utm_source=…`` variants): the page at
the smaller fetched URL is kept, so which one an article keeps never depends
on arrival order.

The same text under another canonical URL is *not* dropped here: the store
folds it into one article with every URL it was found at, and chooses the
URL it shows by a rule instead of by who came first
(``archive.store.fold_copies``, issue 16).  Such copies are counted
(``pipelines/dedup/copies``, this run only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from archive.store import content_hash, has_content
from pipelines.exceptions import DuplicateArticle
from pipelines.guard import stage_guard

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

STAT_DUPLICATES = "pipelines/dedup/duplicates"
STAT_COPIES = "pipelines/dedup/copies"


class DedupPipeline:
    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats
        self.seen_urls: dict[str, tuple[str, str]] = {}  # canonical_url → (fetched url, content_hash)
        self.seen_hashes: dict[str, str] = {}  # content_hash → canonical_url

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(stats=crawler.stats)

    @stage_guard("dedup")
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter["url"]
        canonical = adapter.get("canonical_url") or url
        title, text = adapter.get("title"), adapter.get("text")
        digest = content_hash(title, text)
        adapter["content_hash"] = digest
        seen = self.seen_urls.get(canonical)
        if seen is not None and seen[0] <= url:
            self._drop(f"{canonical} already seen in this run (at {seen[0]})")
        self.seen_urls[canonical] = (url, digest)
        # Blank pages all share one hash; they are not copies of each other.
        if has_content(title, text):
            other = self.seen_hashes.setdefault(digest, canonical)
            if other != canonical and self.stats is not None:
                self.stats.inc_value(STAT_COPIES)
        return item

    def _drop(self, reason: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(STAT_DUPLICATES)
        raise DuplicateArticle(f"duplicate: {reason}")
