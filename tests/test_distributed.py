"""Distributed crawl: several workers share one frontier in Redis and write one PostgreSQL archive.

Uses the real Redis on 127.0.0.1:6379 (a unique key prefix per test, checked
empty afterwards) and PostgreSQL in a throw-away schema.  Without them these
tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import uuid
from collections import Counter

import pytest
from archive_fixtures import PG_URL, require_postgres
from distributed_helpers import REDIS_URL, redis_or_skip
from helpers import FAST, run_cli
from mockserver.localsite import LocalSite
from mockserver.sitegen import generate_site
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scraper.distributed import SharedDomainDelay, WorkerRegistry

# Entities are beside the point here and the slowest stage: the test is about who fetches and stores what.
LEAN = ["-s", "ENTITIES_ENABLED=False", "-s", "ENTITIES_ARCHIVE_ENABLED=False", "-s", "WARC_ENABLED=False"]


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own; its keys are deleted afterwards, whatever happened."""
    client, prefix = redis_or_skip()
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def pg_archive():
    require_postgres()
    schema = f"ino_dist_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


class _AccessLog(logging.Handler):
    """Counts the paths LocalSite served (it logs each request at DEBUG)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.paths: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        request_line = str(record.args[0]) if record.args else ""
        if request_line.startswith("GET "):
            self.paths[request_line.split()[1]] += 1


@pytest.fixture
def access_log():
    logger = logging.getLogger("archive.site.serve")
    handler, level = _AccessLog(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler.paths
    logger.removeHandler(handler)
    logger.setLevel(level)


def _worker(site_url: str, db: str, prefix: str) -> subprocess.Popen:
    args = ["crawl", "--url", site_url, "--db", db, "--allow-private", "--redis", REDIS_URL,
            "-s", f"DISTRIBUTED_KEY_PREFIX={prefix}", *FAST, *LEAN]
    return subprocess.Popen([sys.executable, "-m", "archive.cli", *args], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_two_workers_fetch_every_page_once_and_store_every_article_once(
    tmp_path, redis_prefix, pg_archive, access_log
):
    client, prefix = redis_prefix
    site = generate_site(tmp_path / "site", articles=500)
    with LocalSite(site.root) as served:
        workers = [_worker(served.url("/index.html"), pg_archive, prefix) for _ in range(2)]
        outputs = [worker.communicate(timeout=900) for worker in workers]
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert "Traceback" not in err
    fetched_by_worker = [int(out.split("Pages fetched:")[1].split()[0]) for out, _ in outputs]

    assert len(site.pages) >= 500
    pages = {path: n for path, n in access_log.items() if path != "/robots.txt"}  # each worker reads robots.txt
    assert sorted(pages) == sorted(site.pages)
    assert {n for n in pages.values()} == {1}
    assert sum(fetched_by_worker) == len(site.pages)
    assert min(fetched_by_worker) > 0, "one worker did all the work"

    engine = create_engine(pg_archive)
    with engine.connect() as conn:
        stored = [row[0] for row in conn.execute(text("SELECT url FROM articles"))]
    engine.dispose()
    assert sorted(stored) == sorted(served.url(path) for path in site.articles)
    assert list(client.scan_iter(f"{prefix}:*")) == [], "a finished crawl leaves its keys in Redis"


def test_an_idle_worker_waits_for_a_busy_one_and_not_for_a_dead_one(redis_prefix):
    client, prefix = redis_prefix
    queue, workers = f"{prefix}:news:requests", f"{prefix}:news:workers"
    idle = WorkerRegistry(client, workers, "a", timeout=60, crawl_keys=[queue])
    busy = WorkerRegistry(client, workers, "b", timeout=60, crawl_keys=[queue])
    idle.mark("idle")
    busy.mark("busy")
    assert not idle.finished(queue)
    busy.mark("idle")
    client.zadd(queue, {"a request": 0})
    assert not idle.finished(queue), "requests are still queued"
    client.delete(queue)
    assert idle.finished(queue)

    dead = WorkerRegistry(client, workers, "c", timeout=60, crawl_keys=[queue])
    dead.mark("busy")
    assert not idle.finished(queue)
    # It dies: its heartbeat stops and its entry's expiry (Redis time, in ms) passes.
    client.hset(workers, "c", "busy:1")
    assert idle.finished(queue)


def test_the_last_worker_of_a_finished_crawl_deletes_its_keys_and_an_interrupted_crawl_keeps_them(redis_prefix):
    client, prefix = redis_prefix
    queue, seen, workers = f"{prefix}:q", f"{prefix}:seen", f"{prefix}:workers"
    client.zadd(queue, {"pending": 0})
    client.sadd(seen, "fingerprint")
    first, second = (WorkerRegistry(client, workers, name, 60, [queue, seen]) for name in ("a", "b"))
    first.mark("idle")
    second.mark("idle")
    assert not first.leave(crawl_finished=False)
    assert not second.leave(crawl_finished=False)
    assert client.exists(queue, seen) == 2, "an interrupted crawl must be resumable"
    first.mark("idle")
    second.mark("idle")
    assert not first.leave(crawl_finished=True)
    assert second.leave(crawl_finished=True)
    assert client.exists(queue, seen, workers) == 0


def test_only_the_last_worker_to_leave_is_told_it_was_last(redis_prefix):
    client, prefix = redis_prefix
    queue, workers = f"{prefix}:q", f"{prefix}:workers"
    first, second = (WorkerRegistry(client, workers, name, 60, [queue]) for name in ("a", "b"))
    first.mark("idle")
    second.mark("busy")
    first.leave(crawl_finished=False)
    second.leave(crawl_finished=False)
    assert (first.was_last, second.was_last) == (False, True)


def test_workers_share_one_request_rate_per_host(redis_prefix):
    client, prefix = redis_prefix
    one, two = (SharedDomainDelay(client, prefix, delay=5.0) for _ in range(2))
    before = _redis_ms(client)
    assert one.reserve("news.example") == 0
    waits = [two.reserve("news.example"), one.reserve("news.example")]
    elapsed = _redis_ms(client) - before  # however slow the machine, the waits shrink by no more than this
    # The second request waits one delay, the third two, whichever worker sends it.
    assert 5000 - elapsed <= waits[0] <= 5000
    assert 10000 - elapsed <= waits[1] <= 10000
    assert one.reserve("other.example") == 0


def _redis_ms(client) -> int:
    seconds, micros = client.time()
    return seconds * 1000 + micros // 1000


def test_unreachable_redis_is_one_error_line(tmp_path):
    result = run_cli("crawl", "--url", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.sqlite3"),
                     "--allow-private", "--redis", "redis://127.0.0.1:1/0")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: cannot reach Redis at redis://127.0.0.1:1/0")
    assert "Traceback" not in result.stderr


def test_bad_key_prefix_is_one_error_line(tmp_path, redis_prefix):
    result = run_cli("crawl", "--url", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.sqlite3"),
                     "--allow-private", "--redis", REDIS_URL, "-s", "DISTRIBUTED_KEY_PREFIX=two words")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: bad DISTRIBUTED_KEY_PREFIX 'two words': use letters, digits and _ . : - only"
    )


# --- issue 16, item 9: a worker that found the queue drained is not a failure ------------------------


def test_an_idle_worker_exits_0_and_says_so_but_a_failing_one_does_not():
    import click
    from click.testing import CliRunner

    from archive.cli.crawl import print_summary
    from scraper.run import CrawlSummary

    idle = CrawlSummary(distributed=True)
    assert (idle.exit_code, idle.status) == (0, "idle")
    failing = CrawlSummary(distributed=True, errors={"spider/errors/ConnectionRefusedError": 2})
    assert (failing.exit_code, failing.status) == (3, "nothing fetched")
    refused = CrawlSummary(distributed=True, refusal="10.0.0.1 is a private address (10.0.0.1); use --allow-private")
    assert refused.exit_code == 3
    assert CrawlSummary().exit_code == 3  # one crawl alone that fetched nothing failed, as before

    @click.command()
    def show():
        print_summary(idle)

    result = CliRunner().invoke(show)
    assert result.stdout.splitlines()[-1] == "Nothing left to do: the other workers had fetched every page of the shared queue."
    assert result.stderr == ""
