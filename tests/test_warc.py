"""WARC capture: request/response pairs, redirects, revisits, a file warcio checks, and crash repair."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from urllib.parse import quote

import pytest
from archive_fixtures import query_archive
from helpers import FAST, SITE, copy_archive, run_cli
from mockserver.localsite import LocalSite
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from archive.db import open_engine
from archive.warc import HttpRequest, WarcFile, index_records, repair_index


def _q(db, sql):
    return [tuple(row) for row in query_archive(str(db), sql)]


def _crawl(site, db, *extra):
    result = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(db), "--allow-private", *FAST, *extra)
    assert result.returncode == 0, result.stderr
    return result


def _export(db, out):
    result = run_cli("export", "warc", "--db", str(db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def read_warc(path) -> list[dict]:
    """Every record of ``path``, read to the end with digests checked."""
    found = []
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh, check_digests=True):
            record.content_stream().read()
            headers = record.rec_headers
            found.append({
                "type": record.rec_type,
                "id": headers.get_header("WARC-Record-ID"),
                "uri": headers.get_header("WARC-Target-URI"),
                "concurrent_to": headers.get_header("WARC-Concurrent-To"),
                "refers_to": headers.get_header("WARC-Refers-To"),
                "profile": headers.get_header("WARC-Profile"),
                "digest": headers.get_header("WARC-Payload-Digest"),
                "status": record.http_headers.get_statuscode() if record.rec_type in ("response", "revisit") else None,
                "location": record.http_headers.get_header("Location") if record.http_headers else None,
                "digest_ok": record.digest_checker.passed,
            })
    return found


@pytest.fixture(scope="module")
def recrawled(tmp_path_factory):
    """The fixture site (one link made a redirect) crawled twice, then exported: (site, db, records)."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(SITE, root, dirs_exist_ok=True)
    index = root / "index.html"
    # A directory without its slash: the server answers 301 to /news/313/.
    index.write_text(index.read_text(encoding="utf-8").replace('href="/news/313/"', 'href="/news/313"'), encoding="utf-8")
    folder = tmp_path_factory.mktemp("recrawled")
    db = folder / "archive.sqlite3"
    with LocalSite(root) as site:
        _crawl(site, db)
        _crawl(site, db)
        out = _export(db, folder / "export.warc.gz")
        yield site, db, out, read_warc(out)


def test_exported_warc_passes_warcio_check(recrawled):
    _, _, out, records = recrawled
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(out)],
                           capture_output=True, text=True, timeout=120, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert [r for r in records if r["digest_ok"] is False] == []
    assert records[0]["type"] == "warcinfo"


def test_every_response_and_revisit_comes_with_its_request(recrawled):
    _, _, _, records = recrawled
    captures = {r["id"]: r for r in records if r["type"] in ("response", "revisit")}
    requests = [r for r in records if r["type"] == "request"]
    assert captures and len(requests) == len(captures)
    assert Counter(r["concurrent_to"] for r in requests) == Counter({id_: 1 for id_ in captures})
    assert all(captures[r["concurrent_to"]]["uri"] == r["uri"] for r in requests)


def test_redirect_is_kept_as_a_response_record(recrawled):
    site, _, _, records = recrawled
    redirects = [r for r in records if r["type"] == "response" and r["uri"] == site.url("/news/313")]
    assert [(r["status"], r["location"]) for r in redirects][:1] == [("301", "/news/313/")]


def _single_response_headers(tmp_path, status, reason, headers):
    """Write one response as the crawler does (header bytes read as latin-1) and read its HTTP headers back."""
    file = WarcFile(tmp_path)
    file.write_response("http://x.org/old", status, reason, headers, b"", decoded=False,
                        request=HttpRequest("GET", "http://x.org/old", [("User-Agent", "test")]))
    file.close()
    with open(tmp_path / file.name, "rb") as fh:
        (record,) = [r for r in ArchiveIterator(fh) if r.rec_type == "response"]
        return record.http_headers


def test_redirect_to_a_russian_url_keeps_the_url_the_crawler_followed(tmp_path):
    # Old Russian CMSs send Location as raw UTF-8; a replay tool must be sent where the crawler went.
    raw = "/новости/статья.html?id=1&p=2".encode().decode("latin-1")
    http = _single_response_headers(tmp_path, 301, "Moved Permanently", [("Location", raw)])
    assert http.get_header("Location") == f"/{quote('новости')}/{quote('статья.html')}?id=1&p=2"


def test_non_ascii_header_keeps_its_characters(tmp_path):
    raw = 'attachment; filename="отчёт.pdf"'.encode().decode("latin-1")
    http = _single_response_headers(tmp_path, 200, "OK", [("Content-Disposition", raw)])
    assert http.get_header("Content-Disposition") == f"attachment; filename*=UTF-8''{quote('отчёт.pdf')}"


def test_unchanged_refetch_is_a_revisit_of_the_first_capture(recrawled):
    site, _, _, records = recrawled
    # The start page is fetched in both crawls (and again through its own link): one full copy.
    first, *again = [r for r in records if r["uri"] == site.url("/index.html") and r["type"] != "request"]
    assert first["type"] == "response" and len(again) >= 1
    assert {(r["type"], r["refers_to"], r["digest"]) for r in again} == {("revisit", first["id"], first["digest"])}
    assert all(r["profile"].endswith("/revisit/identical-payload-digest") for r in again)


