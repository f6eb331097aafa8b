"""Parse page text into an lxml tree once, tolerantly, for every extractor."""

from __future__ import annotations

import threading

import lxml.html
from lxml import etree

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
        return lxml.html.document_fromstring(data, parser=_parser())
    except (etree.ParserError, ValueError):
        return None
