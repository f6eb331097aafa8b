"""Opening the archive: locations, pragmas, schema, and refusing bad files."""

from __future__ import annotations

import importlib
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from archive_fixtures import db_url, require_postgres  # noqa: F401  (fixtures)
from platformdirs import user_data_dir
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from archive.db import default_db_path, open_engine, resolve_db_url, session_for
from archive.db.engine import _on_sqlite_connect
from archive.errors import DatabaseError
from archive.store import upsert_sources

TABLES = {"sources", "articles", "entities", "mentions", "crawl_runs"}


def test_default_db_path_is_in_user_data_folder(monkeypatch):
    monkeypatch.delenv("INO_ARCHIVE_DB", raising=False)
    assert default_db_path() == Path(user_data_dir("ino-archive")) / "archive.sqlite3"


def test_env_var_overrides_default_db_path(monkeypatch, tmp_path):
    monkeypatch.setenv("INO_ARCHIVE_DB", str(tmp_path / "mine.sqlite3"))
    assert default_db_path() == tmp_path / "mine.sqlite3"
    assert resolve_db_url(None) == f"sqlite:///{tmp_path / 'mine.sqlite3'}"


def test_resolve_db_url_keeps_urls_as_is():
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert resolve_db_url(url) == url
    assert resolve_db_url("sqlite:///:memory:") == "sqlite:///:memory:"


def test_resolve_db_url_makes_relative_path_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert resolve_db_url("data/a.sqlite3") == f"sqlite:///{tmp_path / 'data' / 'a.sqlite3'}"


