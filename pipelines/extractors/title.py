"""Find an article's headline, not the site's name or the section's.

A cascade from the most to the least deliberate signal: the article's ``h1``
when it agrees with the declared title (the headline as readers see it), else
the declared Open Graph / JSON-LD headline; a titled ``h2``/``h3``; an
``h1``/``h2`` that repeats part of ``<title>``; and finally ``<title>`` itself
with the site name split off.  Every step returns ``None`` when it has nothing, so the next one runs.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import etree

if TYPE_CHECKING:
    from collections.abc import Iterator

    import lxml.html

logger = logging.getLogger(__name__)

META_TITLE_XPATHS = (
    "//meta[@property='og:title' or @name='og:title']/@content",
    "//meta[@name='twitter:title' or @property='twitter:title']/@content",
)
# One pass each (a whole-document scan costs as much as the rest of the title
# search): declared names, then the logo's picture alt text, the site-name
# blocks, and the heading of the page header.
SITE_NAME_META_XPATH = etree.XPath(
    "//meta[@property='og:site_name' or @name='og:site_name' or @name='application-name']/@content"
)
# Filtering class/id in Python is about twice as fast as XPath contains().
CLASSED_XPATH = etree.XPath("//*[@class or @id]")
SITE_NAME_CLASS_RE = re.compile(r"logo|site-name|site-title")
HEADER_H1_XPATH = etree.XPath("//header//h1[not(ancestor::article)]")
JSON_LD_XPATH = "//script[@type='application/ld+json']/text()"
JSON_LD_TITLE_KEYS = ("headline", "name")
JSON_LD_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report|WebPage", re.IGNORECASE)
# From specific to generic: headings inside what is marked as the article.
ARTICLE_H1_XPATHS = (
    "//*[@itemprop='headline']",
    "//article//h1",
    "//h1[contains(@class, 'title') or contains(@class, 'headline')]",
    "//*[contains(@class, 'article') or contains(@class, 'news') or contains(@class, 'post')"
    " or contains(@class, 'entry') or contains(@class, 'content')]//h1",
    "//main//h1",
)
TITLED_SUBHEADING_XPATH = (
    "//h2[contains(@class, 'title') or contains(@class, 'headline')]"
    " | //h3[contains(@class, 'title') or contains(@class, 'headline')]"
)
# The shown h1 stands for the declared title when this share of their words agree (word-bag F1);
# set on WCXB's dev pages (0.2-0.3 alike; 0.5 and over keep more of og:title's variants).
HEADLINE_AGREEMENT = 0.3
WORD_RE = re.compile(r"\w+")
HEADING_XPATH = "//h1 | //h2"
# An h1 in these places is the site's logo, not a headline.
SINGLE_H1_XPATH = "//h1[not(ancestor::header or ancestor::nav or ancestor::a or ancestor::*[contains(@class, 'logo')])]"
# "Site | Section | Headline", "Headline — Site", "Headline :: Site" …
# «» are quotes in Russian headlines, so they only separate when spaced like "»".
TITLE_SEPARATOR_RE = re.compile(r"\s+[|\-–—:/»·•]{1,2}\s+|\s*(?:\|\||::)\s*")
SEPARATOR_CHARS = " |-–—:/»·•"
# Words that name a section or a site, never an article.
GENERIC_TITLES = frozenset(
    "news новости новость home главная main index article статья press пресс-центр "
    "events события blog блог untitled".split()
)
MIN_TITLE_CHARS = 4
MAX_TITLE_CHARS = 300
# A site's name is a few words; a longer text in a logo or site-title block is the page around it.
MAX_SITE_NAME_CHARS = 100
# The longest part of a browser title this long is a headline rather than a site's name.
MIN_HEADLINE_WORDS = 4
# A title part that spells the domain's name (this many letters at least, in a few words) is the site's signature.
MIN_DOMAIN_CHARS = 4
MAX_SITE_NAME_WORDS = 4
GENERIC_HOST_LABELS = frozenset({"www", "m", "en", "shop", "store", "blog", "news", "web", "home"})


def extract_title(tree: lxml.html.HtmlElement | None, url: str | None = None) -> str | None:
    """Return the headline of the page in ``tree``, or ``None``.

    >>> from scraper.decode.tree import parse_html
    >>> extract_title(parse_html("<title>Site | News</title><h1>Big day in Tomsk</h1>"))
    'Big day in Tomsk'
    >>> extract_title(parse_html("<title>Big day in Tomsk — Site</title>"))
    'Big day in Tomsk'
    """
    if tree is None:
        return None
    site_names = find_site_names(tree, url)
    steps = (headline, titled_subheading, heading_in_title, single_h1, title_tag)
    for step in steps:
        title = step(tree, site_names)
        if title:
            return without_domain_name(title, url)
    return None


def without_domain_name(title: str, url: str | None) -> str:
    """``title`` less a last part that names the site's domain: "… | DigitalOcean" on digitalocean.com.

    A site whose name the page never declares still signs its titles with it.  Only the last part goes:
    a first part ("Talkspace - Online Therapy") is how a company's own pages name what they sell.

    >>> without_domain_name("n8n: A Guide to Workflow Automation | DigitalOcean", "https://www.digitalocean.com/a/n8n")
    'n8n: A Guide to Workflow Automation'
    >>> without_domain_name("Actuary's Industry Choice - Consulting or Insurance?", "https://www.soa.org/x")
    "Actuary's Industry Choice - Consulting or Insurance?"
    """
    parts = split_title(title)
    if len(parts) < 2 or not names_domain(parts[-1], url):
        return title
    rest = before_last_part(title, parts)
    return rest if usable(rest) else title


def names_domain(part: str, url: str | None) -> bool:
    """True when a short title part spells the site's domain name ("LMSYS Org" on lmsys.org, "bcbs.com").

    >>> names_domain("Samsonite", "https://shop.samsonite.com/luggage/"), names_domain("Blog", "https://blog.example.org/")
    (True, False)
    """
    label = domain_label(url)
    letters = re.sub(r"[\W_]", "", part.lower())
    return bool(label) and len(letters) >= MIN_DOMAIN_CHARS and len(part.split()) <= MAX_SITE_NAME_WORDS and (
        label in letters or letters in label
    )


def domain_label(url: str | None) -> str:
    """The longest distinctive label of the URL's host, without hyphens ("shop.samsonite.com" -> "samsonite");
    empty when it is too short to tell ("ft.com")."""
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [label for label in host.split(".")[:-1]
              if label not in GENERIC_HOST_LABELS and len(label) >= MIN_DOMAIN_CHARS]
    return max(labels, key=len, default="").replace("-", "")


def meta_title(tree: lxml.html.HtmlElement, site_names: frozenset[str]) -> str | None:
    """og:title, twitter:title or a JSON-LD headline, cleaned of the site name."""
    for candidate in meta_candidates(tree):
        title = strip_site_name(clean(candidate), site_names)
        if usable(title) and title.lower() not in site_names:
            return title
    return None


def meta_candidates(tree: lxml.html.HtmlElement) -> Iterator[str]:
    """Meta titles first, then JSON-LD headlines."""
    for xpath in META_TITLE_XPATHS:
        yield from (str(value) for value in tree.xpath(xpath))
    yield from json_ld_titles(tree)


def json_ld_titles(tree: lxml.html.HtmlElement) -> Iterator[str]:
    """Headlines of the article objects declared in JSON-LD blocks."""
    for raw in tree.xpath(JSON_LD_XPATH):
        try:
            data = json.loads(raw)
        except ValueError:
            logger.debug("unparsable JSON-LD block skipped")
            continue
        for obj in json_ld_objects(data):
            if JSON_LD_ARTICLE_TYPES.search(str(obj.get("@type", ""))):
                yield from (obj[key] for key in JSON_LD_TITLE_KEYS if isinstance(obj.get(key), str))


def json_ld_objects(data: object) -> Iterator[dict]:
    """Walk lists and ``@graph`` containers down to the JSON-LD objects."""
    if isinstance(data, list):
        for element in data:
            yield from json_ld_objects(element)
    elif isinstance(data, dict):
        yield data
        yield from json_ld_objects(data.get("@graph", []))


def headline(tree: lxml.html.HtmlElement, site_names: frozenset[str]) -> str | None:
    """The article's h1 as the page shows it when it agrees with the declared title (or none is declared),
    else the declared title (og:title, twitter:title, JSON-LD).

    og:title is often a variant of the headline made for search and sharing (a year, a site name, other
    words); the reader sees the h1.  An h1 that shares too few words with the declared title
    (``HEADLINE_AGREEMENT``) is some other block's heading ("0 Comments"), and the declared title stands.

    >>> from scraper.decode.tree import parse_html
    >>> page = "<meta property='og:title' content='{}'><article><h1>{}</h1></article>"
    >>> headline(parse_html(page.format("Top 11 SEO Strategies | Acme", "11 SEO Strategies for 2025")), frozenset())
    '11 SEO Strategies for 2025'
    >>> headline(parse_html(page.format("Top 11 SEO Strategies", "0 Comments")), frozenset())
    'Top 11 SEO Strategies'
    """
    declared = meta_title(tree, site_names)
    shown = first_heading(tree, site_names, ARTICLE_H1_XPATHS)
    if shown is not None and (declared is None or word_agreement(shown, declared) >= HEADLINE_AGREEMENT):
        return shown
    return declared


def word_agreement(first: str, second: str) -> float:
    """The word-bag F1 of two titles (lower-cased ``\\w+`` words).

    >>> word_agreement("Big day in Tomsk", "Big Day in Tomsk | News")
    0.8888888888888888
    """
    ours, theirs = Counter(WORD_RE.findall(first.lower())), Counter(WORD_RE.findall(second.lower()))
    shared = sum((ours & theirs).values())
    return 2 * shared / (sum(ours.values()) + sum(theirs.values())) if shared else 0.0


def first_heading(tree: lxml.html.HtmlElement, site_names: frozenset[str], xpaths: tuple[str, ...]) -> str | None:
    """The first usable heading that ``xpaths`` find, in their order, that does not name the site."""
    for xpath in xpaths:
        for element in tree.xpath(xpath):
            title = clean(heading_text(element))
            if usable(title) and title.lower() not in site_names:
                return title
    return None


def titled_subheading(tree: lxml.html.HtmlElement, site_names: frozenset[str]) -> str | None:
    """The first usable h2/h3 classed as a title (portals such as Liferay title the article with an h3)."""
    return first_heading(tree, site_names, (TITLED_SUBHEADING_XPATH,))


def heading_in_title(tree: lxml.html.HtmlElement, site_names: frozenset[str]) -> str | None:
    """An h1/h2 whose text is part of ``<title>`` (and is not all of a generic one)."""
    page_title = clean(tree.findtext(".//title") or "").lower()
    if not page_title:
        return None
    for element in tree.xpath(HEADING_XPATH):
        title = clean(heading_text(element))
        lowered = title.lower()
        if usable(title) and lowered not in site_names and lowered in page_title and len(title) * 3 > len(page_title):
            return title
    return None


def single_h1(tree: lxml.html.HtmlElement, site_names: frozenset[str]) -> str | None:
    """The page's only h1 outside the header and the logo."""
    headings = tree.xpath(SINGLE_H1_XPATH)
    if len(headings) != 1:
        return None
    title = clean(heading_text(headings[0]))
    if not usable(title) or title.lower() in site_names or is_minor_title_part(tree, title):
        return None
    return title


