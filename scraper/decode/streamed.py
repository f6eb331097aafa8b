"""Put the parts of a page that React streams in late where the page's own script puts them.

A server that renders React by streaming (Next.js and other React 18+ frameworks) sends the page's slow parts
last: each in a hidden ``<div hidden id="S:n">`` at the end of the body, followed by an inline script call that
moves it into its place, marked by a ``<template id="B:n">`` (``$RC``: a Suspense boundary, whose fallback, a
"Loading…" skeleton, goes) or a ``<template id="P:n">`` (``$RS``: a placeholder).  A browser shows the page so;
read without running the scripts, the story is hidden at the end of the page and every extractor skips it.  The
calls are data in the page, so they are replayed here, in their order, on the parsed tree.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    import lxml.html

# A page is streamed only if it holds a segment; the cheap test on the text comes before any search of the tree.
SEGMENT_MARK = 'id="S:'
# React's inline calls: $RC("B:0","S:0") and $RR(…) fill a boundary, $RS("S:5","P:5") a placeholder.  With an
# external runtime (a strict content policy) the same instructions are templates: <template data-rci data-bid="B:0"
# data-sid="S:0"> (data-rri with style sheets) and <template data-rsi data-sid="S:5" data-pid="P:5">.
CALL_RE = re.compile(r'\$R([CRS])\("([^"]+)","([^"]+)"')
INSTRUCTIONS_XPATH = etree.XPath("//script[contains(., '$R')] | //template[@data-rci or @data-rri or @data-rsi]")
IDS_XPATH = etree.XPath("//*[@id][starts-with(@id, 'S:') or starts-with(@id, 'B:') or starts-with(@id, 'P:')]")
# The comments that open (``$``, ``$?`` pending, ``$!`` failed) and close (``/$``) a Suspense boundary.
BOUNDARY_OPEN = ("$", "$?", "$!")
BOUNDARY_CLOSE = "/$"


def might_be_streamed(html: str) -> bool:
    """True when the page text holds a streamed segment's mark (cheap: no parse)."""
    return SEGMENT_MARK in html


def reveal_streamed(root: lxml.html.HtmlElement) -> int:
    """Move each streamed segment into the template its call names, as the page's script does; the count moved.

    >>> from lxml.html import document_fromstring
    >>> page = document_fromstring(
    ...     '<body><h1>Title</h1><!--$?--><template id="B:0"></template><p>Loading…</p><!--/$-->'
    ...     '<footer>Site</footer><div hidden id="S:0"><p>The story.</p></div>'
    ...     '<script>$RC("B:0","S:0")</script></body>')
    >>> reveal_streamed(page), [e.text_content() for e in page.find("body") if e.tag in ("h1", "p", "footer")]
    (1, ['Title', 'The story.', 'Site'])
    """
    calls = [call for element in INSTRUCTIONS_XPATH(root) for call in instructions(element)]
    if not calls:
        return 0
    by_id = {element.get("id"): element for element in IDS_XPATH(root)}
    moved = 0
    for kind, first, second in calls:
        segment_id, target_id = (first, second) if kind == "S" else (second, first)
        segment, target = by_id.get(segment_id), by_id.get(target_id)
        if segment is None or target is None or target.tag != "template" or segment.getparent() is None:
            continue
        if target.getparent() is None or segment in target.iterancestors():
            continue
        if kind != "S":
            drop_fallback(target)
        replace_with_children(target, segment)
        moved += 1
    return moved


def instructions(element: lxml.html.HtmlElement) -> list[tuple[str, str, str]]:
    """The moves an instruction element asks for: (kind, first id, second id), as the inline calls name them.

    >>> from lxml.html import fragment_fromstring
    >>> instructions(fragment_fromstring('<script>$RC("B:0","S:0");$RS("S:2","P:2")</script>'))
    [('C', 'B:0', 'S:0'), ('S', 'S:2', 'P:2')]
    >>> instructions(fragment_fromstring('<template data-rci="" data-bid="B:1" data-sid="S:1"></template>'))
    [('C', 'B:1', 'S:1')]
    """
    if element.tag == "script":
        return [match.groups() for match in CALL_RE.finditer(element.text or "")]
    if element.get("data-rsi") is not None:
        return [("S", element.get("data-sid", ""), element.get("data-pid", ""))]
    return [("C", element.get("data-bid", ""), element.get("data-sid", ""))]


def drop_fallback(template: lxml.html.HtmlElement) -> None:
    """Remove what a boundary shows until its content comes: from its template to the boundary's closing comment."""
    template.tail = None
    depth = 0
    for sibling in list(template.itersiblings()):
        if isinstance(sibling, etree._Comment):
            text = (sibling.text or "").strip()
            if text == BOUNDARY_CLOSE:
                if depth == 0:
                    return
                depth -= 1
            elif text in BOUNDARY_OPEN:
                depth += 1
        sibling.getparent().remove(sibling)  # its tail too: the fallback's text


def replace_with_children(target: lxml.html.HtmlElement, segment: lxml.html.HtmlElement) -> None:
    """Put the segment's content where ``target`` stands, and remove both the target and the emptied segment."""
    segment.drop_tree()  # the text after it stays where it was
    segment.tail = target.tail
    target.getparent().replace(target, segment)
    segment.drop_tag()
