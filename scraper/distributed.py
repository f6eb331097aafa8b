"""Distributed crawling: every worker shares one frontier in Redis (scrapy-redis).

``ino-archive crawl --redis URL`` (or ``REDIS_URL``) selects
:class:`DistributedScheduler`, scrapy-redis's scheduler with what a
cooperative crawl of many workers on many machines also needs:

* **Keys** (prefix ``DISTRIBUTED_KEY_PREFIX``, default ``ino-archive``):
  ``<prefix>:news:requests`` (sorted set, the shared request queue),
  ``<prefix>:news:dupefilter`` (set of request fingerprints),
  ``<prefix>:news:workers`` (worker states, :mod:`scraper.distributed_state`)
  and ``<prefix>:delay:<host>`` (:mod:`scraper.distributed_politeness`).
* **Seeding**: every worker runs the spider's start requests; the first one
  to push a seed wins, so workers may start in any order and on any machine,
  and one worker alone is a complete crawl.  The spider marks start requests
  ``dont_filter`` (a start page is always re-read, whatever a re-crawl
  remembers); here they go through the shared fingerprint set anyway, or
  every worker would fetch them once.
* **The end**: a worker whose engine is idle stays open while the queue has
  requests or another worker is busy, and closes when both are over.
* **Persistence**: an interrupted crawl (Ctrl-C, kill, a page limit) leaves
  the queue and fingerprints in Redis, and workers started with the same
  prefix resume it; the last worker leaving a *finished* crawl deletes its
  keys, so the next crawl starts afresh.

scrapy-redis calls the stats collector with a ``spider`` argument that
Scrapy ≥ 2.14 deprecates, so the two methods doing so are redefined here.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from scraper.distributed_state import WorkerRegistry

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

QUEUE_CLASS = "scrapy_redis.queue.PriorityQueue"  # a sorted set: distributed_state reads it with ZCARD


def key_settings(prefix: str) -> dict[str, str]:
    """The scrapy-redis settings that place a crawl's keys under ``prefix``.

    >>> key_settings("tomsk")["SCHEDULER_QUEUE_KEY"]
    'tomsk:%(spider)s:requests'
    """
    return {
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        "SCHEDULER_QUEUE_CLASS": QUEUE_CLASS,
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    }


class DistributedScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedScheduler:
        instance = cls.from_settings(crawler.settings)
        instance.stats = crawler.stats
        instance.worker_timeout = crawler.settings.getfloat("DISTRIBUTED_WORKER_TIMEOUT", 120.0)
        crawler.signals.connect(instance.spider_idle, signal=signals.spider_idle)
        return instance

    def open(self, spider: Spider) -> None:
        super().open(spider)
        workers_key = self.queue.key.rsplit(":", 1)[0] + ":workers"
        worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        crawl_keys = [self.queue.key, self.df.key]
        self.registry = WorkerRegistry(self.server, workers_key, worker_id, self.worker_timeout, crawl_keys)
        self.registry.mark("busy")  # before the first push or pop: see distributed_state
        self._heartbeat = task.LoopingCall(self.registry.heartbeat)
        self._heartbeat.start(max(self.worker_timeout / 4, 0.5), now=False)
        logger.info("Distributed crawl: worker %s, queue %s", worker_id, self.queue.key)

    def close(self, reason: str) -> None:
        if getattr(self, "registry", None) is None:  # open() failed: nothing registered
            return
        if self._heartbeat.running:
            self._heartbeat.stop()
        if self.registry.leave(crawl_finished=reason == "finished"):
            logger.info("Last worker of a finished crawl: Redis keys deleted")

    def enqueue_request(self, request: Request) -> bool:
        if (not request.dont_filter or _is_seed(request)) and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self._count("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        if self.registry.state != "busy":
            self.registry.mark("busy")
        request = self.queue.pop()
        if request is not None:
            self._count("scheduler/dequeued/redis")
        return request

    def spider_idle(self) -> None:
        """Keep an idle worker open while the crawl goes on elsewhere."""
        if self.registry.state != "idle":
            self.registry.mark("idle")
        if not self.registry.finished(self.queue.key):
            raise DontCloseSpider("other workers are busy or the shared queue has requests")

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def _is_seed(request: Request) -> bool:
    # A retried start request keeps its meta; it must not be mistaken for a second seed.
    return bool(request.meta.get("is_start_request")) and not request.meta.get("retry_times")
