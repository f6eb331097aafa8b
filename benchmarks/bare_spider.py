"""The peer of the whole-pipeline benchmark: a bare Scrapy spider that only stores raw HTML.

It follows same-host links from a start URL, like ``ino-archive crawl --url``,
with the settings bench_pipeline gives that (concurrency, robots.txt, depth), and
writes each page's URL and HTML to SQLite in batches.  No extraction.

    .venv/bin/python benchmarks/bare_spider.py URL DB.sqlite3
"""

from __future__ import annotations

import sqlite3
import sys
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess

BATCH = 50


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [url]
        self.host = urlsplit(url).netloc

    def parse(self, response):
        yield {"url": response.url, "html": response.text}
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).netloc == self.host:
                yield scrapy.Request(url, self.parse)


class RawHtmlStore:
    def __init__(self, path: str):
        self.path = path
        self.rows: list[tuple[str, str]] = []

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("BARE_DB"))

    def open_spider(self) -> None:
        self.db = sqlite3.connect(self.path)
        self.db.execute("CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, html TEXT)")

    def process_item(self, item):
        self.rows.append((item["url"], item["html"]))
        if len(self.rows) >= BATCH:
            self._flush()
        return item

    def close_spider(self) -> None:
        self._flush()
        self.db.close()

    def _flush(self) -> None:
        self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?)", self.rows)
        self.db.commit()
        self.rows.clear()


def main(argv: list[str]) -> int:
    url, db = argv
    process = CrawlerProcess({
        "BARE_DB": db,
        "ITEM_PIPELINES": {f"{__name__}.RawHtmlStore": 100},
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_DELAY": 0,
        "DEPTH_LIMIT": 1,  # as bench_pipeline runs ino-archive: the index and the pages it links
        "LOG_LEVEL": "ERROR",
        "TELNETCONSOLE_ENABLED": False,
    })
    process.crawl(BareSpider, url=url)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
