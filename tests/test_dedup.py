"""Stage 6: the content hash, and one page fetched twice in a run (copies under other URLs: test_aliases.py)."""

from __future__ import annotations

import pytest
from archive_fixtures import make_item
from scrapy.utils.test import get_crawler

from archive.store import content_hash
from pipelines.dedup import DedupPipeline
from pipelines.exceptions import DuplicateArticle


def test_content_hash_ignores_case_and_whitespace():
    assert content_hash("ИНО  Томск", "Текст\n\nстатьи ") == content_hash("ино томск", "ТЕКСТ статьи")
    assert content_hash("ИНО Томск", "Текст") != content_hash("ИНО Томск", "Текст 2")


def test_process_item_sets_content_hash():
    item = make_item(1)
    DedupPipeline().process_item(item)
    assert item.content_hash == content_hash(item.title, item.text)


def test_same_content_under_another_url_passes_to_the_store_and_is_counted():
    # Issue 16, item 8: dropping the later copy made the archive depend on crawl order; the store folds it.
    crawler = get_crawler()
    pipeline = DedupPipeline(stats=crawler.stats)
    pipeline.process_item(make_item(1, text="Один и тот же текст", title="T"))
    copy = make_item(2, text="один  и тот же ТЕКСТ", title="t")
    assert pipeline.process_item(copy) is copy
    assert crawler.stats.get_value("pipelines/dedup/copies") == 1


def test_same_canonical_url_twice_in_one_run_keeps_the_smaller_fetched_url():
    pipeline = DedupPipeline()
    pipeline.process_item(make_item(1, url="https://news.example/articles/1?from=rss"))
    with pytest.raises(DuplicateArticle, match=r"already seen in this run \(at https://news.example/articles/1\?from=rss\)"):
        pipeline.process_item(make_item(1, url="https://news.example/articles/1?utm=x", text="other"))
    smaller = make_item(1, url="https://news.example/articles/1")
    assert pipeline.process_item(smaller) is smaller  # arrived last, but the store keeps it whatever the order


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
