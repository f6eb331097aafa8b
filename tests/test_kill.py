"""Crash safety: kill -9 mid-crawl, and overlapping writers on one SQLite archive."""

from __future__ import annotations

import json
import random
import signal
import time
from collections import Counter

from fault_crawl import crawl, query, start_crawl, stored_paths
from helpers import run_cli
from mockserver import MockServer

KILLS = 3
SEED = 11


def _good(server) -> set[str]:
    return set(server.get_json("/__faults")["good"])


def test_kill_9_mid_crawl_loses_and_duplicates_nothing(tmp_path):
    db = tmp_path / "archive.sqlite3"
    rng = random.Random(SEED)
    with MockServer(seed=SEED, articles=30) as server:
        for _ in range(KILLS):
            # Killed after a random number of requests, not after a fixed delay: starting up takes seconds
            # on a loaded machine, and the delay then mostly killed crawls that had fetched nothing.
            until = _requests_seen(server) + rng.randint(5, 30)
            proc = start_crawl(server, db, "-s", "ARCHIVE_BATCH_SIZE=3", "-s", "DOWNLOAD_DELAY=0.05")
            _wait_for_requests(server, proc, until)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
        final = crawl(server, db)
        good = _good(server)
    assert final.returncode == 0, final.stderr  # the lock died with each killed crawl
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    paths = stored_paths(db)
    assert good <= set(paths)
    assert [p for p, n in Counter(paths).items() if n > 1] == []
    # Records the killed crawls wrote but did not get to index are found again, never indexed twice,
    # so every stored article still has its raw page.
    assert query(db, "SELECT url FROM articles WHERE url NOT IN "
                     "(SELECT url FROM warc_records WHERE record_type = 'response')") == []
    ids = [record_id for (record_id,) in query(db, "SELECT record_id FROM warc_records")]
    assert len(ids) == len(set(ids))


def test_two_crawls_without_the_lock_write_each_article_once(tmp_path):
    db = tmp_path / "archive.sqlite3"
    with MockServer(seed=5) as server:
        crawls = [start_crawl(server, db, "--no-lock", "-s", "ARCHIVE_BATCH_SIZE=2") for _ in range(2)]
        codes = [proc.wait(timeout=120) for proc in crawls]
        good = _good(server)
    assert codes == [0, 0]
    paths = stored_paths(db)
    assert good <= set(paths)
    assert len(paths) == len(set(paths))
    failed = [counts.get("articles_failed", 0) for counts in _counts(db)]
    assert failed == [0, 0]


def test_reprocess_while_a_crawl_writes(tmp_path):
    db = tmp_path / "archive.sqlite3"
    with MockServer(seed=3) as server:
        assert crawl(server, db).returncode == 0
        before = sorted(stored_paths(db))
        proc = start_crawl(server, db, "-s", "ARCHIVE_BATCH_SIZE=2", "-s", "INCREMENTAL_ENABLED=False")
        reprocessed = run_cli("reprocess", "--db", str(db))
        assert proc.wait(timeout=120) == 0
    assert reprocessed.returncode == 0, reprocessed.stderr
    assert "Failures recorded: 0" in reprocessed.stdout
    assert sorted(stored_paths(db)) == before


def _requests_seen(server) -> int:
    """Requests the mock server answered, not counting the test's own."""
    times = server.get_json("/__hits")["times"]
    return sum(len(t) for path, t in times.items() if not path.startswith("/__"))


def _wait_for_requests(server, proc, until: int, timeout: float = 90) -> None:
    """Until the server has seen ``until`` requests, or the crawl ended by itself.

    The server is asked, not the archive: a reader polling the SQLite file made
    the crawl's writes fail with "disk I/O error" (seen in the crawl logs).
    """
    deadline = time.monotonic() + timeout
    while _requests_seen(server) < until and proc.poll() is None:
        assert time.monotonic() < deadline, f"the crawl made too few requests in {timeout:.0f} s"
        time.sleep(0.05)


def _counts(db) -> list[dict]:
    return [json.loads(c) for (c,) in query(db, "SELECT counts FROM crawl_runs ORDER BY id")]


def test_a_killed_crawl_shows_as_running_then_interrupted_in_stats(tmp_path):
    # Issue 16, item 11: a kill -9 left no trace in `stats`.
    db = tmp_path / "archive.sqlite3"
    with MockServer(seed=SEED, articles=30) as server:
        proc = start_crawl(server, db, "-s", "DOWNLOAD_DELAY=0.05")
        _wait_for_requests(server, proc, _requests_seen(server) + 5)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        [(killed_id, status, pid)] = query(db, "SELECT id, status, pid FROM crawl_runs")
        assert (status, pid) == ("running", proc.pid)
        shown = run_cli("stats", "--db", str(db)).stdout
        assert f"#{killed_id} " in shown and f"running (pid {proc.pid} on " in shown
        final = crawl(server, db)
    assert final.returncode == 0, final.stderr
    runs = query(db, "SELECT id, status, finish_reason FROM crawl_runs ORDER BY id")
    assert runs == [(killed_id, "interrupted", "the process ended without finishing the run"),
                    (killed_id + 1, "ok", "finished")]
    assert "interrupted (the process ended without finishing the run)" in run_cli("stats", "--db", str(db)).stdout
