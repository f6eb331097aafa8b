"""The four stages in order: ``extract_main_text`` reads as the table of contents of the main-text extractor."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pipelines.extractors.maintext.dom import (
    ancestors,
    inside,
    link_density,
    linked_length,
    text_length,
    word_count,
)
from pipelines.extractors.maintext.render import (
    clean_paragraphs,
    is_garbage,
    render_blocks,
)
from pipelines.extractors.maintext.score import HEADING_TAGS_XPATH, headline_element
from pipelines.extractors.maintext.select import select_blocks
from pipelines.extractors.maintext.strip import hold, page_body, prepared_body, put_back, strip_copy
from pipelines.extractors.title import extract_title

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    import lxml.html

    from pipelines.extractors.maintext.strip import Held

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MainText:
    """The extracted article text and how link-heavy its container was."""

    text: str  # paragraphs separated by "\n\n"
    link_density: float  # share of the container's characters inside links
    paragraphs: int = 0
    page_words: int = 0  # words of the whole page once stripped (0: not measured), for the share kept


def extract_main_text(
    tree: lxml.html.HtmlElement | None,
    url: str | None = None,
    *,
    known_blocks: Callable[[lxml.html.HtmlElement], object] | None = None,
    headline: str | None = None,
) -> MainText | None:
    """Return the main text of the page in ``tree``, or ``None`` if it has none.

    ``headline``, when given, is the page's ``extract_title(tree)`` already
    found by the caller (it is searched here otherwise).

    ``known_blocks``, when given, is called with the private copy of ``<body>``
    before the search, to remove what is known to be boilerplate (the site's
    recurring blocks, :mod:`pipelines.extractors.boilerplate`).

    >>> from scraper.decode.tree import parse_html
    >>> page = ("<body><ul class='menu'><li><a href='/'>Home</a></li></ul><div class='article'>"
    ...         "<p>The first paragraph of the story, long enough to count.</p>"
    ...         "<p>The second paragraph, also long enough to count here.</p></div></body>")
    >>> print(extract_main_text(parse_html(page)).text)
    The first paragraph of the story, long enough to count.
    <BLANKLINE>
    The second paragraph, also long enough to count here.
    """
    original = page_body(tree)
    if original is None:
        return None
    if headline is None:
        headline = extract_title(tree, url)
    body = copy.deepcopy(original)
    around = headline_ancestors(body, headline)
    held: Held = {}
    strip_copy(body, held)
    if known_blocks is not None:
        without_known_blocks(body, held, known_blocks)
    page_words = word_count(body.text_content())
    heading = headline_element(body, headline)
    chain = list(ancestors(heading)) if heading is not None else [e for e in around if inside(e, body)]
    blocks = select_blocks(body, chain, heading, held)
    main = main_text_of(blocks, url)
    return replace(main, page_words=page_words) if main is not None else None


def without_known_blocks(
    body: lxml.html.HtmlElement, held: Held, known_blocks: Callable[[lxml.html.HtmlElement], object]
) -> None:
    """Remove the site's learned boilerplate from ``body`` and from the blocks the stripping set aside.

    The held blocks are put back while ``known_blocks`` runs (a block is known by its text at its place in the
    page), then set aside again: a call to action that every page of a site carries never returns as a chunk.
    """
    blocks = list(held.items())
    held.clear()
    for placeholder, element in blocks:
        put_back(placeholder, element)
    known_blocks(body)
    for _, element in blocks:
        if element.getparent() is not None:
            hold(element, held)


def headline_ancestors(body: lxml.html.HtmlElement, headline: str | None) -> list[lxml.html.HtmlElement]:
    """The ancestors of the element showing the headline, searched before the stripping.

    The block that holds the headline is often named like a page's header
    ("entry-header") and goes with the boilerplate; where it stood still tells
    which blocks are the story's.
    """
    shown = headline_element(body, headline, HEADING_TAGS_XPATH)
    return list(ancestors(shown)) if shown is not None else []


def main_text_of(blocks: list[lxml.html.HtmlElement], url: str | None = None) -> MainText | None:
    """Render the chosen blocks into the article text, or ``None`` when they say nothing."""
    paragraphs = clean_paragraphs(render_blocks(blocks))
    if not paragraphs:
        logger.debug("no main text found on %s", url)
        return None
    text = "\n\n".join(paragraphs)
    if is_garbage(text):
        logger.debug("main text of %s looks like binary data or mojibake", url)
        return None
    return MainText(text, blocks_link_density(blocks), len(paragraphs))



def page_link_density(tree: lxml.html.HtmlElement) -> float:
    """Link density of the whole visible page (scripts, styles and forms aside)."""
    body = prepared_body(tree)
    return link_density(body) if body is not None else 0.0


def blocks_link_density(blocks: Iterable[lxml.html.HtmlElement]) -> float:
    """Link density of the selected blocks taken together, rounded for storage."""
    total = linked = 0
    for block in blocks:
        total += text_length(block)
        linked += linked_length(block)
    return round(min(linked / total, 1.0), 4) if total else 0.0
