"""Bad input: one clear line, a non-zero exit, no traceback, nothing overwritten."""

from __future__ import annotations

import json

import pytest

from click.testing import CliRunner
from helpers import FAST, PAGES, run_cli

from archive.cli import main


def _no_traceback(result) -> None:
    assert "Traceback" not in result.stderr


def test_unknown_source_lists_known_ones(tmp_path):
    result = run_cli("crawl", "--source", "no-such-site", "--db", str(tmp_path / "a.sqlite3"))
    assert result.returncode == 1
    assert "unknown source no-such-site" in result.stderr
    assert "sherpaspro" in result.stderr and "ino-tomsk-en" in result.stderr
    _no_traceback(result)


def test_unreachable_host_exits_nonzero_with_summary(tmp_path):
    # Port 9 (discard) on loopback is closed on this machine: connection refused.
    result = run_cli("crawl", "--url", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.sqlite3"), "--allow-private", *FAST)
    assert result.returncode == 3
    assert "Pages fetched:     0" in result.stdout
    assert "ConnectionRefusedError" in result.stdout
    assert "nothing could be fetched" in result.stderr
    _no_traceback(result)


def test_dns_failure_is_counted_not_fatal(tmp_path):
    # A 64-character label is not a valid host name: resolution fails on this
    # machine, before any query could leave it.
    unresolvable = f"http://{'a' * 64}.invalid/"
    result = run_cli("crawl", "--url", unresolvable, "--db", str(tmp_path / "a.sqlite3"), *FAST)
    assert result.returncode == 3
    assert "CannotResolveHostError" in result.stdout
    _no_traceback(result)


def test_private_address_is_refused_without_allow_private_and_stderr_says_why(tmp_path, site):
    result = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(tmp_path / "a.sqlite3"), *FAST)
    assert result.returncode == 3
    assert "ssrf/refused" in result.stdout
    # Issue 16, item 17: the reason and the option, not "see the log".
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: nothing could be fetched: 127.0.0.1 is a private address (127.0.0.1); use --allow-private to crawl it"
    )
    _no_traceback(result)


def test_corrupt_database_is_reported_and_left_untouched(tmp_path):
    db = tmp_path / "corrupt.sqlite3"
    garbage = b"this is not a database" * 100
    db.write_bytes(garbage)
    for args in (["crawl", "--url", "http://127.0.0.1:9/"], ["search", "x"], ["stats"]):
        result = run_cli(*args, "--db", str(db))
        assert result.returncode == 1, args
        assert result.stderr.startswith("Error: ")
        assert len(result.stderr.strip().splitlines()) == 1
        _no_traceback(result)
    assert db.read_bytes() == garbage


def test_unwritable_database_path_is_one_line_error(tmp_path):
    result = run_cli("crawl", "--url", "http://127.0.0.1:9/", "--db", str(tmp_path / "missing-folder" / "a.sqlite3"))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    _no_traceback(result)


