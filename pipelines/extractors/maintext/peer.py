"""The second opinion: trafilatura's main text of the same page, and the choice between the two.

trafilatura (``extract``, comments left out, tables kept) reads the page with
other rules than ours (its own cleaning, then readability and jusText when its
first result is short); each of the two loses text the other keeps.  Per page,
measured on WCXB's dev pages (``benchmarks/bench_wcxb.py``): when both find
text, the one with more words is nearly always the one that lost less of the
article (a dropped lead, table or sub-section), since both already leave out
menus, sidebars and link lists; when only one finds text, it is that one.

What the text stage learned of the site's boilerplate applies to trafilatura's
text too: a paragraph equal to a block removed from our copy of the page is
left out (``known_texts``), and so is a paragraph of another ``<article>`` of
the page than the headline's (``other_stories``), and a second copy of the story (a page that carries it once per
screen size gives trafilatura both: ``without_second_copy``).  The caller's tree is never changed: trafilatura
prunes its input, so it gets a copy.

trafilatura costs about three times our own search, so it is asked only when
ours looks short of the article (``needs_peer``): no text, fewer than
``SHORT_TEXT_WORDS`` words, or less than ``KEPT_SHARE`` of the stripped page's
words.  On WCXB's dev articles that is about one page in ten, and it keeps most
of the gain of asking on every page (WCXB dev articles: 0.900 with ours alone,
0.957 asking on every page, 0.952 with this gate); on the AEB pages it runs on
13 of 181, 2.6 ms a page on average.
"""

from __future__ import annotations

import copy
import functools
import logging
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extractors.maintext.dom import squash, word_count
from pipelines.extractors.maintext.render import clean_paragraphs, is_garbage

if TYPE_CHECKING:
    from collections.abc import Collection

    import lxml.html

    from pipelines.extractors.maintext.extract import MainText

logger = logging.getLogger(__name__)

ARTICLES = etree.XPath("//article")
STORY_PARTS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption")
SHORT_TEXT_WORDS = 50
# A line of trafilatura's text this long found in our own text is the story's (shorter ones may be any label).
OWN_LINE_MIN_CHARS = 40
MIN_PEER_WORDS = 5
# A text that starts over: its first paragraphs again, and most of what came before them.
COPY_HEAD = 3
COPY_SHARE = 0.9
# trafilatura's text with this share of its words in whole link texts is a list of links.
LINKS_MAX_SHARE = 0.5
KEPT_SHARE = 0.6
# trafilatura's options: the article, its tables and headings, without reader comments.
PEER_OPTIONS = {"include_comments": False, "include_tables": True, "output_format": "txt"}


