"""Main text, stage 3 (*select*): the best container, its worthy siblings and the article's other chunks."""

from __future__ import annotations

import re
from itertools import islice
from typing import TYPE_CHECKING

from pipelines.extractors.maintext.dom import SECTION_HEADINGS, ancestors, inside, link_density, text_length
from pipelines.extractors.maintext.score import (
    final_scores,
    inline_text,
    list_items,
    looks_like_list,
    score_candidates,
)
from pipelines.extractors.maintext.strip import put_back

if TYPE_CHECKING:
    import lxml.html

    from pipelines.extractors.maintext.strip import Held

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
# A class token that extends another of the element's tokens after one of these is a modifier of it
# (BEM: "block-text_initial-letter", "card--wide"): the same kind of block.
MODIFIER_JOINTS = frozenset("_-")
# A sibling with a data table of this many rows belongs to the article.
TABLE_MIN_ROWS = 3
# The lead between the headline and the body: a few leaves of text, each a sentence or more.
LEAD_TAGS = frozenset({"p", "div", "strong", "b", "em", "span", "h2", "h3", "section"})
LEAD_BLOCK_TAGS = ("p", "div", "section", "ul", "ol", "table", "h1", "h2", "h3", "h4", "blockquote")
LEAD_MIN_CHARS = 60
# The lead is marked as such (a promo line or a photo credit between headline and body is not).
LEAD_CLASS_RE = re.compile(r"lead|intro|summary|standfirst|abstract|annotation|anons|preview", re.IGNORECASE)
LEAD_MARK_LEVELS = 2
MAX_LEAD_BLOCKS = 3


def select_blocks(
    body: lxml.html.HtmlElement,
    headline_chain: list[lxml.html.HtmlElement],
    heading: lxml.html.HtmlElement | None = None,
    held: Held | None = None,
) -> list[lxml.html.HtmlElement]:
    """The lead, the best container and its worthy siblings, in document order; else ``[body]``.

    ``held`` holds the blocks the stripping set aside (``strip.hold``): those of the chunks' kind are put back as
    chunks of the story, after the container is chosen without them.
    """
    scores = score_candidates(body)
    if not scores:
        return [body]
    finals = within_headline_story(final_scores(scores, headline_chain), headline_chain)
    top = max(finals, key=finals.get)
    container = common_container(top, finals)
    blocks = with_siblings(container, finals[top], scores)
    return first_copies(with_lead(body, with_chunks(body, blocks, container, held), heading))


def within_headline_story(
    finals: dict[lxml.html.HtmlElement, float], headline_chain: list[lxml.html.HtmlElement]
) -> dict[lxml.html.HtmlElement, float]:
    """Only the candidates inside the ``<article>`` that holds the headline, when there is one.

    A page of several stories (the article, then the next one, longer) keeps
    the story its headline names.
    """
    story = next((element for element in headline_chain if element.tag == "article"), None)
    if story is None:
        return finals
    in_story = {element: score for element, score in finals.items() if inside(element, story)}
    return in_story or finals


def with_chunks(
    body: lxml.html.HtmlElement, blocks: list[lxml.html.HtmlElement], container: lxml.html.HtmlElement,
    held: Held | None = None,
) -> list[lxml.html.HtmlElement]:
    """``blocks`` plus the other chunks of the same article, in document order, with the section titles and the
    numbered steps (``is_steps``) of the chunks' kind between them.

    A block set aside in ``held`` is one of them when it has the chunks' kind and a paragraph's length
    (``SIBLING_PARAGRAPH_CHARS``): a page builder names each of its blocks "widget", its short paragraphs too.
    """
    signature = shape(container)
    if not signature[1]:
        return blocks  # a bare <div> is no evidence of a repeated article part
    for placeholder, element in (held or {}).items():
        if apart(placeholder, blocks) and is_held_chunk(element, signature, blocks):
            put_back(placeholder, element)
    alike = [element for element in body.iter(container.tag)
             if shape(element) == signature and not other_story(container, element)]
    chunks = [element for element in alike if is_chunk(element, blocks)]
    if not chunks:
        return blocks
    order = {element: number for number, element in enumerate(body.iter())}
    story = sorted([*blocks, *chunks], key=order.__getitem__)
    first, last = order[story[0]], order[story[-1]]
    steps = [element for element in alike if first < order[element] < last and is_steps(element, story)]
    story = sorted([*blocks, *outermost([*chunks, *steps])], key=order.__getitem__)
    headings = [element for element in alike
                if first < order[element] < last and is_heading_chunk(element, story)]
    return sorted([*story, *headings], key=order.__getitem__)


