"""The article body from the best signal the page offers, most deliberate first.

1. *selector*: the source's own body selector from the sources config;
2. *generic* or *trafilatura*: the main-text search of
   :mod:`pipelines.extractors.maintext` (which already favours
   ``itemprop="articleBody"`` containers) and trafilatura's reading of the
   same page (``peer``), the one with more words (each loses text the other
   keeps; both leave the site's learned boilerplate out);
3. *json-ld*: the ``articleBody`` the page declares in JSON-LD, when the
   search found nothing or much less than it (pages that render their text
   with JavaScript).  It comes last because sites often declare only a teaser
   or add picture credits to it.

Each step returns ``None`` when it has nothing, so the next one runs: no
page comes out empty when either extractor finds text.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.extractors.maintext.dom import word_count
from pipelines.extractors.maintext.extract import (
    MainText,
    extract_main_text,
    main_text_of,
)
from pipelines.extractors.maintext.peer import needs_peer, other_stories, peer_text, prefer_peer
from pipelines.extractors.maintext.render import clean_paragraphs, split_paragraphs
from pipelines.extractors.maintext.strip import prepared_copy
from pipelines.extractors.maintext.teasers import drop_teaser_runs, site_host
from pipelines.extractors.title import (
    JSON_LD_ARTICLE_TYPES,
    JSON_LD_XPATH,
    extract_title,
    json_ld_objects,
)
from scraper.decode import parse_html, repair_mojibake
from scraper.sources import select_elements

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    import lxml.html
    from lxml import etree

logger = logging.getLogger(__name__)

# A declared body shorter than this is a teaser, not the article.
MIN_JSON_LD_CHARS = 200
# The declared body wins when the search found less than this share of it.
JSON_LD_WINS_BELOW = 0.5
# trafilatura's text no longer than this share of the declared body is that body read again.
PEER_SAME_AS_DECLARED = 1.1


@dataclass(frozen=True)
class Body:
    """The main text and the signal that gave it: "selector", "generic", "trafilatura" or "json-ld"."""

    main: MainText
    signal: str
    # The site's recurring blocks removed from the page before the search (texts, in page order).
    boilerplate: tuple[str, ...] = ()


def extract_body(
    tree: lxml.html.HtmlElement | None,
    url: str | None = None,
    *,
    selector: etree.XPath | None = None,
    known_blocks: Callable[[lxml.html.HtmlElement], Iterable[str] | None] | None = None,
    headline: str | None = None,
    peer: bool = True,
) -> Body | None:
    """The article body of the page in ``tree`` from the first signal that has one.

    ``headline`` is the page's ``extract_title(tree)`` when the caller has it
    already (the generic search needs it); without it, it is searched again.
    ``known_blocks`` removes the site's learned boilerplate from a copy of the
    page and returns the texts it removed; ``peer=False`` leaves trafilatura out.

    >>> from scraper.decode.tree import parse_html
    >>> page = parse_html('<script type="application/ld+json">{"@type": "NewsArticle", "articleBody": '
    ...                   '"' + "A long story told only in structured data. " * 6 + '"}</script><div id="app"></div>')
    >>> extract_body(page, peer=False).signal
    'json-ld'
    """
    if tree is None:
        return None
    removed: list[str] = []  # the site's learned blocks taken out
    known: list[str] = []  # those and the teasers of the site's other pages: never the article's text
    host = site_host(url)

    @functools.cache
    def page_headline() -> str | None:
        # searched only when needed: a source's selectors may find the body with no teaser run on the page
        return headline if headline is not None else extract_title(tree, url)

    def strip_known(body: lxml.html.HtmlElement) -> None:
        known.extend(drop_teaser_runs(body, host, page_headline))
        if known_blocks is not None:
            learned = list(known_blocks(body) or ())
            removed.extend(learned)
            known.extend(learned)

    if selector is not None:
        main = selected_main_text(tree, selector, url, strip_known)
        if main is not None:
            return Body(main, "selector", tuple(removed))
        logger.debug("the source's body selector found nothing on %s", url)
    found = best_of_two(tree, url, strip_known, page_headline(), known, peer)
    declared = json_ld_main_text(tree)
    if declared is not None and (found is None or declared_wins(found, declared)):
        found = Body(declared, "json-ld")
    return Body(found.main, found.signal, tuple(removed)) if found is not None else None


def declared_wins(found: Body, declared: MainText) -> bool:
    """True when the JSON-LD body should replace what the search found.

    It does when the search found much less than it (the page renders its
    text with script), or when trafilatura's text is no longer than it:
    trafilatura reads the same JSON-LD body, as one paragraph.
    """
    if len(found.main.text) < JSON_LD_WINS_BELOW * len(declared.text):
        return True
    return found.signal == "trafilatura" and word_count(found.main.text) <= PEER_SAME_AS_DECLARED * word_count(declared.text)


def best_of_two(
    tree: lxml.html.HtmlElement,
    url: str | None,
    hook: Callable[[lxml.html.HtmlElement], None],
    headline: str | None,
    known: list[str],
    peer: bool,
) -> Body | None:
    """Our main-text search, or trafilatura's when ours looks short and it has more words (see ``peer``)."""
    main = extract_main_text(tree, url, known_blocks=hook, headline=headline)
    own = main.text if main is not None else None
    other = None
    if peer and needs_peer(main):
        other = peer_text(tree, url, [*known, *other_stories(tree, headline)], headline, own)
    if not prefer_peer(own, other):
        return Body(main, "generic") if main is not None else None
    link_density = main.link_density if main is not None else 0.0
    return Body(MainText(other, link_density, other.count("\n\n") + 1), "trafilatura")


