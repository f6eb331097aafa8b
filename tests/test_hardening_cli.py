"""Operator mistakes and hostile arguments (issue 16, items 4, 5, 13, 17): one line, the documented exit code.

Each case is what a red-team pass typed; before the fixes each printed a
traceback, exited with the wrong code, or changed a file it had no business
changing.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import FAST, run_cli

from archive.cli import main


def one_error_line(result, code: int = 1) -> str:
    """The one ``Error:`` line of a failed command (CliRunner or subprocess result)."""
    returncode = getattr(result, "exit_code", getattr(result, "returncode", None))
    assert returncode == code, (returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- item 4: another program's SQLite file is refused untouched ----------------------------------


def _other_programs_file(path: Path, *, with_articles: bool) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    if with_articles:
        conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, headline TEXT)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("with_articles", [False, True], ids=["unrelated-tables", "own-articles-table"])
def test_crawl_into_another_programs_database_is_refused_untouched(tmp_path, with_articles):
    other = _other_programs_file(tmp_path / "other.sqlite", with_articles=with_articles)
    before = digest(other)
    result = run_cli("crawl", "--url", "http://127.0.0.1:9/", "--allow-private", "--db", str(other), *FAST)
    tables = "articles, notes" if with_articles else "notes"
    assert one_error_line(result) == (
        f"Error: the database {other} is not an ino-archive (it holds other tables:"
        f" {tables}); left untouched; give a new file or an empty database"
    )
    assert digest(other) == before
    assert not other.with_name("other.sqlite.warc").exists()
    stats = CliRunner().invoke(main, ["stats", "--db", str(other)])
    assert "is not an ino-archive" in one_error_line(stats)
    assert digest(other) == before


def test_an_empty_sqlite_file_becomes_an_archive(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    result = CliRunner().invoke(main, ["db", "upgrade", "--db", str(empty)])
    assert "no archive at" in one_error_line(result)  # nothing to upgrade: a read command never creates


# --- item 5: tracebacks become one line --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["crawl", "--url", "http://[::1"], "Error: not a valid URL: 'http://[::1' (Invalid IPv6 URL)"),
        (["crawl", "--url", "http://127.0.0.1:99999/", "--allow-private"],
         "Error: not a valid URL: 'http://127.0.0.1:99999/' (Port out of range 0-65535)"),
        (["crawl", "--url", "http://127.0.0.1:9/\udcff"],
         "Error: not a valid URL: 'http://127.0.0.1:9/\\udcff' (not UTF-8 text)"),
    ],
)
def test_a_bad_crawl_url_is_one_line_and_exit_1_before_anything_runs(tmp_path, args, expected):
    db = tmp_path / "a.sqlite3"
    result = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert one_error_line(result) == expected
    assert not db.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["search", "x", "--db", "http://[::1"],
         "Error: invalid database URL 'http://[::1': invalid literal for int() with base 10: ':1'"),
        (["search", "x", "--offset", "99999999999999999999"], "Error: --offset and --limit must be at most 1000000000"),
        (["search", "--person", "\udcff"], "Error: the --person text is not valid UTF-8: '\\udcff'"),
        (["search", "--raw", "--", "\udcff"], "Error: the query text is not valid UTF-8: '\\udcff'"),
        (["search", "--org", "\udcff", "--all"], "Error: the --org text is not valid UTF-8: '\\udcff'"),
    ],
)
def test_hostile_search_arguments_are_one_line(crawled, args, expected):
    db, _ = crawled
    args = list(args)
    if "--db" not in args:
        args = [args[0], "--db", str(db), *args[1:]]
    assert one_error_line(CliRunner().invoke(main, args)) == expected


def test_stats_on_a_database_corrupted_mid_file_is_one_line(crawled, tmp_path):
    db, _ = crawled
    corrupt = tmp_path / "corrupt.sqlite3"
    data = bytearray(db.read_bytes())
    page = 4096
    for start in range(2 * page, len(data), 2 * page):  # every other page after the schema's first two
        data[start : start + page] = b"\xa5" * page
    corrupt.write_bytes(bytes(data))
    before = digest(corrupt)
    for command in (["stats"], ["search", "кластер"], ["export", "jsonl", "--out", str(tmp_path / "x.jsonl")]):
        result = run_cli(*command, "--db", str(corrupt))
        line = one_error_line(result)
        assert "malformed" in line or "not a database" in line, line
    assert digest(corrupt) == before


def _read_only_url(path: Path) -> str:
    # The tests run as root, whom file permissions do not stop: SQLite's read-only mode is the same refusal.
    return f"sqlite:///file:{path}?mode=ro&uri=true"


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["crawl", "--url", "http://127.0.0.1:9/", "--allow-private", *FAST], 5),
        (["reprocess"], 1),
        (["entities", "--relink"], 1),
        (["import", "/dev/null"], 1),
    ],
)
def test_a_read_only_archive_is_refused_before_any_work(crawled, tmp_path, command, code):
    db, _ = crawled
    copy = tmp_path / "archive.sqlite3"
    copy.write_bytes(db.read_bytes())
    before = digest(copy)
    result = run_cli(*command, "--db", _read_only_url(copy))
    assert one_error_line(result, code) == (
        f"Error: the archive at file:{copy} is read-only (attempt to write a readonly database);"
        " nothing was changed"
    )
    assert "Pages fetched" not in result.stdout
    assert digest(copy) == before


def test_an_unexpected_exception_is_one_line_naming_it_a_bug(tmp_path, monkeypatch):
    import archive.stats
    from archive.db import open_engine

    db = tmp_path / "a.sqlite3"
    open_engine(f"sqlite:///{db}", create=True).dispose()

    def broken(session):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(archive.stats, "archive_stats", broken)
    result = CliRunner().invoke(main, ["stats", "--db", str(db)])
    assert one_error_line(result) == (
        "Error: unexpected ZeroDivisionError: division by zero (a bug in ino-archive; INO_ARCHIVE_TRACEBACK=1 shows where)"
    )
