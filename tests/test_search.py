"""Search on SQLite (FTS5 over stems) and PostgreSQL (russian configuration): one contract.

Every test here runs on both backends with the same expectations."""

from __future__ import annotations

from datetime import date

import pytest
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)

from archive.errors import QueryError
from archive.search import SearchQuery, search, search_count
from archive.store import item_to_record, upsert_articles
from scraper.items import Mention


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("кластер -", {"1", "2"}),  # a minus with no word is dropped: the same as "кластер"
        ("Томск*", {"1", "2", "5"}),  # a prefix: Томск, Томске (4 is not about INO Tomsk)
        ("NEAR(", set()),  # the database's own operators are plain words here
        ("a:b", set()),  # a column filter in FTS5, two plain words here
    ],
)
def test_search_operators_are_plain_words_never_errors(archive, text, expected):
    assert set(urls(search(archive, SearchQuery(text=text)))) == expected


@pytest.mark.parametrize("text", ["*", "-", '" "', "(", "^", "AND OR", "NOT"])
def test_search_of_punctuation_or_operators_alone_is_refused_as_no_words(archive, text):
    # Issue 16: listing every article (or none) for "*" answered a question nobody asked.
    with pytest.raises(QueryError) as refused:
        search(archive, SearchQuery(text=text))
    assert str(refused.value) == f"the query {text!r} has no words to search for; leave it out to list articles by date"
    assert urls(search(archive, SearchQuery(text=" "))) == ["3", "2", "1", "5"]  # spaces are no query at all


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


# SQLite's FTS5 tokenizer removes diacritics; PostgreSQL's stored vector folds them the same way.
def test_search_removes_latin_diacritics(archive):
    assert urls(search(archive, SearchQuery(text="cafe"))) == ["2"]
    assert urls(search(archive, SearchQuery(text="CAFÉ"))) == ["2"]


def test_search_sees_updated_text(archive):
    upsert_articles(archive, [item_to_record(make_item(1, text="Совершенно другой текст."))])
    archive.commit()
    assert "1" not in urls(search(archive, SearchQuery(text="кластер")))
    assert urls(search(archive, SearchQuery(text="совершенно"))) == ["1"]
