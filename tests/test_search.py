"""Search: the query builder (pure) and running it on SQLite (FTS5) and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from archive.errors import ArchiveError
from archive.records import item_to_record
from archive.search import (
    SearchQuery,
    build_search,
    fts5_match_expression,
    make_snippet,
    search,
    search_count,
    search_terms,
)
from archive.store import upsert_articles
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)
from scraper.items import Mention

DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}


def compiled(query: SearchQuery, dialect_name: str):
    return build_search(query, dialect_name).compile(dialect=DIALECTS[dialect_name])


@pytest.fixture
def archive(session):  # noqa: F811
    """Five articles: Russian and English, relevant and not, dated and undated."""
    items = [
        make_item(1, title="Губернатор о проекте ИНО Томск", text="Сергей Жвачкин открыл кластер в Томске.",
                  published=date(2016, 3, 14)),
        make_item(2, title="Новости кластера", text="В рамках ИНО Томск обсуждали «умный город» и café.",
                  published=date(2017, 6, 1),
                  mentions=[Mention("org", "Томский государственный университет", "ТГУ")]),
        make_item(3, title="INO Tomsk in English", text="The governor spoke about INO Tomsk.",
                  language="en", source="tomsk-en", published=date(2018, 1, 10), mentions=[]),
        make_item(4, title="Погода", text="В Томске дождь.", is_relevant=False, relevance=0.0, mentions=[]),
        make_item(5, title="Без даты", text="ИНО Томск без даты публикации.", published=None, mentions=[]),
    ]
    upsert_articles(session, [item_to_record(item) for item in items])
    session.commit()
    return session


def urls(hits):
    return [hit.url.rsplit("/", 1)[1] for hit in hits]


# --- building ----------------------------------------------------------------------------


def test_search_terms_drop_pure_punctuation():
    assert search_terms('"INO  AND - * NEAR( Томск') == ['"INO', "AND", "NEAR(", "Томск"]


def test_each_word_becomes_a_quoted_fts5_string():
    assert fts5_match_expression(['"INO', "AND", "NEAR("]) == '"""INO" "AND" "NEAR("'


def test_build_search_binds_user_text_and_filters_as_parameters():
    query = SearchQuery(text="кластер'; DROP TABLE articles; --", person="Жвачкин", lang="ru",
                        source="tomsk-news", since=date(2016, 1, 1))
    sql = compiled(query, "sqlite")
    assert "DROP TABLE" not in str(sql) and "Жвачкин" not in str(sql)
    assert '"кластер\';" "DROP" "TABLE" "articles;"' in sql.params.values()
    assert "%жвачкин%" not in sql.params.values()  # contains() binds the bare value
    assert "жвачкин" in sql.params.values()
    assert {"ru", "tomsk-news", date(2016, 1, 1)} <= set(sql.params.values())


def test_build_search_uses_fts5_on_sqlite():
    sql = str(compiled(SearchQuery(text="Томск"), "sqlite"))
    assert "articles_fts MATCH" in sql
    assert "bm25(articles_fts" in sql and "snippet(articles_fts" in sql
    assert "articles.is_relevant IS 1" in sql


def test_build_search_falls_back_to_case_insensitive_like_elsewhere():
    sql = str(compiled(SearchQuery(text="Томск", include_all=True), "postgresql"))
    assert "articles_fts" not in sql
    assert "articles.title ILIKE" in sql and "articles.text ILIKE" in sql
    assert "is_relevant" not in sql


def test_build_search_without_words_orders_by_date():
    sql = str(compiled(SearchQuery(lang="ru"), "sqlite"))
    assert "MATCH" not in sql
    assert "ORDER BY articles.published DESC NULLS LAST" in sql


def test_search_query_rejects_bad_limit_and_offset():
    with pytest.raises(ArchiveError, match="--limit must be at least 1"):
        SearchQuery(limit=0)
    with pytest.raises(ArchiveError, match="--offset cannot be negative"):
        SearchQuery(offset=-1)


def test_python_snippet_marks_terms_around_first_match():
    text = "Вступление. " * 20 + "Губернатор посетил ИНО Томск сегодня."
    snippet = make_snippet(text, ["томск"], width=40)
    assert snippet.startswith("…") and "[Томск]" in snippet


# --- running -----------------------------------------------------------------------------


def test_search_finds_russian_word(archive):
    assert "1" in urls(search(archive, SearchQuery(text="кластер")))
    assert urls(search(archive, SearchQuery(text="ГУБЕРНАТОР"))) == ["1"]
    assert urls(search(archive, SearchQuery(text="жвачкин"))) == ["1"]


def test_search_trailing_star_finds_inflected_forms(archive):
    assert set(urls(search(archive, SearchQuery(text="кластер*")))) == {"1", "2"}


def test_search_ranks_title_matches_first(archive):
    assert urls(search(archive, SearchQuery(text="кластера")))[0] == "2"
    assert urls(search(archive, SearchQuery(text="Губернатор"))) == ["1"]


def test_search_requires_every_word(archive):
    assert urls(search(archive, SearchQuery(text="Жвачкин кластер"))) == ["1"]
    assert search(archive, SearchQuery(text="кластер English")) == []


def test_search_unbalanced_quote_is_searched_as_words(archive):
    hits = search(archive, SearchQuery(text='"INO Tomsk'))
    assert urls(hits) == ["3"]


@pytest.mark.parametrize("text", ["AND OR", "*", "-", "NEAR(", "кластер -", '" "', "Томск*", "a:b", "(", "^"])
def test_search_operators_are_plain_words_never_errors(archive, text):
    search(archive, SearchQuery(text=text))


def test_search_snippet_marks_the_match(archive):
    [hit] = search(archive, SearchQuery(text="Жвачкин"))
    assert "[Жвачкин]" in hit.snippet
    assert hit.title == "Губернатор о проекте ИНО Томск"
    assert hit.published == date(2016, 3, 14)
    assert hit.score > 0


def test_search_skips_irrelevant_articles_unless_include_all(archive):
    assert search(archive, SearchQuery(text="дождь")) == []
    assert urls(search(archive, SearchQuery(text="дождь", include_all=True))) == ["4"]


def test_search_filters_by_person_with_case_insensitive_substring(archive):
    assert urls(search(archive, SearchQuery(person="жвачк"))) == ["1"]
    assert urls(search(archive, SearchQuery(person="ЖВАЧКИН", include_all=True))) == ["1"]
    assert search(archive, SearchQuery(person="ТГУ")) == []  # an org, not a person


def test_search_filters_by_organisation(archive):
    hits = search(archive, SearchQuery(text="ИНО", org="государственный"))
    assert urls(hits) == ["2"]


def test_search_filters_by_language_source_and_dates(archive):
    assert urls(search(archive, SearchQuery(lang="en"))) == ["3"]
    assert urls(search(archive, SearchQuery(source="tomsk-en"))) == ["3"]
    assert urls(search(archive, SearchQuery(since=date(2017, 1, 1), until=date(2017, 12, 31)))) == ["2"]


def test_empty_text_with_filters_lists_newest_first_undated_last(archive):
    assert urls(search(archive, SearchQuery(lang="ru"))) == ["2", "1", "5"]


def test_search_count_ignores_limit_and_offset(archive):
    query = SearchQuery(text="ИНО", limit=1, offset=1)
    assert len(search(archive, query)) == 1
    assert search_count(archive, query) == 3


# Diacritics folding comes from the SQLite FTS5 tokenizer; PostgreSQL's own
# text search configurations come with the tsvector work (issue 7).
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_search_removes_latin_diacritics(archive):
    assert urls(search(archive, SearchQuery(text="cafe"))) == ["2"]


def test_search_sees_updated_text(archive):
    upsert_articles(archive, [item_to_record(make_item(1, text="Совершенно другой текст."))])
    archive.commit()
    assert "1" not in urls(search(archive, SearchQuery(text="кластер")))
    assert urls(search(archive, SearchQuery(text="совершенно"))) == ["1"]