def is_minor_title_part(tree: lxml.html.HtmlElement, heading: str) -> bool:
    """True when ``heading`` is a short part of ``<title>`` beside a longer one: the site's name.

    >>> from scraper.decode.tree import parse_html
    >>> is_minor_title_part(parse_html("<title>Big day for the Tomsk clusters - Tomsk News</title>"), "Tomsk News")
    True
    """
    page_title = clean(tree.findtext(".//title") or "")
    parts = [part.lower() for part in split_title(page_title)]
    return len(parts) > 1 and heading.lower() in parts and len(heading) * 3 <= len(page_title)


def title_tag(tree: lxml.html.HtmlElement, site_names: frozenset[str]) -> str | None:
    """``<title>`` with separators split off; the longest part not naming the site wins.

    >>> from scraper.decode.tree import parse_html
    >>> title_tag(parse_html("<title>Новости | Губернатор открыл технопарк | Томская область</title>"), frozenset())
    'Губернатор открыл технопарк'
    """
    parts = split_title(clean(tree.findtext(".//title") or ""))
    parts = [part for part in parts if usable(part) and part.lower() not in site_names]
    return max(parts, key=len, default=None)


def split_title(title: str) -> list[str]:
    """Split a browser title on the separators sites put around their name.

    >>> split_title("Sherpa's Pro | News")
    ["Sherpa's Pro", 'News']
    """
    return [part.strip() for part in TITLE_SEPARATOR_RE.split(title) if part.strip()]


