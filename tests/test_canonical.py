"""URL normalisation and canonical-link discovery (pipelines.extractors.canonical)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extractors.canonical import canonicalize_url, find_canonical_url
from scraper.decode import parse_html

PAGE = "http://www.ino-tomsk.ru/en/news/view/42"


def with_head(head: str) -> object:
    return parse_html(f"<html><head>{head}</head><body><p>x</p></body></html>")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://WWW.INO-Tomsk.RU/en/News", "http://www.ino-tomsk.ru/en/News"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("http://example.com/a#comments", "http://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("http://x.ru/n?id=5&utm_source=vk&utm_medium=post&fbclid=A1", "http://x.ru/n?id=5"),
        ("http://x.ru/n?gclid=1&yclid=2&ysclid=3&_openstat=4&mc_cid=5&mc_eid=6&igshid=7", "http://x.ru/n"),
        ("http://sherpaspro.com/news/313/?lang=en&utm_campaign=x", "http://sherpaspro.com/news/313/?lang=en"),
        ("http://x.ru/n?b=2&a=1", "http://x.ru/n?b=2&a=1"),
    ],
)
def test_canonicalize_url(url, expected):
    assert canonicalize_url(url) == expected


def test_canonicalize_url_is_idempotent():
    url = canonicalize_url("HTTP://Example.com:80/a?utm_source=x&q=%D0%98%D0%9D%D0%9E#top")
    assert canonicalize_url(url) == url


def test_relative_canonical_is_resolved_against_the_page():
    tree = with_head("<link rel='canonical' href='/en/news/view/42?utm_source=rss'>")
    assert find_canonical_url(tree, PAGE + "?p_p_id=101") == PAGE


def test_canonical_on_another_site_is_ignored():
    tree = with_head("<link rel='canonical' href='https://aggregator.com/copy/42'>")
    assert find_canonical_url(tree, PAGE) == PAGE


def test_canonical_on_another_host_of_the_same_site_is_honoured():
    tree = with_head("<link rel='canonical' href='https://ino-tomsk.ru/en/news/view/42'>")
    assert find_canonical_url(tree, PAGE) == "https://ino-tomsk.ru/en/news/view/42"


def test_regional_second_level_domains_are_different_sites():
    tree = with_head("<link rel='canonical' href='http://other.tomsk.ru/news/1'>")
    assert find_canonical_url(tree, "http://ino.tomsk.ru/news/1") == "http://ino.tomsk.ru/news/1"


def test_canonical_pointing_at_the_homepage_is_ignored():
    tree = with_head("<link rel='canonical' href='http://www.ino-tomsk.ru/'>")
    assert find_canonical_url(tree, PAGE) == PAGE


def test_og_url_is_the_second_choice():
    tree = with_head(
        "<link rel='canonical' href='javascript:void(0)'>"
        "<meta property='og:url' content='http://www.ino-tomsk.ru/en/news/view/42?utm_medium=social'>"
    )
    assert find_canonical_url(tree, PAGE + "?from=feed") == PAGE


def test_page_url_is_canonicalised_when_nothing_is_declared():
    assert find_canonical_url(with_head(""), "HTTP://WWW.INO-TOMSK.RU/a#b") == "http://www.ino-tomsk.ru/a"
    assert find_canonical_url(None, "http://x.ru/a?utm_source=1") == "http://x.ru/a"


def test_seed_canonical_keeps_the_lang_parameter():
    html = (Path(__file__).parent / "pages" / "seed_sherpaspro_313.html").read_text(encoding="utf-8")
    url = find_canonical_url(parse_html(html), "http://sherpaspro.com/news/313/?lang=en&utm_source=fb")
    assert url == "http://sherpaspro.com/news/313/?lang=en"
