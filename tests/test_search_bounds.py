"""Hostile and mistaken queries (issue 16, items 1 and 16): bounded work, clear refusals, no surprises.

The search language forgives anything a person types, but the work a query
asks for is bounded: repeated terms count once, and a query longer than
``MAX_QUERY_CHARS`` characters or with more than ``MAX_QUERY_TERMS`` distinct
terms is refused with one line, on every backend and with ``--raw`` too.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)
from click.testing import CliRunner

from archive.cli import main
from archive.errors import ArchiveError, QueryError
from archive.search import MAX_QUERY_CHARS, MAX_QUERY_TERMS, SearchQuery, parse_query, search
from archive.store import item_to_record, upsert_articles


@pytest.fixture
def archive(session):  # noqa: F811
    items = [
        make_item(1, title="Кластер", text="Томск развивает кластер фармацевтики.", published=date(2016, 5, 1)),
        make_item(2, title="Погода", text="Дождь и ветер в Томске.", published=date(2017, 1, 1)),
        make_item(3, title="Cluster news", text="The cluster met in Tomsk.", language="en", source="tomsk-en",
                  published=date(2018, 2, 1)),
    ]
    upsert_articles(session, [item_to_record(item) for item in items])
    session.commit()
    return session


def found(session, text="", **options):
    return sorted(int(hit.url.rsplit("/", 1)[1]) for hit in search(session, SearchQuery(text=text, **options)))


def shape(parsed):
    return [([t.words for t in g.include], [t.words for t in g.exclude]) for g in parsed.groups]


# --- item 1: the work a query asks for is bounded ----------------------------------------


def test_repeated_terms_and_groups_count_once():
    assert shape(parse_query("cluster " * 300)) == [([("cluster",)], [])]
    assert shape(parse_query("cluster OR " * 150 + "cluster")) == [([("cluster",)], [])]
    assert shape(parse_query("c* " * 400)) == [([("c",)], [])]
    assert shape(parse_query("Томск -дождь Томск -дождь OR дождь Томск OR Томск дождь")) == [
        ([("Томск",)], [("дождь",)]),
        ([("дождь",), ("Томск",)], []),
    ]


def test_a_query_repeating_one_word_past_the_term_limit_still_answers(archive):
    assert found(archive, "кластер " * 200) == found(archive, "кластер") == [1]
    assert found(archive, "кластер OR " * 100 + "cluster") == [1, 3]


def test_exactly_the_limits_are_accepted(archive):
    words = [f"слово{n}" for n in range(MAX_QUERY_TERMS - 1)]
    assert found(archive, " OR ".join(["кластер", *words])) == [1]
    padded = "кластер" + " " * (MAX_QUERY_CHARS - len("кластер"))
    assert found(archive, padded) == [1]


def test_a_query_over_the_length_limit_is_refused_with_one_line():
    with pytest.raises(QueryError) as refused:
        SearchQuery(text="кластер " * 300)
    assert str(refused.value) == (
        f"the query is 2400 characters long; the limit is {MAX_QUERY_CHARS} (search for fewer words)"
    )
    assert isinstance(refused.value, ArchiveError)


def test_a_query_with_too_many_distinct_terms_is_refused_with_one_line():
    text = " OR ".join(f"w{n}" for n in range(MAX_QUERY_TERMS + 1))
    with pytest.raises(QueryError) as refused:
        SearchQuery(text=text)
    assert str(refused.value) == (
        f"the query has {MAX_QUERY_TERMS + 1} different words, phrases or prefixes;"
        f" the limit is {MAX_QUERY_TERMS}"
    )


def test_raw_queries_have_the_same_bounds():
    with pytest.raises(QueryError, match="2400 characters long"):
        SearchQuery(text="кластер " * 300, raw=True)
    with pytest.raises(QueryError, match=f"has {MAX_QUERY_TERMS + 1} different words"):
        SearchQuery(text=" OR ".join(f"w{n}" for n in range(MAX_QUERY_TERMS + 1)), raw=True)
    assert SearchQuery(text=" OR ".join(["w"] * 300), raw=True).raw  # one word repeated is one term


@pytest.mark.parametrize(
    "query",
    [
        "cluster " * 14000,  # the red team's 98 kB query
        "cluster OR " * 9000,
        "c* " * 20000,
    ],
)
def test_the_cli_refuses_a_huge_query_with_one_error_line(tmp_path, query):
    db = tmp_path / "a.sqlite3"
    result = CliRunner().invoke(main, ["search", "--db", str(db), "--", query])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS} (search for fewer words)\n"
    )
    assert not db.exists()  # refused before the archive is opened


# --- item 16: what a newcomer typed ---------------------------------------------------------


@pytest.mark.parametrize("text", ["*", "-", '" "', "(", "^", "- * ("])
def test_a_query_of_punctuation_alone_is_refused_not_a_list_of_everything(archive, text):
    with pytest.raises(QueryError) as refused:
        SearchQuery(text=text)
    assert str(refused.value) == (
        f"the query {text!r} has no words to search for; leave it out to list articles by date"
    )


def test_a_query_of_spaces_lists_like_no_query(archive):
    assert found(archive, "   ") == found(archive) == [1, 2, 3]


def test_an_operator_with_nothing_to_act_on_is_refused():
    with pytest.raises(QueryError, match="has no words to search for"):
        SearchQuery(text="NOT")
    with pytest.raises(QueryError, match="has no words to search for"):
        SearchQuery(text="NOT -")


def test_not_alone_finds_the_articles_without_the_word(archive):
    assert found(archive, "NOT кластер") == found(archive, "-кластер") == [2, 3]
    assert found(archive, "NOT cluster OR дождь") == [1, 2]


def _cli_search(db, *args):
    return CliRunner().invoke(main, ["search", *args, "--db", str(db), "--format", "json"])


@pytest.fixture
def archive_file(archive, db_url):  # noqa: F811
    """The fixture archive, as a command line's ``--db`` names it."""
    return db_url


