"""Extract the article's main text from a page, without the site around it.

Four stages, each a few small functions over a private copy of ``<body>``:

1. *strip*: remove elements that are never article text, by tag (scripts,
   navigation, forms…), by hidden-ness, and by class/id/role patterns
   (sidebars, comments, cookie banners, related news…);
2. *score*: a readability-like vote: every paragraph gives points (length,
   commas, few links) to its parent and grandparent; containers are then
   weighed by their link density, their class, list-likeness and their
   closeness to the headline;
3. *select*: the best container plus siblings that scored nearly as well;
4. *render*: paragraphs separated by blank lines, without link-dense
   blocks, phone numbers, form messages and other boilerplate lines.

Patterns are module-level constants, from specific to generic.  The caller's
tree is never modified.
"""

from __future__ import annotations

import copy
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extractors.title import extract_title

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import lxml.html

logger = logging.getLogger(__name__)

# --- 1. strip -------------------------------------------------------------------
# Never article text, wherever they stand.
UNWANTED_TAGS = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "button", "input", "select", "textarea", "label", "nav", "footer", "aside", "menu",
    "dialog", "map", "audio", "video", "link", "meta",
)
# A page header goes; the header of the article holds its headline, which
# guides the scoring, and is removed only when rendering.
PAGE_HEADER_XPATH = etree.XPath(".//header[not(ancestor::article) and not(ancestor::main)]")
# Some old CMSs (ASP.NET WebForms) wrap the whole page in one <form>, so a form
# goes only when it does not hold real paragraphs.
FORM_KEEP_MIN_PARAGRAPHS = 3
HIDDEN_XPATH = etree.XPath(".//*[@hidden or @aria-hidden='true' or @style]")
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Class/id words of blocks that are boilerplate whatever they hold.  Long,
# unambiguous words match anywhere ("newscomments"); short ones only at the start
# of a class token ("nav-top", not "canvas").
STRONG_BOILERPLATE_RES = (
    re.compile(
        r"comment|cookie|consent|gdpr|breadcrumb|share|sharing|social|related|recommend|"
        r"similar|more-news|other-news|banner|advert|sponsor|promo|subscri|newsletter|popup|"
        r"modal|pagination|pager|footer|masthead|copyright|disclaimer|captcha|login|signup|"
        r"sr-only|visually-hidden|screen-reader|skip-link|jump-to|print-link|lang-switch"
    ),
    re.compile(
        r"(?:^|[\s_-])(?:nav|menu|header|top-line|topline|tags?|ads?|ad-|search|print|lang|"
        r"logo|counter|informer)(?:$|[\s_-])"
    ),
)
# Words of blocks that are usually boilerplate but sometimes wrap the article
# ("content-with-sidebar", Blogger's "widget Blog"): they stay when they hold
# real paragraphs, and the scoring decides.
WEAK_BOILERPLATE_RES = (
    re.compile(r"sidebar|side-bar|widget|feedback|contact|phone|toolbar|rating|poll|likes|overlay|language"),
    re.compile(
        r"(?:^|[\s_-])(?:aside|author|byline|meta|back|bottom|date-list|news-list|newslist|"
        r"list-news|anons)(?:$|[\s_-])"
    ),
)
WEAK_KEEP_CHARS = 500
WEAK_KEEP_MAX_LINK_DENSITY = 0.3
# Bootstrap's "hidden-xs" hides on phones only, so these must be whole classes.
HIDDEN_CLASS_RE = re.compile(r"(?:^|\s)(?:hidden|hide|d-none|invisible)(?:$|\s)")
BOILERPLATE_ROLES = frozenset(
    {"navigation", "banner", "complementary", "contentinfo", "search", "dialog", "alert", "menu"}
)
# Words that mark the article's own container; such blocks are spared when they
# hold a real share of the page's text ("article-footer" is small, "content" not).
ARTICLE_HINT_RE = re.compile(r"article|content|main|body|post|entry|story|text|news-detail|hentry")
ARTICLE_HINT_MIN_SHARE = 0.25
# Whatever its class, a block holding most of the page is a wrapper, not a sidebar.
WRAPPER_MIN_SHARE = 0.6