def test_open_engine_creates_schema_and_fts_index(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        names = set(inspect(engine).get_table_names())
        assert TABLES <= names
        assert "articles_fts" in names
    finally:
        engine.dispose()


def test_sqlite_pragmas_are_set_on_every_connection(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        with engine.connect() as conn:
            pragma = {name: conn.execute(text(f"PRAGMA {name}")).scalar() for name in
                      ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")}
    finally:
        engine.dispose()
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30000, "synchronous": 1}


def connect_at_once(path: Path, crawls: int) -> list[str]:
    """Connect to one new archive file from several crawls released at the same moment; what each got."""
    barrier = threading.Barrier(crawls)
    outcomes: list[str] = []

    def crawl() -> None:
        conn = sqlite3.connect(path, check_same_thread=False)
        barrier.wait()
        try:
            _on_sqlite_connect(conn, None)  # the pragmas every archive connection runs first
            outcomes.append("connected")
        except sqlite3.Error as exc:
            outcomes.append(str(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=crawl) for _ in range(crawls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_crawls_connecting_at_the_same_moment_to_a_new_archive_all_get_in(tmp_path):
    # Two cron jobs at the same minute: both switch the new file to WAL at once, and SQLite
    # answers one of them "database is locked" without waiting.  It is a race (without the
    # retry about 1 connection in 20 lost it here), hence many rounds.
    for round_ in range(50):
        path = tmp_path / f"a{round_}.sqlite3"
        assert connect_at_once(path, crawls=4) == ["connected"] * 4
        engine = open_engine(f"sqlite:///{path}")  # and the file is a sound archive afterwards
        engine.dispose()


READER = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM articles').fetchall(); c.close()"


def test_a_reader_closing_cannot_remove_the_wal_of_an_archive_this_process_opened_twice(tmp_path):
    # A crawl opens the archive once per component; a researcher's query runs beside it.  If opening
    # it again dropped the crawl's SQLite locks, the reader's close would delete the WAL under the crawl.
    path = tmp_path / "a.sqlite3"
    crawl = open_engine(f"sqlite:///{path}")
    again = None
    try:
        with crawl.connect() as conn:
            conn.execute(text("SELECT count(*) FROM articles")).all()
        again = open_engine(f"sqlite:///{path}", create=False)
        subprocess.run([sys.executable, "-c", READER, str(path)], check=True, timeout=60)
        assert Path(f"{path}-wal").exists()
        with Session(crawl) as session:
            upsert_sources(session, ["after-reader"])
            session.commit()
    finally:
        crawl.dispose()
        if again is not None:
            again.dispose()


def test_reopening_an_archive_keeps_its_rows(db_url):  # noqa: F811
    url = db_url
    engine = open_engine(url)
    with session_for(engine) as session:
        upsert_sources(session, ["x"])
    with session_for(open_engine(url, create=False)) as session:
        assert session.execute(text("SELECT name FROM sources")).scalars().all() == ["x"]


def test_missing_folder_is_reported(tmp_path):
    path = tmp_path / "nope" / "a.sqlite3"
    with pytest.raises(DatabaseError) as caught:
        open_engine(f"sqlite:///{path}")
    assert str(caught.value) == f"cannot open database {path}: folder {path.parent} does not exist"
    assert not path.parent.exists()


def test_unwritable_folder_is_reported(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    # Root may write anywhere, so as root use a read-only file system instead.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        folder = Path("/proc")
    with pytest.raises(DatabaseError, match=r"^cannot open database .*(is not writable|unable to open)"):
        open_engine(f"sqlite:///{folder / 'a.sqlite3'}")


def test_folder_given_as_database_is_reported(tmp_path):
    with pytest.raises(DatabaseError, match="it is a folder"):
        open_engine(f"sqlite:///{tmp_path}")


@pytest.mark.parametrize(
    "content",
    [b"this is my thesis, not a database\n" * 50, b"SQLite format 3\x00" + b"\xff" * 4080],
    ids=["not-sqlite", "sqlite-header-garbage-body"],
)
def test_corrupt_database_file_is_reported_and_left_untouched(tmp_path, content):
    path = tmp_path / "thesis.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DatabaseError) as caught:
        open_engine(f"sqlite:///{path}")
    message = str(caught.value)
    assert message.startswith(f"cannot open database {path}: ")
    assert message.endswith("(left untouched; use another path)")
    assert "\n" not in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis.sqlite3"]


def test_read_command_refuses_missing_database_and_creates_nothing(tmp_path):
    path = tmp_path / "a.sqlite3"
    with pytest.raises(DatabaseError) as caught:
        open_engine(f"sqlite:///{path}", create=False)
    assert str(caught.value) == f"no archive at {path}; run `ino-archive crawl` first"
    assert not path.exists()


def test_read_command_refuses_database_without_archive_tables(db_url):  # noqa: F811
    if db_url.startswith("sqlite"):
        Path(db_url.removeprefix("sqlite:///")).touch()
    with pytest.raises(DatabaseError, match=r"^no archive at .*; run `ino-archive crawl` first$"):
        open_engine(db_url, create=False)


def test_schema_creation_is_idempotent(db_url):  # noqa: F811
    open_engine(db_url).dispose()
    engine = open_engine(db_url)
    try:
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_unreachable_server_is_reported_in_one_line():
    require_postgres()  # the driver must be importable for this message
    with pytest.raises(DatabaseError) as caught:
        open_engine("postgresql+psycopg://postgres:secret@127.0.0.1:1/test")
    message = str(caught.value)
    assert message.startswith("cannot open database postgresql+psycopg://postgres:***@127.0.0.1:1/test: ")
    assert "secret" not in message and "\n" not in message


def test_unknown_database_type_is_reported():
    with pytest.raises(DatabaseError, match=r"^cannot open database nonsense://: unknown database type 'nonsense'"):
        open_engine("nonsense://")


def test_malformed_url_is_reported():
    with pytest.raises(DatabaseError, match="^invalid database URL"):
        open_engine("://nothing")


def test_no_engine_is_created_at_import():
    for name in ("archive.db", "archive.store", "archive.search", "archive.export",
                 "archive.stats", "archive.store.runs", "pipelines.store", "pipelines.dedup"):
        module = importlib.import_module(name)
        assert not any(isinstance(value, Engine) for value in vars(module).values()), name