def test_a_leading_minus_word_is_a_query_not_an_unknown_option(archive_file):
    result = _cli_search(archive_file, "-кластер")
    assert result.exit_code == 0, result.output
    assert [hit["url"].rsplit("/", 1)[1] for hit in json.loads(result.stdout)] == ["3", "2"]


def test_words_given_as_several_arguments_are_one_query(archive_file):
    result = _cli_search(archive_file, "Томск", "-дождь")
    assert result.exit_code == 0, result.output
    assert [hit["url"].rsplit("/", 1)[1] for hit in json.loads(result.stdout)] == ["1"]


def test_an_unknown_long_option_is_still_a_usage_error(archive_file):
    result = _cli_search(archive_file, "кластер", "--limt", "5")
    assert result.exit_code == 2
    assert "Error: No such option '--limt'. (Did you mean one of: '--delimiter', '--limit', '--time-limit'?)" in result.stderr


def test_an_unknown_source_is_refused_with_the_archives_sources(archive):
    with pytest.raises(ArchiveError) as refused:
        search(archive, SearchQuery(text="кластер", source="nosuch"))
    assert str(refused.value) == "no source named 'nosuch' in this archive; its sources: tomsk-en, tomsk-news"
    assert found(archive, "cluster", source="tomsk-en") == [3]


# --- item 1: a short but costly query is stopped by the time budget ----------------------------

_SLOW = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 300000000) SELECT count(*) FROM c"


def test_a_statement_past_the_time_budget_is_stopped_and_the_session_still_searches(archive):
    from sqlalchemy import text

    from archive.search.deadline import time_limit
    from archive.search.query import execute

    with pytest.raises(QueryError) as stopped, time_limit(archive, 0.2):
        execute(archive, text(_SLOW))  # minutes of work without the budget
    assert str(stopped.value) == (
        "the search needed more than 0.2 s and was stopped; use fewer or rarer words, longer prefixes,"
        " or a longer --time-limit"
    )
    assert found(archive, "кластер") == [1]  # the budget is gone with its block
    assert archive.execute(text("SELECT count(*) FROM articles")).scalar() == 3


def test_an_expired_budget_refuses_the_next_statement(archive):
    with pytest.raises(QueryError, match=r"needed more than 1e-09 s and was stopped"):
        search(archive, SearchQuery(text="кластер", time_limit=1e-9))
    assert found(archive, "кластер") == [1]


@pytest.mark.parametrize("ask", ["facets", "timeline", "co_occurring"])
def test_facets_timelines_and_companions_keep_the_budget_of_a_search(archive, ask):
    from archive.search import co_occurring, facets, timeline

    query = SearchQuery(text="кластер", time_limit=1e-9)
    run = {"facets": lambda: facets(archive, query), "timeline": lambda: timeline(archive, query),
           "co_occurring": lambda: co_occurring(archive, query, "person", "Жвачкин")}[ask]
    with pytest.raises(QueryError, match=r"needed more than 1e-09 s and was stopped"):
        run()
    assert found(archive, "кластер") == [1]


def test_the_cli_reports_a_stopped_search_in_one_line(archive_file):
    result = CliRunner().invoke(main, ["search", "кластер", "--db", archive_file, "--time-limit", "0.000000001"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the search needed more than 1e-09 s and was stopped; use fewer or rarer words, longer prefixes,"
        " or a longer --time-limit\n"
    )


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "site"])
def test_an_export_of_an_unknown_source_is_refused_before_writing(archive_file, tmp_path, fmt):
    out = tmp_path / (f"out.{fmt}" if fmt != "site" else "site")
    result = CliRunner().invoke(main, ["export", fmt, "--out", str(out), "--source", "nosuch", "--db", archive_file])
    assert result.exit_code == 1
    assert result.stderr == "Error: no source named 'nosuch' in this archive; its sources: tomsk-en, tomsk-news\n"
    assert not out.exists()