def strip_site_name(title: str, site_names: frozenset[str]) -> str:
    """Remove a leading or trailing part that is the site's name.

    >>> strip_site_name("Big day in Tomsk | INO Tomsk", frozenset({"ino tomsk"}))
    'Big day in Tomsk'
    """
    parts = split_title(title)
    if len(parts) < 2:
        return title
    if parts[-1].lower() in site_names or parts[-1].lower() in GENERIC_TITLES:
        return strip_site_name(before_last_part(title, parts), site_names)
    if parts[0].lower() in site_names or parts[0].lower() in GENERIC_TITLES:
        return strip_site_name(title[len(parts[0]) :].lstrip(SEPARATOR_CHARS), site_names)
    return title


def before_last_part(title: str, parts: list[str]) -> str:
    """``title`` up to its last part (``split_title``'s ``parts``), without the separator before it."""
    return title[: title.rfind(parts[-1])].rstrip(SEPARATOR_CHARS)


def find_site_names(tree: lxml.html.HtmlElement, url: str | None = None) -> frozenset[str]:
    """Lower-cased site names: declared in meta tags, or shown by the logo and the page header.

    What the page shows is the site's name unless it is the page's headline (``page_headlines``: themes
    put the post's title in the page header, even in a "logo" block), or a block too long for a name
    ("skip to content … menu … the whole article").

    >>> from scraper.decode.tree import parse_html
    >>> sorted(find_site_names(parse_html("<title>Big day in Tomsk | Tomsk News</title><header><h1>Big day in Tomsk</h1>"
    ...                                   "<a class='logo'>Tomsk News</a></header>")))
    ['tomsk news']
    """
    shown = [heading_text(element) for element in HEADER_H1_XPATH(tree)]
    for element in CLASSED_XPATH(tree):
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if SITE_NAME_CLASS_RE.search(names):
            shown.append(element.text_content())
            if "logo" in names:
                shown.extend(element.xpath(".//img/@alt"))
    headlines = page_headlines(tree)
    names = {clean(str(value)).lower() for value in SITE_NAME_META_XPATH(tree)}
    names.update(name for value in shown if len(name := clean(value).lower()) <= MAX_SITE_NAME_CHARS and name not in headlines)
    names.discard("")
    return frozenset(names)


