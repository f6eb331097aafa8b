"""Main text, stage 1 (*strip*): a copy of the page without what is never article text.

Elements go by tag (scripts, navigation, forms…), by hidden-ness, and by
class/id/role patterns (sidebars, comments, cookie banners, related news…),
except a block that holds most of the page (a wrapper: an aside or a page
header left open holds the story when the parser nests it there) or real
paragraphs.  A block named like boilerplate only weakly ("widget") can be set
aside instead, for the selection to put back when it is of the story's kind.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extractors.maintext.dom import (
    INLINE_TAGS,
    SECTION_HEADINGS,
    class_and_id,
    drop,
    linked_length,
    text_length,
)

if TYPE_CHECKING:
    import lxml.html

    # Blocks set aside by the stripping: placeholder -> the block it stands for.
    Held = dict[lxml.html.HtmlElement, lxml.html.HtmlElement]

# Never article text, wherever they stand.
UNWANTED_TAGS = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "button", "input", "select", "textarea", "label", "nav", "footer", "aside", "menu",
    "dialog", "map", "audio", "video", "link", "meta",
)
# Of those, the blocks a page can leave open: the parser then nests the rest of the page inside one (a newsletter
# popup's <aside> holding the article that follows it).  One that holds most of the page's text and the story's
# marks (its <article>, <main> or <h1>) is that wrapper: it stays, and what it holds is judged block by block.
OPEN_LEFT_TAGS = ("nav", "footer", "aside", "menu", "dialog")
STORY_MARKS_XPATH = etree.XPath("boolean(.//article | .//main | .//h1)")
# A page header goes; the header of the article holds its headline, which
# guides the scoring, and is removed only when rendering.
PAGE_HEADER_XPATH = etree.XPath(".//header[not(ancestor::article) and not(ancestor::main)]")
# Some old CMSs (ASP.NET WebForms) wrap the whole page in one <form>, so a form
# goes only when it does not hold real paragraphs.
FORM_KEEP_MIN_PARAGRAPHS = 3
HIDDEN_XPATH = etree.XPath(".//*[@hidden or @aria-hidden='true' or @style]")
# A panel the reader opens with a click (an accordion's answer, a tab) is hidden until then, and is the page's text.
DISCLOSED_RE = re.compile(r"collapse|accordion|tab-pane|tabpanel|faq|answer")
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Class/id words of blocks that are boilerplate whatever they hold.  Long,
# unambiguous words match anywhere ("newscomments"); short ones only at the start
# of a class token ("nav-top", not "canvas"; "cta" is a call-to-action box: "Support us", "Get a quote").
STRONG_BOILERPLATE_RES = (
    re.compile(
        r"comment|cookie|consent|gdpr|breadcrumb|share|sharing|social|related|recommend|"
        r"similar|more-news|other-news|banner|advert|sponsor|promo|subscri|newsletter|popup|"
        r"modal|pagination|pager|footer|masthead|copyright|disclaimer|captcha|login|signup|"
        r"sr-only|visually-hidden|screen-reader|skip-link|jump-to|print-link|lang-switch|caption|credit"
    ),
    re.compile(
        r"(?:^|[\s_-])(?:nav|menu|header|top-line|topline|tags?|ads?|ad-|search|print|lang|"
        r"logo|counter|informer|cta)(?:$|[\s_-])"
    ),
)
# Words of blocks that are usually boilerplate but sometimes wrap the article
# ("content-with-sidebar", Blogger's "widget Blog"): they stay when they hold
# real paragraphs, or only a section title with text after it, and the scoring decides.
WEAK_BOILERPLATE_RES = (
    re.compile(r"sidebar|side-bar|widget|feedback|contact|phone|toolbar|rating|poll|likes|overlay|language"),
    re.compile(
        r"(?:^|[\s_-])(?:aside|author|byline|meta|back|bottom|date-list|news-list|newslist|"
        r"list-news|anons)(?:$|[\s_-])"
    ),
)
WEAK_KEEP_CHARS = 500
# ... and those that are only a section's heading (SECTION_HEADINGS) stay: a page builder calls every block a
# "widget", its section titles too.
SECTION_TITLE_SHARE = 0.9
SECTION_TEXT_MIN_CHARS = 60
SECTION_TEXT_MAX_LINK_DENSITY = 0.3
NEXT_BLOCK_LEVELS = 3
WEAK_KEEP_MAX_LINK_DENSITY = 0.3
# A block set aside (weakly named, short) is replaced by an empty element of this tag until the selection decides.
HELD_TAG = "ino-held"
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
# A container the page marks as the article body is never boilerplate.
POSITIVE_ITEMPROP = "articleBody"
# Code is the article's, whatever its class says: highlighters name it "language-bash", "lang-py".
CODE_TAGS = frozenset({"pre", "code"})
# Words inside a paragraph's sentence are the article's, whatever their class or id says: CMSs link names to
# tag pages (Penske Media's '<a id="auto-tag_doobie-brothers">Doobie Brothers</a>'). Text only for screen
# readers ("(opens in a new window)") still goes.
RUNNING_TEXT_TAGS = frozenset({"p"})
# A post of a social network the story quotes, set in the page as the network's embed code (a blockquote the
# network's script turns into a card): its wrapper is often named "social" or "embed", like a box of share buttons.
EMBEDDED_POST_XPATH = etree.XPath(
    "descendant-or-self::blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')"
    " or contains(@class, 'tiktok-embed') or contains(@class, 'reddit-embed') or contains(@class, 'bluesky-embed')]"
)
SCREEN_READER_RE = re.compile(r"sr-only|visually-hidden|screen-reader|screenreader")


def prepared_body(tree: lxml.html.HtmlElement | None) -> lxml.html.HtmlElement | None:
    """A copy of ``<body>`` with tags, hidden elements and boilerplate blocks removed."""
    original = page_body(tree)
    return prepared_copy(original) if original is not None else None


def page_body(tree: lxml.html.HtmlElement | None) -> lxml.html.HtmlElement | None:
    """The page's ``<body>`` (its root when it has none), or ``None`` without a page."""
    if tree is None:
        return None
    root = tree.getroottree().getroot()
    original = root.find(".//body")
    return original if original is not None else root


