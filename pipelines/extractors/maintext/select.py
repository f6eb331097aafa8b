"""Main text, stage 3 (*select*): the best container, its worthy siblings and the article's other chunks."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipelines.extractors.maintext.dom import ancestors, link_density, text_length
from pipelines.extractors.maintext.score import (
    final_scores,
    inline_text,
    looks_like_list,
    score_candidates,
)

if TYPE_CHECKING:
    import lxml.html

# Readability's rule: three candidates scoring 75 % of the best share the article.
RIVAL_SHARE = 0.75
MIN_RIVALS = 3
SIBLING_MIN_SCORE = 10
SIBLING_SHARE = 0.2
SIBLING_PARAGRAPH_CHARS = 80
SIBLING_MAX_LINK_DENSITY = 0.25
# An article cut into chunks by pull quotes, pictures or ads: blocks of the same
# tag and class as the chosen one, elsewhere on the page, continue the story.
CHUNK_MIN_CHARS = 60
CHUNK_MAX_LINK_DENSITY = 0.3
DIGITS_IN_CLASS_RE = re.compile(r"\S*\d\S*")


def select_blocks(
    body: lxml.html.HtmlElement, headline_chain: list[lxml.html.HtmlElement]
) -> list[lxml.html.HtmlElement]:
    """The best container and its worthy siblings, in document order; else ``[body]``."""
    scores = score_candidates(body)
    if not scores:
        return [body]
    finals = final_scores(scores, headline_chain)
    top = max(finals, key=finals.get)
    container = common_container(top, finals)
    blocks = with_siblings(container, finals[top], scores)
    return with_chunks(body, blocks, container)


def with_chunks(
    body: lxml.html.HtmlElement, blocks: list[lxml.html.HtmlElement], container: lxml.html.HtmlElement
) -> list[lxml.html.HtmlElement]:
    """``blocks`` plus the other chunks of the same article, in document order."""
    signature = shape(container)
    if not signature[1]:
        return blocks  # a bare <div> is no evidence of a repeated article part
    chunks = [
        element for element in body.iter(container.tag)
        if shape(element) == signature and is_chunk(element, blocks)
    ]
    if not chunks:
        return blocks
    order = {element: number for number, element in enumerate(body.iter())}
    return sorted([*blocks, *chunks], key=order.__getitem__)


def shape(element: lxml.html.HtmlElement) -> tuple[str, str]:
    """Tag and class without per-item tokens ("post-1806"), to recognise repeated parts."""
    return element.tag, DIGITS_IN_CLASS_RE.sub("", element.get("class", "")).strip()


def is_chunk(element: lxml.html.HtmlElement, blocks: list[lxml.html.HtmlElement]) -> bool:
    """A block of text outside (and not around) the selected ones."""
    for block in blocks:
        if element is block or block in ancestors(element) or element in ancestors(block):
            return False
    if text_length(element) < CHUNK_MIN_CHARS or link_density(element) > CHUNK_MAX_LINK_DENSITY:
        return False
    return not looks_like_list(element)  # a box of numbered facts in the article's class


def common_container(top: lxml.html.HtmlElement, finals: dict[lxml.html.HtmlElement, float]) -> lxml.html.HtmlElement:
    """Climb from ``top`` to the ancestor holding several near-equal candidates.

    An article cut into many boxes (one per paragraph or picture) gives
    candidates of similar score; their common ancestor is the article.
    """
    rivals = [el for el, score in finals.items() if el is not top and score >= RIVAL_SHARE * finals[top]]
    if len(rivals) < MIN_RIVALS:
        return top
    rival_chains = [set(ancestors(rival)) for rival in rivals]
    for ancestor in ancestors(top):
        if sum(ancestor in chain for chain in rival_chains) >= MIN_RIVALS:
            return ancestor
    return top


def with_siblings(
    top: lxml.html.HtmlElement, top_score: float, scores: dict[lxml.html.HtmlElement, float]
) -> list[lxml.html.HtmlElement]:
    """``top`` plus siblings that scored well or are plain article paragraphs."""
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(SIBLING_MIN_SCORE, top_score * SIBLING_SHARE)
    return [sibling for sibling in parent if sibling is top or worthy_sibling(sibling, threshold, scores)]


def worthy_sibling(element: lxml.html.HtmlElement, threshold: float, scores: dict) -> bool:
    """A sibling that scored above ``threshold`` or is a long, link-poor paragraph."""
    if not isinstance(element.tag, str):
        return False
    if scores.get(element, 0) >= threshold:
        return True
    if element.tag != "p":
        return False
    text, linked = inline_text(element)
    return len(text) >= SIBLING_PARAGRAPH_CHARS and linked <= SIBLING_MAX_LINK_DENSITY * len(text)
