"""A crawl of a site full of faults finishes, stores every good article once, and records every failure."""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest

from fault_crawl import crawl, query, stored_paths
from mockserver import MockServer

# Permanent failures the mock site injects: path → words its recorded reason must contain.
EXPECTED_FAILURES = {
    "/fault/always500": "HTTP 500",
    "/fault/timeout": "took longer than",
    "/fault/drop": "DownloadFailedError",
    "/fault/truncated": "DataLoss",
    "/fault/gzip-bomb": "exceeded DOWNLOAD_MAXSIZE",
    "/fault/brotli-bomb": "exceeded DOWNLOAD_MAXSIZE",
    "/fault/huge": "larger than download max size",
    "/fault/loop-a": "redirect loop",
    "/fault/self": "redirect loop",
}


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """Two crawls (the second a re-crawl) of the fault site: (server, db, first, second, faults)."""
    db = tmp_path_factory.mktemp("faults") / "archive.sqlite3"
    with MockServer(seed=7) as server:
        first = crawl(server, db)
        faults = server.get_json("/__faults")
        second = crawl(server, db)
        yield server, db, first, second, faults
    if os.environ.get("INO_FAULT_REPORT"):
        _write_report(os.environ["INO_FAULT_REPORT"], db, faults)


def _write_report(path: str, db, faults) -> None:
    paths = stored_paths(db)
    report = {
        "faults_injected": faults["faults"],
        "good_expected": len(faults["good"]),
        "good_stored": len(set(faults["good"]) & set(paths)),
        "duplicates": sum(n - 1 for n in Counter(paths).values()),
        "failures_recorded": dict(query(db, "SELECT stage, count(*) FROM failures GROUP BY stage")),
    }
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=2)


def test_fault_crawl_finishes_ok(faulty):
    _, _, first, second, _ = faulty
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in first.stderr + second.stderr


def test_every_good_article_is_stored(faulty):
    _, db, _, _, faults = faulty
    assert set(faults["good"]) <= set(stored_paths(db))


def test_no_article_is_stored_twice(faulty):
    _, db, _, _, _ = faulty
    paths = stored_paths(db)
    assert len(paths) == len(set(paths))
    hashes = [h for (h,) in query(db, "SELECT content_hash FROM articles")]
    assert len(hashes) == len(set(hashes))


def test_no_faulty_page_becomes_an_article(faulty):
    _, db, _, _, _ = faulty
    assert [p for p in stored_paths(db) if p.startswith("/fault/")] == []
    assert query(db, "SELECT count(*) FROM articles WHERE text LIKE '%fault truncated%'") == [(0,)]


@pytest.mark.parametrize("path", sorted(EXPECTED_FAILURES))
def test_permanent_failure_is_recorded_with_its_reason(faulty, path):
    server, db, _, _, _ = faulty
    reasons = [r for (r,) in query(db, f"SELECT reason FROM failures WHERE url = '{server.url(path)}'")]
    assert reasons, f"no failure recorded for {path}"
    assert any(EXPECTED_FAILURES[path] in reason for reason in reasons), reasons


def test_redirect_to_cloud_metadata_is_refused(faulty):
    _, db, first, _, _ = faulty
    reasons = [r for (r,) in query(db, "SELECT reason FROM failures WHERE url LIKE 'http://169.254.169.254/%'")]
    assert reasons and "private address" in reasons[0]
    assert "ssrf/refused" in first.stdout


def test_wrong_charset_header_is_decoded_from_the_bytes(faulty):
    _, db, _, _, _ = faulty
    (title,) = query(db, "SELECT title FROM articles WHERE url LIKE '%/charset/wrong.html'")[0]
    assert title.startswith("ИНО Томск")


def test_calendar_trap_is_bounded(faulty):
    _, _, _, _, faults = faulty
    assert 0 < faults["faults"]["calendar trap page"] < 200


def test_every_good_article_has_a_raw_capture(faulty):
    server, db, _, _, faults = faulty
    captured = {url for (url,) in query(db, "SELECT url FROM warc_records WHERE payload_digest LIKE 'sha1:%'")}
    assert {server.url(p) for p in faults["good"]} <= captured
    # Only the one complete non-HTML answer is kept; no truncated, oversized or bomb body is.
    assert [u for u in captured if "/fault/" in u] == [server.url("/fault/report.pdf")]


def test_recrawl_skips_unchanged_articles(faulty):
    _, db, _, second, faults = faulty
    assert "Articles stored:   0 new, 0 updated" in second.stdout
    runs = query(db, "SELECT counts FROM crawl_runs ORDER BY id")
    counts = json.loads(runs[-1][0])
    assert counts["same_body"] + counts["not_modified"] >= len(faults["good"])
