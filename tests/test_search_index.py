"""The SQLite full-text indexes: rebuilt when missing or outdated, and usable from Datasette."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from archive_fixtures import make_item
from sqlalchemy import text

from archive.db import STEMS_TABLE, open_engine, rebuild_search_index, session_for
from archive.db.fulltext import STATE_TABLE
from archive.search import SearchQuery, search
from archive.store import item_to_record, upsert_articles


@pytest.fixture
def archive_file(tmp_path):
    path = tmp_path / "archive.sqlite3"
    with session_for(open_engine(f"sqlite:///{path}")) as session:
        upsert_articles(session, [item_to_record(make_item(1, title="Кластеры", text="Пять кластеров."))])
    return path


def hits(path, words):
    with session_for(open_engine(f"sqlite:///{path}", create=False)) as session:
        return [hit.title for hit in search(session, SearchQuery(text=words))]


def test_an_archive_without_the_stem_index_gets_it_on_first_search(archive_file):
    with sqlite3.connect(archive_file) as conn:  # as an archive from before the stem index
        conn.execute(f"DROP TABLE {STEMS_TABLE}")
        conn.execute(f"DROP TABLE {STATE_TABLE}")
        conn.execute("DROP TRIGGER articles_fts_ai")
    conn.close()
    assert hits(archive_file, "кластерами") == ["Кластеры"]
    with sqlite3.connect(archive_file) as conn:
        assert conn.execute(f"SELECT count(*) FROM {STATE_TABLE}").fetchone() == (1,)
    conn.close()


def test_an_index_stemmed_by_another_version_is_rebuilt(archive_file):
    with sqlite3.connect(archive_file) as conn:
        conn.execute(f"UPDATE {STATE_TABLE} SET version = 'old'")
        conn.execute(f"INSERT INTO {STEMS_TABLE}({STEMS_TABLE}) VALUES ('delete-all')")
    conn.close()
    assert hits(archive_file, "кластер") == ["Кластеры"]


def test_a_stems_index_with_row_sizes_from_an_older_version_is_rebuilt_without_them(archive_file):
    with sqlite3.connect(archive_file) as conn:  # as schema 2 made it: row sizes kept, one lookup per match
        conn.execute(f"DROP TABLE {STEMS_TABLE}")
        conn.execute(f"CREATE VIRTUAL TABLE {STEMS_TABLE} USING fts5(title, text, content='')")
        conn.execute(f"INSERT INTO {STEMS_TABLE}(rowid, title, text) VALUES (1, 'кластер', 'пят кластер')")
        conn.execute(f"UPDATE {STATE_TABLE} SET version = '2;' || substr(version, instr(version, ';') + 1)")
    conn.close()
    assert hits(archive_file, "кластерами") == ["Кластеры"]
    with sqlite3.connect(archive_file) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert f"{STEMS_TABLE}_docsize" not in tables and f"{STEMS_TABLE}_data" in tables


def test_rebuild_keeps_every_article_and_later_writes_stay_indexed(archive_file):
    engine = open_engine(f"sqlite:///{archive_file}")
    with session_for(engine) as session:
        assert rebuild_search_index(session) == 1
        upsert_articles(session, [item_to_record(make_item(2, title="Universities", text="Two universities."))])
        upsert_articles(session, [item_to_record(make_item(1, title="Погода", text="Дождь."))])
    assert hits(archive_file, "university") == ["Universities"]
    assert hits(archive_file, "кластер") == []
    assert hits(archive_file, "дождями") == ["Погода"]


def test_the_archive_opens_in_datasette_with_full_text_search(archive_file):
    from datasette.app import Datasette

    async def run():
        datasette = Datasette([str(archive_file)])
        response = await datasette.client.get("/archive/articles.json?_search=кластеров&_shape=array")
        table = await datasette.client.get("/archive/articles")
        return response, table

    response, table = asyncio.run(run())
    assert response.status_code == 200
    assert [row["title"] for row in response.json()] == ["Кластеры"]
    assert 'name="_search"' in table.text  # Datasette shows its search box: it found articles_fts


def test_index_tables_are_readable_without_ino_archive(archive_file):
    # Reading needs no ino_stem function: any SQLite client can search the stems.
    conn = sqlite3.connect(archive_file)
    try:
        rows = conn.execute(f"SELECT rowid FROM {STEMS_TABLE} WHERE {STEMS_TABLE} MATCH 'кластер'").fetchall()
    finally:
        conn.close()
    assert rows == [(1,)]
    engine = open_engine(f"sqlite:///{archive_file}", create=False)
    with session_for(engine) as session:
        assert session.execute(text("SELECT count(*) FROM articles_fts")).scalar() == 1


def test_search_command_raw_syntax_error_is_one_error_line(archive_file):
    from helpers import run_cli

    result = run_cli("search", "кластер AND (", "--raw", "--db", str(archive_file))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: search failed: ") and "Traceback" not in result.stderr
    result = run_cli("search", "кластерами OR nothing", "--sort", "date", "--db", str(archive_file))
    assert result.returncode == 0 and "[кластеров]" in result.stdout
    assert "1-1 of 1 hit(s)" in result.stderr
