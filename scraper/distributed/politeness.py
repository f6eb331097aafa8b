"""Per-host politeness across all workers of a distributed crawl.

Scrapy's ``DOWNLOAD_DELAY``, AutoThrottle and ``CONCURRENT_REQUESTS_PER_DOMAIN``
hold per process, so N workers would hit a site N times as hard.  This
downloader middleware keeps, per host, the earliest time the next request may
start in Redis (``<prefix>:delay:<host>``), reserved atomically by a Lua script
that returns how long this request has to wait: all workers together start at
most one request per ``DISTRIBUTED_DOMAIN_DELAY`` seconds on a host (default:
``DOWNLOAD_DELAY``).  Concurrency per host stays a per-worker limit
(``CONCURRENT_REQUESTS_PER_DOMAIN`` × workers); the shared rate bounds the load.

Off (``NotConfigured``) outside a distributed crawl or when the delay is 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import redis
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

STAT_WAITS = "distributed/politeness_waits"

# KEYS[1] the host's key; ARGV[1] the delay in ms.  Returns the wait in ms.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], start + delay, 'PX', start - now + delay + 60000)
return start - now
"""


class SharedDomainDelay:
    def __init__(self, server: redis.Redis, prefix: str, delay: float, stats=None):
        self.prefix = prefix
        self.delay_ms = int(delay * 1000)
        self.stats = stats
        self._reserve = server.register_script(_RESERVE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedDomainDelay:
        settings = crawler.settings
        url = settings.get("REDIS_URL")
        if not url:
            raise NotConfigured("not a distributed crawl (no REDIS_URL)")
        delay = settings.get("DISTRIBUTED_DOMAIN_DELAY")
        delay = settings.getfloat("DOWNLOAD_DELAY") if delay is None else float(delay)
        if delay <= 0:
            raise NotConfigured("no delay between requests to a host (DISTRIBUTED_DOMAIN_DELAY is 0)")
        prefix = settings.get("DISTRIBUTED_KEY_PREFIX")
        return cls(redis.Redis.from_url(url), prefix, delay, crawler.stats)

    def reserve(self, host: str) -> int:
        """Reserve the next start time on ``host``; return how many ms to wait for it."""
        return int(self._reserve(keys=[f"{self.prefix}:delay:{host}"], args=[self.delay_ms]))

    async def process_request(self, request: Request) -> None:
        wait_ms = self.reserve(urlsplit(request.url).netloc.lower())
        if wait_ms > 0:
            if self.stats is not None:
                self.stats.inc_value(STAT_WAITS)
            from twisted.internet import (
                reactor,  # the one Scrapy installed, never at import time
            )

            await maybe_deferred_to_future(task.deferLater(reactor, wait_ms / 1000, lambda: None))
