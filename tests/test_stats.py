"""Archive statistics and the crawl-run log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)

from archive.stats import ArchiveStats, Breakdown, archive_stats, format_stats
from archive.store import (
    counts_from_stats,
    item_to_record,
    last_runs,
    record_run,
    upsert_articles,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def add_run(session, n, status="finished"):  # noqa: F811
    return record_run(
        session,
        started_at=T0 + timedelta(days=n),
        finished_at=T0 + timedelta(days=n, minutes=5),
        status=status,
        finish_reason="finished",
        counts={"articles_inserted": n, "dropped": {"ListingPage": 2}},
        sources=["b", "a", "a"],
    )


def test_stats_count_articles_by_source_language_and_year(session):  # noqa: F811
    items = [
        make_item(1),
        make_item(2, published=date(2017, 1, 1)),
        make_item(3, language="en", source="tomsk-en", is_relevant=False, mentions=[]),
        make_item(4, published=None, mentions=[]),
    ]
    upsert_articles(session, [item_to_record(item) for item in items])
    session.commit()
    stats = archive_stats(session)
    assert (stats.total_articles, stats.relevant_articles, stats.entities, stats.mentions) == (4, 3, 2, 4)
    assert stats.by_source == {"tomsk-en": Breakdown(1, 0), "tomsk-news": Breakdown(3, 3)}
    assert stats.by_language == {"en": Breakdown(1, 0), "ru": Breakdown(3, 3)}
    assert stats.by_year == {2016: Breakdown(2, 1), 2017: Breakdown(1, 1), None: Breakdown(1, 1)}


def test_stats_of_an_empty_archive_are_zero(session):  # noqa: F811
    stats = archive_stats(session)
    assert stats == ArchiveStats(0, 0, 0, 0)
    assert "Last crawls: none yet" in format_stats(stats)


def test_record_run_and_last_runs_newest_first(session):  # noqa: F811
    for n in range(7):
        add_run(session, n)
    session.commit()
    runs = last_runs(session, 5)
    assert [run.counts["articles_inserted"] for run in runs] == [6, 5, 4, 3, 2]
    assert runs[0].sources == ["a", "b"]
    assert runs[0].started_at == T0 + timedelta(days=6)


def test_stats_include_last_runs_detached_from_the_session(session):  # noqa: F811
    add_run(session, 1)
    session.commit()
    stats = archive_stats(session)
    session.close()
    [run] = stats.last_runs
    assert (run.status, run.counts["dropped"]) == ("finished", {"ListingPage": 2})
    assert "#1 2024-05-02 12:00 UTC  finished (finished): inserted 1, updated 0, unchanged 0, dropped 2" in format_stats(stats)


def test_counts_from_stats_keeps_store_outcomes_and_drops_by_reason():
    counts = counts_from_stats({
        "response_received_count": 12,
        "archive/articles_inserted": 3,
        "item_dropped_reasons_count/ListingPage": 4,
        "item_dropped_reasons_count/DuplicateArticle": 1,
    })
    assert counts["pages_fetched"] == 12
    assert counts["articles_inserted"] == 3
    assert counts["articles_updated"] == 0
    assert counts["dropped"] == {"DuplicateArticle": 1, "ListingPage": 4}


def test_format_stats_lists_breakdowns(session):  # noqa: F811
    upsert_articles(session, [item_to_record(make_item(1, published=None))])
    session.commit()
    report = format_stats(archive_stats(session))
    assert "Articles: 1 (1 relevant)" in report
    assert "tomsk-news" in report and "(unknown)" in report
