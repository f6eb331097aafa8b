"""Schema migrations (Alembic) on SQLite and PostgreSQL: old archives upgrade and keep every row."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from archive_fixtures import db_url, make_item  # noqa: F401  (fixtures)
from helpers import run_cli
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from archive.db import head_revision, open_engine, session_for, upgrade_archive
from archive.db.schema import include_object, upgrade
from archive.errors import DatabaseError
from archive.models import Base
from archive.search import SearchQuery, search
from archive.db import fulltext
from archive.store import item_to_record, upsert_articles

DATA = Path(__file__).parent / "data"
FOUNDATION_TABLES = ("sources", "articles", "entities", "mentions", "crawl_runs")
MIGRATIONS = Path(__file__).parent.parent / "archive" / "db" / "migrations" / "versions"


def load_foundation_archive(db_url: str) -> None:  # noqa: F811
    """An archive as ino-archive made it at git 76d46d9, from its SQL script."""
    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
            conn.executescript((DATA / "archive_76d46d9.sqlite.sql").read_text(encoding="utf-8"))
        return
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql((DATA / "archive_76d46d9.postgresql.sql").read_text(encoding="utf-8"))
    finally:
        engine.dispose()


def table_rows(db_url: str) -> dict[str, list[tuple]]:  # noqa: F811
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return {
                name: [tuple(row) for row in conn.execute(text(f"SELECT * FROM {name} ORDER BY id"))]
                for name in FOUNDATION_TABLES
            }
    finally:
        engine.dispose()


def urls(hits):
    return sorted(hit.url.rsplit("/", 1)[1] for hit in hits)


def foundation_columns(rows: dict[str, list[tuple]], before: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    # Later revisions append columns to articles (extract_error; PostgreSQL's stored search_vector)
    # and to crawl_runs (host, pid: 0006).
    cut = {name: len(before[name][0]) for name in ("articles", "crawl_runs") if before[name]}
    return {name: [row[: cut[name]] for row in table] if name in cut else table for name, table in rows.items()}


def test_foundation_archive_is_upgraded_by_the_command_without_losing_rows(db_url):  # noqa: F811
    load_foundation_archive(db_url)
    before = table_rows(db_url)
    assert len(before["articles"]) == 4 and len(before["mentions"]) == 3

    result = run_cli("db", "upgrade", "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Upgraded the archive from schema revision none to {head_revision()}."
    assert foundation_columns(table_rows(db_url), before) == before

    with session_for(open_engine(db_url, create=False)) as session:
        assert urls(search(session, SearchQuery(text="кластерами"))) == ["1", "2"]
        assert urls(search(session, SearchQuery(text="елка"))) == ["2"]
        assert urls(search(session, SearchQuery(text="university", lang="en"))) == ["3"]


def test_reading_an_old_archive_asks_for_db_upgrade_and_changes_nothing(db_url):  # noqa: F811
    load_foundation_archive(db_url)
    before = table_rows(db_url)
    result = run_cli("search", "кластер", "--db", db_url)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: the archive at ")
    assert line.endswith(f"has an older schema (revision none, this ino-archive needs {head_revision()});"
                         f" run `ino-archive db upgrade --db {_where(db_url)}` first")
    assert table_rows(db_url) == before


def test_a_writer_upgrades_an_old_archive_and_then_writes(db_url):  # noqa: F811
    load_foundation_archive(db_url)
    engine = open_engine(db_url, create=True)
    try:
        with Session(engine) as session:
            counts = upsert_articles(session, [item_to_record(make_item(9, title="Кластерами новый"))])
            session.commit()
            assert counts.inserted == 1
            assert urls(search(session, SearchQuery(text="кластер"))) == ["1", "2", "9"]
    finally:
        engine.dispose()


def test_upgrading_a_current_archive_says_so(db_url):  # noqa: F811
    open_engine(db_url).dispose()
    result = run_cli("db", "upgrade", "--db", db_url)
    assert result.returncode == 0
    assert result.stdout.strip() == f"The archive is up to date (schema revision {head_revision()})."


def test_db_upgrade_of_a_missing_archive_creates_nothing(tmp_path):
    path = tmp_path / "none.sqlite3"
    result = run_cli("db", "upgrade", "--db", str(path))
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: no archive at {path}; run `ino-archive crawl` first"
    assert not path.exists()


def test_archive_made_just_before_migrations_is_upgraded_in_place(db_url):  # noqa: F811
    """Every table already there (create_all of the previous release), but no alembic_version."""
    engine = open_engine(db_url)
    with session_for(engine) as session:
        upsert_articles(session, [item_to_record(make_item(n)) for n in (1, 2)])
    raw = create_engine(db_url)
    with raw.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE articles DROP COLUMN search_vector"))
    raw.dispose()
    assert upgrade_archive(db_url).before is None
    with session_for(open_engine(db_url, create=False)) as session:
        assert urls(search(session, SearchQuery(text="новость"))) == ["1", "2"]


def test_archive_from_a_newer_version_is_refused(db_url):  # noqa: F811
    open_engine(db_url).dispose()
    raw = create_engine(db_url)
    with raw.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    raw.dispose()
    with pytest.raises(DatabaseError, match=r"has schema revision ffff, unknown to this ino-archive .*upgrade ino-archive$"):
        open_engine(db_url, create=True)


def test_migrations_build_exactly_the_models_schema(db_url):  # noqa: F811
    """Upgrading an empty database gives what a fresh archive gets: no table or column forgotten."""
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            upgrade(conn)
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"include_object": include_object}), Base.metadata
            )
            assert diff == []
            if conn.dialect.name == "postgresql":
                column = conn.execute(text(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_name = 'articles' AND is_generated = 'ALWAYS'"
                    " AND table_schema = current_schema()"
                )).scalars().all()
                assert column == ["search_vector"]
    finally:
        engine.dispose()


def test_fresh_and_migrated_search_vectors_are_defined_alike():
    spec = importlib.util.spec_from_file_location("m0003", MIGRATIONS / "0003_postgres_search_vector.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.DDL == fulltext.SEARCH_VECTOR_DDL


def _where(db_url: str) -> str:  # noqa: F811
    return db_url.removeprefix("sqlite:///") if db_url.startswith("sqlite") else db_url