# --- 2. score -------------------------------------------------------------------
PARAGRAPH_TAGS = ("p", "pre", "td", "div", "section", "blockquote", "li", "dd", "article", "font")
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data del dfn em font i ins kbd mark nobr q s samp small span "
    "strike strong sub sup time tt u var wbr".split()
)
LEAF_PARAGRAPH_TAGS = frozenset({"p", "pre", "li", "dd", "blockquote", "font"})
MIN_PARAGRAPH_CHARS = 25
# Points given to the paragraph's parent, grandparent, great-grandparent.
LEVEL_DIVIDERS = (1, 2, 6)
TAG_BONUS = {
    "article": 8, "main": 6, "div": 5, "section": 3, "td": 3, "pre": 3, "blockquote": 3,
    "ol": -3, "ul": -3, "dl": -3, "dd": -3, "li": -3, "form": -3, "address": -3, "th": -5,
}
CLASS_WEIGHT = 25
POSITIVE_CLASS_RE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|news-detail|"
    r"news-text|detail|full"
)
NEGATIVE_CLASS_RE = re.compile(
    r"hidden|banner|combx|comment|com-|contact|foot|masthead|media|meta|outbrain|promo|"
    r"related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|"
    r"teaser|preview|list|anons|announce"
)
POSITIVE_ITEMPROP = "articleBody"
TOP_CANDIDATES = 12
MIN_CANDIDATE_CHARS = 250
# A container whose paragraphs are mostly numbered items or list items is more
# likely a box of facts or links than the story itself.
NUMBERED_RE = re.compile(r"^\s*(?:\d{1,2}|[ivx]{1,4})[.)]\s")
LIST_MIN_ITEMS = 5
LIST_MIN_SHARE = 0.6
LIST_PENALTY = 0.5
# Containers next to the headline are the story's, not a sidebar's.
HEADLINE_BONUS = 1.5
HEADLINE_XPATH = etree.XPath(
    ".//h1 | .//h2 | .//h3 | .//h4 | .//*[contains(@class, 'title') or contains(@class, 'headline')]"
)
HEADLINE_LEVELS = 4

# --- 3. select ------------------------------------------------------------------
# Readability's rule: three candidates scoring 75 % of the best share the article.
RIVAL_SHARE = 0.75
MIN_RIVALS = 3
SIBLING_MIN_SCORE = 10
SIBLING_SHARE = 0.2
SIBLING_PARAGRAPH_CHARS = 80
SIBLING_MAX_LINK_DENSITY = 0.25

