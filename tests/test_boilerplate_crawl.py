"""End to end: a real crawl of the ino-tomsk.ru-style fixture site; the recurring facts box never reaches the archive."""

from __future__ import annotations

import json

import pytest
from helpers import FAST, PAGES, run_cli
from mockserver.localsite import LocalSite

FACTS_HEADING = "ИНО Томск в десяти фактах"
ARTICLES = ("tpu-centr-materialov", "farmklaster-plany", "it-forum", "les-i-taiga", "anons-vystavki")


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> dict[str, dict]:
    """Crawl tests/pages/inotomsk_ru from its listing; the exported records by page name."""
    folder = tmp_path_factory.mktemp("inotomsk")
    db, out = folder / "archive.sqlite3", folder / "articles.jsonl"
    with LocalSite(PAGES / "inotomsk_ru") as site:
        crawl = run_cli("crawl", "--url", site.url("/novosti.html"), "--db", str(db), "--allow-private", *FAST)
    assert crawl.returncode == 0, crawl.stderr
    export = run_cli("export", "jsonl", "--db", str(db), "--out", str(out), "--all")
    assert export.returncode == 0, export.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {record["url"].rsplit("/", 1)[-1].removesuffix(".html"): record for record in records}


@pytest.mark.slow
def test_every_article_is_archived(archived):
    assert set(ARTICLES) <= set(archived)


@pytest.mark.slow
def test_facts_box_reaches_no_archived_text(archived):
    for name in ARTICLES:
        assert FACTS_HEADING not in archived[name]["text"], name
        assert "Каждый пятый житель Томска" not in archived[name]["text"], name


@pytest.mark.slow
def test_short_note_is_archived_with_its_own_text(archived):
    note = archived["anons-vystavki"]
    assert note["title"] == "Анонс: выставка инноваций откроется в мае"
    assert note["text"].startswith("Выставка инноваций Томской области откроется 12 мая в технопарке, вход свободный.")
    assert FACTS_HEADING not in note["text"]
    assert note["language"] == "ru"


@pytest.mark.slow
def test_subscription_line_is_learned_after_the_first_article_that_shows_it(archived):
    # The listing has no subscription line, so the first article fetched keeps it; no other does.
    keeping = [name for name in ARTICLES if "Подпишитесь на рассылку" in archived[name]["text"]]
    assert len(keeping) == 1, keeping
