"""Distributed crawling: every worker shares one frontier in Redis (scrapy-redis).

``ino-archive crawl --redis URL`` (or ``REDIS_URL``) selects
:class:`DistributedScheduler`, scrapy-redis's scheduler with what a
cooperative crawl of many workers on many machines also needs:

* **Keys** (prefix ``DISTRIBUTED_KEY_PREFIX``, default ``ino-archive``):
  ``<prefix>:news:requests`` (sorted set, the shared request queue),
  ``<prefix>:news:dupefilter`` (set of request fingerprints),
  ``<prefix>:news:workers`` (worker states, :mod:`scraper.distributed.state`)
  and ``<prefix>:delay:<host>`` (:mod:`scraper.distributed.politeness`).
* **Seeding**: every worker runs the spider's start requests; the first one
  to push a seed wins, so workers may start in any order and on any machine,
  and one worker alone is a complete crawl.  The spider marks start requests
  ``dont_filter`` (a start page is always re-read, whatever a re-crawl
  remembers); here they go through the shared fingerprint set anyway, or
  every worker would fetch them once.
* **The end**: a worker whose engine is idle stays open while the queue has
  requests or another worker is busy, and closes when both are over.
* **Idle workers look again soon**: Scrapy asks an idle engine's scheduler
  again only every 5 s, so requests another worker queues (the listings of
  the first page, at the start) and the end of the crawl would be seen late.
  An idle worker looks every ``DISTRIBUTED_IDLE_POLL`` seconds instead (a
  cheap ZCARD): it hands a queued request to its engine (``engine.crawl``,
  which wakes it) or closes as soon as the crawl is over.
* **Once per crawl**: a worker leaving sends ``worker_left`` (``last`` when
  no other live worker remains), so cross-article entity linking runs once,
  in the last worker, not in every one.
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
from collections import deque
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from scraper.distributed.state import WorkerRegistry, worker_left

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
        instance.crawler = crawler
        instance.worker_timeout = crawler.settings.getfloat("DISTRIBUTED_WORKER_TIMEOUT", 120.0)
        instance.idle_poll = crawler.settings.getfloat("DISTRIBUTED_IDLE_POLL", 0.5)
        instance._handoff = deque()  # requests popped while idle, given to the engine by engine.crawl()
        instance._poll = None
        instance._closing = None  # the close started by _look_again, kept so the task is not collected
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
        if self._poll is not None and self._poll.active():
            self._poll.cancel()
        while self._handoff:  # popped but never downloaded: back to the shared queue
            self.queue.push(self._handoff.popleft())
        if self.registry.leave(crawl_finished=reason == "finished"):
            logger.info("Last worker of a finished crawl: Redis keys deleted")
        self.crawler.signals.send_catch_log(worker_left, last=self.registry.was_last)

    def enqueue_request(self, request: Request) -> bool:
        if self._handoff and request is self._handoff[0]:
            return True  # a request this worker popped itself (_look_again): served next, locally
        if (not request.dont_filter or _is_seed(request)) and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self._count("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def __len__(self) -> int:
        return len(self._handoff) + len(self.queue)

    def next_request(self) -> Request | None:
        if self._handoff:
            return self._handoff.popleft()
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
            self._look_again_soon()
            raise DontCloseSpider("other workers are busy or the shared queue has requests")

    def _look_again_soon(self) -> None:
        if self.idle_poll > 0 and (self._poll is None or not self._poll.active()):
            from twisted.internet import (
                reactor,  # the one Scrapy installed, never at import time
            )

            self._poll = reactor.callLater(self.idle_poll, self._look_again)

    def _look_again(self) -> None:
        """Still idle: take a request another worker queued, close if the crawl is over, else wait again."""
        if self.registry.state != "idle":  # the engine asked for work meanwhile: it is awake
            return
        if len(self.queue):
            request = self.next_request()  # marks this worker busy before popping
            if request is not None:
                self._handoff.append(request)
                self.crawler.engine.crawl(request)
                return
            self.registry.mark("idle")  # another worker was faster
        elif self.registry.finished(self.queue.key):
            # What the engine would do at its next idle check, up to 5 s later.
            self._closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason="finished"))
            return
        self._look_again_soon()

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def _is_seed(request: Request) -> bool:
    # A retried start request keeps its meta; it must not be mistaken for a second seed.
    return bool(request.meta.get("is_start_request")) and not request.meta.get("retry_times")
