"""Stage 6: the same article under another URL, in this run or in the archive."""

from __future__ import annotations

import pytest
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)
from scrapy.utils.test import get_crawler

from archive.store import content_hash, item_to_record, upsert_articles
from pipelines.dedup import DedupPipeline
from pipelines.exceptions import DuplicateArticle


def test_content_hash_ignores_case_and_whitespace():
    assert content_hash("ИНО  Томск", "Текст\n\nстатьи ") == content_hash("ино томск", "ТЕКСТ статьи")
    assert content_hash("ИНО Томск", "Текст") != content_hash("ИНО Томск", "Текст 2")


def test_process_item_sets_content_hash():
    item = make_item(1)
    DedupPipeline().process_item(item)
    assert item.content_hash == content_hash(item.title, item.text)


def test_same_content_under_another_url_in_one_run_is_dropped():
    pipeline = DedupPipeline()
    pipeline.process_item(make_item(1, text="Один и тот же текст", title="T"))
    with pytest.raises(DuplicateArticle, match="same content as https://news.example/articles/1"):
        pipeline.process_item(make_item(2, text="один  и тот же ТЕКСТ", title="t"))


def test_same_canonical_url_twice_in_one_run_is_dropped():
    pipeline = DedupPipeline()
    pipeline.process_item(make_item(1))
    with pytest.raises(DuplicateArticle, match="already seen in this run"):
        pipeline.process_item(make_item(1, url="https://news.example/articles/1?from=rss", text="other"))


def test_blank_pages_are_not_duplicates_of_each_other():
    pipeline = DedupPipeline()
    first, second = make_item(1, title="", text=""), make_item(2, title=None, text="  ")
    assert pipeline.process_item(first) is first
    assert pipeline.process_item(second) is second


def test_duplicates_are_counted_in_stats():
    crawler = get_crawler()
    pipeline = DedupPipeline(stats=crawler.stats)
    pipeline.process_item(make_item(1))
    with pytest.raises(DuplicateArticle):
        pipeline.process_item(make_item(1))
    assert crawler.stats.get_value("pipelines/dedup/duplicates") == 1


def test_content_archived_under_another_url_is_dropped(db_url, session):  # noqa: F811
    upsert_articles(session, [item_to_record(make_item(1))])
    session.commit()
    pipeline = DedupPipeline(db_url=db_url)
    pipeline.open_spider()
    try:
        mirror = make_item(1, url="https://mirror.example/a", canonical_url="https://mirror.example/a")
        with pytest.raises(DuplicateArticle, match=r"same content as https://news.example/articles/1 \(archive\)"):
            pipeline.process_item(mirror)
    finally:
        pipeline.close_spider()


def test_recrawl_of_an_archived_url_is_not_a_duplicate(db_url, session):  # noqa: F811
    upsert_articles(session, [item_to_record(make_item(1))])
    session.commit()
    pipeline = DedupPipeline(db_url=db_url)
    pipeline.open_spider()
    try:
        item = make_item(1)
        assert pipeline.process_item(item) is item
    finally:
        pipeline.close_spider()


def test_from_crawler_checks_the_archive_the_store_writes(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    pipeline = DedupPipeline.from_crawler(get_crawler(settings_dict={"ARCHIVE_DB_URL": url}))
    assert pipeline.db_url == url