def first_copies(elements: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """``elements`` without those that say word for word what an earlier one says, a paragraph's length or more.

    A page can carry its story twice (a copy per screen size, one hidden by a style sheet): both copies are
    blocks of one kind, chosen as siblings or chunks, and would come out as the same text twice.  A short block
    said twice is the story's own (a review's "Pros" title over each product).
    """
    seen: set[str] = set()
    kept = []
    for element in elements:
        text = " ".join(element.text_content().split())
        if text not in seen:
            kept.append(element)
            if len(text) >= SIBLING_PARAGRAPH_CHARS:
                seen.add(text)
    return kept


def outermost(elements: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """``elements`` without those inside another of them (a block of the chunks' kind nested in one is read once)."""
    chosen = set(elements)
    return [element for element in elements if not any(parent in chosen for parent in ancestors(element))]


def shape(element: lxml.html.HtmlElement) -> tuple[str, str]:
    """Tag and class without per-item tokens ("post-1806") and modifiers, to recognise repeated parts.

    A modifier is a class token that extends another of the element's tokens
    (BEM's ``block-text_initial-letter`` beside ``block-text``): the first
    paragraph with a drop cap is the same kind of block as the others.

    >>> from lxml.html import fragment_fromstring
    >>> shape(fragment_fromstring("<div class='block-text block-text_initial-letter post-12'>x</div>"))
    ('div', 'block-text')
    """
    tokens = DIGITS_IN_CLASS_RE.sub("", element.get("class", "")).split()
    kept = [token for token in tokens if not any(token != other and token.startswith(other)
                                                 and token[len(other)] in MODIFIER_JOINTS for other in tokens)]
    return element.tag, " ".join(kept)


def is_chunk(element: lxml.html.HtmlElement, blocks: list[lxml.html.HtmlElement]) -> bool:
    """A block of text outside (and not around) the selected ones."""
    if not apart(element, blocks) or not is_text(element):
        return False
    return not looks_like_list(element)  # a box of numbered facts in the article's class


def is_text(element: lxml.html.HtmlElement) -> bool:
    """A block with a sentence's worth of text and few links."""
    return text_length(element) >= CHUNK_MIN_CHARS and link_density(element) <= CHUNK_MAX_LINK_DENSITY


def is_steps(element: lxml.html.HtmlElement, story: list[lxml.html.HtmlElement]) -> bool:
    """A block of numbered paragraphs, each a sentence or more, apart from the story's parts: a how-to's steps.

    Its caller takes it only between two parts of the story: a box of facts
    in the article's class stands beside the story (ino-tomsk.ru's "INO Tomsk
    in ten facts", each fact a sentence), never inside it.
    """
    if not apart(element, story) or not looks_like_list(element) or not is_text(element):
        return False
    items = list_items(element)
    return sum(text_length(item) for item in items) >= SIBLING_PARAGRAPH_CHARS * len(items)


def is_held_chunk(
    element: lxml.html.HtmlElement, signature: tuple[str, str], blocks: list[lxml.html.HtmlElement]
) -> bool:
    """A block set aside by the stripping, of the chunks' kind, with at least a paragraph's text."""
    return (shape(element) == signature and text_length(element) >= SIBLING_PARAGRAPH_CHARS
            and is_chunk(element, blocks))


def is_heading_chunk(element: lxml.html.HtmlElement, story: list[lxml.html.HtmlElement]) -> bool:
    """A short block of the chunks' kind, between two of them, that holds a heading: a section title of the story."""
    if text_length(element) >= CHUNK_MIN_CHARS or next(element.iter(*SECTION_HEADINGS), None) is None:
        return False
    return apart(element, story)


def apart(element: lxml.html.HtmlElement, blocks: list[lxml.html.HtmlElement]) -> bool:
    """True when ``element`` is none of ``blocks``, and neither inside one nor around one."""
    return not any(inside(element, block) or inside(block, element) for block in blocks)


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
    """``top`` plus siblings that scored well or are plain article paragraphs.

    An ``<article>`` is a whole story (HTML's own definition): beside a chosen
    ``<article>``, another one is another story, not a part of this one.
    """
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(SIBLING_MIN_SCORE, top_score * SIBLING_SHARE)
    return [
        sibling for sibling in parent
        if sibling is top or (worthy_sibling(sibling, threshold, scores) and not other_story(top, sibling))
    ]


def holds_table(element: lxml.html.HtmlElement) -> bool:
    """True for a block with a data table (rows of cells, few links): the article's figures, not a menu."""
    table = element if element.tag == "table" else element.find(".//table")
    if table is None or len(table.xpath(".//tr[td]")) < TABLE_MIN_ROWS:
        return False
    return link_density(table) <= CHUNK_MAX_LINK_DENSITY


def with_lead(
    body: lxml.html.HtmlElement, blocks: list[lxml.html.HtmlElement], heading: lxml.html.HtmlElement | None
) -> list[lxml.html.HtmlElement]:
    """``blocks`` after the lead: text between the headline and the first chosen block.

    Pages set the lead apart from the body (a summary box, a bold intro in the
    header); it is the article's first paragraph, not boilerplate.  Only
    elements of text without blocks inside, marked as the lead (``lead``,
    ``intro``, ``summary``… on them or their parent), long enough and with few links.
    """
    if heading is None or not blocks or any(inside(heading, block) for block in blocks):
        return blocks
    lead: list[lxml.html.HtmlElement] = []
    started = False
    for element in body.iter(None):
        if element is blocks[0]:
            break
        if element is heading:
            started = True
            continue
        if not started or not isinstance(element.tag, str) or heading in ancestors(element):
            continue
        if any(element in ancestors(chosen) for chosen in (*blocks, *lead)) or any(chosen in ancestors(element) for chosen in lead):
            continue
        if is_lead(element):
            lead.append(element)
    return [*lead[:MAX_LEAD_BLOCKS], *blocks] if lead else blocks


def is_lead(element: lxml.html.HtmlElement) -> bool:
    """A leaf of text (no block inside) the page marks as the lead, long enough for a sentence, with few links."""
    if element.tag not in LEAD_TAGS or next(element.iterdescendants(*LEAD_BLOCK_TAGS), None) is not None:
        return False
    if not any(LEAD_CLASS_RE.search(f"{node.get('class', '')} {node.get('id', '')}")
               for node in (element, *islice(ancestors(element), LEAD_MARK_LEVELS))):
        return False
    return text_length(element) >= LEAD_MIN_CHARS and link_density(element) <= CHUNK_MAX_LINK_DENSITY


def other_story(chosen: lxml.html.HtmlElement, element: lxml.html.HtmlElement) -> bool:
    """True when ``element`` is an ``<article>`` apart from the chosen ``<article>``."""
    return chosen.tag == element.tag == "article"


def worthy_sibling(element: lxml.html.HtmlElement, threshold: float, scores: dict) -> bool:
    """A sibling that scored above ``threshold``, holds a data table, or is a long, link-poor paragraph."""
    if not isinstance(element.tag, str):
        return False
    if scores.get(element, 0) >= threshold or holds_table(element):
        return True
    if element.tag != "p":
        return False
    text, linked = inline_text(element)
    return len(text) >= SIBLING_PARAGRAPH_CHARS and linked <= SIBLING_MAX_LINK_DENSITY * len(text)
