"""Upserts and the store pipeline, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)
from scrapy.utils.test import get_crawler
from sqlalchemy import delete, func, select

from archive.errors import DatabaseError
from archive.models import Article, Entity, Mention, Source
from archive.store import (
    UpsertCounts,
    content_hash,
    item_to_record,
    upsert_articles,
    upsert_sources,
)
from archive.store.articles import CHUNK_ROWS
from pipelines.store import StorePipeline
from scraper.items import Mention as ItemMention


def records(*items):
    return [item_to_record(item) for item in items]


def count(session, model):  # noqa: F811
    return session.scalar(select(func.count()).select_from(model))


# --- records ---------------------------------------------------------------------------


def test_item_to_record_falls_back_to_url_and_computes_hash():
    item = make_item(canonical_url=None, content_hash=None)
    record = item_to_record(item)
    assert record["canonical_url"] == item.url
    assert record["content_hash"] == content_hash(item.title, item.text)
    assert record["mentions"][0] == {
        "kind": "person", "name": "Сергей Жвачкин", "surface": "Сергей Жвачкин",
        "start": 11, "end": 25, "role": "губернатор",
    }


def test_item_to_record_accepts_mention_dicts_and_iso_dates():
    record = item_to_record(make_item(published="2016-03-14", mentions=[{"kind": "place", "name": "Томск"}]))
    assert record["published"] == date(2016, 3, 14)
    assert record["mentions"] == [
        {"kind": "place", "name": "Томск", "surface": "Томск", "start": None, "end": None, "role": None}
    ]


def test_extract_hash_ignores_fetch_details_but_not_extracted_fields():
    base = item_to_record(make_item())
    refetched = item_to_record(make_item(fetched_at=None, url="https://news.example/articles/1?utm=y"))
    reclassified = item_to_record(make_item(is_relevant=False))
    assert base["extract_hash"] == refetched["extract_hash"]
    assert base["extract_hash"] != reclassified["extract_hash"]


# --- upsert_articles -------------------------------------------------------------------


def test_new_articles_are_inserted_with_their_fields(session):  # noqa: F811
    assert upsert_articles(session, records(make_item(1), make_item(2))) == UpsertCounts(2, 0, 0)
    session.commit()
    article = session.scalars(select(Article).where(Article.canonical_url.endswith("/1"))).one()
    assert article.url == "https://news.example/articles/1?utm=x"
    assert article.published == date(2016, 3, 14)
    assert article.relevance_terms == ["ИНО Томск"]
    assert article.people == ["Сергей Жвачкин"]
    assert article.fetched_at.isoformat() == "2024-05-01T12:00:00+00:00"
    assert article.is_relevant is True


def test_recrawl_creates_no_duplicate_rows(session):  # noqa: F811
    upsert_articles(session, records(make_item(1), make_item(2)))
    session.commit()
    again = upsert_articles(session, records(make_item(1), make_item(2), make_item(3)))
    session.commit()
    assert again == UpsertCounts(inserted=1, updated=0, unchanged=2)
    assert count(session, Article) == 3
    assert count(session, Mention) == 6


def test_unchanged_article_keeps_updated_at(session):  # noqa: F811
    upsert_articles(session, records(make_item(1)))
    session.commit()
    before = session.scalars(select(Article.updated_at)).one()
    assert upsert_articles(session, records(make_item(1, fetched_at=None))) == UpsertCounts(0, 0, 1)
    session.commit()
    assert session.scalars(select(Article.updated_at)).one() == before


def test_changed_article_is_updated_in_place(session):  # noqa: F811
    upsert_articles(session, records(make_item(1)))
    session.commit()
    first = session.execute(select(Article.id, Article.created_at, Article.updated_at)).one()
    counts = upsert_articles(session, records(make_item(1, text="Новый текст про ИНО Томск.")))
    session.commit()
    session.expire_all()
    after = session.execute(select(Article.id, Article.created_at, Article.updated_at, Article.text)).one()
    assert counts == UpsertCounts(0, 1, 0)
    assert (after.id, after.created_at) == (first.id, first.created_at)
    assert after.updated_at >= first.updated_at
    assert after.text == "Новый текст про ИНО Томск."


def test_batch_repeating_a_canonical_url_keeps_the_last_record(session):  # noqa: F811
    counts = upsert_articles(session, records(make_item(1, title="old"), make_item(1, title="new")))
    session.commit()
    assert counts == UpsertCounts(1, 0, 0)
    assert session.scalars(select(Article.title)).all() == ["new"]


def test_update_replaces_mentions_and_reuses_entities(session):  # noqa: F811
    upsert_articles(session, records(make_item(1), make_item(2)))
    session.commit()
    only_place = [ItemMention("place", "Томск", "Томске", 5, 11)]
    upsert_articles(session, records(make_item(1, mentions=only_place)))
    session.commit()
    first_id = session.scalar(select(Article.id).where(Article.canonical_url.endswith("/1")))
    kinds = session.scalars(
        select(Entity.kind).join(Mention).where(Mention.article_id == first_id)
    ).all()
    assert kinds == ["place"]
    assert count(session, Entity) == 3  # person and org shared by both articles, plus the place
    assert count(session, Mention) == 3


def test_deleting_an_article_deletes_its_mentions(session):  # noqa: F811
    upsert_articles(session, records(make_item(1)))
    session.commit()
    session.execute(delete(Article))
    session.commit()
    assert count(session, Mention) == 0
    assert count(session, Entity) == 2


def test_batches_larger_than_one_statement_are_chunked(session):  # noqa: F811
    items = [make_item(n, mentions=[]) for n in range(CHUNK_ROWS + 5)]
    assert upsert_articles(session, records(*items)).inserted == CHUNK_ROWS + 5
    session.commit()
    assert count(session, Article) == CHUNK_ROWS + 5


def test_upsert_sources_keeps_known_language(session):  # noqa: F811
    upsert_sources(session, [{"name": "tomsk-news", "language": "ru", "url": "https://news.example/"}])
    upsert_sources(session, ["tomsk-news", "", "other"])
    session.commit()
    rows = session.execute(select(Source.name, Source.language, Source.url).order_by(Source.name)).all()
    assert [tuple(r) for r in rows] == [("other", None, None), ("tomsk-news", "ru", "https://news.example/")]


# --- StorePipeline ----------------------------------------------------------------------


def build_pipeline(db_url, batch_size=2):  # noqa: F811
    crawler = get_crawler(settings_dict={"ARCHIVE_DB_URL": db_url, "ARCHIVE_BATCH_SIZE": batch_size})
    return StorePipeline.from_crawler(crawler), crawler.stats


def test_store_pipeline_commits_in_batches_and_counts(db_url, engine):  # noqa: F811
    pipeline, stats = build_pipeline(db_url)
    pipeline.open_spider()
    try:
        for n in range(3):
            pipeline.process_item(make_item(n))
        with engine.connect() as conn:  # the first batch of two is already visible
            assert conn.scalar(select(func.count()).select_from(Article)) == 2
    finally:
        pipeline.close_spider()
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Article)) == 3
        assert conn.scalars(select(Source.name)).all() == ["tomsk-news"]
    assert stats.get_value("archive/articles_inserted") == 3

    again, stats = build_pipeline(db_url)
    again.open_spider()
    for n in range(3):
        again.process_item(make_item(n))
    again.close_spider()
    assert stats.get_value("archive/articles_unchanged") == 3
    assert stats.get_value("archive/articles_inserted") == 0


def test_store_pipeline_fails_fast_when_database_cannot_be_opened(tmp_path):
    pipeline, _stats = build_pipeline(f"sqlite:///{tmp_path / 'missing' / 'a.sqlite3'}")
    with pytest.raises(DatabaseError, match="does not exist"):
        pipeline.open_spider()


def test_store_pipeline_without_db_setting_uses_default_archive(tmp_path, monkeypatch):
    monkeypatch.setenv("INO_ARCHIVE_DB", str(tmp_path / "default.sqlite3"))
    pipeline = StorePipeline.from_crawler(get_crawler(settings_dict={"ARCHIVE_DB_URL": None}))
    assert pipeline.db_url == f"sqlite:///{tmp_path / 'default.sqlite3'}"
    assert pipeline.batch_size == 50
