"""Publication dates the page states for machines: JSON-LD, ``<meta>`` tags, script data.

Only ``datePublished`` and its synonyms are read, never ``dateModified``.
Named publication metas are trusted early; a bare ``<meta name="date">`` is
often the CMS's last change and is read only after the visible signals.
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any

from lxml import etree

from pipelines.extractors.dates.page import PublishedDate
from pipelines.extractors.dates.parse import on_utc_clock, parse_machine_date

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from pipelines.extractors.dates.page import Page

logger = logging.getLogger(__name__)

META_NAMES = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "article:published", "og:article:published", "article:published_date",
    "article:post_date", "article:publicationdate", "published_time", "article.published",
    "article.created", "article_date_original", "datepublished", "datecreated",
    "pubdate", "publishdate", "publish-date", "publish_date", "publish_time",
    "published-date", "published_date", "publisheddate", "publication_date",
    "og:pubdate", "og:publish_date", "og:datepublished", "dc.date.issued",
    "dcterms.issued", "dc.date.created", "dcterms.created", "dc.date.publication",
    "dc.created", "dc:created", "citation_publication_date", "citation_date",
    "bepress_citation_date", "parsely-pub-date", "sailthru.date", "rnews:datepublished",
    "displaydate", "date_published", "date_created", "dateposted", "content_create_date",
    "cxenseparse:recs:publishtime", "shareaholic:article_published_time",
    "twt-published-at", "vr:published_time", "mediator_published_time", "rbpubdate",
)
META_RANK = {name: rank for rank, name in enumerate(META_NAMES)}
# A bare "date" is often the page's last change (CMS default): it is read only
# after the dates shown on the page itself.
GENERIC_META_NAMES = ("date", "dc.date", "dc:date", "dcterms.date")
GENERIC_META_RANK = {name: rank for rank, name in enumerate(GENERIC_META_NAMES)}
META_ATTRIBUTES = ("property", "name", "itemprop")
METAS = etree.XPath("//meta[@content]")
JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()")
JSON_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
ARTICLE_TYPES = re.compile(r"Article|Posting|Report|Blog", re.IGNORECASE)
# Page data in scripts (analytics layers, app state) names the publication date too.
SCRIPTS = etree.XPath("//script[not(@type='application/ld+json')]/text()")
SCRIPT_PUBLISHED = re.compile(
    r"""["']?(?:datePublished|publishDate|publish_date|published_at|publishedAt|publicationDate"""
    r"""|publication_date|article_publication_date|first_publish_date|date_published|publishdate|pubDate)"""
    r"""["']?\s*[:=]\s*["']([^"'<>]{8,40})["']"""
)


# --- JSON-LD ---------------------------------------------------------------------------------
def from_json_ld(page: Page) -> PublishedDate | None:
    """The first readable JSON-LD ``datePublished``, article-typed objects first."""
    values = [value for raw in JSON_LD(page.tree) for value in _json_ld_values(raw)]
    # Values from article-typed objects come first (sorted is stable).
    for _, value in sorted(values, key=lambda pair: not pair[0]):
        if (found := parse_machine_date(value, page.today, page.zone)) is not None:
            return PublishedDate(found, "json-ld", on_utc_clock(value))
    return None


def _json_ld_values(raw: str) -> list[tuple[bool, str]]:
    if "datePublished" not in raw:
        return []
    try:
        return list(_json_ld_dates(json.loads(raw.strip().rstrip(";"))))
    except ValueError:
        # Broken JSON (trailing commas, raw newlines) still names its date.
        logger.debug("unreadable JSON-LD block read with a pattern")
        return [(False, match.group(1)) for match in JSON_PUBLISHED.finditer(raw)]


def _json_ld_dates(node: Any) -> Iterator[tuple[bool, str]]:
    if isinstance(node, list):
        for child in node:
            yield from _json_ld_dates(child)
    elif isinstance(node, dict):
        value = node.get("datePublished")
        if isinstance(value, str):
            yield bool(ARTICLE_TYPES.search(str(node.get("@type", "")))), value
        for key, child in node.items():
            if key != "datePublished" and isinstance(child, (list, dict)):
                yield from _json_ld_dates(child)


# --- meta tags -------------------------------------------------------------------------------
def from_meta(page: Page) -> PublishedDate | None:
    """The date of the most trusted named publication ``<meta>``."""
    return _meta_date(page, META_RANK)


def from_generic_meta(page: Page) -> PublishedDate | None:
    """The date of a bare ``<meta name="date">`` (or its Dublin Core forms)."""
    return _meta_date(page, GENERIC_META_RANK)


def _meta_date(page: Page, ranks: dict[str, int]) -> PublishedDate | None:
    found: list[tuple[int, str]] = []
    for meta in METAS(page.tree):
        for attribute in META_ATTRIBUTES:
            rank = ranks.get((meta.get(attribute) or "").strip().lower())
            if rank is not None:
                found.append((rank, meta.get("content")))
    for _, content in sorted(found, key=lambda pair: pair[0]):
        if (result := parse_machine_date(content, page.today, page.zone)) is not None:
            return PublishedDate(result, "meta", on_utc_clock(content))
    return None


# --- page data in scripts --------------------------------------------------------------------
def from_script(page: Page) -> date | None:
    """The publication date named in page data, when all its mentions agree
    (lists of references or teasers name several)."""
    found = {
        result
        for script in SCRIPTS(page.tree)
        for match in SCRIPT_PUBLISHED.finditer(script)
        if (result := parse_machine_date(match.group(1), page.today, page.zone)) is not None
    }
    return found.pop() if len(found) == 1 else None
