"""The news spider: feeds, sitemaps and links, and `scrapy crawl news` from the project root."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from scraper.spiders.news import _feed_links, _page_links

ROOT = Path(__file__).parent.parent


def test_rss_and_atom_links_are_read():
    rss = b"<rss><channel><item><link>http://a.org/1</link></item><item><link> /2 </link></item></channel></rss>"
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><link href="http://a.org/"/>'
        b'<entry><link href="http://a.org/3"/></entry><entry><link rel="edit" href="http://a.org/x"/></entry></feed>'
    )
    assert _feed_links(rss) == ["http://a.org/1", "/2"]
    assert _feed_links(atom) == ["http://a.org/3"]


def test_feed_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><item><link>http://a.org/&x;</link></item></channel></rss>"
    ).encode()
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        b"<rss><channel><item><link>http://a.org/&d;</link></item></channel></rss>"
    )
    assert not any("TOP-SECRET" in link for link in _feed_links(xxe))
    assert all(len(link) < 100 for link in _feed_links(laughs))


def test_page_links_are_absolute_without_fragments():
    html = '<a href="/news/1.html#top">1</a><a href="mailto:x@y.z">m</a><a href="2.html">2</a><a href="javascript:alert(1)">j</a>'
    assert _page_links(html, "http://site.test/news/") == ["http://site.test/news/1.html", "http://site.test/news/2.html"]


def test_page_links_follow_the_base_href_and_skip_a_link_that_is_no_url():
    html = ('<html><head><base href="http://other.test/x/"></head><body><a href=" a.html ">a</a>'
            '<a href="http://[::1">broken</a><area href="../b.html#f"></body></html>')
    assert _page_links(html, "http://site.test/news/") == ["http://other.test/x/a.html", "http://other.test/b.html"]


def test_scrapy_crawl_news_works_from_project_root(site, tmp_path):
    db = tmp_path / "scrapy.sqlite3"
    result = subprocess.run(
        [
            sys.executable, "-m", "scrapy", "crawl", "news",
            "-a", f"url={site.url('/index.html')}",
            "-s", f"ARCHIVE_DB_URL=sqlite:///{db}",
            "-s", "ARCHIVE_ALLOW_PRIVATE=True",
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        titles = {row[0] for row in conn.execute("SELECT title FROM articles")}
    assert "Clusters and INO Tomsk: creating the route for followers" in titles
