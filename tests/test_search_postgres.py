"""PostgreSQL full-text search: a stored tsvector with a GIN index, in the russian and english configurations."""

from __future__ import annotations

import re

import pytest
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)
from sqlalchemy import text

from archive.search import SearchQuery, build_search
from archive.store import item_to_record, upsert_articles

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def archive(session):  # noqa: F811
    items = [
        make_item(1, title="Кластеры ИНО Томск", text="Ёмкий рассказ о кластерах."),
        make_item(2, title="The universities of Tomsk", text="Universities and the cluster.", language="en"),
    ]
    upsert_articles(session, [item_to_record(item) for item in items])
    session.commit()
    return session


def test_search_vector_is_stored_with_both_languages_stemmed(archive):
    lexemes = dict(archive.execute(text(
        "SELECT canonical_url, search_vector::text FROM articles ORDER BY id"
    )).all())
    russian, english = lexemes.values()
    assert re.search(r"'кластер':1A,\d+B", russian)  # Кластеры (title, A) and кластерах (text, B): one stem
    assert "'емк'" in russian  # ё read as е
    assert re.search(r"'univers':\d+A,\d+B", english) and "'the'" not in english  # english stemmer, stop words


def test_search_uses_the_gin_index(archive):
    stmt = build_search(SearchQuery(text="кластерами", include_all=True), "postgresql")
    compiled = stmt.compile(archive.get_bind(), compile_kwargs={"literal_binds": True})
    archive.execute(text("SET LOCAL enable_seqscan = off"))  # a two-row table would be scanned otherwise
    plan = "\n".join(row[0] for row in archive.execute(text(f"EXPLAIN {compiled}")))
    assert "ix_articles_search_vector" in plan
    assert "to_tsvector" not in plan  # nothing computed per row at query time


def test_vector_follows_updates_of_the_text(archive):
    upsert_articles(archive, [item_to_record(make_item(1, title="Погода", text="Дождь."))])
    archive.commit()
    vector = archive.execute(text("SELECT search_vector::text FROM articles WHERE id = 1")).scalar_one()
    assert "кластер" not in vector and "'дожд'" in vector
