"""Main text, stage 2 (*score*): a readability-like vote for the article's container.

Every paragraph gives points (length, commas, few links) to its nearest
ancestors; the best containers are then weighed by their link density, their
class, list-likeness and their closeness to the headline.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extractors.maintext.dom import (
    INLINE_TAGS,
    SPACE_RE,
    ancestors,
    class_and_id,
    linked_length,
    text_length,
)
from pipelines.extractors.maintext.strip import POSITIVE_ITEMPROP

if TYPE_CHECKING:
    from collections.abc import Iterator

    import lxml.html

PARAGRAPH_TAGS = ("p", "pre", "td", "div", "section", "blockquote", "li", "dd", "article", "font")
LEAF_PARAGRAPH_TAGS = frozenset({"p", "pre", "li", "dd", "blockquote", "font"})
MIN_PARAGRAPH_CHARS = 25
# Points given to the paragraph's parent, grandparent, great-grandparent.
LEVEL_DIVIDERS = (1, 2, 6)
TAG_BONUS = {
    "article": 8, "main": 6, "div": 5, "section": 3, "td": 3, "pre": 3, "blockquote": 3,
    "ol": -3, "ul": -3, "dl": -3, "dd": -3, "li": -3, "form": -3, "address": -3, "th": -5,
}
CLASS_WEIGHT = 25
POSITIVE_CLASS_RE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|news-detail|"
    r"news-text|detail|full"
)
NEGATIVE_CLASS_RE = re.compile(
    r"hidden|banner|combx|comment|com-|contact|foot|masthead|media|meta|outbrain|promo|"
    r"related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|"
    r"teaser|preview|list|anons|announce"
)
TOP_CANDIDATES = 12
MIN_CANDIDATE_CHARS = 250
# A container whose paragraphs are mostly numbered items or list items is more
# likely a box of facts or links than the story itself.
NUMBERED_RE = re.compile(r"^\s*(?:\d{1,2}|[ivx]{1,4})[.)]\s")
LIST_MIN_ITEMS = 5
LIST_MIN_SHARE = 0.6
LIST_PENALTY = 0.5
# Containers next to the headline are the story's, not a sidebar's.
HEADLINE_BONUS = 1.5
HEADLINE_XPATH = etree.XPath(
    ".//h1 | .//h2 | .//h3 | .//h4 | .//*[contains(@class, 'title') or contains(@class, 'headline')]"
)
# The page's own headline tags: searched in the whole page before boilerplate goes (classes named "title" are
# everywhere there, in menus and teasers).
HEADING_TAGS_XPATH = etree.XPath(".//h1 | .//h2")
HEADLINE_LEVELS = 4


def score_candidates(body: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, float]:
    """Readability-like vote: each paragraph gives points to its nearest ancestors."""
    scores: dict[lxml.html.HtmlElement, float] = {}
    for paragraph in body.iter(*PARAGRAPH_TAGS):
        text, linked = inline_text(paragraph)
        if len(text) < MIN_PARAGRAPH_CHARS:
            continue
        points = paragraph_points(text) * (1 - linked / len(text))
        for divider, ancestor in zip(LEVEL_DIVIDERS, voters(paragraph), strict=False):
            if ancestor not in scores:
                scores[ancestor] = initial_score(ancestor)
            scores[ancestor] += points / divider
    return scores


def voters(paragraph: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Who receives a paragraph's points: its ancestors, and itself if it is a container.

    A ``<div>`` with loose text is both a paragraph and the article (old CMSs
    write ``<div>text<br>text</div>``), as readability's div-to-p step has it.
    """
    if paragraph.tag not in LEAF_PARAGRAPH_TAGS:
        yield paragraph
    yield from ancestors(paragraph)


