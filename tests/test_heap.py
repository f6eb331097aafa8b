"""A crawl keeps its long-lived objects out of the garbage collector's scans, and only while it runs."""

from __future__ import annotations

import gc

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from scraper.extensions.heap import HeapFreeze
from scraper.runtime import freeze_long_lived


def test_a_crawl_freezes_what_is_alive_and_thaws_it_when_it_ends():
    extension = HeapFreeze.from_crawler(get_crawler())
    try:
        extension.spider_opened()
        frozen_at_start = gc.get_freeze_count()
        model = [[n] for n in range(1000)]  # a model loaded during the crawl (lists: objects the collector tracks)
        freeze_long_lived()
        frozen_after_model = gc.get_freeze_count()
    finally:
        extension.spider_closed()
    assert frozen_at_start > 0
    assert frozen_after_model >= frozen_at_start + len(model)
    assert gc.get_freeze_count() == 0


def test_a_model_loaded_outside_a_crawl_leaves_the_collector_alone():
    freeze_long_lived()
    assert gc.get_freeze_count() == 0


def test_freezing_can_be_switched_off():
    with pytest.raises(NotConfigured):
        HeapFreeze.from_crawler(get_crawler(settings_dict={"GC_FREEZE_ENABLED": False}))
