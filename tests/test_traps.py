"""The crawler-trap bound: date-shaped URLs are capped per template, articles and ids never are."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse

from scraper.spidermiddlewares.traps import TrapGuardMiddleware

PAGE = HtmlResponse("http://x.org/", body=b"<html></html>")


def followed(middleware: TrapGuardMiddleware, urls: list[str]) -> list[str]:
    return [r.url for r in middleware.process_spider_output(PAGE, [Request(u) for u in urls])]


def test_a_calendar_is_followed_up_to_the_cap():
    months = [f"http://x.org/calendar/{y}/{m:02d}" for y in range(2020, 2030) for m in range(1, 13)]
    assert followed(TrapGuardMiddleware(max_per_template=24), months) == months[:24]


def test_dated_article_slugs_are_never_capped():
    articles = [f"http://x.org/2024/01/{d:02d}/cluster-news-{d}-{i}.html" for d in range(1, 29) for i in range(3)]
    assert followed(TrapGuardMiddleware(max_per_template=5), articles) == articles


def test_ids_page_numbers_and_years_stay_under_the_default_cap():
    urls = [f"http://x.org/news/{n}" for n in range(48000, 49000)]
    urls += [f"http://x.org/a.php?id={n}" for n in range(100)] + [f"http://x.org/a.php?id={n:02d}" for n in range(10)]
    urls += [f"http://x.org/a.php?id={year}" for year in range(1900, 2100)]
    assert followed(TrapGuardMiddleware(), urls) == urls


def test_a_link_seen_again_is_not_counted_twice():
    middleware = TrapGuardMiddleware(max_per_template=2)
    urls = ["http://x.org/cal/2024/01", "http://x.org/cal/2024/01", "http://x.org/cal/2024/02"]
    assert followed(middleware, urls) == urls
    assert followed(middleware, ["http://x.org/cal/2024/03"]) == []


def test_the_cap_is_per_host():
    middleware = TrapGuardMiddleware(max_per_template=1)
    urls = ["http://x.org/cal/2024/01", "http://y.org/cal/2024/01", "http://x.org/cal/2024/02"]
    assert followed(middleware, urls) == urls[:2]