def page_headlines(tree: lxml.html.HtmlElement) -> set[str]:
    """What the page declares as its own name, lower-cased: its meta titles, and the longest part of a
    ``<title>`` of several parts when it reads as a headline ("Headline of four words | Site"; a title of
    one part may be the site's name alone, and "News | INO Tomsk" names a section and the site)."""
    found = {clean(str(value)).lower() for xpath in META_TITLE_XPATHS for value in tree.xpath(xpath)}
    parts = split_title(clean(tree.findtext(".//title") or ""))
    longest = max(parts, key=len, default="")
    if len(parts) > 1 and len(longest.split()) >= MIN_HEADLINE_WORDS:
        found.add(longest.lower())
    return found


def usable(title: str | None) -> bool:
    """Long enough, not absurdly long, and not a section word such as "News"."""
    if not title:
        return False
    return MIN_TITLE_CHARS <= len(title) <= MAX_TITLE_CHARS and title.lower() not in GENERIC_TITLES


def heading_text(element: lxml.html.HtmlElement) -> str:
    """A heading's text, with a space where a line break stands ("WEEKEND<br>CODING" is two words).

    >>> from scraper.decode.tree import parse_html
    >>> heading_text(parse_html("<h1> WEEKEND<br>CODING<br> <span>AGENT</span></h1>").find(".//h1"))
    ' WEEKEND CODING  AGENT'
    """
    return "".join(_heading_pieces(element))


def _heading_pieces(element: lxml.html.HtmlElement) -> Iterator[str]:
    if element.tag == "br":
        yield " "
    elif isinstance(element.tag, str) and element.text:
        yield element.text
    for child in element:
        yield from _heading_pieces(child)
        if child.tail:
            yield child.tail


def clean(text: str) -> str:
    """Collapse whitespace and strip it.

    >>> clean("  Big\\n  day ")
    'Big day'
    """
    return " ".join(text.split())