# --- 4. render ------------------------------------------------------------------
BLOCK_TAGS = frozenset(
    "address article blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li "
    "main ol p pre section table tbody td tfoot th thead tr ul caption center".split()
)
LINK_DENSE_BLOCK_TAGS = ("ul", "ol", "dl", "div", "section", "table", "p", "li")
MAX_BLOCK_LINK_DENSITY = 0.5
# Phone numbers: international ("+7 (925) 862 7050"), Russian domestic
# ("8 (3822) 51-32-22"), area code in brackets, or after a "Tel." label.
PHONE_RES = (
    re.compile(
        r"(?:тел(?:ефон)?|факс|моб|phone|tel|fax|mob)\.?(?:\s+[^\W\d_]+){0,2}\s*:?\s*\+?[\d\s()\-–]{6,}\d",
        re.IGNORECASE,
    ),
    re.compile(r"\+\d{1,3}[\s\-]*\(?\d{2,5}\)?(?:[\s\-–]*\d{1,4}){2,4}"),
    re.compile(r"\b8[\s\-]*\(\d{3,5}\)[\s\-]*\d{1,3}(?:[\s\-]?\d{2}){2}\b"),
    re.compile(r"\(\d{3,5}\)[\s\-]*\d{1,3}(?:[\s\-]\d{2}){2}\b"),
)
# Only short paragraphs are tested: an article may quote these words.
BOILERPLATE_LINE_MAX_CHARS = 200
BOILERPLATE_LINE_RES = (
    # contact-form outcomes
    re.compile(r"message (?:has |was )?(?:not )?(?:been )?sent|try again later|thank you for your "
               r"(?:message|request|submission)|required field", re.IGNORECASE),
    re.compile(r"сообщение (?:успешно |не |не было |было )?отправлено|попробуйте (?:ещё|еще) раз|"
               r"повторите попытку|спасибо за (?:ваше |ваш )?(?:обращение|сообщение|заявку|вопрос)|"
               r"обязательн\w+ (?:для заполнения )?пол|введите (?:код|символы|текст)", re.IGNORECASE),
    # sharing, navigation, printing
    re.compile(r"^(?:поделиться|share|share this|tweet|рассказать друзьям|нравится|like)\b", re.IGNORECASE),
    re.compile(r"^(?:←|back to|назад|вернуться|все новости|all news|more news|read more|"
               r"читать далее|подробнее|версия для печати|print(?:able)? version|contact us|"
               r"свяжитесь с нами|обратная связь|комментарии|comments|оставить комментарий|"
               r"leave a comment|tags?:|теги:|метки:)", re.IGNORECASE),
    # cookies and rights
    re.compile(r"(?:use|uses|используем|использует)\s+(?:the\s+)?(?:файлы\s+)?(?:cookie|куки)", re.IGNORECASE),
    re.compile(r"^(?:©|\(c\)|copyright)|all rights reserved|все права защищены", re.IGNORECASE),
)
# Binary data decoded as text is full of symbols (€‰¤¶…) and U+FFFD.
GARBAGE_SAMPLE_CHARS = 2000
GARBAGE_MAX_SHARE = 0.15
LETTER_RE = re.compile(r"[^\W\d_]")
# Cheap test that a paragraph may hold a phone number at all.
DIGITS_RE = re.compile(r"\d\D{0,3}\d\D{0,3}\d")
LINK_TEXT_XPATH = etree.XPath(".//a//text()")
SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class MainText:
    """The extracted article text and how link-heavy its container was."""

    text: str  # paragraphs separated by "\n\n"
    link_density: float  # share of the container's characters inside links
    paragraphs: int = 0


def extract_main_text(tree: lxml.html.HtmlElement | None, url: str | None = None) -> MainText | None:
    """Return the main text of the page in ``tree``, or ``None`` if it has none.

    >>> from pipelines.extractors.html import parse_html
    >>> page = ("<body><ul class='menu'><li><a href='/'>Home</a></li></ul><div class='article'>"
    ...         "<p>The first paragraph of the story, long enough to count.</p>"
    ...         "<p>The second paragraph, also long enough to count here.</p></div></body>")
    >>> print(extract_main_text(parse_html(page)).text)
    The first paragraph of the story, long enough to count.
    <BLANKLINE>
    The second paragraph, also long enough to count here.
    """
    body = prepared_body(tree)
    if body is None:
        return None
    blocks = select_blocks(body, headline_ancestors(body, extract_title(tree)))
    paragraphs = clean_paragraphs(render_blocks(blocks))
    if not paragraphs:
        logger.debug("no main text found on %s", url)
        return None
    text = "\n\n".join(paragraphs)
    if is_garbage(text):
        logger.debug("main text of %s looks like binary data or mojibake", url)
        return None
    return MainText(text, blocks_link_density(blocks), len(paragraphs))


# --- 1. strip -------------------------------------------------------------------
def prepared_body(tree: lxml.html.HtmlElement | None) -> lxml.html.HtmlElement | None:
    """A copy of ``<body>`` with tags, hidden elements and boilerplate blocks removed."""
    if tree is None:
        return None
    root = tree.getroottree().getroot()
    original = root.find(".//body")
    body = copy.deepcopy(original if original is not None else root)
    etree.strip_elements(body, etree.Comment, etree.ProcessingInstruction, *UNWANTED_TAGS, with_tail=False)
    for header in PAGE_HEADER_XPATH(body):
        drop(header)
    strip_forms(body)
    strip_hidden(body)
    strip_boilerplate_blocks(body)
    return body


def strip_forms(body: lxml.html.HtmlElement) -> None:
    """Remove forms, except a form that wraps real paragraphs (ASP.NET pages)."""
    for form in body.xpath(".//form"):
        if len(form.xpath(".//p")) < FORM_KEEP_MIN_PARAGRAPHS:
            drop(form)


