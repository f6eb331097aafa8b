"""Is the page an article, or a page that lists other pages (a section front, a category, a shop grid)?

The decision weighs what the page says about itself and how it is built,
points for a listing against points for an article (``LISTING_POINTS`` and
``ARTICLE_POINTS``); the page is a listing when the listing's lead reaches
``LISTING_MIN_LEAD``.  A lost article costs more than a stored listing, so the
article's evidence is weighed generously and the bar is high:

* what the page declares: JSON-LD ``CollectionPage``/``ItemList`` against an
  ``Article``/``BlogPosting``, ``article:published_time``, ``og:type``
  (``article``; ``product.group`` is a shop's category), the CMS's body class
  (WordPress ``single`` against ``archive``/``category``/``tag``/``home``);
* its address: a section path (``/category/``, ``/tag/``, ``/topic/``,
  ``/page/2``, a home page, one bare word like ``/news``) against an
  article's slug of several words, a date or a long number;
* its structure: repeated teaser blocks (``MIN_CARDS`` or more siblings of
  one kind, each with its own link and a short text) holding a good share of
  the page, several linked headlines, and few real paragraphs, against a run
  of long paragraphs (those inside teasers that each link to a page of the
  site are the teasers' text, not an article's).  A single post with comments
  or a long table has one headline and its own paragraphs: it stays an article.

The source's URL rules come first: a URL the source calls an article is one,
a URL it calls a listing is one.  Weights and thresholds were set on WCXB's
dev pages (``benchmarks/bench_wcxb.py``).  Only read, never changed: the
tree may be the spider's shared tree.

May import: ``pipelines.extractors.maintext`` (the page without its menus and sidebars).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import etree

from pipelines.extractors.maintext import card_kind, links_within, prepared_body, site_host, text_length

if TYPE_CHECKING:
    from collections.abc import Iterator

    import lxml.html

ARTICLE = "article"
LISTING = "listing"

ARTICLE_TYPES = re.compile(r"^(?:\w*Article|BlogPosting|LiveBlogPosting|Report|Recipe|HowTo|Review)$")
LISTING_TYPES = re.compile(r"^(?:CollectionPage|ItemList|SearchResultsPage|OfferCatalog)$")
LD_TYPE = re.compile(r'"@type"\s*:\s*(?:"([^"]+)"|\[([^\]]*)\])')
# What the page declares about itself: JSON-LD blocks, og:type, the published-time meta, the body (its class).
DECLARATIONS = etree.XPath(
    "//script[@type='application/ld+json'] | //body"
    " | //meta[@property='og:type' or @name='og:type'"
    " or @property='article:published_time' or @name='article:published_time']"
)
SINGLE_CLASS = re.compile(r"(?:^|\s)(?:single|single-post|postid-\d+)(?:\s|$)")
LISTING_CLASS = re.compile(r"(?:^|\s)(?:archive|category|tag|home|blog|search)(?:\s|$)")
SECTION_PATH = re.compile(
    r"/(?:category|categories|tag|tags|topic|topics|archive|archives|section|sections|hub|collections?"
    r"|shop|browse|c|cat|l|search|page/\d+)(?:/|$)",
    re.IGNORECASE,
)
BARE_WORD = re.compile(r"[A-Za-z]+")
# An article's own address: a slug of four or more words, a dated path, a long number.
ARTICLE_PATH = re.compile(r"[^/]*-[^/]*-[^/]*-[^/]*$|/(?:19|20)\d\d/|\d{4,}[^/]*$")
LINKED_HEADINGS = etree.XPath(
    ".//*[self::h2 or self::h3 or self::h4][.//a[@href]] | .//a[@href][.//h2 or .//h3 or .//h4]"
)
WORD_RE = re.compile(r"\w+")

# A teaser block: a link and a short text.  A run of them is a listing's body.
MIN_CARDS = 4
CARD_MIN_CHARS = 20
CARD_MAX_CHARS = 1500
CARDS_MIN_SHARE = 0.4
# A table's rows are its content (a list of members, a timetable), never teasers, whatever their links.
CARD_FREE_PARENTS = frozenset({"table", "thead", "tbody", "tfoot"})
# Paragraphs that each hold a link are an article's text, never teasers.
NOT_CARDS = frozenset({"p"})
MIN_LINKED_HEADINGS = 5
# An article's paragraph has this many words; fewer than FEW of them is a listing's shape, MANY an article's.
LONG_PARAGRAPH_WORDS = 40
FEW_PARAGRAPHS = 2
MANY_PARAGRAPHS = 6

LISTING_POINTS = {
    "declared listing": 3, "shop category": 2, "listing body class": 1, "home page": 2, "section path": 2,
    "one-word path": 1, "teaser blocks": 2, "linked headlines": 2, "few paragraphs": 1,
    "buy buttons": 4, "sort by price": 4,
}
ARTICLE_POINTS = {"declared article": 3, "og article": 1, "single body class": 2, "article path": 2, "paragraphs": 1}
LISTING_MIN_LEAD = 3
# A shop's grid: each product card has its own buy button, so a page with several is a grid of products.
BUY_CONTROLS = etree.XPath(
    "//button | //a[@href] | //input[@type='submit' or @type='button'] | //*[@role='button']"
)
BUY_WORDS = re.compile(
    r"add to (?:cart|bag|basket|trolley)|quick (?:view|shop|add)|in den warenkorb|в корзину|ajouter au panier"
    r"|añadir al carrito|aggiungi al carrello|in winkelwagen",
    re.IGNORECASE,
)
MIN_BUY_CONTROLS = 2
# A list that can be sorted by price ("Price: low to high") is a shop's or a catalogue's, never an article.
PRICE_SORT = etree.XPath(
    "//select/option[contains(translate(., 'PRICE', 'price'), 'price')"
    " or contains(translate(@value, 'PRICE', 'price'), 'price')]"
)
# A page without main text whose visible text is this much links is a list of links.
LINKS_ONLY = 0.5
# Without the page: a text of short lines (headlines) and many links is a listing.
SHORT_LINE_CHARS = 150
SHORT_LINES_SHARE = 0.6
# The most the structure can add: below this lead without it, the page is an article without a scan.
STRUCTURE_POINTS = LISTING_POINTS["teaser blocks"] + LISTING_POINTS["linked headlines"] + LISTING_POINTS["few paragraphs"]
# The most a shop's controls can add: below this lead without them and the structure, no scan of the page's buttons.
SHOP_POINTS = max(LISTING_POINTS["buy buttons"], LISTING_POINTS["sort by price"])


def page_kind(
    tree: lxml.html.HtmlElement | None,
    url: str | None = None,
    url_kind: str | None = None,
    *,
    text: str | None = None,
    link_density: float | None = None,
) -> str:
    """``"article"`` or ``"listing"`` for the page in ``tree`` (see the module's docstring).

    ``text`` is the main text found (``None``: not known); a page without one
    whose visible text is mostly links (``link_density``) is a listing.

    >>> from scraper.decode import parse_html
    >>> cards = "".join(f"<li class='teaser'><h3><a href='/n/{n}'>News {n}</a></h3><p>Teaser {n}.</p></li>" for n in range(8))
    >>> page_kind(parse_html(f"<body><ul>{cards}</ul></body>"), "https://example.org/news/")
    'listing'
    >>> story = "<p>" + "A sentence of the story that goes on. " * 10 + "</p>"
    >>> page_kind(parse_html(f"<body><h1>Story</h1>{story * 3}<ul>{cards}</ul></body>"), "https://example.org/news/a-b-c-d")
    'article'
    """
    if url_kind in (ARTICLE, LISTING):
        return url_kind
    if text is not None and not text.strip() and (link_density or 0.0) >= LINKS_ONLY:
        return LISTING
    if tree is None:
        return text_shape(text, link_density)
    listing, article = declared_points(tree)
    url_listing, url_article = address_points(url)
    lead = listing + url_listing - article - url_article
    if lead + SHOP_POINTS + STRUCTURE_POINTS < LISTING_MIN_LEAD:
        return ARTICLE
    lead += shop_points(tree)
    if lead + STRUCTURE_POINTS < LISTING_MIN_LEAD:
        return ARTICLE
    body = prepared_body(tree)
    if body is not None:
        shape_listing, shape_article = structure_points(body, site_host(url))
        lead += shape_listing - shape_article
    return LISTING if lead >= LISTING_MIN_LEAD else ARTICLE


def text_shape(text: str | None, link_density: float | None) -> str:
    """Without the page, its text's shape: mostly links and short lines is a listing.

    >>> text_shape("One\\nTwo\\nThree", 0.7), text_shape("One\\nTwo\\nThree", 0.1)
    ('listing', 'article')
    """
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if not lines or (link_density or 0.0) < LINKS_ONLY:
        return ARTICLE
    short = sum(len(line) < SHORT_LINE_CHARS for line in lines) / len(lines)
    return LISTING if short >= SHORT_LINES_SHARE else ARTICLE


def declared_points(tree: lxml.html.HtmlElement) -> tuple[int, int]:
    """Listing and article points from JSON-LD types, ``og:type``, the published-time meta and the body class."""
    types: set[str] = set()
    og: set[str] = set()
    published = False
    body_class = ""
    # One pass over the page for the four (each its own "//" search cost as much as the rest of the decision).
    for element in DECLARATIONS(tree):
        if element.tag == "script":
            types.update(json_ld_types(element.text or ""))
        elif element.tag == "body":
            body_class = element.get("class") or ""
        elif (element.get("property") or element.get("name")) == "og:type":
            og.add((element.get("content") or "").strip().lower())
        else:
            published = True
    declared_article = published or any(ARTICLE_TYPES.match(t) for t in types)
    listing = sum(LISTING_POINTS[name] for name, present in (
        ("declared listing", not declared_article and any(LISTING_TYPES.match(t) for t in types)),
        ("shop category", "product.group" in og),
        ("listing body class", bool(LISTING_CLASS.search(body_class))),
    ) if present)
    article = sum(ARTICLE_POINTS[name] for name, present in (
        ("declared article", declared_article),
        ("og article", "article" in og),
        ("single body class", bool(SINGLE_CLASS.search(body_class))),
    ) if present)
    return listing, article


def shop_points(tree: lxml.html.HtmlElement) -> int:
    """Listing points for a grid of products: a sort by price, or several buy buttons ("Add to cart", "Quick view").

    One product's page has one.  A page that declares itself an article
    (JSON-LD, published time) and has an article's address stays one.

    >>> from scraper.decode import parse_html
    >>> card = "<div><a href='/p/{0}'>Mug {0}</a><button>Add to cart</button></div>"
    >>> shop_points(parse_html("".join(card.format(n) for n in range(6)))), shop_points(parse_html(card.format(1)))
    (4, 0)
    >>> options = "<option value='new'>Newest</option><option value='price-asc'>Lowest</option>"
    >>> shop_points(parse_html(f"<select>{options}</select>"))
    4
    """
    if PRICE_SORT(tree):
        return LISTING_POINTS["sort by price"]
    buttons = 0
    for control in BUY_CONTROLS(tree):
        label = " ".join((control.text_content(), control.get("value") or "", control.get("aria-label") or ""))
        buttons += bool(BUY_WORDS.search(label))
        if buttons >= MIN_BUY_CONTROLS:
            return LISTING_POINTS["buy buttons"]
    return 0


def json_ld_types(raw: str) -> Iterator[str]:
    """Every ``@type`` named in a JSON-LD block (read with a pattern: broken JSON names them too).

    >>> sorted(json_ld_types('{"@type": "NewsArticle", "author": {"@type": ["Person", "Thing"]}}'))
    ['NewsArticle', 'Person', 'Thing']
    """
    for single, several in LD_TYPE.findall(raw):
        if single:
            yield single
        else:
            yield from re.findall(r'"([^"]+)"', several)


def address_points(url: str | None) -> tuple[int, int]:
    """Listing and article points from the URL's path.

    >>> address_points("https://example.org/"), address_points("https://example.org/category/science/")
    ((2, 0), (3, 0))
    >>> address_points("https://example.org/news"), address_points("https://example.org/2024/05/new-lab-opens")
    ((1, 0), (0, 2))
    """
    if not url:
        return 0, 0
    path = urlsplit(url).path.rstrip("/")
    parts = [part for part in path.split("/") if part]
    if not parts:
        return LISTING_POINTS["home page"], 0
    listing = LISTING_POINTS["section path"] if SECTION_PATH.search(path + "/") else 0
    if len(parts) <= 2 and BARE_WORD.fullmatch(parts[-1]):
        listing += LISTING_POINTS["one-word path"]
    article = ARTICLE_POINTS["article path"] if ARTICLE_PATH.search(path) else 0
    return listing, article


def structure_points(body: lxml.html.HtmlElement, host: str = "") -> tuple[int, int]:
    """Listing and article points from teaser blocks, linked headlines and long paragraphs.

    Long paragraphs inside teasers that each link to a page of the site (``host``) are the teasers' text, not an
    article's.
    """
    listing = article = 0
    share, cards = teaser_run(body)
    if share >= CARDS_MIN_SHARE:
        listing += LISTING_POINTS["teaser blocks"]
    if share < CARDS_MIN_SHARE or not all(links_within(card, host) for card in cards):
        cards = []
    if len(LINKED_HEADINGS(body)) >= MIN_LINKED_HEADINGS:
        listing += LISTING_POINTS["linked headlines"]
    paragraphs = long_paragraphs(body) - sum(long_paragraphs(card) for card in cards)
    if paragraphs < FEW_PARAGRAPHS:
        listing += LISTING_POINTS["few paragraphs"]
    elif paragraphs >= MANY_PARAGRAPHS:
        article += ARTICLE_POINTS["paragraphs"]
    return listing, article


def long_paragraphs(element: lxml.html.HtmlElement) -> int:
    """How many paragraphs of ``LONG_PARAGRAPH_WORDS`` words or more the element holds."""
    return sum(len(WORD_RE.findall(p.text_content())) >= LONG_PARAGRAPH_WORDS for p in element.iter("p"))


def teaser_run(body: lxml.html.HtmlElement) -> tuple[float, list[lxml.html.HtmlElement]]:
    """The share of the page's characters in its largest run of teaser blocks, and its blocks (0.0, none: no run).

    A run is ``MIN_CARDS`` or more siblings of one tag and class (numbers in
    class names aside), each with a link and a short text; a table's rows
    are not one.  A teaser's paragraphs are the teaser's, not an article's text.
    """
    total = text_length(body)
    if not total:
        return 0.0, []
    best = 0
    best_cards: list[lxml.html.HtmlElement] = []
    for parent in body.iter(None):
        if len(parent) < MIN_CARDS or parent.tag in CARD_FREE_PARENTS:
            continue
        groups: dict[tuple[str, str], int] = defaultdict(int)
        members: dict[tuple[str, str], list[lxml.html.HtmlElement]] = defaultdict(list)
        for child in parent:
            if child.tag in NOT_CARDS or not isinstance(child.tag, str):
                continue
            if child.get("href") is None and child.find(".//a[@href]") is None:
                continue
            chars = text_length(child)
            if CARD_MIN_CHARS <= chars <= CARD_MAX_CHARS:
                key = card_kind(child)
                groups[key] += chars
                members[key].append(child)
        for key, chars in groups.items():
            if len(members[key]) >= MIN_CARDS and chars > best:
                best, best_cards = chars, members[key]
    return best / total, best_cards
