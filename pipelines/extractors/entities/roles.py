"""Roles of Russian mentions: the office written right before a name.

"Губернатор Томской области Сергей Жвачкин" gives "губернатор Томской
области"; "с заместителем министра экономического развития России Олегом
Фомичёвым" gives "заместитель министра экономического развития России": the
office word is brought to the nominative, the words after it (whose office)
stay as written.  Verbs, conjunctions and prepositions other than "по" end the
search, so "Губернатор провёл встречу с Олегом Фомичёвым" gives no role.
"""

from __future__ import annotations

import re
from collections.abc import Callable

RU_ROLE_HEADS = (
    r"вице-губернатор\w{0,3}", r"губернатор\w{0,3}", r"заместител\w{1,3}", r"замминистра",
    r"замглав\w{1,2}", r"министр\w{0,3}", r"проректор\w{0,3}", r"ректор\w{0,3}",
    r"директор\w{0,3}", r"председател\w{1,3}", r"глав(?:а|ы|е|у|ой)", r"мэр\w{0,3}",
    r"руководител\w{1,3}", r"начальник\w{0,3}", r"президент\w{0,3}", r"статс-секретар\w{1,3}",
    r"декан\w{0,3}", r"профессор\w{0,3}", r"сенатор\w{0,3}", r"посл(?:а|у|ом|е)|посол",
    r"депутат\w{0,3}", r"спикер\w{0,3}", r"основател\w{1,3}", r"модератор\w{0,3}",
    r"координатор\w{0,3}", r"эксперт\w{0,3}", r"менеджер\w{0,3}", r"управляющ\w{2,3}",
)
RU_ROLE_QUALIFIERS = r"(?:(?:генеральн|исполнительн|перв|научн|главн|врио)\w{0,3}\s+)?"
RU_ROLE = re.compile(
    rf"(?<![\w-])({RU_ROLE_QUALIFIERS}(?:{'|'.join(RU_ROLE_HEADS)}))((?:\s+[^\s,.;:!?()\[\]]+){{0,7}}?)\s*$",
    re.IGNORECASE,
)
# Parts of speech (OpenCorpora tags) that cannot sit between an office and a name.
BREAKING_POS = frozenset({"VERB", "INFN", "GRND", "PRTS", "CONJ", "PREP", "ADVB", "NPRO"})
ALLOWED_PREPOSITIONS = frozenset({"по", "при"})
ROLE_WINDOW = 120


def russian_role(text: str, start: int, parse: Callable[[str], object]) -> str | None:
    """The office written right before ``text[start:]``, or ``None``.

    ``parse`` is pymorphy2's ``MorphAnalyzer.parse``-like: word -> parses.
    """
    window = text[max(0, start - ROLE_WINDOW) : start]
    match = RU_ROLE.search(window)
    if match is None:
        return None
    between = match.group(2).split()
    if any(_breaks(word, parse) for word in between):
        return None
    head = " ".join(_nominative(word, parse) for word in match.group(1).split())
    return " ".join([head, *between])


def _breaks(word: str, parse: Callable[[str], object]) -> bool:
    bare = word.strip("«»\"'")
    if bare.casefold() in ALLOWED_PREPOSITIONS or not bare.isalpha() or bare[0].isupper():
        return False
    best = parse(bare.casefold())[0]
    return best.tag.POS in BREAKING_POS


def _nominative(word: str, parse: Callable[[str], object]) -> str:
    lemma = parse(word.casefold())[0].normal_form
    return lemma.capitalize() if word[:1].isupper() else lemma
