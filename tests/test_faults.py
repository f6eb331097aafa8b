"""A crawl of a site full of faults finishes, stores every good article once, and records every failure."""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
from fault_crawl import crawl, query, stored_paths
from mockserver import MockServer
from mockserver.pages import dated_article_paths

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
    "/fault/retry-later": "RETRY_AFTER_MAX",
}
# The trap crawl's cap: well below the dated articles it must still store.
TRAP_CAP = 10


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
    # Issue 16, item 13: --allow-private (this crawl's) does not open a metadata address.
    assert reasons and "link-local or cloud metadata address (169.254.169.254), refused even with --allow-private" in reasons[0]
    assert "ssrf/refused" in first.stdout


def test_wrong_charset_header_is_decoded_from_the_bytes(faulty):
    _, db, _, _, _ = faulty
    (title,) = query(db, "SELECT title FROM articles WHERE url LIKE '%/charset/wrong.html'")[0]
    assert title.startswith("ИНО Томск")


def test_calendar_trap_is_bounded(faulty):
    _, _, _, _, faults = faulty
    assert 0 < faults["faults"]["calendar trap page"] < 200


@pytest.fixture(scope="module")
def retry_crawl(tmp_path_factory):
    """A crawl of the mock site's /retry/ pages alone, so nothing but Retry-After delays their retries."""
    folder = tmp_path_factory.mktemp("retry")
    db = folder / "archive.sqlite3"
    with MockServer(seed=7) as server:
        result = crawl(server, db, "--log-file", str(folder / "crawl.log"), path="/retry/")
        yield (result, db, server.get_json("/__faults")["faults"], server.get_json("/__hits"),
               (folder / "crawl.log").read_text(encoding="utf-8"))


# /busy answers 503 with Retry-After in seconds, /limited 429 with an HTTP date.
@pytest.mark.parametrize("path", ["/busy/0.html", "/busy/1.html", "/limited/0.html", "/limited/1.html"])
def test_retry_after_is_waited_for_before_the_retry(retry_crawl, path):
    result, db, _, hits, _ = retry_crawl
    assert result.returncode == 0, result.stderr
    first, retry = hits["times"][path][:2]
    assert first < hits["not_before"][path] <= retry
    assert path in stored_paths(db)


def test_retry_after_beyond_the_cap_is_asked_once_and_given_up(retry_crawl):
    _, db, faults, hits, log = retry_crawl
    assert len(hits["times"]["/fault/retry-later"]) == 1
    waited = faults["503 with Retry-After"] + faults["429 with Retry-After date"]
    assert f"'retry/retry_after': {waited}," in log
    assert "'retry/retry_after_too_long': 1," in log
    assert "/fault/retry-later" not in stored_paths(db)


@pytest.fixture(scope="module")
def trap_crawl(tmp_path_factory):
    """A crawl of the dated news archive beside an endless calendar, with only the depth limit of production."""
    folder = tmp_path_factory.mktemp("trap")
    db = folder / "archive.sqlite3"
    with MockServer(seed=7) as server:
        result = crawl(server, db, "-s", "DEPTH_LIMIT=50", "-s", f"TRAP_MAX_PER_TEMPLATE={TRAP_CAP}",
                       "--log-file", str(folder / "crawl.log"), path="/archive/")
        yield result, db, server.get_json("/__hits"), (folder / "crawl.log").read_text(encoding="utf-8")


def test_calendar_trap_yields_at_most_the_cap_per_template(trap_crawl):
    result, _, hits, log = trap_crawl
    assert result.returncode == 0, result.stderr
    calendar = [p.strip("/").split("/") for p in hits["times"] if p.startswith("/calendar/")]
    months = [p for p in calendar if len(p) == 3]
    days = [p for p in calendar if len(p) == 4]
    assert 0 < len(months) <= TRAP_CAP
    assert 0 < len(days) <= TRAP_CAP
    assert "'trap/refused':" in log


def test_dated_articles_are_all_stored_beside_a_capped_trap(trap_crawl):
    _, db, _, _ = trap_crawl
    assert set(dated_article_paths(seed=7)) <= set(stored_paths(db))
    assert len(dated_article_paths(seed=7)) > TRAP_CAP


def test_every_good_article_has_a_raw_capture(faulty):
    server, db, _, _, faults = faulty
    captured = {url for (url,) in query(db, "SELECT url FROM warc_records WHERE payload_digest LIKE 'sha1:%'"
                                            " AND status NOT BETWEEN 300 AND 399")}
    assert {server.url(p) for p in faults["good"]} <= captured
    # Only the one complete non-HTML answer is kept (redirects are kept as received, apart);
    # no truncated, oversized or bomb body is.
    assert [u for u in captured if "/fault/" in u] == [server.url("/fault/report.pdf")]


def test_recrawl_skips_unchanged_articles(faulty):
    _, db, _, second, faults = faulty
    assert "Articles stored:   0 new, 0 updated" in second.stdout
    runs = query(db, "SELECT counts FROM crawl_runs ORDER BY id")
    counts = json.loads(runs[-1][0])
    assert counts["same_body"] + counts["not_modified"] >= len(faults["good"])
