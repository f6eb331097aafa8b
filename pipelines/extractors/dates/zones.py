"""Page areas a publication date may and may not come from.

Sidebars, "latest news" lists, comments, exchange-rate and weather widgets,
embedded social posts, footers and menus carry dates of other items or of the site, so elements
inside them are never read.  A zone is recognised by its tag or by a class/id
token; layout tokens on wrappers ("has-sidebar", "content-sidebar-wrap", a
"sidebar" beside "mainwrap") and
the ``<html>``/``<body>`` classes say nothing about the element itself, nor do
tokens naming a date ("news-list-date"); a page builder's "elementor-widget-<kind>"
is judged by its kind.  The article's own metadata box
(``aside.meta``, "entry-footer") and a footer or sidebar a few
levels inside the article's container belong to the article; comment threads
inside it do not.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import copy

from lxml import etree

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Class/id words of page areas whose dates belong to other items or to the site.
EXCLUDED_ZONE = re.compile(
    r"(?<![a-z])(sidebar|side-bar|aside|comment|footer|copyright|widget(?=[-_s])|related"
    r"|latest|popular|recent|most-read|more-news|other-news|news-list|lenta"
    r"|currency|rates?(?![a-z])|exchange|weather|breadcrumb|banner|advert|promo(?![a-z])"
    r"|subscribe|similar|feed|nav|menu|site-header|masthead|top-?bar|loop|section[-_]more"
    # Embedded posts of social networks, dated when they were posted.
    r"|twitter-tweet|instagram-media|tiktok-embed|fb-post|reddit-embed|bluesky-embed)",
    re.IGNORECASE,
)
# Page builders (Elementor) class every block "elementor-widget-<kind>": the kind
# names a zone ("…-sidebar", "…-nav-menu") or a list of other posts ("…-posts"), or nothing.
BUILDER_WIDGET = re.compile(r"^elementor-widget(?:-|$)", re.IGNORECASE)
BUILDER_LISTS = re.compile(r"posts|listing|navigation|grid", re.IGNORECASE)
# Tokens naming a layout rather than a zone: the wrapper holds the article too.
LAYOUT_TOKEN = re.compile(
    r"^(has|no|with|without|show|hide)[-_]|wrap|container|layout|template|column|col-",
    re.IGNORECASE,
)
# The article's own footer or metadata box holds its byline and date.
ARTICLE_PART = re.compile(
    r"(entry|post|article|asset|news|item|story)[-_]?(footer|meta)"
    r"|(?<![a-z])(meta|byline|dateline)(?![a-z])",
    re.IGNORECASE,
)
# A token naming a date ("news-list-date") labels the element, not a page area.
DATE_TOKEN = re.compile(r"(date|time|datum)$", re.IGNORECASE)
# Containers of one article: a footer or sidebar a few levels inside one is the
# article's own (its date, credits); comments or related lists inside it stay zones.
ARTICLE_SIDE = re.compile(r"footer|sidebar", re.IGNORECASE)
CONTAINER_REACH = 3
# What a pruned copy keeps although it is never read for a visible date: machine data.
KEPT_FOR_READERS = frozenset({"script", "style", "noscript", "body"})
ARTICLE_CONTAINER = re.compile(
    r"^(article|post|entry|story|hentry|(article|news|post)[-_](single|detail|full|body|content))$",
    re.IGNORECASE,
)
EXCLUDED_TAGS = frozenset({"head", "aside", "footer", "nav", "script", "style", "noscript"})
# A "sidebar" or "comments" box holding the headline is the page layout, not a zone.
# (HTML5 comment threads wrap each comment in an <article> of its own.)
HOLDS_ARTICLE = etree.XPath("boolean(.//h1 | .//article[not(contains(@class, 'comment'))])")
NEUTRAL_TAGS = frozenset({"html", "body"})
DATE_CLASS = re.compile(
    r"date|time|pub|posted|byline|meta|created|datum|when", re.IGNORECASE
)
# Date-like elements that are not the publication date.
NOT_PUBLISHED = re.compile(
    r"modif|updat|lastmod|geändert|änderung|event|deadline|expir|start|end-?date|today"
    r"|current-?date|clock",
    re.IGNORECASE,
)
# Class/id/itemprop words of elements that hold a date.
DATE_MARK = re.compile(
    r"date|datum|time|publi|posted|byline|meta|fecha|created|submitted|parution"
    r"|author|autor|post[-_]?detail|fa-calendar|fa-clock|info",
    re.IGNORECASE,
)
MARKED_CANDIDATES = etree.XPath("//body//*[@class or @id or @itemprop]")
HEADINGS = etree.XPath("//h1 | //h2 | //h3 | //h4")


def in_excluded_zone(element: HtmlElement) -> bool:
    """True when ``element`` sits in a sidebar, comments, widget, footer or menu."""
    return ZoneCache().excluded(element)


def date_marked(tree: HtmlElement) -> list[HtmlElement]:
    """Elements whose class, id or itemprop says they hold a date, in page order."""
    return [el for el in MARKED_CANDIDATES(tree) if DATE_MARK.search(marks(el))]


def is_date_marked(element: HtmlElement) -> bool:
    """True when the element's class, id or itemprop says it holds a date."""
    return DATE_MARK.search(marks(element)) is not None