def test_not_modified_answer_is_a_server_not_modified_revisit_of_the_first_capture(recrawled):
    # The second crawl asks with If-Modified-Since; the WARC files then show when each page was checked.
    site, _, _, records = recrawled
    first = {r["uri"]: r for r in records if r["type"] == "response" and r["status"] == "200"}
    checked = [r for r in records if r["type"] == "revisit" and r["status"] == "304"]
    assert checked, "the second crawl got no 304"
    for revisit in checked:
        original = first[revisit["uri"]]
        assert revisit["profile"].endswith("/revisit/server-not-modified")
        assert (revisit["refers_to"], revisit["digest"]) == (original["id"], original["digest"])


def test_no_page_is_copied_in_full_twice_when_it_did_not_change(recrawled):
    _, _, _, records = recrawled
    full = Counter((r["uri"], r["digest"]) for r in records if r["type"] == "response" and r["status"].startswith("2"))
    assert [key for key, n in full.items() if n > 1] == []


def test_reprocess_reads_full_captures_not_revisits(recrawled, tmp_path):
    _, db, _, _ = recrawled
    copy = copy_archive(db, tmp_path)
    result = run_cli("reprocess", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert "Failures recorded: 0" in result.stdout
    assert _q(copy, "SELECT count(*) FROM articles") == _q(db, "SELECT count(*) FROM articles")


# --- crash windows ------------------------------------------------------------------------


def _write_pages(folder, n):
    file = WarcFile(folder)
    rows = [
        file.write_response(f"http://x.org/{i}", 200, "OK", [("Content-Type", "text/html")], b"<p>page</p>" * (i + 1),
                            request=HttpRequest("GET", f"http://x.org/{i}", [("User-Agent", "test")]))
        for i in range(n)
    ]
    file.close()
    return folder / file.name, rows


def _index(db_url, rows):
    engine = open_engine(db_url, create=True)
    with Session(engine) as session, session.begin():
        index_records(session, rows)
    engine.dispose()


def _repair(db_url, folder):
    engine = open_engine(db_url, create=True)
    with Session(engine) as session, session.begin():
        repaired = repair_index(session, folder)
    engine.dispose()
    return repaired


def _indexed(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT record_id, offset, length FROM warc_records ORDER BY offset").fetchall()


def test_records_written_but_never_indexed_are_indexed_once(tmp_path):
    db, folder = tmp_path / "a.sqlite3", tmp_path / "warc"
    path, rows = _write_pages(folder, 4)
    _index(f"sqlite:///{db}", rows[:2])  # killed before the last batch of index rows was committed
    repaired = _repair(f"sqlite:///{db}", folder)
    assert (repaired.dropped, repaired.recovered) == (0, 2)
    assert _indexed(db) == [(r["record_id"], r["offset"], r["length"]) for r in rows]
    assert _repair(f"sqlite:///{db}", folder).recovered == 0  # a second run finds nothing more


def test_index_rows_past_a_truncated_file_end_are_dropped_and_a_torn_record_is_ignored(tmp_path):
    db, folder = tmp_path / "a.sqlite3", tmp_path / "warc"
    path, rows = _write_pages(folder, 4)
    _index(f"sqlite:///{db}", rows)
    # The file loses all but the start of its third capture, and the fourth.
    with path.open("r+b") as fh:
        fh.truncate(rows[2]["offset"] + 20)
    repaired = _repair(f"sqlite:///{db}", folder)
    assert repaired.dropped == 2
    assert _indexed(db) == [(r["record_id"], r["offset"], r["length"]) for r in rows[:2]]


def test_truncated_response_whose_request_was_lost_is_kept_alone(tmp_path):
    db, folder = tmp_path / "a.sqlite3", tmp_path / "warc"
    path, rows = _write_pages(folder, 2)
    _index(f"sqlite:///{db}", rows[:1])
    with path.open("r+b") as fh:
        fh.truncate(rows[1]["offset"] + rows[1]["length"] - 3)  # the request record's gzip end is cut
    assert _repair(f"sqlite:///{db}", folder).recovered == 1
    (record_id, offset, length), = _indexed(db)[1:]
    assert record_id == rows[1]["record_id"] and offset == rows[1]["offset"] and length < rows[1]["length"]


def test_crawl_after_a_truncated_warc_file_recaptures_the_lost_pages(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    db, log = tmp_path / "archive.sqlite3", tmp_path / "second.log"
    with LocalSite(root) as site:
        _crawl(site, db)
        (path,) = (db.with_name(db.name + ".warc")).glob("*.warc.gz")
        # The file keeps only robots.txt: every page after it is gone, the first of them torn.
        (cut,) = _q(db, "SELECT min(offset) FROM warc_records WHERE url NOT LIKE '%/robots.txt'")[0]
        lost = {url for (url,) in _q(db, f"SELECT url FROM warc_records WHERE offset >= {cut}")}
        (dropped,) = _q(db, f"SELECT count(*) FROM warc_records WHERE offset >= {cut}")[0]
        with path.open("r+b") as fh:
            fh.truncate(cut + 10)
        # Incremental on: the pages table knows the articles (their server sends Last-Modified), but
        # with no raw capture left they are fetched without If-Modified-Since, so they answer 200, not 304.
        _crawl(site, db, "--log-file", str(log))
        out = _export(db, tmp_path / "export.warc.gz")
    second = log.read_text(encoding="utf-8")
    assert f"'warc/index_dropped': {dropped}," in second
    records = read_warc(out)
    assert [r for r in records if r["digest_ok"] is False] == []
    # Written again in full, not as revisits of records that are gone.
    assert lost <= {r["uri"] for r in records if r["type"] == "response"}
    ids = [record_id for record_id, *_ in _indexed(db)]
    assert len(ids) == len(set(ids))
    assert "'incremental/uncaptured'" in second  # known articles, asked for without validators
