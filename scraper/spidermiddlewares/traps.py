"""Bound crawler traps: at most ``TRAP_MAX_PER_TEMPLATE`` distinct URLs per host and URL template.

An endless calendar (``/calendar/2024/01`` linking to the next month, for
ever) or a date-driven listing produces URLs that differ only in their dates.
A URL's *template* is its host, path and query with every date-like number
(a run of 1 or 2 digits, or a year 1900–2099) replaced by ``N``; once a
template has had its cap of distinct URLs, further links of that shape are not
followed (counted as ``trap/refused``; the template is logged once and counted
in ``trap/templates_capped``).

What is not a trap keeps its own template, so no article is lost to the cap:

* the last path segment is kept as it is when it has a letter in it (a slug or
  a file name), so ``/2017/09/14/cluster-forum.html`` is its own template;
* other numbers (ids: ``/news/48213``, ``?id=12345``) are kept;
* a template with a single date-like slot holds at most 310 URLs (``0``–``9``,
  ``00``–``99`` and 200 years), below the default cap of 500: page numbers,
  ids below 100 and years are never refused.

The cap bites on two or more date slots: 500 year/month pages are 41 years of
monthly archives, 500 day pages about 16 months of daily archive listings
(articles older than that are still reached through the other listings,
sitemaps and feeds).  Start requests are never refused.  ``TRAP_MAX_PER_TEMPLATE
= 0`` switches the middleware off; ``DEPTH_LIMIT`` stays as the last bound.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

# Days, months, short page numbers, and years of the last two centuries: what calendars are made of.
DATE_LIKE = re.compile(r"(?<!\d)(?:\d{1,2}|19\d\d|20\d\d)(?!\d)")
LETTER = re.compile(r"[^\W\d_]")
SLOT = "N"


class TrapGuardMiddleware(BaseSpiderMiddleware):
    def __init__(self, max_per_template: int = 500, stats: Any = None) -> None:
        self.max_per_template = max_per_template
        self.stats = stats
        # Template → the distinct URLs followed so far; a full set means the template is capped.
        self.seen: dict[str, set[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapGuardMiddleware:
        limit = crawler.settings.getint("TRAP_MAX_PER_TEMPLATE", 500)
        if limit <= 0:
            raise NotConfigured("TRAP_MAX_PER_TEMPLATE is 0: only DEPTH_LIMIT bounds crawler traps")
        return cls(limit, crawler.stats)

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if response is None:
            return request  # a start URL is the user's choice
        template = url_template(request.url)
        if template is None:
            return request
        urls = self.seen.setdefault(template, set())
        if request.url in urls:
            return request  # the scheduler's duplicate filter decides about repeats
        if len(urls) >= self.max_per_template:
            self._count("trap/refused")
            return None
        urls.add(request.url)
        if len(urls) == self.max_per_template:
            self._count("trap/templates_capped")
            logger.info("Crawler trap? %d URLs of the shape %s: no more are followed (TRAP_MAX_PER_TEMPLATE)",
                        self.max_per_template, template)
        return request

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def url_template(url: str) -> str | None:
    """The URL's host, path and query with date-like numbers as ``N``; None when it has none.

    >>> url_template("http://x.org/calendar/2024/01/15")
    'x.org/calendar/N/N/N'
    >>> url_template("http://x.org/events?year=2024&month=1")
    'x.org/events?year=N&month=N'
    >>> [url_template(u) for u in ("http://x.org/2017/09/14/forum-2017.html", "http://x.org/news/48213")]
    ['x.org/N/N/N/forum-2017.html', None]
    >>> url_template("http://x.org/about")
    """
    parts = urlsplit(url)
    *head, last = parts.path.split("/")
    slots = 0

    def sub(text: str) -> str:
        nonlocal slots
        text, n = DATE_LIKE.subn(SLOT, text)
        slots += n
        return text

    path = "/".join([*map(sub, head), last if LETTER.search(last) else sub(last)])
    query = "&".join(f"{k}={sub(v)}" for k, v in parse_qsl(parts.query, keep_blank_values=True))
    if not slots:
        return None
    return parts.netloc.lower() + path + (f"?{query}" if query else "")
