"""Bring a Russian name to the nominative with pymorphy2 alone, never inventing a word.

natasha's ``span.normalize`` needs the morphology tagger run over the whole
text, which costs as much as NER itself; here only the words of the found
spans are parsed.  The rule is that every word of a normalised name is a form
the dictionary gives for a word of the text, or the word as written:

* people: the name's case and gender are the ones most of its words can be
  read in as name words (Name, Patr, Surn, or an adjectival surname,
  "Долгоруким"), so "Клавдии Ивановны Петуховой" is a woman in the genitive
  (→ "Клавдия Ивановна Петухова"), not "Клавдий"; each word read that way goes
  to the nominative in its own gender, any other word ("Ги", "Кнорра", a
  surname the dictionary cannot read as a name) stays as written; a name that is
  already nominative stays exactly as written;
* organisations and places: the head noun and the adjectives before it that
  agree with it in case, number and gender go to the nominative together
  ("Европейского союза" → "Европейский союз", "Законодательной думы Томской
  области" → "Законодательная дума Томской области"); words the dictionary does
  not know ("Херсонеса", "Корсунь"), quoted, Latin and acronym words, and
  anything after the head stay as written; no agreeing reading → as written.

Only dictionary parses count for organisations and places; for people the
guesser's readings count only when they are tagged as a surname
("Ротенберга" → "Ротенберг").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

CYRILLIC_WORD = re.compile(r"^[А-ЯЁа-яё][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?$")
Parse = Callable[[str], list[Any]]

# How much a reading of a word says about the whole name's case and gender.
NAME_WEIGHTS = (("Name", 1.0), ("Patr", 1.0), ("Surn", 0.9))
GUESSED_SURNAME = 0.5
ADJECTIVAL_SURNAME = 0.4
INDECLINABLE = 0.3
# Ties go to the nominative (a name already in it stays as written), then to the commoner cases.
CASES = ("nomn", "gent", "datv", "ablt", "loct", "accs", "voct", "gen2", "loc2")
ADJECTIVES = frozenset({"ADJF", "PRTF"})


def normalise_person(words: list[str], parse: Parse) -> list[str]:
    """Each word of a person's name in the nominative, or as written.

    >>> from pipelines.extractors.entities import natasha_models
    >>> normalise_person(["Клавдии", "Ивановны", "Петуховой"], natasha_models().parse)
    ['Клавдия', 'Ивановна', 'Петухова']
    """
    return person_reading(words, parse)[0]


def person_reading(words: list[str], parse: Parse) -> tuple[list[str], str | None]:
    """The nominative words and the case the name was written in (``None``: not read as a name)."""
    readings = [_name_readings(word, parse) for word in words]
    case, gender = _agreement(readings)
    if case is None or case == "nomn":
        return list(words), case
    out = []
    for word, options in zip(words, readings, strict=True):
        reading = next((r for r, _ in options if _fits(r, case, gender)), None)
        inflected = reading.inflect({"nomn"}) if reading is not None else None
        out.append(_cased(word, inflected.word) if inflected is not None else word)
    return out, case


def _name_readings(word: str, parse: Parse) -> list[tuple[Any, float]]:
    """(reading, weight) of ``word`` as a part of a person's name, singular only."""
    if not CYRILLIC_WORD.match(word):
        return []
    options = []
    for reading in parse(word.casefold()):
        tag = reading.tag
        if tag.number == "plur":
            continue
        weight = next((w for name, w in NAME_WEIGHTS if name in tag), None)
        if weight is not None and "Surn" in tag and not reading.is_known:
            weight = GUESSED_SURNAME
        elif weight is None and tag.POS == "ADJF" and reading.is_known and word[:1].isupper():
            weight = ADJECTIVAL_SURNAME
        elif weight is not None and "Fixd" in tag:
            weight = INDECLINABLE
        if weight is not None:
            options.append((reading, weight))
    return options