def paragraph_points(text: str) -> float:
    """One point, one per comma, one per 100 characters (at most three).

    >>> paragraph_points("Hello, world, " + "x" * 300)
    6
    """
    return 1 + text.count(",") + text.count("，") + min(len(text) // 100, 3)


def inline_text(element: lxml.html.HtmlElement) -> tuple[str, int]:
    """The element's own text with its inline children, and how much of it is linked."""
    parts = [element.text or ""]
    linked = 0
    for child in element:
        if child.tag in INLINE_TAGS:
            child_text = child.text_content()
            parts.append(child_text)
            linked += link_chars(child, child_text)
        parts.append(child.tail or "")
    text = SPACE_RE.sub(" ", "".join(parts)).strip()
    return text, min(linked, len(text))


def link_chars(element: lxml.html.HtmlElement, text: str) -> int:
    """Characters of ``element`` (whose text is ``text``) that sit inside links."""
    if element.tag == "a":
        return len(text.strip())
    return sum(len(a.text_content().strip()) for a in element.iter("a"))


def initial_score(element: lxml.html.HtmlElement) -> float:
    """A container's head start from its tag and its class/id."""
    return TAG_BONUS.get(element.tag, 0) + class_weight(element)


def class_weight(element: lxml.html.HtmlElement) -> float:
    """+25 for article-like class/id, −25 for boilerplate-like, both may apply.

    >>> from lxml.html import fragment_fromstring
    >>> class_weight(fragment_fromstring('<div class="news-text"></div>'))
    25
    """
    if element.get("itemprop") == POSITIVE_ITEMPROP:
        return 2 * CLASS_WEIGHT
    names = class_and_id(element)
    weight = CLASS_WEIGHT if POSITIVE_CLASS_RE.search(names) else 0
    return weight - (CLASS_WEIGHT if NEGATIVE_CLASS_RE.search(names) else 0)


def final_scores(
    scores: dict[lxml.html.HtmlElement, float], headline_chain: list[lxml.html.HtmlElement]
) -> dict[lxml.html.HtmlElement, float]:
    """Weigh the best raw candidates by links, list-likeness and headline closeness."""
    best = sorted(scores, key=scores.get, reverse=True)[:TOP_CANDIDATES]
    return {element: adjusted_score(element, scores[element], headline_chain) for element in best}


def adjusted_score(element: lxml.html.HtmlElement, score: float, headline_chain: list) -> float:
    """Raw score × (1 − link density) × list penalty × headline bonus × text amount."""
    total = text_length(element)
    if not total:
        return 0.0
    score *= 1 - min(linked_length(element) / total, 1.0)
    # A class such as "content" gives 25 points even to a box holding only a date.
    score *= min(1.0, total / MIN_CANDIDATE_CHARS)
    if looks_like_list(element):
        score *= LIST_PENALTY
    if near_headline(element, headline_chain):
        score *= HEADLINE_BONUS
    return score


def looks_like_list(element: lxml.html.HtmlElement) -> bool:
    """True when most paragraphs are numbered or list items (a facts box, a menu)."""
    items = list_items(element)
    if len(items) < LIST_MIN_ITEMS:
        return False
    listed = sum(child.tag == "li" or bool(NUMBERED_RE.match(child.text_content()[:8])) for child in items)
    return listed >= LIST_MIN_SHARE * len(items)


def list_items(element: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The paragraphs and list items inside ``element``."""
    return [child for child in element.iter("p", "li") if child is not element]


def headline_element(
    body: lxml.html.HtmlElement, title: str | None, candidates: etree.XPath = HEADLINE_XPATH
) -> lxml.html.HtmlElement | None:
    """The element that shows the headline (among ``candidates``), or ``None``."""
    if not title:
        return None
    wanted = title.lower()
    for element in candidates(body):
        if " ".join(element.text_content().split()).lower() == wanted:
            return element
    return None


def near_headline(element: lxml.html.HtmlElement, headline_chain: list[lxml.html.HtmlElement]) -> bool:
    """True when ``element`` sits beside the headline: a close relative not holding it."""
    if element in headline_chain:
        return False  # a container of the headline is the header, or the whole page
    near = headline_chain[:HEADLINE_LEVELS]
    parent = element.getparent()
    return parent in near or (parent is not None and parent.getparent() in near)
