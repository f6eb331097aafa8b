"""Distributed crawls: several workers share one frontier in Redis (scrapy-redis).

* ``scheduler`` – ``DistributedScheduler``: the shared request queue and seen
  set, seeding by every worker, the end of the crawl decided across workers;
* ``state`` – which workers are busy, kept in Redis, and the ``worker_left``
  signal (the last worker to leave links entities);
* ``politeness`` – ``SharedDomainDelay``, one request per host per delay
  across all workers;
* ``config`` – the settings ``crawl --redis`` adds and the Redis check made
  before the reactor starts.

Settings name the components by their module path
(``scraper.distributed.scheduler.DistributedScheduler``).  May import: nothing
else of ino-archive.
"""

from scraper.distributed.config import (
    DistributedSetupError,
    check_redis,
    distributed_settings,
)
from scraper.distributed.politeness import SharedDomainDelay
from scraper.distributed.scheduler import DistributedScheduler, key_settings
from scraper.distributed.state import WorkerRegistry, worker_left

__all__ = [
    "DistributedScheduler",
    "DistributedSetupError",
    "SharedDomainDelay",
    "WorkerRegistry",
    "check_redis",
    "distributed_settings",
    "key_settings",
    "worker_left",
]
