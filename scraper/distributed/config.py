"""Turning a crawl into a distributed one: settings, and checks done before the reactor starts.

:func:`distributed_settings` is what ``ino-archive crawl --redis URL`` adds to
the crawl's settings; with ``scrapy crawl news`` pass the same as ``-s``.
"""

from __future__ import annotations

import re

import redis
from redis.exceptions import RedisError

from scraper.distributed.scheduler import key_settings

_PREFIX = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


class DistributedSetupError(ValueError):
    """Redis cannot be used for this crawl; the message says why."""


def distributed_settings(redis_url: str, prefix: str) -> dict[str, object]:
    """Settings that put the crawl's frontier in Redis under ``prefix``.

    >>> distributed_settings("redis://127.0.0.1:6379/0", "tomsk")["SCHEDULER"]
    'scraper.distributed.DistributedScheduler'
    >>> distributed_settings("redis://127.0.0.1:6379/0", "a b")
    Traceback (most recent call last):
    ...
    scraper.distributed.config.DistributedSetupError: bad DISTRIBUTED_KEY_PREFIX 'a b': use letters, digits and _ . : - only
    """
    if not _PREFIX.match(prefix or ""):
        raise DistributedSetupError(f"bad DISTRIBUTED_KEY_PREFIX {prefix!r}: use letters, digits and _ . : - only")
    return {
        "REDIS_URL": redis_url,
        "SCHEDULER": "scraper.distributed.DistributedScheduler",
        # Resuming an interrupted crawl needs the queue kept; the last worker of a finished crawl deletes it.
        "SCHEDULER_PERSIST": True,
        "DISTRIBUTED_KEY_PREFIX": prefix,
        **key_settings(prefix),
    }


def check_redis(redis_url: str) -> None:
    """Raise DistributedSetupError unless Redis answers at ``redis_url``."""
    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=3, socket_timeout=3)
    except ValueError as exc:
        raise DistributedSetupError(f"invalid Redis URL {_safe(redis_url)!r}: {exc}") from exc
    try:
        client.ping()
    except RedisError as exc:
        raise DistributedSetupError(f"cannot reach Redis at {_safe(redis_url)}: {exc}") from exc
    finally:
        client.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages.

    >>> _safe("redis://:secret@cache:6379/0")
    'redis://:***@cache:6379/0'
    """
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)