def prepared_copy(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of ``element`` with tags, hidden elements and boilerplate blocks removed."""
    body = copy.deepcopy(element)
    strip_copy(body)
    return body


def strip_copy(body: lxml.html.HtmlElement, held: Held | None = None) -> None:
    """Remove tags, hidden elements and boilerplate blocks from ``body``, a copy its caller owns.

    With ``held``, a block named like boilerplate only weakly is not dropped but set aside in it (``hold``), its
    place kept by an empty placeholder: the selection may put it back as a chunk of the story.
    """
    etree.strip_elements(body, etree.Comment, etree.ProcessingInstruction,
                         *(tag for tag in UNWANTED_TAGS if tag not in OPEN_LEFT_TAGS), with_tail=False)
    blocks = [*body.iter(*OPEN_LEFT_TAGS), *PAGE_HEADER_XPATH(body)]
    marked = [bool(STORY_MARKS_XPATH(block)) for block in blocks]  # most hold no story: no need to measure the page
    total = text_length(body) if any(marked) else 0
    for block, story in zip(blocks, marked, strict=True):
        if not (story and holds_the_page(block, total)):
            drop(block)
    strip_forms(body)
    strip_hidden(body)
    strip_boilerplate_blocks(body, held)


def holds_the_page(block: lxml.html.HtmlElement, total_chars: int) -> bool:
    """True for a page header, menu, footer or aside left open, so that the page is nested inside it.

    >>> from lxml.html import document_fromstring
    >>> page = document_fromstring("<aside class='popup'>Subscribe<article><h1>Title</h1><p>" + "Story. " * 20 + "</p></article>")
    >>> popup = page.find(".//aside")
    >>> holds_the_page(popup, text_length(page)), holds_the_page(popup, 10 * text_length(page))
    (True, False)
    """
    return text_length(block) >= WRAPPER_MIN_SHARE * total_chars and STORY_MARKS_XPATH(block)


def next_block(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element after ``element``, or after the nearest of its ``NEXT_BLOCK_LEVELS`` ancestors that has one."""
    for _ in range(NEXT_BLOCK_LEVELS + 1):
        following = next((sibling for sibling in element.itersiblings() if isinstance(sibling.tag, str)), None)
        if following is not None:
            return following
        element = element.getparent()
        if element is None:
            return None
    return None


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
            if not DISCLOSED_RE.search(class_and_id(element)):
                drop(element)


def strip_boilerplate_blocks(body: lxml.html.HtmlElement, held: Held | None = None) -> None:
    """Remove blocks whose class, id or role names them boilerplate (set aside in ``held`` those weakly named)."""
    total = text_length(body) or 1
    stack = list(body)
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        if is_boilerplate(element, total, held):
            if held is not None and weakly_named(element):
                hold(element, held)
            else:
                drop(element)
        else:
            stack.extend(element)


def weakly_named(element: lxml.html.HtmlElement) -> bool:
    """True for a block whose class or id matches only the weak boilerplate words."""
    names = class_and_id(element)
    if element.get("role") in BOILERPLATE_ROLES or HIDDEN_CLASS_RE.search(names):
        return False
    return not any(pattern.search(names) for pattern in STRONG_BOILERPLATE_RES)


def hold(element: lxml.html.HtmlElement, held: Held) -> None:
    """Take ``element`` out of the tree into ``held``, leaving an empty placeholder in its place."""
    placeholder = element.makeelement(HELD_TAG)
    placeholder.tail, element.tail = element.tail, None
    element.getparent().replace(element, placeholder)
    held[placeholder] = element


def put_back(placeholder: lxml.html.HtmlElement, element: lxml.html.HtmlElement) -> None:
    """Return a held ``element`` to its place."""
    element.tail, placeholder.tail = placeholder.tail, None
    placeholder.getparent().replace(placeholder, element)


def is_boilerplate(element: lxml.html.HtmlElement, total_chars: int, held: Held | None = None) -> bool:
    """True for a sidebar, menu, comment block… that is not the page's main wrapper."""
    if element.get("role") in BOILERPLATE_ROLES:
        return True
    names = class_and_id(element)
    if not names:
        return False
    if HIDDEN_CLASS_RE.search(names):
        return True
    if element.get("itemprop") == POSITIVE_ITEMPROP or element.tag in CODE_TAGS:
        return False
    if element.tag in INLINE_TAGS and in_a_sentence(element) and not SCREEN_READER_RE.search(names):
        return False
    if any(pattern.search(names) for pattern in STRONG_BOILERPLATE_RES):
        return not is_wrapper(element, names, total_chars) and not is_embedded_post(element)
    if any(pattern.search(names) for pattern in WEAK_BOILERPLATE_RES):
        return (not holds_paragraphs(element) and not is_wrapper(element, names, total_chars)
                and not is_section_title(element, held) and not is_embedded_post(element))
    return False


def is_section_title(element: lxml.html.HtmlElement, held: Held | None = None) -> bool:
    """True for a block that is only a heading without links, followed by a block of text: a page builder's
    "heading widget" holding the title of the story's next section, not a sidebar's box (its heading comes with a
    list of links) nor the title of a form ("Join our newsletter")."""
    heading = next(element.iter(*SECTION_HEADINGS), None)
    if heading is None or heading.find(".//a") is not None:
        return False
    title = text_length(heading)
    if not title or title < SECTION_TITLE_SHARE * text_length(element):
        return False
    following = next_block(element)
    if following is None:
        return False
    following = (held or {}).get(following, following)  # a block of text set aside is still the section's
    chars = text_length(following)
    return chars >= SECTION_TEXT_MIN_CHARS and linked_length(following) <= SECTION_TEXT_MAX_LINK_DENSITY * chars


def in_a_sentence(element: lxml.html.HtmlElement) -> bool:
    """True for an inline element inside a paragraph that has words outside it.

    >>> from lxml.html import fragment_fromstring
    >>> p = fragment_fromstring('<p>The <span><a id="auto-tag_x" href="/t/x">Band</a></span> will tour.</p>')
    >>> in_a_sentence(p.find(".//a")), in_a_sentence(fragment_fromstring('<div><a class="tag">Tour</a></div>').find("a"))
    (True, False)
    """
    block = element.getparent()
    while block is not None and block.tag in INLINE_TAGS:
        block = block.getparent()
    if block is None or block.tag not in RUNNING_TEXT_TAGS:
        return False
    return text_length(block) > text_length(element)


def is_embedded_post(element: lxml.html.HtmlElement) -> bool:
    """True for the embed of a social network's post (or its wrapper, holding nothing else): a quote of the story.

    >>> from lxml.html import fragment_fromstring
    >>> post = "<blockquote class='twitter-tweet'><p>The campaign is real.</p>— A. Reader (@reader)</blockquote>"
    >>> is_embedded_post(fragment_fromstring(f"<div class='social-media-embed'>{post}</div>"))
    True
    >>> is_embedded_post(fragment_fromstring(f"<div class='social'>Share: <a href='/s'>Twitter</a></div>"))
    False
    """
    posts = EMBEDDED_POST_XPATH(element)
    return bool(posts) and sum(text_length(post) for post in posts) >= text_length(element)


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
