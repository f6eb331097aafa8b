"""Re-crawls: conditional requests, earlier versions kept, gone pages marked; raw pages reprocessed and exported."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import time
import urllib.request

import pytest
from archive_fixtures import DIALECTS, pg_schema, query_archive
from fault_crawl import crawl
from helpers import FAST, SITE, copy_archive, run_cli
from mockserver import MockServer
from mockserver.localsite import LocalSite

ARTICLE = "news/en-smart-technologies.html"


def _q(db, sql):
    return [tuple(row) for row in query_archive(str(db), sql)]


def _crawl(site, db):
    result = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(db), "--allow-private", *FAST)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module", params=DIALECTS)
def history(request, tmp_path_factory):
    """Three crawls of a copy of the site: as is, with one article edited, with it deleted."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(SITE, root, dirs_exist_ok=True)
    if request.param == "sqlite":
        yield from _history(root, root.parent / "archive.sqlite3")
        return
    with pg_schema() as url:
        yield from _history(root, url)


def _history(root, db):
    page = root / ARTICLE
    with LocalSite(root) as site:
        first = _crawl(site, db)
        original = page.read_text(encoding="utf-8")
        page.write_text(original.replace("three new partnership programmes", "four new partnership programmes"),
                        encoding="utf-8")
        later = time.time() + 60  # Last-Modified has one-second resolution
        os.utime(page, (later, later))
        second = _crawl(site, db)
        page.unlink()
        third = _crawl(site, db)
        yield site, db, (first, second, third)


def test_unchanged_articles_answer_304(history):
    _, _, (_, second, _) = history
    assert "not modified (304)" in second.stdout
    assert "Re-crawl:          0 not modified" not in second.stdout


def test_changed_article_keeps_its_earlier_version(history):
    site, db, _ = history
    (text,) = _q(db, f"SELECT text FROM articles WHERE url = '{site.url('/' + ARTICLE)}'")[0]
    assert "four new partnership programmes" in text
    versions = _q(db, "SELECT record FROM article_versions")
    assert len(versions) == 1
    assert "three new partnership programmes" in str(versions[0][0])


def test_deleted_article_is_marked_gone_not_deleted(history):
    site, db, (_, _, third) = history
    url = site.url("/" + ARTICLE)
    assert _q(db, f"SELECT count(*) FROM articles WHERE url = '{url}'") == [(1,)]
    assert _q(db, f"SELECT gone_at IS NOT NULL FROM pages WHERE url = '{url}'") == [(1,)]
    assert "1 gone" in third.stdout


# Copies the archive file and its WARC folder: SQLite's way of making a scratch copy.
@pytest.mark.parametrize("history", ["sqlite"], indirect=True)
def test_reprocess_rebuilds_from_raw_pages_without_network(history, tmp_path):
    _, db, _ = history
    copy = copy_archive(db, tmp_path)
    result = run_cli("reprocess", "--db", str(copy))  # the site is still up, but nothing is fetched
    assert result.returncode == 0, result.stderr
    assert "Failures recorded: 0" in result.stdout
    assert _q(copy, "SELECT count(*) FROM articles") == _q(db, "SELECT count(*) FROM articles")


def test_export_warc_then_import_into_a_new_archive(history, tmp_path):
    _, db, _ = history
    out = tmp_path / "export.warc.gz"
    exported = run_cli("export", "warc", "--db", str(db), "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert gzip.decompress(out.read_bytes()).startswith(b"WARC/1.0\r\nWARC-Type: warcinfo")
    fresh = tmp_path / "fresh.sqlite3"
    imported = run_cli("import", str(out), "--db", str(fresh))
    assert imported.returncode == 0, imported.stderr
    stored = {u for (u,) in _q(fresh, "SELECT canonical_url FROM articles")}
    assert stored and stored <= {u for (u,) in _q(db, "SELECT canonical_url FROM articles")}


def test_import_of_a_file_that_is_not_warc_is_one_error_line(tmp_path):
    bogus = tmp_path / "notes.warc"
    bogus.write_text("just some text\n", encoding="utf-8")
    result = run_cli("import", str(bogus), "--db", str(tmp_path / "a.sqlite3"))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_etag_only_article_is_revalidated_with_if_none_match(tmp_path):
    """The mock site's /etag/ articles carry an ETag and no Last-Modified."""
    db = tmp_path / "archive.sqlite3"
    with MockServer(seed=7) as server:
        first = crawl(server, db, path="/etag/")
        second = crawl(server, db, path="/etag/")
        sent = server.get_json("/__hits")["if_none_match"]
        with urllib.request.urlopen(server.url("/etag/"), timeout=10) as response:
            links = set(re.findall(r'href="(/etag/[^"]+)"', response.read().decode()))
        with urllib.request.urlopen(server.url("/etag/0.html"), timeout=10) as response:
            etag, last_modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert etag and last_modified is None
    assert sent["/etag/0.html"][:2] == [None, etag]
    articles = _q(db, "SELECT url FROM articles WHERE url LIKE '%/etag/%.html'")
    assert len(articles) == len(set(articles)) == len(links) > 0
    assert "Articles stored:   0 new, 0 updated" in second.stdout
    assert f"{len(links)} not modified (304)" in second.stdout
    counts = json.loads(_q(db, "SELECT counts FROM crawl_runs ORDER BY id")[-1][0])
    assert counts["not_modified"] == len(links)


def test_a_reread_articles_new_body_hash_is_recorded_only_at_close_after_the_store(tmp_path):
    # Recorded earlier, a kill before the store's commit would make the next crawl skip the new version.
    from hashlib import sha256

    from scrapy.http import HtmlResponse, Request
    from sqlalchemy.orm import Session

    from archive.db import open_engine
    from archive.store import record_fetches
    from scraper.downloadermiddlewares.incremental import IncrementalMiddleware

    db_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    article, listing = "https://example.org/news/1.html", "https://example.org/news/"
    engine = open_engine(db_url)
    with Session(engine) as session, session.begin():
        record_fetches(session, [{"url": article, "kind": "article", "status": 200, "body_hash": "old"}])
    middleware = IncrementalMiddleware(db_url, batch_size=1)  # anything recorded at once is written at once
    middleware.spider_opened()
    for url, body in ((article, b"<html><p>new version</p></html>"), (listing, b"<html><a href='1.html'>1</a></html>")):
        request = Request(url)
        middleware.process_response(request, HtmlResponse(url, body=body, request=request))

    def hashes():
        return dict(query_archive(db_url, "SELECT url, body_hash FROM pages"))

    try:
        assert hashes() == {article: "old", listing: sha256(b"<html><a href='1.html'>1</a></html>").hexdigest()}
        middleware.spider_closed()
        assert hashes()[article] == sha256(b"<html><p>new version</p></html>").hexdigest()
    finally:
        engine.dispose()
