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
    parses = [_best(word, parse, NAME_TAGS) for word in words]
    gender = next((p.tag.gender for p in parses if p is not None and "Name" in p.tag), None)
    out = []
    for word, best in zip(words, parses, strict=True):
        if best is not None and gender and "Name" not in best.tag:
            best = _best(word, parse, ("Surn", "Patr"), gender) or best
        out.append(_inflect(word, best, {"nomn"}))
    return out


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
