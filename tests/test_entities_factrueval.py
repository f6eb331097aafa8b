"""Russian names are never mangled: every name found in the factRuEval-2016 development set is checked.

The development set's 122 Russian news texts (MIT licence; kept with the set's
LICENSE in ``tests/data/factrueval-2016-devset-texts.tar.gz``, the full set with
its annotations is ``../shared/ner/factrueval-dev``) are read straight from the
archive.  Every word of every name the entity stage outputs must be a word of the text as written, or a form the dictionary gives
for a word of the text: its lemma, or its nominative in its own gender and
number ("Петуховой" -> "Петухова", "Европейского" -> "Европейский").  A name
that the text does not contain ("Южные Куривший" for "Южные Курилы",
"Russia" for "Россия") fails.
"""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

import pytest

from pipelines.extractors.entities import extract_entities, natasha_models

ARCHIVE = Path(__file__).resolve().parent / "data" / "factrueval-2016-devset-texts.tar.gz"
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# A form counts when the dictionary reads the text's word as one of these parts of speech.
NAME_PARTS_OF_SPEECH = frozenset({"NOUN", "ADJF", "PRTF"})
FEMININE_ONLY = re.compile(r"^[А-ЯЁ][а-яё]+$")


@pytest.fixture(scope="module")
def texts() -> list[str]:
    with tarfile.open(ARCHIVE) as archive:
        return [
            archive.extractfile(member).read().decode("utf-8")
            for member in sorted(archive.getmembers(), key=lambda m: m.name)
            if member.name.endswith(".txt") and "/devset/" in member.name
        ]


@pytest.fixture(scope="module")
def found(texts):
    return [extract_entities(text, "ru") for text in texts]


def fold(word: str) -> str:
    return word.casefold().replace("ё", "е")


def allowed_words(text: str) -> set[str]:
    """The text's words as written, their lemmas and their nominatives (own gender and number)."""
    parse = natasha_models().parse
    allowed = set()
    for word in {fold(w) for w in WORD.findall(text)}:
        allowed.add(word)
        for reading in parse(word):
            if reading.tag.POS not in NAME_PARTS_OF_SPEECH:
                continue
            allowed.add(fold(reading.normal_form))
            for grammemes in ({"nomn"}, {"nomn", "sing"}):
                form = reading.inflect(grammemes)
                if form is not None and form.tag.POS == reading.tag.POS:
                    allowed.add(fold(form.word))
    return allowed


def test_the_whole_development_set_is_read(texts, found):
    assert (len(texts), sum(len(mentions) for mentions in found) > 2000) == (122, True)


def test_every_name_is_made_of_the_texts_words_or_their_dictionary_forms(texts, found):
    invented = []
    for text, mentions in zip(texts, found, strict=True):
        allowed = allowed_words(text)
        for mention in mentions:
            invented += [(mention.name, word) for word in WORD.findall(mention.name) if fold(word) not in allowed]
    assert invented == []


def test_a_woman_named_by_a_feminine_given_name_stays_a_woman(texts, found):
    """A name the text writes with a word that can only be a woman's (patronymic "Ивановна", surname
    "Петуховой", given name "Людмила") keeps a woman's given name: never "Клавдий Ивановна Петухов"."""
    turned = [(m.surface, m.name) for mentions in found for m in mentions if turned_into_a_man(m.surface, m.name)]
    assert turned == []


def turned_into_a_man(surface: str, name: str) -> bool:
    """True when ``surface`` has a word read only as a woman's name part and ``name``'s first word cannot be one."""
    parse = natasha_models().parse

    def genders(word: str) -> set[str]:
        readings = [r for r in parse(fold(word)) if r.is_known and r.tag.number == "sing"]
        return {r.tag.gender for r in readings if "Name" in r.tag or "Patr" in r.tag or "Surn" in r.tag}

    womans = any(genders(word) == {"femn"} for word in surface.split() if FEMININE_ONLY.match(word))
    first = genders(name.split()[0]) if FEMININE_ONLY.match(name.split()[0]) else set()
    return womans and bool(first) and "femn" not in first


def test_the_womans_name_check_catches_a_woman_turned_into_a_man():
    assert turned_into_a_man("Клавдия Ивановна Петухова", "Клавдий Ивановна Петухов")
    assert not turned_into_a_man("Клавдия Ивановна Петухова", "Клавдия Ивановна Петухова")