def _agreement(readings: list[list[tuple[Any, float]]]) -> tuple[str | None, str | None]:
    """The (case, gender) most words of the name can be read in."""
    votes: dict[tuple[str, str | None], float] = {}
    for options in readings:
        best: dict[tuple[str, str | None], float] = {}
        for reading, weight in options:
            key = (reading.tag.case, reading.tag.gender)
            best[key] = max(best.get(key, 0.0), weight)
        for key, weight in best.items():
            votes[key] = votes.get(key, 0.0) + weight
    if not votes:
        return None, None
    order = {case: index for index, case in enumerate(CASES)}
    case, gender = max(votes, key=lambda key: (votes[key], -order.get(key[0], len(CASES)), key[1] == "femn"))
    return case, gender


def _fits(reading: Any, case: str, gender: str | None) -> bool:
    return reading.tag.case == case and reading.tag.gender == gender


def normalise_phrase(words: list[str], parse: Parse) -> list[str]:
    """An organisation or place name: the head noun and its adjectives in the nominative, the rest as written.

    >>> from pipelines.extractors.entities import natasha_models
    >>> normalise_phrase(["Европейского", "союза"], natasha_models().parse)
    ['Европейский', 'союз']
    """
    for head, word in enumerate(words):
        if not CYRILLIC_WORD.match(word):
            return list(words)
        parses = [p for p in parse(word.casefold()) if p.is_known]
        if _adjective_before_noun(parses, words[head + 1 : head + 2], parse):
            continue  # "Красного" in "Международного Красного Креста" is an adjective, not "красное"
        for noun in (p for p in parses if p.tag.POS == "NOUN"):
            adjectives = [_agreeing(before, noun, parse) for before in words[:head]]
            if all(a is not None for a in adjectives):
                return _nominative_phrase(words, head, noun, adjectives)
        if not any(p.tag.POS in ADJECTIVES for p in parses):
            return list(words)
    return list(words)


def _adjective_before_noun(parses: list[Any], following: list[str], parse: Parse) -> bool:
    """True when a word that reads as an adjective is followed by a word that reads as a noun."""
    if not following or not CYRILLIC_WORD.match(following[0]) or not any(p.tag.POS in ADJECTIVES for p in parses):
        return False
    return any(p.is_known and p.tag.POS == "NOUN" for p in parse(following[0].casefold()))


def _agreeing(word: str, noun: Any, parse: Parse) -> Any | None:
    """A dictionary reading of ``word`` as an adjective agreeing with ``noun``."""
    if not CYRILLIC_WORD.match(word):
        return None
    for reading in parse(word.casefold()):
        tag = reading.tag
        if not reading.is_known or tag.POS not in ADJECTIVES:
            continue
        if tag.case != noun.tag.case or tag.number != noun.tag.number:
            continue
        if noun.tag.number == "plur" or tag.gender == noun.tag.gender:
            return reading
    return None


def _nominative_phrase(words: list[str], head: int, noun: Any, adjectives: list[Any]) -> list[str]:
    number = noun.tag.number or "sing"
    out = list(words)
    inflected = noun.inflect({"nomn", number}) or noun.inflect({"nomn"})
    if inflected is None:
        return list(words)
    out[head] = _cased(words[head], inflected.word)
    for index, adjective in enumerate(adjectives):
        grammemes = {"nomn", number} | ({noun.tag.gender} if number == "sing" and noun.tag.gender else set())
        form = adjective.inflect(grammemes)
        if form is None:
            return list(words)
        out[index] = _cased(words[index], form.word)
    return out


def _cased(written: str, form: str) -> str:
    """``form`` with the capitals of ``written`` (first letter, and after a hyphen)."""
    parts, originals = form.split("-"), written.split("-")
    if len(parts) != len(originals):
        return form.capitalize() if written[:1].isupper() else form
    return "-".join(p.capitalize() if o[:1].isupper() else p for p, o in zip(parts, originals, strict=True))