def peer_text(
    tree: lxml.html.HtmlElement,
    url: str | None = None,
    known_texts: Collection[str] = (),
    headline: str | None = None,
    own: str | None = None,
) -> str | None:
    """trafilatura's main text of the page as paragraphs split by blank lines, or ``None``.

    trafilatura keeps the headline as a line of the text: it is left out, and
    so is whatever comes before it (a box above the article is not the article), unless it holds a paragraph of
    ``own``, our own text of the page: then the line is the title said again inside or below the story (a section
    named as the story, a picture's text to pin it), and the story before it stays.
    """
    page = copy.deepcopy(tree.getroottree().getroot())
    # trafilatura parses without comments; its readability fallback fails on a tree that has them.
    etree.strip_elements(page, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    try:
        text = _trafilatura().extract(page, url=url, **PEER_OPTIONS)
    except (ValueError, TypeError, AttributeError, RecursionError, etree.LxmlError) as exc:
        # Its own and lxml's errors on broken or deeply nested markup: our text stands alone.
        logger.debug("trafilatura failed on %s: %s", url, exc)
        return None
    if not text:
        return None
    known = {squash(block) for block in known_texts}
    lines = text.splitlines()
    if headline and (title := squash(headline)):
        lines = after_headline(lines, title, squash(own or ""))
    paragraphs = without_second_copy(clean_paragraphs(line for line in lines if squash(line) not in known))
    joined = "\n\n".join(paragraphs)
    # A menu's few words, binary data read as text, or a list of the page's links are no article.
    if word_count(joined) < MIN_PEER_WORDS or is_garbage(joined) or mostly_links(tree, paragraphs):
        return None
    return joined


@functools.cache
def _trafilatura():
    """trafilatura, imported with the first page that needs it (its settings load once).

    Its warnings ("discarding data" for a page it finds too short) are its
    ordinary answers here, not problems of the crawl: only its errors are logged.
    """
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    return trafilatura


def after_headline(lines: list[str], title: str, own: str = "") -> list[str]:
    """``lines`` after the first that says ``title`` (squashed), unless a line before it, a sentence or more
    (``OWN_LINE_MIN_CHARS``), is in ``own`` (our own text, squashed): then that is the story, and only the lines
    saying the title go.

    >>> story = ["Where to store office supplies", "One challenge is deciding what goes together.", "Pens."]
    >>> after_headline(story, "where to store office supplies") == story[1:]
    True
    >>> below = story[1:] + story[:1]
    >>> after_headline(below, "where to store office supplies", "one challenge is deciding what goes together. pens")
    ['One challenge is deciding what goes together.', 'Pens.']
    """
    at = next((n for n, line in enumerate(lines) if squash(line) == title), None)
    if at is None:
        return lines
    if own and any(len(line) >= OWN_LINE_MIN_CHARS and squash(line) in own for line in lines[:at]):
        return [line for line in lines if squash(line) != title]
    return lines[at + 1 :]


def without_second_copy(paragraphs: list[str]) -> list[str]:
    """The paragraphs up to where the text starts over: a page that carries its story twice (a copy per screen
    size) gives trafilatura both copies.

    The text starts over where its first ``COPY_HEAD`` paragraphs come again and what came before comes again
    (``COPY_SHARE`` of those paragraphs); a few lines said twice inside the story (a plan's daily steps) are no copy.

    >>> story = ["Headline of the story", "A first paragraph.", "A second one.", "The end."]
    >>> without_second_copy(story + story) == story, without_second_copy(story) == story
    (True, True)
    """
    head = paragraphs[:COPY_HEAD]
    if len(paragraphs) < 2 * COPY_HEAD:
        return paragraphs
    for start in range(COPY_HEAD, len(paragraphs) - COPY_HEAD + 1):
        if paragraphs[start : start + COPY_HEAD] == head:
            before, after = set(paragraphs[:start]), set(paragraphs[start:])
            if len(before & after) >= COPY_SHARE * len(before):
                return paragraphs[:start]
    return paragraphs


def mostly_links(page: lxml.html.HtmlElement, paragraphs: list[str]) -> bool:
    """True when most words of ``paragraphs`` are whole link texts of the page (a list of links).

    >>> from scraper.decode import parse_html
    >>> page = parse_html("<ul><li><a href='/1'>First story of the day</a></li><li><a href='/2'>Second one</a></li></ul>")
    >>> mostly_links(page, ["First story of the day", "Second one"]), mostly_links(page, ["A sentence of text."])
    (True, False)
    """
    links = {squash(link.text_content()) for link in page.iter("a")}
    linked = sum(word_count(paragraph) for paragraph in paragraphs if squash(paragraph) in links)
    return linked >= LINKS_MAX_SHARE * sum(word_count(paragraph) for paragraph in paragraphs)


def other_stories(tree: lxml.html.HtmlElement, headline: str | None) -> list[str]:
    """Paragraph texts of the page's ``<article>`` elements that do not hold the headline (other stories).

    trafilatura may read a page of several stories as one; their paragraphs are
    left out of its text like learned boilerplate.
    """
    articles = ARTICLES(tree)
    title = squash(headline or "")
    if len(articles) < 2 or not title:
        return []
    own = [article for article in articles if title in squash(article.text_content())]
    if not own:
        return []
    return [
        part.text_content()
        for article in articles if article not in own
        for part in article.iter(*STORY_PARTS)
    ]


def needs_peer(main: MainText | None) -> bool:
    """True when our text may be short of the article: none, short, or a small share of the page.

    >>> from pipelines.extractors.maintext.extract import MainText
    >>> needs_peer(None), needs_peer(MainText("word " * 120, 0.0, 1, 150)), needs_peer(MainText("word " * 120, 0.0, 1, 400))
    (True, False, True)
    """
    if main is None:
        return True
    words = word_count(main.text)
    return words < SHORT_TEXT_WORDS or words < KEPT_SHARE * main.page_words


def prefer_peer(own: str | None, peer: str | None) -> bool:
    """True when trafilatura's text should be kept rather than ours: ours is empty, or has fewer words.

    >>> prefer_peer(None, "Some text."), prefer_peer("Our longer text here.", "Shorter."), prefer_peer("A", None)
    (True, False, False)
    """
    return word_count(peer) > word_count(own)
