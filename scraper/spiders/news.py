"""The one config-driven spider: listings, pagination, sitemaps and feeds → one item per page.

Run it as ``scrapy crawl news [-a source=NAME[,NAME]] [-a url=URL[,URL]]`` or
through ``ino-archive crawl``.  Which URLs are articles or listings is the
source config's business (:mod:`scraper.sources`); the spider only follows
what a source allows and turns every fetched HTML page into an
:class:`~scraper.items.ArticleItem`.  Extraction happens in the pipelines.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import etree
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from scraper.decode import decode_body, page_tree
from scraper.downloadermiddlewares.incremental import UNCHANGED_META, NotModified
from scraper.extensions.failures import page_failed
from scraper.items import ArticleItem
from scraper.sources import Source, adhoc_source, load_sources, select_sources

logger = logging.getLogger(__name__)

HTML_TYPES = (b"text/html", b"application/xhtml+xml")
# Feeds and sitemaps are parsed without entities or network access (billion laughs, XXE).
_XML_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
_LINK_TAGS = ("a", "area")


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, source: str | list[str] | None = None, url: str | list[str] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self._source_names = _as_list(source)
        self._adhoc_urls = _as_list(url)
        self.sources: list[Source] = []

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.sources = spider._resolve_sources(crawler.settings.get("SOURCES_FILE"))
        return spider

    def _resolve_sources(self, sources_file: str | None) -> list[Source]:
        adhoc = [adhoc_source(u) for u in self._adhoc_urls]
        if self._source_names:
            return select_sources(load_sources(sources_file), self._source_names) + adhoc
        if adhoc:
            return adhoc
        return list(load_sources(sources_file).values())

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            for request in self._start_requests(source):
                yield request

    def _start_requests(self, source: Source) -> Iterable[scrapy.Request]:
        meta = {"source": source.name}
        for url in source.start_urls:
            yield scrapy.Request(url, self.parse_page, errback=self.on_error, meta=meta, dont_filter=True)
        for url in source.sitemaps:
            yield scrapy.Request(url, self.parse_sitemap, errback=self.on_error, meta=meta)
        for url in source.feeds:
            yield scrapy.Request(url, self.parse_feed, errback=self.on_error, meta=meta)
        # robots.txt is read again here (Scrapy's middleware keeps its copy to
        # itself) for the sitemaps it names; one try is enough.
        robots_meta = {**meta, "max_retry_times": 0}
        for root in sorted({_site_root(u) for u in source.start_urls}):
            yield scrapy.Request(root + "/robots.txt", self.parse_robots, errback=self.on_error, meta=robots_meta)

    # --- callbacks ------------------------------------------------------------------

    def parse_page(self, response: Response):
        source = self._source(response)
        if response.status >= 400:
            self._count(f"spider/http_status/{response.status}")
            self._failed(response.url, "http", f"HTTP {response.status}")
            return
        if not _is_html(response):
            self._count("spider/non_html")
            return
        decoded = decode_body(response.body, _header(response, b"Content-Type"))
        self._count("spider/pages_fetched")
        # Links first: the page's tree is then still the one page_tree remembers
        # when the item's text and dates stages ask for it (one parse per page).
        requests = list(self._follow_links(response, source, decoded.text))
        if response.meta.get(UNCHANGED_META):
            # The same bytes as the archived article: nothing to extract, links still followed.
            self._count("spider/unchanged")
        else:
            yield self._item(response, source, decoded)
        yield from requests

    def parse_sitemap(self, response: Response):
        source = self._source(response)
        body = _sitemap_body(response)
        if body is None:
            self._count("spider/sitemap_unreadable")
            return
        try:
            sitemap = Sitemap(body)
        except (etree.XMLSyntaxError, ValueError):
            self._count("spider/sitemap_unreadable")
            return
        for entry in sitemap:
            loc = entry.get("loc", "")
            if sitemap.type == "sitemapindex":
                yield response.follow(loc, self.parse_sitemap, errback=self.on_error, meta=_source_meta(response))
            elif source.should_follow(loc):
                yield response.follow(loc, self.parse_page, errback=self.on_error, meta=_source_meta(response))

    def parse_feed(self, response: Response):
        source = self._source(response)
        for link in _feed_links(response.body):
            url = response.urljoin(link)
            if source.should_follow(url):
                yield scrapy.Request(url, self.parse_page, errback=self.on_error, meta=_source_meta(response))

    def parse_robots(self, response: Response):
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            yield scrapy.Request(url, self.parse_sitemap, errback=self.on_error, meta=_source_meta(response))

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        if request.url.endswith("/robots.txt"):
            return  # a site without robots.txt is normal, not an error
        if failure.check(NotModified):
            self._count("spider/not_modified")
            return
        if failure.check(HttpError):
            # A status Scrapy gave up on (500 after retries): counted like the 404s.
            status = failure.value.response.status
            self._count(f"spider/http_status/{status}")
            self._failed(request.url, "http", f"HTTP {status} (after retries)")
        else:
            self._count(f"spider/errors/{type(failure.value).__name__}")
            self._failed(request.url, "fetch", f"{type(failure.value).__name__}: {failure.getErrorMessage()}")
        logger.warning("Could not fetch %s: %s", request.url, failure.getErrorMessage())

    # --- helpers ----------------------------------------------------------------------

    def _item(self, response: Response, source: Source, decoded) -> ArticleItem:
        return ArticleItem(
            url=response.url,
            source=source.name,
            html=decoded.text,
            encoding=decoded.encoding,
            encoding_from=decoded.source,
            status=response.status,
            fetched_at=datetime.now(UTC),
            url_kind=source.url_kind(response.url),
            language_hint=source.language,
        )

    def _follow_links(self, response: Response, source: Source, text: str):
        for url in _page_links(text, response.url):
            if source.should_follow(url):
                yield scrapy.Request(url, self.parse_page, errback=self.on_error, meta=_source_meta(response))

    def _source(self, response: Response) -> Source:
        name = response.meta.get("source")
        return next((s for s in self.sources if s.name == name), self.sources[0])

    def _count(self, key: str) -> None:
        self.crawler.stats.inc_value(key)

    def _failed(self, url: str, stage: str, reason: str) -> None:
        """A permanent failure: recorded with its reason by scraper.extensions.failures."""
        self.crawler.signals.send_catch_log(page_failed, url=url, stage=stage, reason=reason)


def _source_meta(response: Response) -> dict:
    # Only the source travels to followed links: Scrapy's own keys (retry
    # counts, redirect history, latency) belong to the response's request.
    return {"source": response.meta.get("source")}


def _as_list(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def _site_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _is_html(response: Response) -> bool:
    content_type = (response.headers.get(b"Content-Type") or b"").lower()
    if content_type:
        return any(t in content_type for t in HTML_TYPES)
    return response.body[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html"))


def _sitemap_body(response: Response) -> bytes | None:
    body = response.body
    if body[:2] == b"\x1f\x8b":
        max_size = response.meta.get("download_maxsize") or 32 * 1024 * 1024
        try:
            return gunzip(body, max_size=max_size)
        except (OSError, EOFError, ValueError):
            return None
    return body


def _feed_links(body: bytes) -> list[str]:
    """Item links of an RSS or Atom feed, parsed without entity expansion."""
    try:
        root = etree.fromstring(body, etree.XMLParser(**_XML_PARSER_OPTIONS))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    rss = [el.text.strip() for el in root.iterfind(".//item/link") if el.text]
    atom = [
        el.get("href", "")
        for el in root.iter("{http://www.w3.org/2005/Atom}link")
        if el.get("rel", "alternate") == "alternate" and el.getparent().tag.endswith("entry")
    ]
    return rss + [a for a in atom if a]


def _page_links(text: str, base_url: str) -> list[str]:
    """Absolute http(s) link targets of a page, fragments dropped, in order.

    Only ``<a>``/``<area>`` hrefs are resolved: lxml's ``make_links_absolute``
    would rewrite every link of the page (images, scripts, CSS ``url()``s),
    several times the cost.  Resolution is the same: against the last
    ``<base href>`` first, then the page URL; a link urljoin refuses is skipped.
    """
    tree = page_tree(text)
    if tree is None:
        return []
    bases = [base.get("href") for base in tree.iter("base") if base.get("href") is not None]
    base_href = bases[-1] if bases else None
    seen: dict[str, None] = {}
    # A page repeats many of its hrefs (menus, "read more"): each one is resolved once.
    resolved: set[str] = set()
    for element in tree.iter(*_LINK_TAGS):
        href = element.get("href")
        if href is None or href in resolved:
            continue
        resolved.add(href)
        try:
            link = urljoin(base_href, href.strip()) if base_href else href
            link = urljoin(base_url, link.strip())
        except ValueError:
            continue
        if link.startswith(("http://", "https://")):
            seen.setdefault(link.split("#", 1)[0], None)
    return list(seen)