def strip_hidden(body: lxml.html.HtmlElement) -> None:
    """Remove elements the browser does not show (form messages, menus for mobile)."""
    for element in HIDDEN_XPATH(body):
        style = element.get("style")
        if style is None or HIDDEN_STYLE_RE.search(style):
            drop(element)


def strip_boilerplate_blocks(body: lxml.html.HtmlElement) -> None:
    """Remove blocks whose class, id or role names them boilerplate."""
    total = text_length(body) or 1
    stack = list(body)
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        if is_boilerplate(element, total):
            drop(element)
        else:
            stack.extend(element)


def is_boilerplate(element: lxml.html.HtmlElement, total_chars: int) -> bool:
    """True for a sidebar, menu, comment block… that is not the page's main wrapper."""
    if element.get("role") in BOILERPLATE_ROLES:
        return True
    names = class_and_id(element)
    if not names:
        return False
    if HIDDEN_CLASS_RE.search(names):
        return True
    if element.get("itemprop") == POSITIVE_ITEMPROP:
        return False
    if any(pattern.search(names) for pattern in STRONG_BOILERPLATE_RES):
        return not is_wrapper(element, names, total_chars)
    if any(pattern.search(names) for pattern in WEAK_BOILERPLATE_RES):
        return not holds_paragraphs(element) and not is_wrapper(element, names, total_chars)
    return False


def is_wrapper(element: lxml.html.HtmlElement, names: str, total_chars: int) -> bool:
    """True when the block holds most of the page (or a good part, if named like an article)."""
    share = text_length(element) / total_chars
    return share >= WRAPPER_MIN_SHARE or (share >= ARTICLE_HINT_MIN_SHARE and bool(ARTICLE_HINT_RE.search(names)))


def holds_paragraphs(element: lxml.html.HtmlElement) -> bool:
    """True when the block has much text outside links, as an article has."""
    total = text_length(element)
    if total < WEAK_KEEP_CHARS:
        return False
    linked = linked_length(element)
    return total - linked >= WEAK_KEEP_CHARS and linked <= WEAK_KEEP_MAX_LINK_DENSITY * total


def drop(element: lxml.html.HtmlElement) -> None:
    """Remove ``element`` but keep the text that follows it."""
    if element.getparent() is not None:
        element.drop_tree()


# --- 2. score -------------------------------------------------------------------
def score_candidates(body: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, float]:
    """Readability-like vote: each paragraph gives points to its nearest ancestors."""
    scores: dict[lxml.html.HtmlElement, float] = {}
    for paragraph in body.iter(*PARAGRAPH_TAGS):
        text, linked = inline_text(paragraph)
        if len(text) < MIN_PARAGRAPH_CHARS:
            continue
        points = paragraph_points(text) * (1 - linked / len(text))
        for divider, ancestor in zip(LEVEL_DIVIDERS, voters(paragraph), strict=False):
            if ancestor not in scores:
                scores[ancestor] = initial_score(ancestor)
            scores[ancestor] += points / divider
    return scores


