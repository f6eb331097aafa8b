"""Honour ``Retry-After`` on 503 and 429: retry after the delay the server asks, or give up when it is too long.

Scrapy's RetryMiddleware retries a 503 or 429 at once, which a busy server
answers with another 503.  This middleware sits just below it (560, so it sees
the response first): when the answer carries ``Retry-After`` (seconds or an
HTTP date) and retries remain, it waits that long without blocking the
reactor (``await`` a timer) and returns the retry request itself, counted as
``retry/retry_after``.  A delay above ``RETRY_AFTER_MAX`` seconds is not
waited for: the request fails for good (:class:`RetryAfterTooLong`, recorded in
the ``failures`` table by the spider's errback, counted as
``retry/retry_after_too_long``).  Without the header, or with retries used up,
the response goes on to RetryMiddleware unchanged, which retries at once or
gives up as usual.

A waiting request keeps its place in ``CONCURRENT_REQUESTS`` (not in its
host's slot), so the cap also bounds how long a run can be held up.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

# The statuses whose Retry-After asks the client to come back later (RFC 9110 §10.2.3, RFC 6585 §4).
RETRY_AFTER_STATUSES = (429, 503)


class RetryAfterTooLong(IgnoreRequest):
    """The server asked to come back later than ``RETRY_AFTER_MAX`` allows."""


class RetryAfterMiddleware:
    def __init__(self, max_delay: float = 120.0, max_retry_times: int = 2, stats: Any = None) -> None:
        self.max_delay = max_delay
        self.max_retry_times = max_retry_times
        self.stats = stats
        self.crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("RETRY_ENABLED is off: nothing is retried, Retry-After included")
        middleware = cls(settings.getfloat("RETRY_AFTER_MAX", 120.0), settings.getint("RETRY_TIMES"), crawler.stats)
        # get_retry_request() reads the spider's crawler for its stats and log context.
        middleware.crawler = crawler
        return middleware

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in RETRY_AFTER_STATUSES or request.meta.get("dont_retry", False):
            return response
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is None:
            return response
        if delay > self.max_delay:
            self._count("retry/retry_after_too_long")
            raise RetryAfterTooLong(
                f"HTTP {response.status}, Retry-After {delay:.0f} s is more than RETRY_AFTER_MAX ({self.max_delay:.0f} s)"
            )
        if request.meta.get("retry_times", 0) >= request.meta.get("max_retry_times", self.max_retry_times):
            return response  # RetryMiddleware gives up and logs it, once
        logger.debug("%s answered %d, retrying in %.1f s (Retry-After)", request.url, response.status, delay)
        self._count("retry/retry_after")
        await sleep(delay)
        retry = get_retry_request(request, spider=self.crawler.spider, reason=response_status_message(response.status))
        return retry or response

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or HTTP date); None when absent or unreadable.

    >>> retry_after_seconds(b"120"), retry_after_seconds(b"soon"), retry_after_seconds(None)
    (120.0, None, None)
    >>> retry_after_seconds("Thu, 26 Nov 2026 21:00:30 GMT", now=datetime(2026, 11, 26, 21, 0, 0, tzinfo=UTC))
    30.0
    >>> retry_after_seconds("Thu, 26 Nov 2026 20:59:00 GMT", now=datetime(2026, 11, 26, 21, 0, 0, tzinfo=UTC))
    0.0
    """
    if not value:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # RFC 9110 dates are GMT
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
