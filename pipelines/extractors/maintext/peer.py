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
left out (``known_texts``).  The caller's tree is never changed: trafilatura
prunes its input, so it gets a copy.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import TYPE_CHECKING

from pipelines.extractors.maintext.render import clean_paragraphs

if TYPE_CHECKING:
    from collections.abc import Collection

    import lxml.html

logger = logging.getLogger(__name__)

WORD_RE = re.compile(r"\w+")
SPACE_RE = re.compile(r"\s+")
# trafilatura's options: the article, its tables and headings, without reader comments.
PEER_OPTIONS = {"include_comments": False, "include_tables": True, "output_format": "txt"}


def peer_text(tree: lxml.html.HtmlElement, url: str | None = None, known_texts: Collection[str] = ()) -> str | None:
    """trafilatura's main text of the page as paragraphs split by blank lines, or ``None``."""
    import trafilatura  # imported with the first page: its settings and models load once

    try:
        text = trafilatura.extract(copy.deepcopy(tree), url=url, **PEER_OPTIONS)
    except (ValueError, TypeError, AttributeError) as exc:  # its parser's errors on broken markup
        logger.debug("trafilatura failed on %s: %s", url, exc)
        return None
    if not text:
        return None
    known = {_squash(block) for block in known_texts}
    paragraphs = clean_paragraphs(line for line in text.splitlines() if _squash(line) not in known)
    return "\n\n".join(paragraphs) if paragraphs else None


def word_count(text: str | None) -> int:
    """Words (``\\w+`` runs) in ``text``.

    >>> word_count("Two words."), word_count(None)
    (2, 0)
    """
    return len(WORD_RE.findall(text)) if text else 0


def prefer_peer(own: str | None, peer: str | None) -> bool:
    """True when trafilatura's text should be kept rather than ours: ours is empty, or has fewer words.

    >>> prefer_peer(None, "Some text."), prefer_peer("Our longer text here.", "Shorter."), prefer_peer("A", None)
    (True, False, False)
    """
    return word_count(peer) > word_count(own)


def _squash(text: str) -> str:
    return SPACE_RE.sub(" ", text).strip().lower()
