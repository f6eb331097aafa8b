"""Cron safety: one crawl per archive, documented exit codes, every run recorded."""

from __future__ import annotations

import json

import pytest
from archive_fixtures import db_url, query_archive  # noqa: F401 (fixture)
from helpers import FAST, run_cli

from archive.db import ArchiveLocked, crawl_lock, file_lock, lock_path


def _runs(db) -> list[tuple]:
    """(status, finish_reason, counts) of every run, on SQLite or PostgreSQL."""
    rows = query_archive(str(db), "SELECT status, finish_reason, counts FROM crawl_runs ORDER BY id")
    return [(status, reason, json.loads(counts) if isinstance(counts, str) else counts) for status, reason, counts in rows]


def test_second_crawl_on_a_locked_archive_exits_4_at_once(site, tmp_path):
    db = tmp_path / "archive.sqlite3"
    with file_lock(lock_path(db)):
        result = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(db), "--allow-private", *FAST)
    assert result.returncode == 4
    assert result.stderr.startswith("Error: another crawl (pid ")
    assert "Traceback" not in result.stderr
    assert _runs(db)[-1][0] == "locked"


def test_lock_is_free_again_after_a_crawl(site, tmp_path):
    db = tmp_path / "archive.sqlite3"
    first = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(db), "--allow-private", *FAST)
    assert first.returncode == 0, first.stderr
    with file_lock(lock_path(db)):
        pass  # would raise ArchiveLocked if the crawl had kept it


def test_crawl_lock_refuses_a_second_holder(db_url):  # noqa: F811
    from archive.db import open_engine

    open_engine(db_url, create=True).dispose()
    with crawl_lock(db_url):
        with pytest.raises(ArchiveLocked, match="another crawl"):
            with crawl_lock(db_url):
                pass
    with crawl_lock(db_url):
        pass  # released


def test_pipeline_that_cannot_open_exits_5(site, tmp_path):
    db = tmp_path / "archive.sqlite3"
    broken = f"sqlite:///{tmp_path / 'missing-folder' / 'x.sqlite3'}"
    result = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(db), "--allow-private",
                     "-s", f"ARCHIVE_DB_URL={broken}", *FAST)
    assert result.returncode == 5
    assert "Error: the crawl could not start: DatabaseError: cannot open database" in result.stderr
    assert _runs(db)[-1][:2] == ("could not start", "startup failed")


def test_error_rate_above_threshold_exits_6(crawled, site, tmp_path):
    db = tmp_path / "archive.sqlite3"
    result = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(db), "--allow-private",
                     "--max-error-rate", "0.01", *FAST)
    assert result.returncode == 6
    assert "more than --max-error-rate 1%" in result.stderr
    status, _, counts = _runs(db)[-1]
    assert status == "too many errors"
    assert counts["error_rate"] > 0.01


def test_every_run_is_recorded_with_outcomes(crawled_on):
    db, _ = crawled_on
    status, reason, counts = _runs(db)[0]
    assert (status, reason) == ("ok", "finished")
    for key in ("pages_fetched", "articles_inserted", "not_modified", "gone", "failures", "error_rate"):
        assert key in counts


def test_stats_shows_runs_and_operations(crawled_on):
    db, _ = crawled_on
    result = run_cli("stats", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "raw captures" in result.stdout
    assert "ok (finished): inserted" in result.stdout
