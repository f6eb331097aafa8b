"""Site-level boilerplate: text blocks that recur on many pages of one source.

A sidebar in the article's own CSS class (ino-tomsk.ru's "INO Tomsk in ten
facts"), a subscription box or a footer inside the article container looks like
article text on one page; across pages of one site it gives itself away by
recurring word for word.  :class:`SiteBoilerplate` remembers, per source, the
normalised text of every block it has seen and on how many distinct pages; a
block seen on ``min_pages`` pages or more is boilerplate and is removed from
the page before the main-text search.

A block is its text *at its place in the page*: the tags and classes of its
ancestors count too.  A listing's teaser, or a "latest news" box quoting an
article's lead, recurs on many pages, but never where the article itself puts
its lead; so an article never loses its own paragraphs to its teasers.

Inside the article's own container (``<article>``, ``itemprop="articleBody"``,
the CMS's ``entry-content``/``article-body``… classes) a block is boilerplate
only after ``CONTAINER_MIN_PAGES`` pages: a sentence two versions of one story
share, or a quote several articles repeat, stays in each of them, while a
template line every article ends with ("Subscribe to our newsletter") still
goes.  The caller learns per site (the text stage: per source and host), so
unrelated pages are never taken for one site's.

Pages are told apart by a key the caller chooses (the headline, else the URL),
so one article reached by two URLs does not teach that its own paragraphs are
boilerplate.  Memory is bounded: at most ``max_blocks`` candidate blocks per
source, the least recently seen forgotten first, and the confirmed ones in a
set of the same bound.  The default of two pages lets the crawl's first
listing page (fetched before any article, and carrying the same sidebars)
teach the site's template at once.  Keys are stable hashes (the same in every
process), so what one crawl learned can be kept for the next
(:meth:`SiteBoilerplate.export` and :meth:`SiteBoilerplate.restore`; the text
stage stores them in the archive): a cron run that fetches one new article
still knows the sidebar every earlier article carried.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import zlib
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import lxml.html

logger = logging.getLogger(__name__)

# Elements whose own text (with inline children) forms one block.
BLOCK_TAGS = ("p", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th",
              "div", "section", "address", "caption", "figcaption", "pre", "center")
BLOCK_TAG_SET = frozenset(BLOCK_TAGS)
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data del dfn em font i ins kbd mark nobr q s samp small span "
    "strike strong sub sup time tt u var wbr br".split()
)
# Shorter blocks ("Share", "Read more") are left to the per-line rules.
MIN_BLOCK_CHARS = 12
DEFAULT_MIN_PAGES = 2
# Inside the article's container a block must recur on this many pages: a quote two or three stories share stays.
CONTAINER_MIN_PAGES = 4
DEFAULT_MAX_BLOCKS = 20_000
# The article's own container, as CMSs and schema.org mark it.
ARTICLE_CONTAINER_CLASS = re.compile(
    r"(?:^|\s)(?:entry-content|post-content|post-body|article-body|article-content|article__body|articlebody"
    r"|story-body|story-content|news-text|td-post-content|single-content)(?:\s|$)",
    re.IGNORECASE,
)
# Blocks of the container memory are kept under the site's name with this suffix.
CONTAINER_SUFFIX = " #article"
SPACE_RE = re.compile(r"\s+")
# Per-item tokens ("post-1806", ids with numbers) would make one place look like many.
DIGITS_RE = re.compile(r"\S*\d\S*")


def block_key(text: str, place: int = 0) -> int:
    """A key for a block's text at a place, case and spacing aside.

    >>> block_key("INO  Tomsk in ten facts") == block_key("ino tomsk in ten facts")
    True
    >>> block_key("INO Tomsk in ten facts", 1) == block_key("INO Tomsk in ten facts", 2)
    False
    """
    return stable_key(f"{place}|{SPACE_RE.sub(' ', text).strip().lower()}")


def stable_key(text: str) -> int:
    """A signed 64-bit hash of ``text``, the same in every process (Python's ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def place_of(element: lxml.html.HtmlElement, places: dict) -> int:
    """The element's place: its tag and class after its parent's place (computed parents first).

    The root's class is left out: ``<body class="home">`` on a listing and
    ``<body class="single-post">`` on an article wrap the same template.
    """
    parent = element.getparent()
    if parent is None or parent not in places:
        return zlib.crc32(element.tag.encode())
    names = _class_names(element.get("class") or "")
    # CRC-32 continued from the parent's: a stable chain of the tags and classes down to here.
    return zlib.crc32((f"{element.tag} {names}" if names else element.tag).encode(), places[parent])


@functools.lru_cache(maxsize=4096)
def _class_names(classes: str) -> str:
    """A class attribute's names without per-item numbers, sorted (pages repeat a few class strings)."""
    return " ".join(sorted(DIGITS_RE.sub("", classes).split()))


def own_text(element: lxml.html.HtmlElement) -> str:
    """The element's text with its inline children, without its block children."""
    return SPACE_RE.sub(" ", "".join(_own_parts(element)).strip())


def _own_parts(element: lxml.html.HtmlElement) -> Iterator[str]:
    yield element.text or ""
    for child in element:
        if isinstance(child.tag, str) and child.tag in INLINE_TAGS:
            yield child.text_content()
        yield child.tail or ""


def page_blocks(body: lxml.html.HtmlElement) -> Iterator[tuple[lxml.html.HtmlElement, int]]:
    """Every block of the page with enough text of its own, and its key (text and place)."""
    for element, key, _ in placed_blocks(body):
        yield element, key


def placed_blocks(body: lxml.html.HtmlElement) -> Iterator[tuple[lxml.html.HtmlElement, int, bool]]:
    """Every block with enough text of its own, its key, and whether it is inside the article's container."""
    places: dict = {}
    inside: dict = {}
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        places[element] = place = place_of(element, places)
        parent = element.getparent()
        inside[element] = inside.get(parent, False) or is_article_container(element)
        if element.tag in BLOCK_TAG_SET:
            raw = "".join(_own_parts(element)).strip()
            # Collapsing spaces only shortens (it is ``own_text``): a text already too short is left.
            if len(raw) >= MIN_BLOCK_CHARS and len(text := SPACE_RE.sub(" ", raw)) >= MIN_BLOCK_CHARS:
                yield element, block_key(text, place), inside[element]


def is_article_container(element: lxml.html.HtmlElement) -> bool:
    """True for the element that holds the article itself (``<article>``, ``articleBody``, a CMS's body class).

    >>> from lxml.html import fragment_fromstring
    >>> is_article_container(fragment_fromstring("<div class='post entry-content'></div>"))
    True
    >>> is_article_container(fragment_fromstring("<div class='journal-content-article'></div>"))
    False
    """
    if element.tag == "article" or element.get("itemprop") == "articleBody":
        return True
    classes = element.get("class")
    return bool(classes) and ARTICLE_CONTAINER_CLASS.search(classes) is not None


class SourceMemory:
    """What one source's pages have shown: block key → distinct pages (up to ``min_pages``)."""

    def __init__(self, min_pages: int, max_blocks: int) -> None:
        self.min_pages = min_pages
        self.max_blocks = max_blocks
        self.candidates: OrderedDict[int, set[int]] = OrderedDict()
        self.confirmed: OrderedDict[int, None] = OrderedDict()

    def learn(self, keys: set[int], page: str) -> None:
        """Count ``page`` for each of its blocks; promote those now seen on enough pages."""
        page_key = stable_key(page)
        for key in keys:
            if key in self.confirmed:
                self.confirmed.move_to_end(key)
                continue
            pages = self.candidates.pop(key, set())
            pages.add(page_key)
            if len(pages) >= self.min_pages:
                self.confirmed[key] = None
            else:
                self.candidates[key] = pages
        self._bound(self.candidates)
        self._bound(self.confirmed)

    def _bound(self, table: OrderedDict) -> None:
        while len(table) > self.max_blocks:
            table.popitem(last=False)

    def __contains__(self, key: int) -> bool:
        return key in self.confirmed

    def rows(self) -> list[tuple[int, bool, tuple[int, ...]]]:
        """(block, confirmed, pages) for every block remembered, least recently seen first."""
        return [(key, False, tuple(sorted(pages))) for key, pages in self.candidates.items()] + [
            (key, True, ()) for key in self.confirmed
        ]

    def restore(self, rows: Iterable[tuple[int, bool, Iterable[int]]]) -> None:
        """Remember ``rows`` (from :meth:`rows`, of an earlier crawl) before this crawl's pages."""
        for key, confirmed, pages in rows:
            if confirmed:
                self.confirmed[key] = None
            elif key not in self.confirmed:
                self.candidates[key] = set(pages)
        self._bound(self.candidates)
        self._bound(self.confirmed)


class SiteBoilerplate:
    """Per-source memories; :meth:`strip` learns from a page and removes its recurring blocks."""

    def __init__(self, min_pages: int = DEFAULT_MIN_PAGES, max_blocks: int = DEFAULT_MAX_BLOCKS) -> None:
        if min_pages < 2:
            raise ValueError(f"min_pages must be at least 2 (a block on one page is that page's text), got {min_pages}")
        self.min_pages = min_pages
        self.max_blocks = max_blocks
        self.sources: dict[str, SourceMemory] = {}
        # Sources that learned from a page since the last export (what a save must write).
        self.touched: set[str] = set()

    def memory(self, source: str) -> SourceMemory:
        if source not in self.sources:
            min_pages = max(self.min_pages, CONTAINER_MIN_PAGES) if source.endswith(CONTAINER_SUFFIX) else self.min_pages
            self.sources[source] = SourceMemory(min_pages, self.max_blocks)
        return self.sources[source]

    def strip(self, body: lxml.html.HtmlElement, source: str, page: str) -> list[str]:
        """Learn ``body``'s blocks as seen on ``page`` of ``source``; remove the recurring ones.

        Blocks inside the article's container are learned apart, and need
        ``CONTAINER_MIN_PAGES`` pages.  Returns the texts of the blocks
        removed, in page order.  ``body`` is changed in place (the caller
        passes its private copy of the page).
        """
        blocks = list(placed_blocks(body))
        template, article = self.memory(source), self.memory(source + CONTAINER_SUFFIX)
        template.learn({key for _, key, inside in blocks if not inside}, page)
        article.learn({key for _, key, inside in blocks if inside}, page)
        self.touched.update((source, source + CONTAINER_SUFFIX))
        removed = []
        for element, key, inside in blocks:
            if key in (article if inside else template) and element.getparent() is not None:
                removed.append(own_text(element))
                remove_own_text(element)
        if removed:
            logger.debug("removed %d recurring blocks of %s from %s", len(removed), source, page)
        return removed

    def restore(self, rows_by_source: dict[str, list[tuple[int, bool, tuple[int, ...]]]]) -> None:
        """Start from what earlier crawls learned (``archive.store.boilerplate.load_blocks``)."""
        for source, rows in rows_by_source.items():
            self.memory(source).restore(rows)

    def export(self) -> dict[str, list[tuple[int, bool, tuple[int, ...]]]]:
        """The rows of every source that learned since the last export, to be saved."""
        rows = {source: found for source in sorted(self.touched) if (found := self.sources[source].rows())}
        self.touched = set()
        return rows

    def stripper(self, source: str, page: str):
        """A one-argument callable for the main-text extractor's ``known_blocks`` hook."""
        return lambda body: self.strip(body, source, page)


def remove_own_text(element: lxml.html.HtmlElement) -> None:
    """Remove the element's own text and inline children, keeping its block children.

    A ``<div>`` with loose boilerplate text may also wrap the article's
    paragraphs; only what forms the recurring block goes.
    """
    if all(not isinstance(child.tag, str) or child.tag in INLINE_TAGS for child in element):
        element.drop_tree()
        return
    element.text = None
    for child in list(element):
        child.tail = None
        if not isinstance(child.tag, str) or child.tag in INLINE_TAGS:
            element.remove(child)
