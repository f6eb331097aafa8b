"""Normalisation and linking of names, Russian name parts and roles, dates named in the text."""

from __future__ import annotations

from datetime import date

import pytest

from archive.knowledge import link_names, load_gazetteer
from pipelines.extractors.entities import (
    extract_entities,
    find_date_mentions,
    unique_names,
)


def linked(*pairs):
    return link_names(pairs, load_gazetteer())


# --- linking --------------------------------------------------------------------------------
def test_transliteration_variants_and_cyrillic_link_to_one_person():
    names = linked(("person", "Oleg Fomichyov"), ("person", "Олег Фомичёв"), ("person", "O. Fomichev"))
    assert set(names.values()) == {"Oleg Fomichev"}


def test_unknown_person_initial_links_to_full_name_in_either_script():
    names = linked(("person", "I. Petrov"), ("person", "Иван Петров"), ("person", "Ivan Petrov"))
    assert set(names.values()) == {"Ivan Petrov"}


def test_initial_with_two_candidate_full_names_is_not_merged():
    names = linked(("person", "V. Ivanov"), ("person", "Viktor Ivanov"), ("person", "Vadim Ivanov"))
    assert names[("person", "V. Ivanov")] == "V. Ivanov"
    assert names[("person", "Viktor Ivanov")] != names[("person", "Vadim Ivanov")]


def test_surname_alone_is_never_merged_even_with_a_gazetteer_person():
    names = linked(("person", "Zhvachkin"), ("person", "Sergey Zhvachkin"))
    assert names[("person", "Zhvachkin")] == "Zhvachkin"


def test_different_initial_keeps_people_apart():
    assert linked(("person", "A. Petrov"), ("person", "Ivan Petrov"))[("person", "A. Petrov")] == "A. Petrov"


@pytest.mark.parametrize("alias", ["ТГУ", "TSU", "Томский государственный университет"])
def test_abbreviations_and_full_names_link_to_the_university(alias):
    assert linked(("org", alias))[("org", alias)] == "Tomsk State University"


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [("ФАНО России", "Federal Agency for Scientific Organizations"), ("СибГМУ", "Siberian State Medical University"),
     ("ОЭЗ «Томск»", "SEZ Tomsk"), ("Росатом", "Rosatom"), ("администрация Томской области", "Tomsk Region Administration")],
)
def test_gazetteer_aliases_in_both_scripts(alias, canonical):
    assert linked(("org", alias))[("org", alias)] == canonical


def test_russian_region_links_to_english_region_name():
    names = linked(("place", "Иркутская область"), ("place", "Irkutsk region"))
    assert names[("place", "Иркутская область")] == "Irkutsk region"


# --- extraction -----------------------------------------------------------------------------
def test_russian_surname_first_name_is_reordered_and_split():
    mentions = extract_entities("Доклад сделал Петров Иван Сергеевич, а затем выступил гость.", "ru")
    person = next(m for m in mentions if m.kind == "person")
    assert (person.name, person.first, person.middle, person.last) == (
        "Иван Сергеевич Петров", "Иван", "Сергеевич", "Петров")


def test_russian_role_is_brought_to_the_nominative():
    mentions = extract_entities("Совещание прошло с заместителем министра экономического развития России Олегом Фомичёвым.", "ru")
    person = next(m for m in mentions if m.kind == "person")
    assert (person.name, person.role) == ("Олег Фомичёв", "заместитель министра экономического развития России")


def test_russian_role_is_not_taken_across_a_verb():
    mentions = extract_entities("Губернатор провёл встречу с Иваном Петровым.", "ru")
    assert next(m for m in mentions if m.kind == "person").role is None


def test_english_role_after_the_name():
    mentions = extract_entities('Ivan Petrov, director of LLC "Sibtech", presented the plan.', "en")
    assert mentions[0].role == 'director of LLC "Sibtech"'


def test_english_name_parts():
    mention = extract_entities("The talk was given by Arkady Vladimirovich Dvorkovich.", "en")[0]
    assert (mention.first, mention.middle, mention.last) == ("Arkady", "Vladimirovich", "Dvorkovich")


def test_organisation_stops_before_a_person():
    mentions = extract_entities("Deputy Chairman of the Government of the Russian Federation Arkady Dvorkovich spoke.", "en")
    assert unique_names(mentions, "org") == ["Government of the Russian Federation"]
    assert unique_names(mentions, "person") == ["Arkady Dvorkovich"]


def test_surname_repeated_alone_is_the_same_person():
    mentions = extract_entities("Vladimir Kozlov presented the results. Kozlov stressed the role of startups.", "en")
    assert [m.name for m in mentions if m.kind == "person"] == ["Vladimir Kozlov", "Vladimir Kozlov"]


def test_defined_abbreviation_is_the_organisation_later():
    text = "Tomsk Oil Research Institute (TORI) was founded in 2001. Later TORI opened a lab."
    orgs = [m for m in extract_entities(text, "en") if m.kind == "org"]
    assert [m.surface for m in orgs] == ["Tomsk Oil Research Institute", "TORI", "TORI"]
    assert {m.name for m in orgs} == {"Tomsk Oil Research Institute"}


# --- dates named in the text ------------------------------------------------------------------
def test_english_day_range_from_the_seed_page():
    [found] = find_date_mentions("On 10-11 of March of 2016 Evgeniya Shamis acted as a moderator.")
    assert (found.surface, found.date_from, found.date_to, found.precision) == (
        "10-11 of March of 2016", date(2016, 3, 10), date(2016, 3, 11), "day")


def test_russian_year_range():
    [found] = find_date_mentions("Проект рассчитан на реализацию в 2016–2017 годах.")
    assert (found.surface, found.date_from, found.date_to) == ("2016–2017 годах", date(2016, 1, 1), date(2017, 12, 31))


def test_day_without_year_takes_the_publication_year_or_is_skipped():
    assert find_date_mentions("Встреча пройдет 15 мая.", 2017)[0].date_from == date(2017, 5, 15)
    assert find_date_mentions("Встреча пройдет 15 мая.") == []


def test_numbers_that_are_not_dates_are_ignored():
    assert find_date_mentions("Over 2016 participants and 100 companies took part.") == []


def test_date_offsets_point_at_the_surface():
    text = "С 2011 года проект вырос; 14.03.2016 прошла сессия, в марте 2016 года — форум."
    assert all(text[m.start : m.end] == m.surface for m in find_date_mentions(text))
    assert len(find_date_mentions(text)) == 3
