"""Bring a Russian name to the nominative with pymorphy2 alone, without natasha's morph tagger.

natasha's ``span.normalize`` needs the morphology tagger run over the whole
text, which costs as much as NER itself; here only the words of the found
spans are parsed.  People: every word is put in the nominative, surnames
taking the gender of the given name ("Еленой Волковой" -> "Елена Волкова").
Organisations and places: the words up to and including the first noun
agree with it and go to the nominative, the rest stays as written
("Законодательной думы Томской области" -> "Законодательная дума Томской
области").  Words in quotes, Latin words and acronyms never change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

CYRILLIC_WORD = re.compile(r"^[А-ЯЁа-яё][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?$")
NAME_TAGS = ("Name", "Surn", "Patr")
Parse = Callable[[str], list[Any]]


def normalise_person(words: list[str], parse: Parse) -> list[str]:
    """Each word of a person's name in the nominative."""
    if _already_nominative(words, parse):
        return list(words)
    parses = [_best(word, parse, NAME_TAGS) for word in words]
    given = next((p for p in parses if p is not None and "Name" in p.tag), None)
    gender = given.tag.gender if given is not None else None
    out = []
    for word, best in zip(words, parses, strict=True):
        if best is not None and gender and "Name" not in best.tag:
            best = _best(word, parse, ("Surn", "Patr"), gender) or best
        if given is not None and not _is_name(best):
            # The dictionary does not know this surname ("Андрей Кнорр" would become
            # "Кнорры", a plural of another word): it takes the given name's case.
            out.append(_unknown_surname_nominative(word, given))
            continue
        out.append(_inflect(word, best, {"nomn"}))
    return out


def _already_nominative(words: list[str], parse: Parse) -> bool:
    """True when the given name can only be nominative ("Людмила Кобзева"), or can be and
    nothing else in the name is a known name form that says otherwise ("Евгения Шамис").

    Inflecting such names only loses information: the dictionary may know a rare
    surname only as another gender or another word ("Кобзева" → "Кобзев").
    """
    readings = [
        [c for c in parse(word.casefold()) if "Name" in c.tag] if CYRILLIC_WORD.match(word) else [] for word in words
    ]
    given = next((r for r in readings if r), None)
    if not given or not any("nomn" in c.tag for c in given):
        return False
    if all("nomn" in c.tag for c in given):
        return True
    others = [word for word, r in zip(words, readings, strict=True) if r is not given]
    return not any(_is_name(_best(word, parse, ("Surn", "Patr"))) for word in others)


# Case endings of a masculine surname the dictionary does not know (Кнорр-ом).
MASC_CASE_ENDINGS = {"gent": ("а", "я"), "datv": ("у", "ю"), "ablt": ("ом", "ем"), "loct": ("е",)}


def _unknown_surname_nominative(word: str, given: Any) -> str:
    """An unknown surname in the given name's case, back to the nominative (masculine only).

    >>> from types import SimpleNamespace
    >>> _unknown_surname_nominative("Кнорром", SimpleNamespace(tag=SimpleNamespace(case="ablt", gender="masc")))
    'Кнорр'
    """
    if given.tag.gender != "masc":
        return word
    for ending in MASC_CASE_ENDINGS.get(given.tag.case, ()):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)]
    return word


def _is_name(best: Any | None) -> bool:
    return best is not None and any(tag in best.tag for tag in NAME_TAGS)


def normalise_phrase(words: list[str], parse: Parse) -> list[str]:
    """An organisation or place name: the head phrase in the nominative, the rest as written."""
    out = list(words)
    for index, word in enumerate(words):
        if not CYRILLIC_WORD.match(word):
            if index == 0:
                return out
            continue
        best = parse(word.casefold())[0]
        number = best.tag.number or "sing"
        out[index] = _inflect(word, best, {"nomn", number})
        if best.tag.POS == "NOUN":
            break
    return out


def _best(word: str, parse: Parse, tags: tuple[str, ...], gender: str | None = None) -> Any | None:
    if not CYRILLIC_WORD.match(word):
        return None
    candidates = parse(word.casefold())
    for candidate in candidates:
        if any(tag in candidate.tag for tag in tags) and (gender is None or candidate.tag.gender == gender):
            return candidate
    return candidates[0] if gender is None else None


def _inflect(word: str, best: Any | None, grammemes: set[str]) -> str:
    if best is None or not CYRILLIC_WORD.match(word):
        return word
    inflected = best.inflect(grammemes)
    if inflected is None:
        return word
    form = inflected.word
    return form.capitalize() if word[:1].isupper() else form
