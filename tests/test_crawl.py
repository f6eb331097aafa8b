"""End to end: a real crawl of the fixture site, checked through the archive and its exports.

Every test runs on the crawl into SQLite and on the same crawl into PostgreSQL (``crawled_on``)."""

from __future__ import annotations

import json

import pytest
from archive_fixtures import query_archive
from helpers import FAST, run_cli

SEED_TITLE = "Clusters and INO Tomsk: creating the route for followers"


def _export(db, tmp_path, *extra) -> dict[str, dict]:
    out = tmp_path / "articles.jsonl"
    result = run_cli("export", "jsonl", "--db", str(db), "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # Indexed by canonical path too: which URL variant of one page arrives first is up to the network.
    by_canonical = {r["canonical_url"].split("/", 3)[3]: r for r in records if r.get("canonical_url")}
    return {**by_canonical, **{r["url"].split("/", 3)[3]: r for r in records}}


def _article_urls(db) -> list[str]:
    return [row[0] for row in query_archive(str(db), "SELECT canonical_url FROM articles")]


def _summary(stdout: str) -> dict[str, str]:
    """The crawl's summary lines ("Pages fetched:     13") as label → value."""
    return {label.strip(): value.strip() for label, _, value in (line.partition(":") for line in stdout.splitlines())}


def _stats_sections(stdout: str) -> dict[str, dict[str, list[str]]]:
    """`stats` breakdowns: {"By language": {"en": ["2", "2"], …}} (all, relevant)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in stdout.splitlines():
        if line.startswith("By "):
            current = sections.setdefault(line.split("  ")[0], {})
        elif current is not None and line.startswith("  ") and line.split():
            key, *numbers = line.split()
            current[key] = numbers
        else:
            current = None
    return sections


def _counts(value: str) -> dict[str, int]:
    """'DuplicateArticle 3, ListingPage 4' → {'DuplicateArticle': 3, 'ListingPage': 4}."""
    return {name: int(n) for name, n in (part.rsplit(" ", 1) for part in value.split(", "))}


def test_crawl_exits_ok_and_prints_summary(crawled_on):
    db, result = crawled_on
    assert result.returncode == 0, result.stderr
    summary = _summary(result.stdout)
    stored = len(_article_urls(db))
    # /news/313/ is also reached as ?lang=en and ?lang=ru (the same text, each its own canonical URL): kept as the
    # article's other URLs (issue 16); the utm_ link to the pharmaceutical story is its canonical URL again: dropped.
    assert summary["Articles stored"] == f"{stored} new, 0 updated, 0 unchanged, 2 found again at other URLs"
    assert stored == 6
    assert summary["Pages fetched"] == "13"
    # The index, two listing pages and the about page are listings.  The utm_ variant is dropped by dedup when it
    # arrives after the clean URL; arriving first, it is replaced in the store by the smaller clean URL.
    dropped = _counts(summary["Pages dropped"])
    assert dropped["ListingPage"] == 4 and dropped.get("DuplicateArticle", 0) in (0, 1)
    assert set(dropped) <= {"ListingPage", "DuplicateArticle"}


def test_crawl_summary_counts_404_and_500(crawled_on):
    _, result = crawled_on
    errors = _counts(_summary(result.stdout)["Errors"])
    # /status/500 once (after its retries); /status/404, a deleted article and four dead menu links answer 404.
    assert errors == {"spider/http_status/404": 6, "spider/http_status/500": 1}
    assert _summary(result.stdout)["Failures recorded"] == "http 7"


def test_seed_page_comes_out_right(crawled_on, tmp_path):
    db, _ = crawled_on
    seed = _export(db, tmp_path)["news/313/"]
    assert seed["title"] == SEED_TITLE
    assert seed["published"] == "2016-03-14"
    assert seed["language"] == "en"
    people = " ".join(seed["people"])
    for surname in ("Shamis", "Antonov", "Dvorkovich", "Fomichev", "Zhvachkin", "Kobzeva"):
        assert surname in people
    assert "Ministry of Economic Development of Russia" in seed["organisations"]
    assert "Government of the Russian Federation" in seed["organisations"]
    assert "+7 (925) 862 7050" not in seed["text"]
    assert "Sorry, your message has not been sent" not in seed["text"]
    assert seed["text"].startswith("On 10-11 of March of 2016 Evgeniya Shamis")


def test_russian_article_is_stored_in_russian(crawled_on, tmp_path):
    db, _ = crawled_on
    article = _export(db, tmp_path)["news/klaster-farmacevtiki.html"]
    assert article["title"] == "Фармацевтический кластер подвёл итоги года"
    assert article["language"] == "ru"
    assert article["published"] == "2016-04-21"
    assert "Сергея Жвачкина" in article["text"]
    assert "cookie" not in article["text"]


def test_windows_1251_page_without_charset_is_correct_cyrillic(crawled_on, tmp_path):
    db, _ = crawled_on
    article = _export(db, tmp_path)["news/les-i-taiga.cp1251.html"]
    assert article["title"] == "Кластер возобновляемых ресурсов леса расширяет экспорт"
    assert "дикоросов в Китай и Японию" in article["text"]
    assert article["language"] == "ru"


def test_listing_pages_are_not_stored_as_articles(crawled_on):
    db, _ = crawled_on
    urls = _article_urls(db)
    assert not [u for u in urls if u.endswith(("/index.html", "/page2.html"))]


def test_article_under_utm_url_is_stored_once(crawled_on):
    db, _ = crawled_on
    urls = _article_urls(db)
    matches = [u for u in urls if "klaster-farmacevtiki" in u]
    assert matches and len(matches) == 1
    assert "utm_" not in matches[0]


def test_not_relevant_article_is_kept_but_flagged(crawled_on, tmp_path):
    db, _ = crawled_on
    assert "news/pogoda.html" not in _export(db, tmp_path)
    flagged = _export(db, tmp_path, "--all")["news/pogoda.html"]
    assert flagged["is_relevant"] is False


def test_recrawl_adds_no_rows(crawled_on, site):
    db, _ = crawled_on
    before = sorted(_article_urls(db))
    result = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(db), "--allow-private", *FAST)
    assert result.returncode == 0, result.stderr
    assert "0 new" in result.stdout
    assert sorted(_article_urls(db)) == before


@pytest.mark.parametrize(("word", "expected"), [("кластера", "klaster-farmacevtiki"), ("followers", "news/313/")])
def test_search_finds_russian_and_english_words(crawled_on, word, expected):
    db, _ = crawled_on
    result = run_cli("search", word, "--db", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert any(expected in hit["url"] for hit in hits)
    assert all({"url", "title", "published", "snippet"} <= hit.keys() for hit in hits)


def test_csv_export_writes_three_files_with_seed_row(crawled_on, tmp_path):
    import csv

    db, _ = crawled_on
    result = run_cli("export", "csv", "--db", str(db), "--out", str(tmp_path / "csv"))
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "csv" / "articles.csv", encoding="utf-8", newline="") as handle:
        rows = {row["title"]: row for row in csv.DictReader(handle)}
    seed = rows[SEED_TITLE]
    assert seed["published"] == "2016-03-14"
    assert "; " in seed["people"]
    for name in ("entities.csv", "mentions.csv"):
        assert (tmp_path / "csv" / name).stat().st_size > 0


def test_stats_breaks_the_archive_down_by_language_and_year(crawled_on):
    db, _ = crawled_on
    result = run_cli("stats", "--db", str(db))
    assert result.returncode == 0, result.stderr
    sections = _stats_sections(result.stdout)
    assert sections["By language"] == {"en": ["2", "2"], "ru": ["4", "2"]}
    assert sections["By year"] == {"(unknown)": ["1", "0"], "2016": ["2", "2"], "2017": ["2", "2"], "2018": ["1", "0"]}
