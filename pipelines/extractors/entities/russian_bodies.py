"""Organisations natasha reads as places: a country's government, team or union.

natasha tags "Японии" in "правительство Японии" as a place, and "Евросоюз" as
a place wherever it stands.  In the news these are actors, organisations:

* a place right after the noun of a body that governs or represents it
  ("правительство Японии", "властями Таиланда", "сборная России", "МИД
  Грузии", "комиссии Европейского союза") is that body, one organisation named
  by the noun in the nominative and the place as written ("Правительство
  Японии", "Власти Таиланда"); so is each place listed after it ("федерациями
  Ирака, Сирии и Ливана": "Федерация Сирии", "Федерация Ливана");
  when the noun ends an organisation's name ("Шахматная федерация Израиля"),
  the place completes that name;
* a union of states (the EU, NATO, the UN …) is an organisation wherever it is
  named.

The nouns and unions are data (``GOVERNING_NOUNS``, ``UNIONS``): lemmas as
pymorphy2 gives them, names as the normaliser writes them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from scraper.items import Mention

# Bodies named after the place they govern or represent (pymorphy2 lemmas).  "Власть" only
# in the plural ("власти Китая"); the singular is the abstract noun.
GOVERNING_NOUNS = frozenset({
    "правительство", "администрация", "парламент", "руководство", "мид", "министерство",
    "департамент", "посольство", "консульство", "генштаб", "мэрия", "прокуратура", "полиция",
    "сборная", "федерация", "комиссия", "делегация", "кабмин", "представительство", "университет",
})
PLURAL_ONLY = frozenset({"власть", "орган", "служба", "спецслужба"})
# Unions of states: organisations, though natasha reads them as places (normalised names, casefolded).
UNIONS = frozenset({
    "ес", "евросоюз", "европейский союз", "еврокомиссия", "европейская комиссия", "нато", "оон",
    "снг", "еаэс", "одкб", "шос", "асеан", "вто", "опек",
})
# The noun right before a place: a word, then only spaces.
WORD_BEFORE = re.compile(r"([А-ЯЁа-яё]+)[ \t]+$")
LOOK_BACK = 30
# Between two places of one list: a comma or "и" ("Ирака, Сирии и Ливана").
LIST_JOINT = re.compile(r"^(?:\s*,\s*|\s+и\s+|\s*,\s+и\s+)$")


def as_organisations(text: str, mentions: list[Mention], parse: Any) -> list[Mention]:
    """The mentions, with governed places and unions of states made organisations."""
    out: list[Mention] = []
    body: str | None = None  # the list going on names one body each: "Федерация"
    for mention in mentions:
        listed = body is not None and out and LIST_JOINT.match(text[out[-1].end : mention.start]) is not None
        if mention.kind != "place" or not listed:
            body = None
        if mention.kind != "place":
            out.append(mention)
            continue
        found = _governing_noun(text[max(0, mention.start - LOOK_BACK) : mention.start], parse)
        if found is not None and out and _ends_body(out[-1], mention, text):
            # the body is already an organisation's name ("Шахматная федерация"): the place ends it
            out[-1] = replace(out[-1], name=f"{out[-1].name} {mention.surface}",
                              surface=text[out[-1].start : mention.end], end=mention.end)
            body = found[1]
        elif found is not None:
            noun, each, length = found
            start = mention.start - length
            body = each
            out.append(replace(mention, kind="org", name=f"{each if _list_follows(text, mention, mentions) else noun} "
                               f"{mention.surface}", surface=text[start : mention.end], start=start))
        elif body is not None:
            out.append(replace(mention, kind="org", name=f"{body} {mention.surface}"))
        elif mention.name.casefold() in UNIONS:
            out.append(replace(mention, kind="org"))
        else:
            out.append(mention)
    return out


def _ends_body(previous: Mention, place: Mention, text: str) -> bool:
    """An organisation's name ends right before the place (so with the governing noun found there)."""
    return previous.kind == "org" and previous.end is not None and previous.end <= place.start \
        and not text[previous.end : place.start].strip()


def _list_follows(text: str, mention: Mention, mentions: list[Mention]) -> bool:
    later = [m for m in mentions if m.start is not None and m.start >= mention.end and m.kind == "place"]
    return bool(later) and LIST_JOINT.match(text[mention.end : later[0].start]) is not None


def _governing_noun(before: str, parse: Any) -> tuple[str, str, int] | None:
    """The governing noun that ends ``before``: its nominative, the nominative of one such body
    (singular unless the noun is plural only) and the length it and the spaces take."""
    match = WORD_BEFORE.search(before)
    if match is None:
        return None
    word = match.group(1)
    for reading in parse(word.casefold()):
        if reading.tag.POS != "NOUN" or not reading.is_known:
            continue
        plural = "plur" in reading.tag
        if reading.normal_form in GOVERNING_NOUNS or (plural and reading.normal_form in PLURAL_ONLY):
            noun = _nominative(reading, word, "plur" if plural else "sing")
            each = noun if reading.normal_form in PLURAL_ONLY else _nominative(reading, word, "sing")
            return noun, each, len(before) - match.start()
    return None


def _nominative(reading: Any, word: str, number: str) -> str:
    form = reading.inflect({"nomn", number})
    nominative = form.word if form is not None else word
    if word.isupper():
        return nominative.upper()
    return nominative[:1].upper() + nominative[1:]