def voters(paragraph: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Who receives a paragraph's points: its ancestors, and itself if it is a container.

    A ``<div>`` with loose text is both a paragraph and the article (old CMSs
    write ``<div>text<br>text</div>``), as readability's div-to-p step has it.
    """
    if paragraph.tag not in LEAF_PARAGRAPH_TAGS:
        yield paragraph
    yield from ancestors(paragraph)


def paragraph_points(text: str) -> float:
    """One point, one per comma, one per 100 characters (at most three).

    >>> paragraph_points("Hello, world, " + "x" * 300)
    6
    """
    return 1 + text.count(",") + text.count("，") + min(len(text) // 100, 3)


def inline_text(element: lxml.html.HtmlElement) -> tuple[str, int]:
    """The element's own text with its inline children, and how much of it is linked."""
    parts = [element.text or ""]
    linked = 0
    for child in element:
        if child.tag in INLINE_TAGS:
            child_text = child.text_content()
            parts.append(child_text)
            linked += link_chars(child, child_text)
        parts.append(child.tail or "")
    text = SPACE_RE.sub(" ", "".join(parts)).strip()
    return text, min(linked, len(text))


def link_chars(element: lxml.html.HtmlElement, text: str) -> int:
    """Characters of ``element`` (whose text is ``text``) that sit inside links."""
    if element.tag == "a":
        return len(text.strip())
    return sum(len(a.text_content().strip()) for a in element.iter("a"))


def ancestors(element: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Parent, grandparent, … up to the document root."""
    parent = element.getparent()
    while parent is not None:
        yield parent
        parent = parent.getparent()


def initial_score(element: lxml.html.HtmlElement) -> float:
    """A container's head start from its tag and its class/id."""
    return TAG_BONUS.get(element.tag, 0) + class_weight(element)


def class_weight(element: lxml.html.HtmlElement) -> float:
    """+25 for article-like class/id, −25 for boilerplate-like, both may apply.

    >>> from lxml.html import fragment_fromstring
    >>> class_weight(fragment_fromstring('<div class="news-text"></div>'))
    25
    """
    if element.get("itemprop") == POSITIVE_ITEMPROP:
        return 2 * CLASS_WEIGHT
    names = class_and_id(element)
    weight = CLASS_WEIGHT if POSITIVE_CLASS_RE.search(names) else 0
    return weight - (CLASS_WEIGHT if NEGATIVE_CLASS_RE.search(names) else 0)


def final_scores(
    scores: dict[lxml.html.HtmlElement, float], headline_chain: list[lxml.html.HtmlElement]
) -> dict[lxml.html.HtmlElement, float]:
    """Weigh the best raw candidates by links, list-likeness and headline closeness."""
    best = sorted(scores, key=scores.get, reverse=True)[:TOP_CANDIDATES]
    return {element: adjusted_score(element, scores[element], headline_chain) for element in best}


def adjusted_score(element: lxml.html.HtmlElement, score: float, headline_chain: list) -> float:
    """Raw score × (1 − link density) × list penalty × headline bonus × text amount."""
    total = text_length(element)
    if not total:
        return 0.0
    score *= 1 - min(linked_length(element) / total, 1.0)
    # A class such as "content" gives 25 points even to a box holding only a date.
    score *= min(1.0, total / MIN_CANDIDATE_CHARS)
    if looks_like_list(element):
        score *= LIST_PENALTY
    if near_headline(element, headline_chain):
        score *= HEADLINE_BONUS
    return score


def looks_like_list(element: lxml.html.HtmlElement) -> bool:
    """True when most paragraphs are numbered or list items (a facts box, a menu)."""
    items = [child for child in element.iter("p", "li") if child is not element]
    if len(items) < LIST_MIN_ITEMS:
        return False
    listed = sum(child.tag == "li" or bool(NUMBERED_RE.match(child.text_content()[:8])) for child in items)
    return listed >= LIST_MIN_SHARE * len(items)


def headline_ancestors(body: lxml.html.HtmlElement, title: str | None) -> list[lxml.html.HtmlElement]:
    """Ancestors of the element that shows the headline, nearest first."""
    if not title:
        return []
    wanted = title.lower()
    for element in HEADLINE_XPATH(body):
        if " ".join(element.text_content().split()).lower() == wanted:
            return list(ancestors(element))
    return []


def near_headline(element: lxml.html.HtmlElement, headline_chain: list[lxml.html.HtmlElement]) -> bool:
    """True when ``element`` sits beside the headline: a close relative not holding it."""
    if element in headline_chain:
        return False  # a container of the headline is the header, or the whole page
    near = headline_chain[:HEADLINE_LEVELS]
    parent = element.getparent()
    return parent in near or (parent is not None and parent.getparent() in near)


# --- 3. select ------------------------------------------------------------------
def select_blocks(
    body: lxml.html.HtmlElement, headline_chain: list[lxml.html.HtmlElement]
) -> list[lxml.html.HtmlElement]:
    """The best container and its worthy siblings, in document order; else ``[body]``."""
    scores = score_candidates(body)
    if not scores:
        return [body]
    finals = final_scores(scores, headline_chain)
    top = max(finals, key=finals.get)
    return with_siblings(common_container(top, finals), finals[top], scores)


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


def link_density(element: lxml.html.HtmlElement) -> float:
    """Share of the element's non-space characters that are inside links.

    >>> from lxml.html import fragment_fromstring
    >>> link_density(fragment_fromstring('<p>abcd <a href="/">efgh</a></p>'))
    0.5
    """
    total = text_length(element)
    if not total:
        return 0.0
    return min(linked_length(element) / total, 1.0)


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


# --- 4. render ------------------------------------------------------------------
def render_blocks(blocks: Iterable[lxml.html.HtmlElement]) -> Iterator[str]:
    """Raw paragraphs of the blocks, after link-dense sub-blocks and headings go."""
    for block in blocks:
        strip_link_dense(block)
        # The headline has its own field.
        etree.strip_elements(block, "h1", "header", with_tail=False)
        yield from split_paragraphs(block)


def strip_link_dense(block: lxml.html.HtmlElement) -> None:
    """Remove lists of links (related news, tag clouds, "back" links) inside the block."""
    for element in list(block.iter(*LINK_DENSE_BLOCK_TAGS)):
        if element is not block and element.getparent() is not None and has_links(element):
            if link_density(element) > MAX_BLOCK_LINK_DENSITY:
                drop(element)


def has_links(element: lxml.html.HtmlElement) -> bool:
    """Cheap pre-check before computing a link density."""
    return next(element.iter("a"), None) is not None


def split_paragraphs(block: lxml.html.HtmlElement) -> list[str]:
    """Text of ``block`` cut at block-level element boundaries."""
    parts: list[str] = []
    for event, element in etree.iterwalk(block, events=("start", "end")):
        block_level = element.tag in BLOCK_TAGS
        if event == "start":
            parts.append("\n\n" if block_level else "")
            parts.append(element.text or "")
        else:
            parts.append("\n\n" if block_level else "")
            if element is not block:
                parts.append(element.tail or "")
    return "".join(parts).split("\n\n")


def clean_paragraphs(raw: Iterable[str]) -> list[str]:
    """Whitespace-normalised paragraphs without phone numbers and boilerplate lines."""
    paragraphs = []
    for paragraph in raw:
        text = strip_phones(" ".join(paragraph.split()))
        if LETTER_RE.search(text) and not is_boilerplate_line(text):
            paragraphs.append(text)
    return paragraphs


def strip_phones(text: str) -> str:
    """Remove phone numbers (and their "Tel." labels) from a paragraph.

    >>> strip_phones("Call +7 (925) 862 7050 or 8 (3822) 51-32-22 today")
    'Call or today'
    """
    if not DIGITS_RE.search(text):
        return text
    for pattern in PHONE_RES:
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def is_boilerplate_line(text: str) -> bool:
    """True for a short paragraph that is a form message, share link, cookie notice…

    >>> is_boilerplate_line("Sorry, your message has not been sent.")
    True
    >>> is_boilerplate_line("Ваше сообщение отправлено")
    True
    """
    if len(text) > BOILERPLATE_LINE_MAX_CHARS:
        return False
    return any(pattern.search(text) for pattern in BOILERPLATE_LINE_RES)


def is_garbage(text: str) -> bool:
    """True for binary data decoded as text: many symbols or replacement characters.

    >>> is_garbage("Обычный текст, с пунктуацией и цифрами 2016.")
    False
    >>> is_garbage("%PDF-1.4 \ufffd\ufffd\u2021\u20ac\u2030\u00a4\u00b6\u00a7\u2122 xq\ufffd")
    True
    """
    sample = "".join(text[:GARBAGE_SAMPLE_CHARS].split())
    if not sample:
        return True
    odd = sum(unicodedata.category(char)[0] in "SC" or char == "\ufffd" for char in sample)
    return odd > GARBAGE_MAX_SHARE * len(sample)


# --- helpers --------------------------------------------------------------------
def class_and_id(element: lxml.html.HtmlElement) -> str:
    """The element's class and id, lower-cased, for pattern matching."""
    return f"{element.get('class', '')} {element.get('id', '')}".lower().strip()


def text_length(element: lxml.html.HtmlElement) -> int:
    """Number of non-space characters in the element's text."""
    return len("".join(element.text_content().split()))


def linked_length(element: lxml.html.HtmlElement) -> int:
    """Number of non-space characters inside the element's links."""
    return len("".join("".join(LINK_TEXT_XPATH(element)).split()))
