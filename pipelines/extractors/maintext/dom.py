"""Small measures of an lxml element that every main-text stage uses: text, links, ancestry."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from collections.abc import Iterator

    import lxml.html

LINK_TEXT_XPATH = etree.XPath(".//a//text()")
SPACE_RE = re.compile(r"\s+")
WORD_RE = re.compile(r"\w+")
# Elements that run inside a line of text (a link, an emphasis, a footnote mark), never a block of their own.
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data del dfn em font i ins kbd mark nobr q s samp small span "
    "strike strong sub sup time tt u var wbr".split()
)
# Headings below the headline: the titles of an article's sections.
SECTION_HEADINGS = ("h2", "h3", "h4", "h5", "h6")


def drop(element: lxml.html.HtmlElement) -> None:
    """Remove ``element`` but keep the text that follows it."""
    if element.getparent() is not None:
        element.drop_tree()


def ancestors(element: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Parent, grandparent, … up to the document root."""
    parent = element.getparent()
    while parent is not None:
        yield parent
        parent = parent.getparent()


def inside(element: lxml.html.HtmlElement, container: lxml.html.HtmlElement) -> bool:
    """True when ``element`` is ``container`` or lies within it."""
    return element is container or container in ancestors(element)


def link_density(element: lxml.html.HtmlElement) -> float:
    """Share of the element's non-space characters that are inside links.

    >>> from lxml.html import fragment_fromstring
    >>> link_density(fragment_fromstring('<p>abcd <a href="/">efgh</a></p>'))
    0.5
    """
    total = text_length(element)
    if not total:
        return 0.0
    return min(linked_length(element) / total, 1.0)


def has_links(element: lxml.html.HtmlElement) -> bool:
    """Cheap pre-check before computing a link density."""
    return next(element.iter("a"), None) is not None


def class_and_id(element: lxml.html.HtmlElement) -> str:
    """The element's class and id, lower-cased, for pattern matching."""
    return f"{element.get('class', '')} {element.get('id', '')}".lower().strip()


def squash(text: str) -> str:
    """Lower case and single spaces, to compare texts as a reader sees them.

    >>> squash("  Most   Read ")
    'most read'
    """
    return SPACE_RE.sub(" ", text).strip().lower()


def text_length(element: lxml.html.HtmlElement) -> int:
    """Number of non-space characters in the element's text."""
    return len("".join(element.text_content().split()))


def linked_length(element: lxml.html.HtmlElement) -> int:
    """Number of non-space characters inside the element's links."""
    return len("".join("".join(LINK_TEXT_XPATH(element)).split()))


def word_count(text: str | None) -> int:
    """Words (``\\w+`` runs) in ``text``.

    >>> word_count("Two words."), word_count(None)
    (2, 0)
    """
    return len(WORD_RE.findall(text)) if text else 0
