"""One article per text, with every URL it was found at, whatever the order pages arrive in (issue 16, item 8)."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)
from sqlalchemy import create_engine, text

from pipelines.dedup import DedupPipeline
from pipelines.exceptions import DuplicateArticle
from pipelines.store import StorePipeline

TEXT = "Кластер фармацевтики подвёл итоги года в рамках проекта ИНО Томск."
NEWS = "https://ino.example/news/2017/pharma-results.html"
CLUSTER = "https://ino.example/clusters/pharma/results.html"
SHORT = "https://ino.example/p/1"


def page(url: str, canonical: str | None = None, **fields):
    return make_item(1, url=url, canonical_url=canonical or url, title="Итоги года", text=TEXT, **fields)


def crawl(db_url, items, *, batch_size=1, patterns=None):  # noqa: F811
    """The dedup and store stages over ``items`` in this order, as a crawl runs them."""
    dedup = DedupPipeline()
    store = StorePipeline(db_url, batch_size=batch_size, article_patterns=patterns)
    store.open_spider()
    try:
        for item in items:
            try:
                store.process_item(dedup.process_item(item))
            except DuplicateArticle:
                pass
    finally:
        store.close_spider()


def archive_state(db_url) -> tuple[list[tuple], list[tuple]]:  # noqa: F811
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            articles = [tuple(r) for r in conn.execute(text("SELECT canonical_url, url, title FROM articles ORDER BY 1"))]
            aliases = [tuple(r) for r in conn.execute(text(
                "SELECT a.canonical_url, u.url, u.named FROM article_urls u JOIN articles a ON a.id = u.article_id"
                " ORDER BY 1, 2"))]
    finally:
        engine.dispose()
    return articles, [(a, u, bool(n)) for a, u, n in aliases]


NEWS_PATTERN = {"tomsk-news": (re.compile(r"/news/\d{4}/"),)}
PAGES = [page(CLUSTER), page(NEWS), page(SHORT)]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_the_archive_is_the_same_whatever_order_copies_arrive_in(db_url, order):  # noqa: F811
    crawl(db_url, [PAGES[i] for i in order], patterns=NEWS_PATTERN)
    assert archive_state(db_url) == (
        [(NEWS, NEWS, "Итоги года")],  # the article patterns name the news section's URL
        [(NEWS, CLUSTER, False), (NEWS, NEWS, False), (NEWS, SHORT, False)],
    )


@pytest.mark.parametrize("batch_size", [1, 2, 50])
def test_without_patterns_the_shortest_url_is_shown_in_any_batch_size(db_url, batch_size):  # noqa: F811
    crawl(db_url, PAGES, batch_size=batch_size)
    assert archive_state(db_url)[0] == [(SHORT, SHORT, "Итоги года")]


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_a_url_another_page_names_as_canonical_wins(db_url, order):  # noqa: F811
    # The cluster page says "the real one is the news page"; the short URL is a copy with its own canonical.
    pages = [page(CLUSTER, canonical=NEWS), page(SHORT)]
    crawl(db_url, [pages[i] for i in order])
    articles, aliases = archive_state(db_url)
    assert articles == [(NEWS, CLUSTER, "Итоги года")]
    assert aliases == [(NEWS, CLUSTER, False), (NEWS, NEWS, True), (NEWS, SHORT, False)]


def test_a_copy_in_a_later_crawl_moves_the_article_to_the_better_url_keeping_its_id(db_url):  # noqa: F811
    crawl(db_url, [page(CLUSTER)], patterns=NEWS_PATTERN)
    first_id = _ids(db_url)
    crawl(db_url, [page(NEWS, people=["Андрей Антонов"])], patterns=NEWS_PATTERN)
    assert archive_state(db_url) == (
        [(NEWS, NEWS, "Итоги года")],
        [(NEWS, CLUSTER, False), (NEWS, NEWS, False)],
    )
    assert _ids(db_url) == first_id  # the same article moved: its mentions and versions stay with it
    engine = create_engine(db_url)
    with engine.connect() as conn:  # the extraction changed (people): the earlier state is a version
        assert conn.execute(text("SELECT canonical_url FROM article_versions")).all() == [(NEWS,)]
    engine.dispose()


def _ids(db_url) -> list[int]:  # noqa: F811
    engine = create_engine(db_url)
    with engine.connect() as conn:
        ids = [row[0] for row in conn.execute(text("SELECT id FROM articles"))]
    engine.dispose()
    return ids


def test_different_texts_stay_different_articles(db_url):  # noqa: F811
    crawl(db_url, [page(NEWS), make_item(2, url=CLUSTER, canonical_url=CLUSTER, text="Другой текст.")])
    assert [row[0] for row in archive_state(db_url)[0]] == [CLUSTER, NEWS]


# --- a real crawl: one worker or two on Redis build the same archive ------------------------------


def _export(db, tmp_path, name: str) -> tuple[bytes, bytes]:
    """The JSON Lines export without fetched_at (a crawl's own clock), and urls.csv."""
    from click.testing import CliRunner

    from archive.cli import main

    jsonl, folder = tmp_path / f"{name}.jsonl", tmp_path / name
    for args in (["export", "jsonl", "--out", str(jsonl)], ["export", "csv", "--out", str(folder)]):
        result = CliRunner().invoke(main, [*args, "--all", "--db", str(db)])
        assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    without_clock = "".join(json.dumps({k: v for k, v in row.items() if k != "fetched_at"}, ensure_ascii=False) + "\n"
                            for row in rows)
    return without_clock.encode(), (folder / "urls.csv").read_bytes()


@pytest.mark.slow
def test_one_worker_and_two_workers_on_redis_build_byte_identical_exports(tmp_path):
    from distributed_helpers import redis_or_skip, worker
    from helpers import FAST, TESTS, run_cli
    from mockserver.localsite import LocalSite

    from archive.db import open_engine

    client, prefix = redis_or_skip()
    one, two = tmp_path / "one.sqlite3", tmp_path / "two.sqlite3"
    open_engine(f"sqlite:///{two}", create=True).dispose()  # workers sharing a SQLite file need it made first
    try:
        with LocalSite(TESTS / "republish_site") as site:
            alone = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(one), "--allow-private", *FAST)
            workers = [worker(site.url("/index.html"), str(two), prefix) for _ in range(2)]
            outputs = [proc.communicate(timeout=300) for proc in workers]
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()
    assert alone.returncode == 0, alone.stderr
    assert [proc.returncode for proc in workers] == [0, 0], [err for _, err in outputs]
    articles, urls = _export(one, tmp_path, "one")
    assert (articles, urls) == _export(two, tmp_path, "two")
    port = site.url("/").split(":")[2].split("/")[0]
    base = f"http://127.0.0.1:{port}"
    assert [json.loads(line)["canonical_url"] for line in articles.decode().splitlines()] == [
        f"{base}/news/2017/city-sensors.html",
        f"{base}/news/2017/pharma-results.html",  # the shorter of the story's two URLs, whichever came first
    ]
    assert urls.decode().splitlines() == [
        "article_url,url,named",
        f"{base}/news/2017/city-sensors.html,{base}/news/2017/city-sensors.html,false",
        f"{base}/news/2017/pharma-results.html,{base}/clusters/pharmaceutical/news/results-of-the-year.html,false",
        f"{base}/news/2017/pharma-results.html,{base}/news/2017/pharma-results.html,false",
    ]