def marks(element: HtmlElement) -> str:
    """The element's class, id and itemprop in one string, for the mark patterns."""
    attributes = element.attrib
    return f"{attributes.get('class', '')} {attributes.get('id', '')} {attributes.get('itemprop', '')}"


def is_date_classed(element: HtmlElement) -> bool:
    return DATE_CLASS.search(marks(element)) is not None


class ZoneCache:
    """Excluded-zone answers per element, so each ancestor is judged once per page."""

    def __init__(self) -> None:
        self._known: dict[HtmlElement, bool] = {}

    def excluded(self, element: HtmlElement) -> bool:
        known = self._known.get(element)
        if known is None:
            parent = element.getparent()
            known = _is_excluded(element) or (parent is not None and self.excluded(parent))
            self._known[element] = known
        return known


def _is_excluded(node: HtmlElement) -> bool:
    tag = node.tag
    if not isinstance(tag, str):
        return True
    if tag in NEUTRAL_TAGS:
        return False
    class_id = f"{node.get('class', '')} {node.get('id', '')}"
    # On a wrapper ("mainwrap … sidebar") every zone word names the layout, not a zone.
    wrapper = any(LAYOUT_TOKEN.search(token) for token in node.get("class", "").split())
    zone_tokens = [] if wrapper else [
        token for token in class_id.split()
        if _names_zone(token)
    ]
    if not (tag in EXCLUDED_TAGS or zone_tokens) or ARTICLE_PART.search(class_id):
        return False
    side_only = (tag == "footer" or tag not in EXCLUDED_TAGS) and all(ARTICLE_SIDE.search(t) for t in zone_tokens)
    if side_only and _in_article_container(node):
        return False
    return tag in ("script", "style", "noscript") or not HOLDS_ARTICLE(node)


def without_zones(tree: HtmlElement) -> HtmlElement:
    """A copy of the page without its excluded zones (scripts and the head kept), for a reader that knows none."""
    root = copy.deepcopy(tree.getroottree().getroot())
    body = root.find(".//body")
    if body is None:
        return root
    doomed = [
        element for element in body.iter(None)
        if isinstance(element.tag, str) and element.tag not in KEPT_FOR_READERS and _is_excluded(element)
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    return root


def _names_zone(token: str) -> bool:
    """True when a class or id token names an excluded zone."""
    if widget := BUILDER_WIDGET.match(token):
        # A page builder calls every block a widget; the block's kind says what it is.
        kind = token[widget.end():]
        return bool(EXCLUDED_ZONE.search(kind) or BUILDER_LISTS.search(kind))
    return bool(EXCLUDED_ZONE.search(token)) and not DATE_TOKEN.search(token)


def _in_article_container(node: HtmlElement) -> bool:
    """True when one of the few nearest ancestors is a single article's container."""
    for depth, ancestor in enumerate(node.iterancestors()):
        if depth == CONTAINER_REACH or ancestor.tag == "body":
            return False
        if ancestor.tag == "article" or any(
            ARTICLE_CONTAINER.match(token) for token in ancestor.get("class", "").split()
        ):
            return True
    return False
