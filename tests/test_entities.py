"""Stage 4: people, organisations and places in English and Russian text."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from archive.knowledge import Entry, Gazetteer, link_names, load_gazetteer
from pipelines.entities import EntitiesPipeline
from pipelines.extractors.entities import extract_entities, unique_names
from scraper.items import ArticleItem

PAGES = Path(__file__).parent / "pages"
SEED = (PAGES / "seed_sherpaspro_313.txt").read_text(encoding="utf-8")
EN_ROLES = (PAGES / "entities_en_roles.txt").read_text(encoding="utf-8")
RU_MEETING = (PAGES / "entities_ru_meeting.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_mentions():
    return extract_entities(SEED, "en")


@pytest.fixture(scope="module")
def ru_mentions():
    return extract_entities(RU_MEETING, "ru")


def by_surface(mentions, surface):
    return next(m for m in mentions if m.surface == surface)


# --- the seed page (English) ------------------------------------------------------------------
def test_seed_people_are_exactly_the_six_named_once(seed_mentions):
    assert unique_names(seed_mentions, "person") == [
        "Evgeniya Shamis", "Andrey Antonov", "Arkady Dvorkovich",
        "Oleg Fomichev", "Sergey Zhvachkin", "L. Kobzeva",
    ]


def test_seed_organisations_include_government_and_ministry(seed_mentions):
    organisations = unique_names(seed_mentions, "org")
    assert "Government of the Russian Federation" in organisations
    assert "Ministry of Economic Development of Russia" in organisations


def test_seed_places_include_tomsk_region_and_far_places(seed_mentions):
    places = unique_names(seed_mentions, "place")
    for place in ("Tomsk region", "Tatarstan", "Singapore", "Kaluga region"):
        assert place in places


def test_sentence_starts_are_not_people(seed_mentions):
    people = " ".join(unique_names(seed_mentions, "person"))
    for fragment in ("During", "The", "Road", "Now", "INO"):
        assert fragment not in people.split()


def test_ino_tomsk_is_an_organisation_not_a_person(seed_mentions):
    kinds = {m.kind for m in seed_mentions if m.name == "INO Tomsk"}
    assert kinds == {"org"}


def test_ino_tomsk_inside_a_web_address_is_not_a_mention(seed_mentions):
    assert not any("ino-tomsk" in m.surface for m in seed_mentions)


def test_initial_and_surname_link_to_gazetteer_person(seed_mentions):
    mention = by_surface(seed_mentions, "A.Antonov")
    assert (mention.kind, mention.name) == ("person", "Andrey Antonov")


def test_role_before_name_is_kept(seed_mentions):
    assert by_surface(seed_mentions, "S.Zhvachkin").role == "Governor of the Tomsk region"


def test_unknown_glued_initial_gets_a_space(seed_mentions):
    assert by_surface(seed_mentions, "L.Kobzeva").name == "L. Kobzeva"


def test_deputy_minister_implies_the_ministry(seed_mentions):
    mention = by_surface(seed_mentions, "Minister of Economic Development of Russia")
    assert (mention.kind, mention.name) == ("org", "Ministry of Economic Development of Russia")


def test_offsets_point_at_the_surface(seed_mentions):
    assert all(SEED[m.start : m.end] == m.surface for m in seed_mentions)


# --- English rules ----------------------------------------------------------------------------------
def test_surname_alone_is_not_linked_to_gazetteer():
    mentions = extract_entities("Mr. Antonov opened the session.", "en")
    assert unique_names(mentions, "person") == ["Antonov"]


def test_surname_after_title_takes_full_name_from_same_text():
    mentions = extract_entities(EN_ROLES, "en")
    mention = by_surface(mentions, "Zhvachkin")
    assert (mention.name, mention.role) == ("Sergey Zhvachkin", "Governor")


def test_university_head_noun_pattern():
    mentions = extract_entities("She studied at Novosibirsk State University last year.", "en")
    assert unique_names(mentions, "org") == ["Novosibirsk State University"]


def test_legal_form_with_quoted_name_is_an_organisation():
    assert 'LLC "Sibtech"' in unique_names(extract_entities(EN_ROLES, "en"), "org")


def test_administration_of_region_links_to_canonical_name():
    assert "Tomsk Region Administration" in unique_names(extract_entities(EN_ROLES, "en"), "org")


def test_acronym_links_to_university():
    orgs = unique_names(extract_entities(EN_ROLES, "en"), "org")
    assert "Tomsk State University of Control Systems and Radioelectronics" in orgs


def test_republic_of_links_to_place():
    assert "Tatarstan" in unique_names(extract_entities(EN_ROLES, "en"), "place")


def test_region_pattern_finds_unknown_region():
    mentions = extract_entities("Companies from Irkutsk region joined.", "en")
    assert unique_names(mentions, "place") == ["Irkutsk region"]


# --- Russian (natasha) -------------------------------------------------------------------------------
def test_russian_oblique_case_is_normalised_to_nominative(ru_mentions):
    assert "Иван Петров" in unique_names(ru_mentions, "person")


def test_russian_names_are_written_with_the_texts_own_words(ru_mentions):
    assert unique_names(ru_mentions, "person") == [
        "Сергей Жвачкин", "Олег Фомичёв", "Эдуард Галажинский", "А. Антонов", "Иван Петров",
    ]


def test_russian_names_link_to_the_gazetteers_english_entities_across_the_archive(ru_mentions):
    pairs = [(m.kind, m.name) for m in ru_mentions]
    canonical = link_names(pairs, load_gazetteer())
    assert {canonical[("person", name)] for name in ("Сергей Жвачкин", "Олег Фомичёв", "А. Антонов")} == {
        "Sergey Zhvachkin", "Oleg Fomichev", "Andrey Antonov",
    }


def test_russian_inflected_ino_tomsk_is_one_organisation(ru_mentions):
    assert {m.name for m in ru_mentions if m.surface in ("ИНО Томск", "ИНО-Томска")} == {"ИНО Томск"}


def test_russian_region_and_administration(ru_mentions):
    assert "Томская область" in unique_names(ru_mentions, "place")
    assert "администрация Томской области" in unique_names(ru_mentions, "org")


def test_russian_offsets_point_at_the_surface(ru_mentions):
    assert all(RU_MEETING[m.start : m.end] == m.surface for m in ru_mentions)


def test_other_language_gives_no_mentions():
    assert extract_entities("Der Cluster in Tomsk", "other") == []


# --- gazetteer ----------------------------------------------------------------------------------------
def test_gazetteer_links_initial_plus_surname_in_cyrillic():
    assert load_gazetteer().link("person", "О. Фомичёв").name == "Oleg Fomichev"


def test_gazetteer_never_links_a_surname_alone():
    assert load_gazetteer().link("person", "Fomichev") is None


# --- the pipeline -------------------------------------------------------------------------------------
def test_pipeline_fills_name_lists():
    item = ArticleItem(url="https://x.org/a", text=SEED, language="en")
    EntitiesPipeline().process_item(item)
    assert item.people[0] == "Evgeniya Shamis"
    assert item.organisations[0] == "INO Tomsk"
    assert "Tomsk region" in item.places
    assert len(item.mentions) > len(item.people)


def test_pipeline_counts_mentions():
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()
    item = ArticleItem(url="https://x.org/a", text=SEED, language="en")
    EntitiesPipeline.from_crawler(crawler).process_item(item)
    assert crawler.stats.get_value("pipelines/entities/mentions") == len(item.mentions)


def test_pipeline_off_when_entities_disabled():
    crawler = get_crawler(settings_dict={"ENTITIES_ENABLED": False})
    with pytest.raises(NotConfigured, match="ENTITIES_ENABLED is off"):
        EntitiesPipeline.from_crawler(crawler)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Андрей", "Кнорр"], ["Андрей", "Кнорр"]),  # a surname the dictionary does not know
        (["Андрея", "Кнорра"], ["Андрей", "Кнорра"]),  # ... stays as written in an oblique case
        (["Бориса", "Ротенберга"], ["Борис", "Ротенберг"]),  # guessed, but read as a surname
        (["Людмила", "Кобзева"], ["Людмила", "Кобзева"]),  # known to it only as a masculine form
        (["Сергея", "Жвачкина"], ["Сергей", "Жвачкин"]),
        (["Клавдии", "Ивановны", "Петуховой"], ["Клавдия", "Ивановна", "Петухова"]),  # stays a woman
        (["Алии", "Бекетовой"], ["Алия", "Бекетова"]),
        (["Пан", "Ги", "Муном"], ["Пан", "Ги", "Мун"]),  # every part, in its order
        (["Хамидом", "Карзаем"], ["Хамид", "Карзаем"]),  # not read as a surname: as written
        (["Юрием", "Долгоруким"], ["Юрий", "Долгорукий"]),  # an adjectival surname
    ],
)
def test_russian_person_names_come_to_the_nominative_without_inventing_forms(words, expected):
    from pipelines.extractors.entities import natasha_models, normalise_person

    assert normalise_person(words, natasha_models().parse) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Европейского", "союза"], ["Европейский", "союз"]),  # the adjective agrees with its noun
        (["Первого", "канала"], ["Первый", "канал"]),
        (["Дальнего", "Востока"], ["Дальний", "Восток"]),
        (["Южных", "Курил"], ["Южные", "Курилы"]),
        (["Международного", "Красного", "Креста"], ["Международный", "Красный", "Крест"]),
        (["Законодательной", "думы", "Томской", "области"], ["Законодательная", "дума", "Томской", "области"]),
        (["Корсуни"], ["Корсуни"]),  # unknown to the dictionary: as written, never "Корсунувший"
        (["Херсонеса"], ["Херсонеса"]),
        (["Фонда", "«Сколково»"], ["Фонд", "«Сколково»"]),
    ],
)
def test_russian_organisation_and_place_names_come_to_the_nominative_by_their_head_noun(words, expected):
    from pipelines.extractors.entities import natasha_models
    from pipelines.extractors.entities.russian_norm import normalise_phrase

    assert normalise_phrase(words, natasha_models().parse) == expected


def test_russian_unknown_surname_takes_the_form_the_text_writes_in_the_nominative():
    mentions = extract_entities("Встреча с Андреем Кнорром прошла в Томске. Андрей Кнорр рассказал о планах.", "ru")
    assert [(m.surface, m.name) for m in mentions if m.kind == "person"] == [
        ("Андреем Кнорром", "Андрей Кнорр"), ("Андрей Кнорр", "Андрей Кнорр"),
    ]


def test_russian_name_and_its_gloss_in_brackets_are_two_names():
    mentions = extract_entities("Астронавт Скотт Хоровитц (Scott Horowitz) полетел на станцию.", "ru")
    assert [(m.kind, m.name, m.surface) for m in mentions] == [
        ("person", "Скотт Хоровитц", "Скотт Хоровитц"), ("person", "Scott Horowitz", "Scott Horowitz"),
    ]


def test_place_name_in_quotes_after_an_organisation_noun_is_the_organisation():
    mentions = extract_entities("Сюжет показал телеканал «Россия», а в России его обсудили.", "ru")
    assert [(m.kind, m.name) for m in mentions] == [("org", "Россия"), ("place", "Россия")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Правительство Японии выразило протест, а в Японии тихо.",
         [("org", "Правительство Японии", "Правительство Японии"), ("place", "Япония", "Японии")]),
        ("Власти Таиланда отменили комендантский час.", [("org", "Власти Таиланда", "Власти Таиланда")]),
        ("Он играл за сборную России.", [("org", "Сборная России", "сборную России")]),
        ("Заявление сделал МИД Грузии.", [("org", "МИД Грузии", "МИД Грузии")]),
    ],
)
def test_russian_place_after_the_noun_of_its_government_or_team_is_that_organisation(text, expected):
    assert [(m.kind, m.name, m.surface) for m in extract_entities(text, "ru")] == expected


def test_russian_places_listed_after_a_governing_noun_are_one_body_each():
    mentions = extract_entities("Его поддержат вместе с федерациями Ирака, Сирии и Ливана.", "ru")
    assert [(m.kind, m.name) for m in mentions] == [
        ("org", "Федерация Ирака"), ("org", "Федерация Сирии"), ("org", "Федерация Ливана"),
    ]


def test_russian_organisation_name_ending_in_a_governing_noun_takes_the_place_after_it():
    mentions = extract_entities("Шахматная федерация Израиля поддержит кандидата.", "ru")
    assert [(m.kind, m.name) for m in mentions] == [("org", "Шахматная федерация Израиля")]


def test_russian_union_of_states_is_an_organisation_and_a_generic_noun_alone_is_no_name():
    mentions = extract_entities("Евросоюз ввёл санкции, сообщают СМИ. В Европейском союзе их обсуждают.", "ru")
    assert [(m.kind, m.name) for m in mentions] == [("org", "Евросоюз"), ("org", "Европейский союз")]


def test_russian_capitalised_adjective_before_a_common_noun_is_no_name_but_names_of_two_words_stay():
    mentions = extract_entities(
        "Кипрское правительство ужесточит контроль. Южная Корея и Томская область подписали соглашение.", "ru")
    assert [(m.kind, m.name) for m in mentions] == [("place", "Южная Корея"), ("place", "Томская область")]


def english_names(text: str) -> list[tuple[str, str]]:
    """(kind, canonical name) of every mention in an English text, in order."""
    return [(m.kind, m.name) for m in extract_entities(text, "en")]


def test_english_organisation_named_after_a_known_place_stays_whole_but_an_event_leaves_the_place():
    text = "The Liberal Democratic Party of Russia and the Parliament of India met. The Krasnoyarsk Economic Forum opened."
    assert [(m.kind, m.surface) for m in extract_entities(text, "en")] == [
        ("org", "Liberal Democratic Party of Russia"), ("org", "Parliament of India"), ("place", "Krasnoyarsk"),
    ]


def test_english_name_ending_in_a_known_place_stays_whole_but_a_place_before_a_person_stays_a_place():
    text = "The novel by Jack London was read on All India Radio. The United Russia party won. Tomsk Ivan Klein said."
    assert [(m.kind, m.surface) for m in extract_entities(text, "en")] == [
        ("person", "Jack London"), ("org", "All India Radio"), ("org", "United Russia"),
        ("place", "Tomsk"), ("person", "Ivan Klein"),
    ]


def test_english_prime_minister_of_a_country_names_the_country_not_a_ministry():
    text = "He met the Prime Minister of India and the Deputy Minister of Economic Development of Russia."
    assert english_names(text) == [
        ("place", "India"), ("org", "Ministry of Economic Development of Russia"),
    ]


def test_english_legal_form_is_a_whole_word_and_a_quoted_name_has_no_space_inside_its_quotes():
    text = 'The poster read " and 2nd half of " Inception, and "Sibtech" Inc. and LLC "Tomsk Tools" signed.'
    assert english_names(text) == [
        ("org", '"Sibtech" Inc.'), ("org", 'LLC "Tomsk Tools"'),
    ]


def test_english_name_owning_an_organisation_is_its_own_mention_but_a_common_noun_stays_in_the_name():
    text = "Russia's Ministry of Education met staff of King's College."
    assert english_names(text) == [
        ("place", "Russia"), ("org", "Ministry of Education"), ("org", "King's College"),
    ]


def test_english_organisation_stops_before_and_with_a_known_name_but_keeps_and_between_common_nouns():
    text = "The Ministry of Energy and Gazprom Neft signed with the Academy of Arts and Sciences."
    assert english_names(text) == [
        ("org", "Ministry of Energy"), ("org", "Gazprom Neft"), ("org", "Academy of Arts and Sciences"),
    ]


def test_english_given_name_before_a_church_or_an_office_is_no_person():
    text = "Roman Abramovich met a Roman Catholic bishop; the Roman Emperor Nero ruled."
    people = [name for kind, name in english_names(text) if kind == "person"]
    assert [name for name in people if "Roman" in name] == ["Roman Abramovich"]


def test_english_name_inside_an_award_the_model_reads_is_no_person_but_a_place_in_an_event_stays():
    text = "She won the Michael Jackson Video Vanguard Award at the Krasnoyarsk Economic Forum."
    assert english_names(text) == [("place", "Krasnoyarsk")]


def test_english_title_degree_or_job_after_an_office_or_initial_is_no_person():
    text = "He holds a D.Sc. in physics. Prime Minister Dr. Mahathir spoke. Mrs. Smith is Vice President Marketing."
    assert english_names(text) == [("person", "Mahathir"), ("person", "Smith")]


def test_english_title_case_headline_verb_ends_the_name_before_it():
    text = "Prime Minister Mishustin Visits Tomsk\n\nGovernor Zhvachkin Meets Students of TPU\n\nEvgeniya Shamis Joins Board"
    people = [name for kind, name in english_names(text) if kind == "person"]
    assert people == ["Mishustin", "Zhvachkin", "Evgeniya Shamis"]


def test_english_person_named_after_an_office_is_not_part_of_the_ministry():
    text = "He met the Minister of Education Stefania Giannini in Rome."
    assert english_names(text)[:2] == [
        ("org", "Ministry of Education"), ("person", "Stefania Giannini"),
    ]


def test_english_hyphenated_adjective_before_an_organisation_is_not_its_name():
    text = "A Tomsk-based Research Institute hired a British-born University of Virginia graduate."
    assert english_names(text) == [
        ("place", "Tomsk"), ("org", "Research Institute"), ("org", "University of Virginia"),
    ]


def test_english_model_place_or_organisation_ending_in_a_common_word_is_no_name():
    text = "The Qing dynasty ruled China. The Macedonian army advanced."
    assert english_names(text) == [("place", "China")]


def test_english_model_name_never_ends_in_a_dash_or_comma():
    text = "The Roman Empire- and Mary Anning- and the Union Bank of California, which Robert Bakker- founded."
    surfaces = [m.surface for m in extract_entities(text, "en")]
    assert {"Mary Anning", "Robert Bakker", "Union Bank of California"} <= set(surfaces)  # the model read "Bakker-"
    assert not [s for s in surfaces if s[-1] in "-,"]


def test_country_in_brackets_after_an_organisation_is_no_abbreviation_of_it():
    text = "The record was released by Profile Records (US) in 1985. Sales in the US grew."
    assert [(m.kind, m.name, m.surface) for m in extract_entities(text, "en")] == [
        ("org", "Profile Records", "Profile Records"), ("place", "US", "US"), ("place", "US", "US"),
    ]


def test_gazetteer_scan_finds_aliases_in_any_case_with_quotes_and_endings_but_not_in_addresses():
    gazetteer = Gazetteer([
        Entry("org", "Сибтех» групп"), Entry("org", "Сибтех"),
        Entry("org", "Tomsk Oil Company", ("TOC",)), Entry("place", "Tomsk"),
    ])
    text = "ООО «Сибтех» групп, Сибтехом и TOMSK OIL COMPANY (TOC) в Tomsk; toc, www.tomsk.ru/tomsk"
    found = sorted((start, entry.name, text[start:end]) for entry, start, end in gazetteer.scan(text))
    assert [(name, surface) for _, name, surface in found] == [
        ("Сибтех» групп", "«Сибтех» групп"),
        ("Сибтех", "Сибтехом"),
        ("Tomsk Oil Company", "TOMSK OIL COMPANY"),
        ("Tomsk Oil Company", "TOC"),
        ("Tomsk", "Tomsk"),
    ]


def test_place_name_in_lower_case_is_an_adjective_not_the_place():
    text = "В Томске томские стартапы представили проекты."
    assert [(m.kind, m.name, m.surface) for m in extract_entities(text, "ru")] == [("place", "Томск", "Томске")]


# --- the trained English model (shipped in the package, always loaded) ---------------------------------
def test_english_model_is_loaded_from_the_package_with_its_four_labels():
    from pipelines.extractors.entities import english_model

    model = english_model()
    assert Path(model.path) == Path(extract_entities.__code__.co_filename).parent / "models" / "en_ner"
    assert model.get_pipe("ner").labels == ("LOC", "MISC", "ORG", "PER")


def test_english_model_reads_the_word_clusters_shipped_in_its_own_folder():
    from pipelines.extractors.entities import english_model
    from pipelines.extractors.entities.word_clusters import doc_clusters

    doc = english_model().make_doc("Takagi met Smith in Syria xqzvtk")
    clusters = doc_clusters(doc).tolist()
    assert all(clusters[:-1]) and clusters[-1] == 0  # every common word has its cluster, a made-up one none
    assert clusters[0] & 0b11111 == clusters[2] & 0b11111  # two surnames share the first bits of their path


def test_english_model_reads_word_piece_vectors_shipped_in_its_own_folder_for_words_no_table_lists():
    import numpy

    from pipelines.extractors.entities import english_model
    from pipelines.extractors.entities.word_pieces import PieceVectors

    model = english_model()
    vectors = PieceVectors.from_vocab(model.vocab).doc(model.make_doc("Uzbekistan Kazakhstan the Choinzonov Ivanov"))

    def similarity(a: int, b: int) -> float:
        return float(vectors[a] @ vectors[b] / numpy.linalg.norm(vectors[a]) / numpy.linalg.norm(vectors[b]))

    assert similarity(0, 1) > similarity(0, 2) + 0.2  # a country is nearer a country than a function word
    assert similarity(3, 4) > similarity(3, 2)  # a surname no list holds is read from its pieces, near a surname


def test_word_piece_memory_stays_bounded_over_a_long_crawl_and_gives_the_same_vectors(monkeypatch):
    import numpy

    from pipelines.extractors.entities import english_model, word_pieces

    monkeypatch.setattr(word_pieces, "CACHE_WORDS", 8)
    model = english_model()
    table = word_pieces.PieceVectors.from_vocab(model.vocab)
    for number in range(40):  # 40 pages of 3 words never met before
        doc = model.make_doc(f"Word{number}a word{number}b Word{number}c")
        vectors = table.doc(doc)
        assert len(table.index) <= 8 + 3 and len(table.known) <= 8 + 3
    assert numpy.array_equal(vectors, word_pieces.PieceVectors.from_vocab(model.vocab).doc(doc))


@pytest.mark.parametrize(("text", "span", "people"), [
    ("A painting by Jules Bastien- Lepage.", "Jules Bastien- Lepage", ["Jules Bastien- Lepage"]),
    ("He met the Minister of Education Stefania Giannini.", "Education Stefania Giannini", ["Stefania Giannini"]),
    ("The Secretary of State John F. Kerry spoke.", "State John F. Kerry", ["John F. Kerry"]),
    ("The Basilica of St Anthony of Padua.", "St Anthony of Padua", ["St Anthony of Padua"]),
    ("The works of Mary Shelley.", "Mary Shelley", ["Mary Shelley"]),
])
def test_english_model_person_span_is_cut_into_the_people_it_holds(text, span, people):
    from pipelines.extractors.entities.english_ner import _people_in

    start = text.index(span)
    assert [text[a:b] for a, b in _people_in(text, start, start + len(span))] == people


def test_english_person_after_an_office_stays_when_the_model_runs_the_ministry_on_into_the_name():
    # the shipped model reads "Economic Development of Russia O. Fomichev" as one organisation
    text = "Deputy Minister of Economic Development of Russia O. Fomichev noted that the Tomsk region was first."
    assert english_names(text) == [
        ("org", "Ministry of Economic Development of Russia"), ("person", "Oleg Fomichev"), ("place", "Tomsk region"),
    ]


def test_english_model_finds_people_and_places_no_rule_or_list_knows():
    text = "Takuya Takagi and Yevgeniy Choinzonov spoke in Tokyo."
    assert english_names(text) == [
        ("person", "Takuya Takagi"), ("person", "Yevgeniy Choinzonov"), ("place", "Tokyo"),
    ]


def test_english_initials_the_model_reads_as_a_place_are_not_a_person():
    mentions = extract_entities("Officials of the U. S. Treasury met on Monday.", "en")
    assert [m.kind for m in mentions if m.surface.startswith("U. S.")] == ["place"]


def test_english_rule_person_with_a_russian_surname_keeps_its_kind(seed_mentions):
    assert by_surface(seed_mentions, "L.Kobzeva").kind == "person"


def test_english_model_span_swallowing_a_known_name_gives_way_to_the_gazetteer():
    mentions = extract_entities("The strategic session was led by A.Antonov in Tomsk.", "en")
    assert [(m.kind, m.name) for m in mentions] == [("person", "Andrey Antonov"), ("place", "Tomsk")]


def test_entity_stage_runs_the_english_model_on_pages_about_tomsk_only_by_default():
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()
    pipeline = EntitiesPipeline.from_crawler(crawler)
    elsewhere = ArticleItem(url="https://x.org/a", text="Takuya Takagi spoke in Tokyo.", language="en")
    tomsk = ArticleItem(url="https://x.org/b", text="Takuya Takagi spoke in Tomsk.", language="en")
    pipeline.process_item(elsewhere)
    pipeline.process_item(tomsk)
    assert (elsewhere.people, tomsk.people) == ([], ["Takuya Takagi"])
    assert crawler.stats.get_value("pipelines/entities/model_skipped") == 1


def test_entity_stage_runs_the_english_model_everywhere_when_asked():
    item = ArticleItem(url="https://x.org/a", text="Takuya Takagi spoke in Tokyo.", language="en")
    EntitiesPipeline(model_scope="all").process_item(item)
    assert (item.people, item.places) == (["Takuya Takagi"], ["Tokyo"])


def test_entity_stage_refuses_an_unknown_model_scope():
    with pytest.raises(ValueError, match="ENTITIES_MODEL_SCOPE must be one of tomsk, all, not 'some'"):
        EntitiesPipeline(model_scope="some")


# --- the field's organisations (gazetteer of the INO Tomsk world) ----------------------------------------
def test_russian_news_forms_of_the_fields_organisations_are_found_and_named_as_the_gazetteer_writes_them():
    text = (
        "Фонд «Сколково» поддержал проект. Генеральный партнер — компания «Газпром нефть» и ПАО «СИБУР Холдинг». "
        "Резиденты ОЭЗ ТВТ «Томск» и депутаты законодательной думы Томской области обсудили планы."
    )
    assert [(m.kind, m.name) for m in extract_entities(text, "ru")] == [
        ("org", "Фонд «Сколково»"), ("org", "Газпром нефть"), ("org", "ПАО «СИБУР Холдинг»"),
        ("org", "ОЭЗ ТВТ «Томск»"), ("org", "Законодательная дума Томской области"),
    ]


def test_english_forms_of_the_fields_organisations_link_to_the_gazetteer():
    text = 'The "Tomsk" Special Economic Zone, "Gazprom Neft" and SIBUR signed the deal with the Skolkovo Foundation.'
    assert english_names(text) == [
        ("org", "SEZ Tomsk"), ("org", "Gazprom Neft"), ("org", "SIBUR"), ("org", "Skolkovo Foundation"),
    ]


def test_the_russian_and_english_forms_are_one_entity_in_the_archive():
    pairs = [("org", "ОЭЗ ТВТ «Томск»"), ("org", "SEZ Tomsk"), ("org", "ПАО «СИБУР Холдинг»"), ("org", "SIBUR")]
    canonical = link_names(pairs, load_gazetteer())
    assert [canonical[pair] for pair in pairs] == ["SEZ Tomsk", "SEZ Tomsk", "SIBUR", "SIBUR"]


def test_two_known_organisations_joined_by_and_stay_two_and_end_before_a_weekday():
    text = ("Governor Sergey Zhvachkin met the rectors of Tomsk State University and Tomsk Polytechnic "
            "University on Monday. The Committee on Foreign Affairs met in May.")
    orgs = unique_names(extract_entities(text, "en"), "org")
    assert orgs == ["Tomsk State University", "Tomsk Polytechnic University", "Committee on Foreign Affairs"]
