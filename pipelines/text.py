"""Stage 1: fill the item's canonical URL, title, main text and link density.

The page is parsed once here; the pure extractors in ``pipelines.extractors``
do the work, from the most deliberate signal to the most generic: the
source's own selectors (``selectors`` in the sources config), then the
generic headline and main-text search, then the body declared in JSON-LD.
Blocks that recur on many pages of one source (sidebars, footers,
subscription boxes) are learned during the crawl and removed before the
search (:mod:`pipelines.extractors.boilerplate`).

A page without main text leaves the chain as ``EmptyPage``, unless the
pipeline was built with ``drop_empty=False`` (the offline ``ino-archive
extract`` command), which keeps the item with empty fields and a warning.
Mojibake in the page (UTF-8 read as windows-1251/1252 before it reached us)
is repaired here for every later stage, and flagged in ``warnings``.

Boilerplate is learned per site (a source's pages on one host; pages without
a host, such as local files given to ``extract``, teach nothing), and the
texts removed from a page are listed in the item's ``boilerplate_removed``
(shown by ``extract``, not stored).

What was learned is kept in the archive between crawls (``archive.store.boilerplate``):
loaded in ``open_spider``, the sources seen saved in ``close_spider``, so a
cron run that fetches one new article still removes the sidebar every
earlier article carried (workers of a distributed crawl each save what they
learned; for a source seen by two, one worker's is kept: on SQLite the last to
close, on PostgreSQL a second writer of the same rows gives up with a warning).  An archive
that cannot be read or written only costs that memory (a warning); the
store reports the archive's own errors.

Settings: ``TEXT_DROP_EMPTY`` (True), ``TEXT_PEER_ENABLED`` (True: trafilatura
reads the page too when our text looks short of the article, and the longer
text is kept), ``TEXT_BOILERPLATE_ENABLED`` (True),
``TEXT_BOILERPLATE_MIN_PAGES`` (2 distinct pages make a block boilerplate),
``TEXT_BOILERPLATE_MAX_BLOCKS`` (blocks remembered per source),
``TEXT_BOILERPLATE_PERSIST`` (True: keep them in ``ARCHIVE_DB_URL``), and
``SOURCES_FILE`` for the selectors.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from sqlalchemy.exc import SQLAlchemyError

from archive.db import open_engine, resolve_db_url, session_for, write_session_for
from archive.errors import ArchiveError, error_reason
from archive.knowledge import clean_optional, clean_text
from archive.store import load_blocks, save_blocks
from pipelines.exceptions import EmptyPage
from pipelines.extractors.boilerplate import (
    DEFAULT_MAX_BLOCKS,
    DEFAULT_MIN_PAGES,
    SiteBoilerplate,
)
from pipelines.extractors.canonical import find_canonical_url
from pipelines.extractors.dates import without_date_stamps
from pipelines.extractors.maintext import extract_body, page_link_density
from pipelines.extractors.title import extract_title
from pipelines.guard import stage_guard
from scraper.decode import page_tree, repair_mojibake
from scraper.sources import NO_RULES, SourceRules, load_source_rules, select_text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

EMPTY_STAT = "pipelines/text/empty"
FROM_STAT = "pipelines/text/from/"  # + selector | generic | json-ld
TITLE_SELECTOR_STAT = "pipelines/text/title_from_selector"
BOILERPLATE_STAT = "pipelines/text/boilerplate_blocks"
BOILERPLATE_LOADED_STAT = "pipelines/text/boilerplate_known"
BOILERPLATE_SAVED_STAT = "pipelines/text/boilerplate_kept"
MOJIBAKE_REPAIRED_STAT = "pipelines/text/mojibake_repaired"
MOJIBAKE_SUSPECT_STAT = "pipelines/text/mojibake_suspect"
DATE_STAMPS_STAT = "pipelines/text/date_stamps_removed"
# A page without main text whose visible text is mostly links is a listing,
# not an empty page: the relevance stage recognises and drops it by that name.
LISTING_MIN_LINK_DENSITY = 0.5


def site_key(source: str, url: str) -> str | None:
    """The name a site's learned boilerplate is kept under: the source and the host (``None`` without a host).

    >>> site_key("ino-tomsk-ru", "https://www.ino-tomsk.ru/news/1"), site_key("file", "file:///tmp/a.html")
    ('ino-tomsk-ru www.ino-tomsk.ru', None)
    """
    host = urlsplit(url).hostname
    return f"{source} {host}" if host else None


def repaired(value: str | None) -> str | None:
    """``value`` with mojibake repaired: text read from a page's JSON (JSON-LD ``articleBody``, ``headline``) was
    escaped there ("\\u00e2\\u0080\\u0099"), out of reach of the repair of the page's HTML."""
    return repair_mojibake(value).text if value else value


