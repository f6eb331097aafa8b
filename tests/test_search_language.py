"""The search language: morphology, phrases, AND / OR / NOT, prefixes, raw syntax, sorting.

Each case runs on SQLite and PostgreSQL with the same expected hits: that is
the results contract between the two backends.
"""

from __future__ import annotations

from datetime import date

import pytest
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)
from sqlalchemy.dialects import postgresql, sqlite

from archive.errors import ArchiveError, QueryError
from archive.search import SearchQuery, build_search, search, search_count
from archive.store import item_to_record, upsert_articles


@pytest.fixture
def archive(session):  # noqa: F811
    items = [
        make_item(1, title="Кластеры региона", text="Томск развивает кластер фармацевтики и ещё пять кластеров.",
                  published=date(2016, 5, 1), relevance=5.0),
        make_item(2, title="Ёлки в Томске", text="Новогодняя ёлка установлена у университета.",
                  published=date(2017, 12, 20), relevance=2.0),
        make_item(3, title="Universities of Tomsk", text="Tomsk State University joined the innovation cluster.",
                  language="en", published=date(2018, 2, 1), relevance=4.0),
        make_item(4, title="Smart city", text="The university and the city signed an agreement on clusters.",
                  language="en", published=date(2019, 3, 3), relevance=1.0),
        make_item(5, title="Погода", text="Дождь и ветер, кластер облаков.", published=date(2015, 1, 1),
                  relevance=0.5),
    ]
    upsert_articles(session, [item_to_record(item) for item in items])
    session.commit()
    return session


def found(session, text="", **options):
    return sorted(int(hit.url.rsplit("/", 1)[1]) for hit in search(session, SearchQuery(text=text, **options)))


def test_russian_inflected_form_finds_other_forms(archive):
    assert found(archive, "кластерами") == [1, 5]
    assert found(archive, "КЛАСТЕРОВ") == [1, 5]


def test_english_plural_finds_singular(archive):
    assert found(archive, "universities") == [3, 4]
    assert found(archive, "cluster") == [3, 4]


def test_yo_and_ye_are_the_same_letter(archive):
    assert found(archive, "елка") == [2]
    assert found(archive, "ЁЛКИ") == [2]


def test_quoted_phrase_needs_the_words_in_order(archive):
    assert found(archive, '"state university"') == [3]
    assert found(archive, '"university state"') == []


def test_or_and_not(archive):
    assert found(archive, "ёлка OR smart") == [2, 4]
    assert found(archive, "кластер NOT погода") == [1]
    assert found(archive, "кластер -погода") == [1]
    assert found(archive, "university AND agreement") == [4]


def test_not_alone_lists_everything_else(archive):
    assert found(archive, "NOT кластер") == [2, 3, 4]  # 3 and 4 say "cluster", in English
    assert found(archive, "-university", lang="en") == []


def test_prefix_matches_word_beginnings(archive):
    assert found(archive, "фарма*") == [1]
    assert found(archive, "univ*") == [3, 4]
    assert found(archive, "университетами*") == [2]  # the stem of a prefix matches too
    assert found(archive, "innov*") == [3]


def test_unbalanced_quotes_and_stray_operators_search_as_words(archive):
    assert found(archive, '"state university') == [3]
    assert found(archive, "кластер NOT") == [1, 5]  # a trailing operator is dropped
    with pytest.raises(QueryError, match="has no words to search for"):  # an operator alone (issue 16)
        found(archive, "OR")


def test_sort_by_date_or_relevance(archive):
    by_date = search(archive, SearchQuery(text="кластер", sort="date"))
    assert [hit.published.year for hit in by_date] == [2016, 2015]
    by_relevance = search(archive, SearchQuery(text="кластеры"))
    assert by_relevance[0].title == "Кластеры региона"  # title match ranks first


def test_an_article_naming_the_word_often_outranks_a_short_passing_mention(session):  # noqa: F811
    # Neither backend penalises length: SQLite's stems index keeps no row sizes, ts_rank is unnormalised.
    passing = make_item(1, title="Новости", text="Кластер.", published=date(2020, 1, 1))
    report = make_item(2, title="Отчёт", text="Кластер вырос. " + "Прочие новости региона. " * 60
                       + "Кластер, кластеры, кластером, кластеров.", published=date(2019, 1, 1))
    upsert_articles(session, [item_to_record(item) for item in (passing, report)])
    session.commit()
    hits = search(session, SearchQuery(text="кластер"))
    assert [hit.url.rsplit("/", 1)[1] for hit in hits] == ["2", "1"]
    assert hits[0].score > hits[1].score


def test_min_relevance_filter(archive):
    assert found(archive, min_relevance=4.0) == [1, 3]
    assert found(archive, "кластер", min_relevance=1.0) == [1]


def test_snippet_marks_every_form_of_the_word(archive):
    [hit] = search(archive, SearchQuery(text="кластерами", sort="date", limit=1))
    assert "[кластер]" in hit.snippet and "[кластеров]" in hit.snippet


def test_limit_offset_and_count(archive):
    query = SearchQuery(text="university", limit=1, offset=1, sort="date")
    [hit] = search(archive, query)
    assert hit.published == date(2018, 2, 1)
    assert search_count(archive, query) == 2


def test_raw_syntax_is_the_backends_own(archive):
    dialect = archive.get_bind().dialect.name
    raw = {"sqlite": "Tomsk NEAR(State University, 2)", "postgresql": "state <-> university"}[dialect]
    assert found(archive, raw, raw=True) == [3]


def test_raw_syntax_error_is_one_line_archive_error(archive):
    with pytest.raises(ArchiveError, match="^search failed: "):
        search(archive, SearchQuery(text='кластер AND (', raw=True))


# --- the builder, without a database --------------------------------------------------


def test_sqlite_query_matches_stems_and_binds_user_text():
    stmt = build_search(SearchQuery(text="кластерами'; DROP TABLE articles; --"), "sqlite")
    sql = stmt.compile(dialect=sqlite.dialect())
    assert "articles_stems MATCH" in str(sql) and "bm25(articles_stems" in str(sql)
    assert "DROP" not in str(sql)
    assert '("кластер") AND ("drop") AND ("tabl") AND ("articl")' not in sql.params.values()
    assert '("кластер" AND "drop" AND "tabl" AND "articl")' in sql.params.values()


def test_postgres_query_uses_the_russian_configuration():
    sql = str(build_search(SearchQuery(text="кластер OR city"), "postgresql").compile(dialect=postgresql.dialect()))
    assert "'russian'::regconfig" in sql and "tsquery_or" in sql and "ts_rank" in sql


@pytest.mark.parametrize("bad", [{"limit": 0}, {"offset": -1}, {"sort": "title"},
                                 {"since": date(2020, 1, 1), "until": date(2019, 1, 1)}])
def test_bad_query_options_are_archive_errors(bad):
    with pytest.raises(ArchiveError):
        SearchQuery(**bad)
