"""Redis for the tests that run several crawl workers: a key prefix of their own, and a worker process."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
import redis
from helpers import FAST

REDIS_URL = os.environ.get("INO_ARCHIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_or_skip() -> tuple[redis.Redis, str]:
    """A client and a fresh key prefix; skips (fails under CI=true) without Redis.  The caller deletes the keys."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = f"Redis at {REDIS_URL} not reachable: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return client, f"ino-test-{uuid.uuid4().hex[:10]}"


def worker(site_url: str, db: str, prefix: str, *extra: str) -> subprocess.Popen:
    """``ino-archive crawl --redis`` of ``site_url`` as one worker, started."""
    args = ["crawl", "--url", site_url, "--db", db, "--allow-private", "--redis", REDIS_URL,
            "-s", f"DISTRIBUTED_KEY_PREFIX={prefix}", *FAST, *extra]
    return subprocess.Popen([sys.executable, "-m", "archive.cli", *args], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