class TextPipeline:
    """Extract what the page says; drop (or flag) pages that say nothing."""

    def __init__(
        self,
        stats: StatsCollector | None = None,
        drop_empty: bool = True,
        rules: Mapping[str, SourceRules] | None = None,
        boilerplate: SiteBoilerplate | None = None,
        persist: bool = False,
        db: str | None = None,
        peer: bool = True,
    ) -> None:
        self.stats = stats
        self.peer = peer  # ask trafilatura too when our text looks short of the article
        self.drop_empty = drop_empty
        self.rules = dict(rules or {})
        self.boilerplate = boilerplate
        # Keep the learned blocks between crawls in the archive ``db`` (``--db``; None: the default one).
        self.persist = persist and boilerplate is not None
        self.db = db
        self.memory_db_url: str | None = None  # resolved when the crawl opens, not when the stage is built

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TextPipeline:
        settings = crawler.settings
        boilerplate = None
        if settings.getbool("TEXT_BOILERPLATE_ENABLED", True):
            boilerplate = SiteBoilerplate(
                min_pages=settings.getint("TEXT_BOILERPLATE_MIN_PAGES", DEFAULT_MIN_PAGES),
                max_blocks=settings.getint("TEXT_BOILERPLATE_MAX_BLOCKS", DEFAULT_MAX_BLOCKS),
            )
        return cls(
            stats=crawler.stats,
            drop_empty=settings.getbool("TEXT_DROP_EMPTY", True),
            rules=load_source_rules(settings.get("SOURCES_FILE")),
            boilerplate=boilerplate,
            persist=settings.getbool("TEXT_BOILERPLATE_PERSIST", True),
            db=settings.get("ARCHIVE_DB_URL"),
            peer=settings.getbool("TEXT_PEER_ENABLED", True),
        )

    def open_spider(self) -> None:
        """Start from the blocks earlier crawls learned."""
        if not self.persist:
            return
        try:
            self.memory_db_url = resolve_db_url(self.db)
            with session_for(open_engine(self.memory_db_url, create=True)) as session:
                rows = load_blocks(session)
        except (ArchiveError, SQLAlchemyError, OSError) as exc:
            logger.warning("Could not read the learned boilerplate; learning afresh: %s", error_reason(exc))
            return
        self.boilerplate.restore(rows)
        self.count(BOILERPLATE_LOADED_STAT, sum(len(found) for found in rows.values()))

    def close_spider(self) -> None:
        """Keep what this crawl learned, for the sources it saw."""
        if self.memory_db_url is None:
            return
        rows = self.boilerplate.export()
        if not rows:
            return
        try:
            with write_session_for(open_engine(self.memory_db_url, create=True)) as session:
                saved = sum(save_blocks(session, source, found) for source, found in rows.items())
        except (ArchiveError, SQLAlchemyError) as exc:
            logger.warning("Could not keep the learned boilerplate: %s", error_reason(exc))
            return
        self.count(BOILERPLATE_SAVED_STAT, saved)

    @stage_guard("text")
    def process_item(self, item):
        adapter = ItemAdapter(item)
        url = adapter.get("url") or ""
        tree = page_tree(self.repaired_html(adapter))
        adapter["canonical_url"] = find_canonical_url(tree, url) if url else None
        if tree is None:
            return self.empty(item, url, "empty or unparsable HTML")
        rules = self.rules.get(adapter.get("source") or "", NO_RULES)
        selected = self.selected_title(tree, rules)
        # The generic headline is searched once: the main-text search needs it too.
        headline = None if selected else extract_title(tree, url)
        adapter["title"] = clean_optional(repaired(selected or headline))
        body = extract_body(tree, url, selector=rules.body, known_blocks=self.known_blocks(adapter), headline=headline,
                            peer=self.peer)
        if body is None:
            return self.no_main_text(item, tree, url)
        self.count(FROM_STAT + body.signal)
        adapter["boilerplate_removed"] = list(body.boilerplate)
        # The page's date stamp ("Updated 5:27 am CST, Wednesday, November 20, 2019") is the date stage's, not text.
        text, stamps = without_date_stamps(body.main.text)
        if stamps:
            self.count(DATE_STAMPS_STAT, stamps)
        adapter["text"] = clean_text(repaired(text))
        adapter["link_density"] = body.main.link_density
        return item

    def repaired_html(self, adapter: ItemAdapter) -> str:
        """The page with mojibake repaired (for every later stage too); repairs and doubts are flagged."""
        html = adapter.get("html") or ""
        repair = repair_mojibake(html)
        notes = []
        if repair.repaired:
            adapter["html"] = html = repair.text
            notes.append(f"encoding: repaired mojibake ({repair.kind}), {repair.repaired} characters")
            self.count(MOJIBAKE_REPAIRED_STAT)
        if repair.suspect:
            notes.append(f"encoding: {repair.suspect} characters look like mojibake that could not be repaired")
            self.count(MOJIBAKE_SUSPECT_STAT)
        if notes:
            logger.debug("%s: %s", adapter.get("url"), "; ".join(notes))
            adapter["warnings"] = [*(adapter.get("warnings") or []), *notes]
        return html

    def selected_title(self, tree, rules: SourceRules) -> str | None:
        """The headline the source's title selector picks; the generic search runs without one."""
        title = select_text(tree, rules.title)
        if title:
            self.count(TITLE_SELECTOR_STAT)
            return title
        return None

    def known_blocks(self, adapter: ItemAdapter):
        """The hook that learns this page's blocks and removes its site's recurring ones.

        A site is the source's pages on one host: an ad-hoc or offline run
        (``extract``) over unrelated pages never takes them for one site's,
        and a page whose address names no host (a local file) teaches nothing.
        """
        if self.boilerplate is None:
            return None
        site = site_key(adapter.get("source") or "", adapter.get("url") or "")
        if site is None:
            return None
        # The headline tells pages apart better than the URL: one article
        # reached by two URLs must not teach that its paragraphs recur.
        page = adapter.get("title") or adapter.get("canonical_url") or adapter.get("url") or ""
        strip = self.boilerplate.stripper(site, page)

        def learn_and_strip(body) -> list[str]:
            removed = strip(body)
            if removed:
                self.count(BOILERPLATE_STAT, len(removed))
            return removed

        return learn_and_strip

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
        self.count(EMPTY_STAT)
        message = f"text: {reason}"
        if self.drop_empty:
            raise EmptyPage(f"{reason}: {url}")
        logger.debug("keeping empty page %s (%s)", url, reason)
        adapter = ItemAdapter(item)
        adapter["warnings"] = [*(adapter.get("warnings") or []), message]
        return item

    def count(self, key: str, value: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, value)
