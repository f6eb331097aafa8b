"""Parse page text into an lxml tree once, tolerantly, for every extractor.

The tree is the page as a browser shows it once the page's inline React calls have put its streamed parts in
place (``streamed``).

``parse_html`` gives a fresh tree.  ``page_tree`` gives the page's shared,
read-only tree: the spider's link extraction and the text stage (and any
later stage that reads the item's HTML) pass the same string for one page,
and a parse costs as much as several of their searches, so it is parsed once.
"""

from __future__ import annotations

import threading

import lxml.html
from lxml import etree

from scraper.decode.streamed import might_be_streamed, reveal_streamed

# Control characters XML forbids (lxml refuses them in str input, and they are
# never text).  UTF-8 never uses bytes below 0x80 inside a multi-byte sequence,
# so deleting these bytes from the encoded page is safe, and bytes.translate is
# several times faster than a regex over the str.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
# Parsing UTF-8 bytes is faster than parsing str (lxml re-encodes str itself),
# and the declared encoding is ignored: the text was decoded already.  An lxml
# parser must not be shared between threads, so each thread gets its own.
_LOCAL = threading.local()


def _parser() -> lxml.html.HTMLParser:
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = lxml.html.HTMLParser(encoding="utf-8")
    return parser


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """Return the document root, or ``None`` for empty or unparsable input.

    >>> parse_html("<p>Привет</p>").text_content()
    'Привет'
    >>> parse_html('<?xml version="1.0" encoding="windows-1251"?><p>Да\\x00</p>').text_content()
    'Да'
    >>> parse_html("   ") is None
    True
    """
    if not html or not html.strip():
        return None
    data = html.encode("utf-8", "replace").translate(None, _CONTROL_BYTES)
    try:
        root = lxml.html.document_fromstring(data, parser=_parser())
    except (etree.ParserError, ValueError):
        return None
    if might_be_streamed(html):
        reveal_streamed(root)
    return root


def page_tree(html: str) -> lxml.html.HtmlElement | None:
    """``parse_html(html)``, parsed once for the same string object; callers must not change the tree.

    Only the last page of the thread is remembered, by the identity of its
    string (an item's ``html`` is one object from the spider to the store):
    a page that is not the last one is simply parsed again.

    >>> page = "<p>Привет</p>"
    >>> page_tree(page) is page_tree(page)
    True
    >>> same_text = "".join(["<p>Привет", "</p>"])
    >>> page_tree(same_text) is page_tree(page)
    False
    """
    last = getattr(_LOCAL, "last_page", None)
    if last is not None and last[0] is html:
        return last[1]
    tree = parse_html(html)
    _LOCAL.last_page = (html, tree)
    return tree
