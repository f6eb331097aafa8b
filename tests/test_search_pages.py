"""Search at scale keeps its contract: pages in one order, filters through indexes, snippets anywhere.

The SQLite plan (``archive.search.sqlite_plan``) picks a page of ids from
covering indexes and reads titles and texts for that page only; these tests
check what a user sees of it, on both backends where it applies.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)

from archive.db import open_engine, session_for
from archive.search import (
    SearchQuery,
    build_search,
    make_snippet,
    parse_query,
    search,
    search_count,
)
from archive.search import sqlite_plan
from archive.db.fulltext import FILTER_INDEXES
from archive.store import item_to_record, upsert_articles
from scraper.items import Mention

TSU = Mention("org", "Томский государственный университет", "ТГУ")
TPU = Mention("org", "Томский политехнический университет", "ТПУ")


@pytest.fixture
def many(session):  # noqa: F811
    """24 articles about clusters, with repeated scores and dates, some mentioning universities."""
    items = []
    for n in range(1, 25):
        mentions = [TSU, TPU] if n % 3 == 0 else [TSU] if n % 3 == 1 else []
        items.append(make_item(
            n, title=f"Кластер {n}" if n % 4 == 0 else f"Новость {n}",
            text=" ".join(["Кластеры региона."] * (n % 5 + 1)) + " Прочие слова.",
            published=date(2016, 1, 1) + timedelta(days=n // 2) if n % 7 else None,
            mentions=mentions, organisations=[m.name for m in mentions],
        ))
    upsert_articles(session, [item_to_record(item) for item in items])
    session.commit()
    return session


def walk(session, **options):  # noqa: F811
    """Every hit, page by page (5 a page)."""
    found, offset = [], 0
    while page := search(session, SearchQuery(limit=5, offset=offset, **options)):
        found += [hit.url for hit in page]
        offset += 5
    return found


@pytest.mark.parametrize("options", [{"text": "кластер"}, {"text": "кластер", "sort": "date"},
                                     {"org": "государственный"}, {"text": "кластер", "org": "политехнический"}],
                         ids=["relevance", "words by date", "filter only", "words and filter"])
def test_pages_together_are_the_one_long_list_without_gaps_or_repeats(many, options):
    whole = [hit.url for hit in search(many, SearchQuery(limit=100, **options))]
    assert whole and len(whole) == len(set(whole))
    assert walk(many, **options) == whole
    assert search_count(many, SearchQuery(**options)) == len(whole)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("fewest", [1, 4, 10])
def test_ranked_pages_from_the_best_matches_are_the_full_ranking(many, monkeypatch, fewest):
    # So few candidates that pages are cut from them, or refused (ties at the cut, filters) for the full plan.
    monkeypatch.setattr(sqlite_plan, "MIN_CANDIDATES", fewest)
    monkeypatch.setattr(sqlite_plan, "CANDIDATES_PER_HIT", 1)
    for options in [{"text": "кластер"}, {"text": "кластер", "until": date(2016, 1, 6)}, {"text": "новость OR кластер"},
                    {"text": "кластер", "include_all": True, "since": date(2016, 1, 5)}]:
        for offset in (0, 2, 5, 20):
            query = SearchQuery(limit=3, offset=offset, **options)
            full_plan = [(row.url, row.score) for row in many.execute(build_search(query, "sqlite"))]
            assert [(hit.url, hit.score) for hit in search(many, query)] == full_plan


def test_an_article_naming_two_matching_organisations_is_listed_once(many):
    hits = search(many, SearchQuery(org="университет", limit=100))
    assert len(hits) == len({hit.url for hit in hits}) == 16  # n % 3 in (0, 1) among 1..24


def test_best_match_first_and_ties_newest_first(many):
    hits = search(many, SearchQuery(text="кластер", limit=100))
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(hit.title.startswith("Кластер") for hit in hits[:6])  # title matches rank first
    for before, after in zip(hits, hits[1:], strict=False):
        if before.score == after.score and before.published and after.published:
            assert before.published >= after.published


def test_an_archive_without_the_filter_indexes_gets_them_on_first_search(tmp_path):
    path = tmp_path / "archive.sqlite3"
    with session_for(open_engine(f"sqlite:///{path}")) as session:  # noqa: F811
        upsert_articles(session, [item_to_record(make_item(1, title="Кластеры"))])
    with sqlite3.connect(path) as conn:  # as an archive from before the indexes
        for name in FILTER_INDEXES:
            conn.execute(f"DROP INDEX {name}")
    conn.close()
    with session_for(open_engine(f"sqlite:///{path}", create=False)) as session:  # noqa: F811
        assert [hit.title for hit in search(session, SearchQuery(text="кластерами", source="tomsk-news"))] == ["Кластеры"]
    with sqlite3.connect(path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert set(FILTER_INDEXES) <= names


def test_snippet_finds_a_match_deep_in_a_long_text_and_marks_each_in_its_window():
    text = "Начало статьи. " + "слово " * 2000 + "Открыли кластер, потом кластеры и кластерами. " + "конец " * 100
    snippet = make_snippet(text, parse_query("кластер").positive_terms)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "[кластер]" in snippet and "[кластеры]" in snippet and "[кластерами]" in snippet


def test_snippet_without_a_match_in_the_text_is_its_beginning():
    assert make_snippet("Дождь в Томске. " * 30, parse_query("кластер").positive_terms).startswith("Дождь в Томске.")


def test_snippet_of_a_text_with_long_runs_of_whitespace_is_its_flattened_window():
    # Only the head of a long text is flattened; runs of blank lines must not shift or shorten the window.
    text = "Кластер открыли." + "\n\n \t " * 300 + "Итоги года. " + "слово " * 500
    snippet = make_snippet(text, parse_query("кластер").positive_terms, width=60)
    assert snippet == "[Кластер] открыли. Итоги года. слово слово слово слово слово…"
