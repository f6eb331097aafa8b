"""Teasers of the site's other pages: a run of short cards that each link to a page of the same site.

"Most read", "Popular diets", "More from the section": a row of sibling blocks
of one tag and class, each a thumbnail, a headline (or a kicker) and a line of
teaser, the thumbnail linking to another page of the site.  They are never the
article's text, even when their teasers are sentences, so they are taken out
of our copy of the page before the search (with the run's title when nothing
else is left around them), and their texts are given to trafilatura's text as
known boilerplate.  Blocks linking off the site (shop offers, sources, a press
review) are the article's own and stay; so do paragraphs (``<p>``), list
items and table rows, and a run holding the headline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import etree

from pipelines.extractors.maintext.dom import drop, squash, text_length

if TYPE_CHECKING:
    from collections.abc import Callable

    import lxml.html

# A run: this many sibling cards or more, each this short (characters other than spaces).
MIN_TEASERS = 4
TEASER_MIN_CHARS = 20
TEASER_MAX_CHARS = 300
# What may be left of the run's container once its cards are gone: the run's title.
RUN_TITLE_MAX_CHARS = 80
# Paragraphs and table rows are content whatever their links.
NOT_TEASERS = frozenset({"p", "tr", "td", "th", "li"})
DIGITS_RE = re.compile(r"\S*\d\S*")
# A teaser shows a thumbnail that links to its page.
THUMBNAIL_LINKS = etree.XPath("descendant-or-self::a[@href][.//img or .//picture]")


def site_host(url: str | None) -> str:
    """The page's host without ``www.`` ("" without an address)."""
    return (urlsplit(url).hostname or "").removeprefix("www.") if url else ""


def links_within(element: lxml.html.HtmlElement, host: str) -> bool:
    """Does the element (or a link in it) point to a page of the site ``host`` (any link when it is not known)?"""
    links = [element] if element.get("href") is not None else element.iterfind(".//a[@href]")
    for link in links:
        try:
            target = urlsplit(link.get("href") or "").hostname
        except ValueError:  # a broken address ("http://[x"): it leads nowhere, on the site or off it
            continue
        if not host or not target or target.removeprefix("www.") == host:
            return True
    return False


def drop_teaser_runs(
    body: lxml.html.HtmlElement, host: str, headline: Callable[[], str | None] = lambda: None
) -> list[str]:
    """Remove every run of teasers of the site from ``body``; return the texts of their parts.

    A run with the page's headline in it stays (it is the article's own header); ``headline`` gives it,
    and is called only when the page has a run.
    """
    runs = [cards for parent in body.iter(None) if isinstance(parent.tag, str) for cards in _runs(parent, host)]
    if not runs:
        return []
    title = squash(headline() or "")
    texts: list[str] = []
    for cards in runs:
        if title and any(title in squash(card.text_content()) for card in cards):
            continue
        parent = cards[0].getparent()
        for card in cards:
            texts.extend(_texts(card))
            drop(card)
        if parent is not None and parent is not body and _title_only(parent):
            texts.extend(_texts(parent))  # "Most read in technology" above the run
            drop(parent)
    return texts


def _texts(element: lxml.html.HtmlElement) -> list[str]:
    return [part.text_content() for part in element.iter(None) if isinstance(part.tag, str)]


def _title_only(element: lxml.html.HtmlElement) -> bool:
    """Is what is left of the run's container at most a title (one short line, no paragraph)?"""
    text = " ".join(element.text_content().split())
    return len(text) <= RUN_TITLE_MAX_CHARS and element.find(".//p") is None


def _runs(parent: lxml.html.HtmlElement, host: str) -> list[list[lxml.html.HtmlElement]]:
    if len(parent) < MIN_TEASERS:
        return []
    groups: dict[tuple[str, str], list[lxml.html.HtmlElement]] = defaultdict(list)
    for child in parent:
        if not isinstance(child.tag, str) or child.tag in NOT_TEASERS:
            continue
        if TEASER_MIN_CHARS <= text_length(child) <= TEASER_MAX_CHARS and _thumbnail_link(child, host):
            groups[card_kind(child)].append(child)
    return [cards for cards in groups.values() if len(cards) >= MIN_TEASERS]


def card_kind(element: lxml.html.HtmlElement) -> tuple[str, str]:
    """Tag and classes without numbered ones ("item-3"): siblings of one kind are one run of cards."""
    return element.tag, " ".join(sorted(DIGITS_RE.sub("", element.get("class") or "").split()))


def _thumbnail_link(card: lxml.html.HtmlElement, host: str) -> bool:
    """Does the card hold a picture that links to a page of the site (a teaser's thumbnail)?"""
    return any(links_within(link, host) for link in THUMBNAIL_LINKS(card))
