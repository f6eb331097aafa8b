"""A page that breaks a pipeline stage is stored with the error, and a later reprocess clears it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from archive_fixtures import query_archive
from helpers import FAST, SITE, copy_archive, run_cli

from archive.warc import Capture
from scraper.run import PipelineRun, capture_to_item, project_settings

BROKEN = "news/pogoda.html"  # the page the patched dates stage fails on

# Runs the real command line with the dates stage made to raise on one page only.
BREAK_DATES = f"""
import sys
import pipelines.dates

real = pipelines.dates.find_published

def find_published(tree, *, url=None, **kw):
    if url and url.endswith({BROKEN!r}):
        raise RuntimeError("injected date failure")
    return real(tree, url=url, **kw)

pipelines.dates.find_published = find_published
sys.argv = ["ino-archive", *sys.argv[1:]]
from archive.cli import main
main()
"""


def _q(db, sql):
    return [tuple(row) for row in query_archive(str(db), sql)]


@pytest.fixture(scope="module")
def broken_crawl(site, tmp_path_factory):
    """One crawl of the fixture site whose dates stage raises on one page: (db, log text)."""
    folder = tmp_path_factory.mktemp("broken")
    db, log = folder / "archive.sqlite3", folder / "crawl.log"
    result = subprocess.run(
        [sys.executable, "-c", BREAK_DATES, "crawl", "--url", site.url("/index.html"), "--db", str(db),
         "--allow-private", "--log-file", str(log), *FAST],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    return db, log.read_text(encoding="utf-8")


def test_page_that_breaks_a_stage_is_stored_with_the_stage_and_error(broken_crawl, site):
    db, _ = broken_crawl
    rows = _q(db, f"SELECT title, text, published, extract_error FROM articles WHERE url = '{site.url('/' + BROKEN)}'")
    assert len(rows) == 1
    title, text, published, error = rows[0]
    assert title and text  # the stages before and after the broken one still ran
    assert published is None
    assert error == "date: RuntimeError: injected date failure"


def test_other_pages_of_that_crawl_have_no_error(broken_crawl, crawled):
    db, _ = broken_crawl
    clean, _ = crawled
    assert _q(db, "SELECT count(*) FROM articles") == _q(clean, "SELECT count(*) FROM articles")
    assert _q(db, "SELECT count(*) FROM articles WHERE extract_error IS NOT NULL") == [(1,)]
    assert _q(db, "SELECT count(*) FROM failures WHERE stage = 'extract'") == [(0,)]  # stored, so not a failure


def test_stage_errors_are_counted_in_the_crawl_stats(broken_crawl):
    _, log = broken_crawl
    assert "'pipelines/date/error': 1," in log


def test_extract_error_is_an_export_column(broken_crawl, tmp_path, site):
    db, _ = broken_crawl
    out = tmp_path / "all.jsonl"
    result = run_cli("export", "jsonl", "--db", str(db), "--out", str(out), "--all")
    assert result.returncode == 0, result.stderr
    rows = {row["url"]: row for row in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert rows[site.url("/" + BROKEN)]["extract_error"] == "date: RuntimeError: injected date failure"
    assert {row["extract_error"] for url, row in rows.items() if not url.endswith(BROKEN)} == {None}


def test_extract_error_shows_in_search_results(broken_crawl, site):
    db, _ = broken_crawl
    result = run_cli("search", "морозы", "--db", str(db), "--all", "--format", "json")
    assert result.returncode == 0, result.stderr
    hits = {hit["url"]: hit["extract_error"] for hit in json.loads(result.stdout)}
    assert hits[site.url("/" + BROKEN)] == "date: RuntimeError: injected date failure"
    table = run_cli("search", "морозы", "--db", str(db), "--all")
    assert "extract error: date: RuntimeError: injected date failure" in table.stdout


def test_reprocess_that_goes_through_clears_the_error(broken_crawl, tmp_path, site):
    db, _ = broken_crawl
    copy = copy_archive(db, tmp_path)
    result = run_cli("reprocess", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert "Stage errors:      0" in result.stdout
    url = site.url("/" + BROKEN)
    (published, error), = _q(copy, f"SELECT published, extract_error FROM articles WHERE url = '{url}'")
    assert error is None
    assert str(published) == "2018-02-03"  # the date the page shows, found once the stage works again
    # The errored state is kept as an earlier version, like any other change.
    assert len(_q(copy, "SELECT id FROM article_versions")) == 1


# Each stage, and one function it calls, made to raise.
STAGE_CALLS = {
    "text": "pipelines.text.extract_body",
    "language": "pipelines.language.detect_language",
    "date": "pipelines.dates.find_published",
    "entities": "pipelines.entities.extract_entities",
    "relevance": "pipelines.relevance.score_relevance",
    "dedup": "pipelines.dedup.content_hash",
}


@pytest.mark.parametrize("stage", sorted(STAGE_CALLS))
def test_each_stage_that_raises_leaves_the_page_stored_with_its_error(stage, monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise RuntimeError(f"{stage} is broken")

    monkeypatch.setattr(STAGE_CALLS[stage], broken)
    db = tmp_path / "archive.sqlite3"
    run = PipelineRun(project_settings(f"sqlite:///{db}"))
    page = (SITE / "news" / "klaster-farmacevtiki.html").read_bytes()
    item = capture_to_item(Capture("http://x.org/news/klaster", 200, [("Content-Type", "text/html")], page))
    run.open()
    try:
        assert run.process(item) is None
    finally:
        run.close()
    assert run.stats.get_value(f"pipelines/{stage}/error") == 1
    assert _q(db, "SELECT url, extract_error FROM articles") == [
        ("http://x.org/news/klaster", f"{stage}: RuntimeError: {stage} is broken")
    ]