def test_search_on_missing_archive_says_to_crawl_first(tmp_path):
    result = CliRunner().invoke(main, ["search", "x", "--db", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 1
    assert "crawl" in result.output
    assert not (tmp_path / "none.sqlite3").exists()


def test_extract_unreadable_inputs_give_their_records_and_a_non_zero_exit(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.html"
    binary.write_bytes(bytes(range(256)) * 8)
    missing = tmp_path / "missing.html"
    seed = PAGES / "seed_sherpaspro_313.html"
    result = CliRunner().invoke(main, ["extract", str(empty), str(seed), str(binary), str(missing)])
    assert result.exit_code == 1, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["input"] for r in records] == [str(empty), str(seed), str(binary), str(missing)]
    bad = [records[0], records[2], records[3]]
    assert all(r["title"] is None and r["text"] == "" for r in bad)
    assert [r["input_error"] for r in bad[:2]] == ["empty input", "binary input, not HTML"]
    assert bad[2]["input_error"].startswith(f"cannot read {missing}")
    assert records[1]["input_error"] is None and records[1]["text"]
    assert result.stderr.count("Warning:") >= 3
    assert result.stderr.strip().splitlines()[-1] == "Error: 3 of 4 inputs could not be read as HTML (warnings above)"
    _no_traceback(result)


def test_extract_reads_a_page_saved_gzip_compressed(tmp_path):
    import gzip

    saved = tmp_path / "seed.html.gz"
    saved.write_bytes(gzip.compress((PAGES / "seed_sherpaspro_313.html").read_bytes()))
    result = CliRunner().invoke(main, ["extract", str(saved), "--url", "http://sherpaspro.com/news/313/?lang=en"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["title"] == "Clusters and INO Tomsk: creating the route for followers"
    assert record["published"] == "2016-03-14"
    assert record["text"].startswith("On 10-11 of March of 2016 Evgeniya Shamis")


def test_extract_broken_or_oversized_gzip_is_an_unreadable_input(tmp_path):
    import gzip

    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(gzip.compress(b"<p>A page.</p>" * 100)[:12] + b"not deflate data")
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<p>" + b" " * (40 * 2**20) + b"</p>"))  # 40 MiB of spaces
    result = CliRunner().invoke(main, ["extract", str(broken), str(bomb)])
    assert result.exit_code == 1, result.output
    errors = [json.loads(line)["input_error"] for line in result.stdout.splitlines()]
    assert errors[0].startswith("cannot decompress gzip input")
    assert errors[1] == "gzip input inflates beyond 32 MiB"
    assert result.stderr.strip().splitlines()[-1] == "Error: 2 of 2 inputs could not be read as HTML (warnings above)"
    _no_traceback(result)


def test_extract_of_a_folder_reads_every_file_under_it_in_name_order(tmp_path):
    import gzip

    (tmp_path / "saved" / "2016").mkdir(parents=True)
    (tmp_path / "saved" / ".cache").mkdir()
    (tmp_path / "saved" / "2016" / "seed.html.gz").write_bytes(
        gzip.compress((PAGES / "seed_sherpaspro_313.html").read_bytes()))
    (tmp_path / "saved" / "a-note.txt").write_bytes((PAGES / "seed_sherpaspro_313.txt").read_bytes())
    (tmp_path / "saved" / ".cache" / "index.html").write_text("<p>Not a page of the set.</p>", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "saved")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["input"] for r in records] == [str(tmp_path / "saved" / "2016" / "seed.html.gz"),
                                             str(tmp_path / "saved" / "a-note.txt")]
    assert {r["published"] for r in records} == {"2016-03-14"}
    empty = CliRunner().invoke(main, ["extract", str(tmp_path / "empty")])
    assert empty.exit_code == 1
    assert empty.stderr.strip() == f"Error: no files in folder {tmp_path / 'empty'}"
    _no_traceback(empty)


def test_extract_readable_page_without_article_exits_zero(tmp_path):
    page = tmp_path / "menu.html"
    page.write_text("<html><body><nav><a href='/a'>A</a></nav></body></html>", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["input_error"] is None


def test_extract_seed_file_with_url(tmp_path):
    seed = PAGES / "seed_sherpaspro_313.html"
    result = CliRunner().invoke(main, ["extract", str(seed), "--url", "http://sherpaspro.com/news/313/?lang=en"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["title"] == "Clusters and INO Tomsk: creating the route for followers"
    assert record["published"] == "2016-03-14"
    assert record["canonical_url"] == "http://sherpaspro.com/news/313/?lang=en"
    assert record["input"] == str(seed)


def test_extract_manifest_processes_many_pages(tmp_path):
    manifest = tmp_path / "pages.jsonl"
    seed = PAGES / "seed_sherpaspro_313.html"
    manifest.write_text(
        json.dumps({"path": str(seed), "url": "http://sherpaspro.com/news/313/?lang=en"})
        + "\n"
        + json.dumps({"path": str(seed), "url": "http://sherpaspro.com/news/313/?lang=en&utm_source=x"})
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", "--manifest", str(manifest)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    assert {r["canonical_url"] for r in records} == {"http://sherpaspro.com/news/313/?lang=en"}


def test_bad_manifest_line_is_one_line_error(tmp_path):
    manifest = tmp_path / "pages.jsonl"
    manifest.write_text("not json\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--manifest", str(manifest)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")


def _search_paths(db, *query: str) -> list[str]:
    result = CliRunner().invoke(main, ["search", *query, "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, (query, result.output)
    return [hit["url"].split("/", 3)[3] for hit in json.loads(result.stdout)]


INO_ARTICLES = ["news/313/", "news/en-smart-technologies.html"]
CLUSTER_ARTICLES = ["news/klaster-farmacevtiki.html", "news/les-i-taiga.cp1251.html"]


@pytest.mark.parametrize(
    ("malformed", "read_as", "paths"),
    [
        ('"INO Tomsk', '"INO Tomsk"', INO_ARTICLES),  # an unbalanced quote runs to the end
        ("кластер*)(", "кластер*", CLUSTER_ARTICLES),  # stray brackets are not words
        ("NEAR(", "NEAR", []),  # the database's own syntax is a plain word
    ],
)
def test_search_with_unbalanced_quotes_and_operators_is_plain_words(crawled, malformed, read_as, paths):
    db, _ = crawled
    assert _search_paths(db, malformed) == _search_paths(db, read_as) == paths


@pytest.mark.parametrize("query", ["AND OR NOT", "-", "*", "NOT"])
def test_search_of_operators_or_punctuation_alone_is_one_error_line(crawled, query):
    db, _ = crawled
    result = CliRunner().invoke(main, ["search", "--db", str(db), "--", query])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the query {query!r} has no words to search for; leave it out to list articles by date\n"
    )
    assert len(_search_paths(db)) == 4  # no query: the relevant articles, newest first


def test_a_crawl_whose_every_store_batch_failed_exits_7(tmp_path, site):
    # Issue 16, item 10: it exited 0 with "0 new" and the failures only in the table.
    import sqlite3

    from archive.db import open_engine

    db = tmp_path / "a.sqlite3"
    open_engine(f"sqlite:///{db}", create=True).dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON articles BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END")
    result = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(db), "--allow-private", *FAST)
    assert result.returncode == 7, result.stderr
    assert "Articles stored:   0 new, 0 updated, 0 unchanged" in result.stdout
    with sqlite3.connect(db) as conn:
        [(refused,)] = conn.execute("SELECT count(*) FROM failures WHERE stage = 'store'").fetchall()
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("nothing stored",)]
    # The 6 articles, 2 other URLs of one of them and, when it arrived first, the utm_ variant of another.
    assert refused in (8, 9)
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: none of the {refused} articles found could be stored (the database refused every batch);"
        " see the failures table (stage store) and the log."
    )
