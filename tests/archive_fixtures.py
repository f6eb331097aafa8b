"""Fixtures for the archive tests: a fresh archive per test, on SQLite and PostgreSQL.

Test modules import what they use (``from archive_fixtures import db_url, ...``).
PostgreSQL runs in a throw-away schema (``search_path`` set through the URL),
dropped afterwards, so tests never see each other's rows (``pg_schema``, also
used by the session's PostgreSQL crawl in conftest.py).  When the server
is unreachable its cases are skipped, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.db import open_engine, resolve_db_url
from scraper.items import ArticleItem, Mention

PG_URL = os.environ.get(
    "INO_ARCHIVE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DIALECTS = ["sqlite", "postgresql"]


@cache
def pg_unreachable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return f"PostgreSQL at {PG_URL} not reachable: {str(exc).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


def require_postgres() -> None:
    reason = pg_unreachable()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def pg_schema() -> Iterator[str]:
    """A URL for an empty, throw-away PostgreSQL schema (dropped afterwards); skips or fails without a server."""
    require_postgres()
    schema = f"ino_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture(params=DIALECTS)
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    """A URL for an archive that does not exist yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.sqlite3'}"
        return
    with pg_schema() as url:
        yield url


def query_archive(db: str, sql: str, **params: Any) -> list[Any]:
    """Rows of ``sql`` on the archive at ``db`` (a ``--db`` value: file path or URL)."""
    engine = create_engine(resolve_db_url(db))
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Any:
    created = open_engine(db_url, create=True)
    yield created
    created.dispose()


@pytest.fixture
def session(engine: Any) -> Any:
    with Session(engine) as opened:
        yield opened


def make_item(n: int = 1, **fields: Any) -> ArticleItem:
    """A fully extracted article; ``fields`` override the defaults."""
    values: dict[str, Any] = {
        "url": f"https://news.example/articles/{n}?utm=x",
        "canonical_url": f"https://news.example/articles/{n}",
        "source": "tomsk-news",
        "title": f"ИНО Томск: новость {n}",
        "text": f"Губернатор Сергей Жвачкин рассказал о проекте ИНО Томск номер {n}.",
        "language": "ru",
        "published": date(2016, 3, 14),
        "published_from": "meta",
        "fetched_at": datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        "encoding": "utf-8",
        "mentions": [
            Mention("person", "Сергей Жвачкин", "Сергей Жвачкин", 11, 25, "губернатор"),
            Mention("org", "ИНО Томск", "ИНО Томск", 49, 58),
        ],
        "people": ["Сергей Жвачкин"],
        "organisations": ["ИНО Томск"],
        "places": [],
        "relevance": 3.0,
        "is_relevant": True,
        "relevance_terms": ["ИНО Томск"],
    }
    values.update(fields)
    return ArticleItem(**values)