def selected_main_text(
    tree: lxml.html.HtmlElement,
    selector: etree.XPath,
    url: str | None = None,
    known_blocks: Callable[[lxml.html.HtmlElement], object] | None = None,
) -> MainText | None:
    """The text of the elements the source's selector picks, cleaned like the generic result."""
    blocks = [prepared_copy(element) for element in select_elements(tree, selector)]
    if known_blocks is not None:
        for block in blocks:
            known_blocks(block)
    return main_text_of(blocks, url) if blocks else None


def json_ld_main_text(tree: lxml.html.HtmlElement) -> MainText | None:
    """The longest ``articleBody`` declared in JSON-LD, as paragraphs; ``None`` for a teaser."""
    bodies = sorted(json_ld_bodies(tree), key=len, reverse=True)
    if not bodies or len(bodies[0]) < MIN_JSON_LD_CHARS:
        return None
    # Mojibake escaped in the JSON ("\u00e2\u0080\u0099") was out of reach of the repair of the page's HTML.
    paragraphs = clean_paragraphs(body_paragraphs(repair_mojibake(bodies[0]).text))
    return MainText("\n\n".join(paragraphs), 0.0, len(paragraphs)) if paragraphs else None


def json_ld_bodies(tree: lxml.html.HtmlElement) -> Iterator[str]:
    """``articleBody`` strings of the article objects in the page's JSON-LD blocks."""
    for raw in tree.xpath(JSON_LD_XPATH):
        try:
            # strict=False: sites put raw newlines inside the article's string.
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        for obj in json_ld_objects(data):
            body = obj.get("articleBody")
            if isinstance(body, str) and JSON_LD_ARTICLE_TYPES.search(str(obj.get("@type", ""))):
                yield body


def body_paragraphs(body: str) -> list[str]:
    """Paragraphs of a declared body: its HTML rendered when it has markup, else its lines.

    >>> body_paragraphs("One.\\nTwo.")
    ['One.', 'Two.']
    >>> [part for part in body_paragraphs("<p>One.</p><p>Two.</p>") if part]
    ['One.', 'Two.']
    """
    if "</" in body or "<br" in body:
        tree = parse_html(body)
        return split_paragraphs(tree) if tree is not None else []
    return body.splitlines()
