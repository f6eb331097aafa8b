"""A person's name split into first, middle and last name.

Names reach this module in the nominative and, for Russian, already in
"First [Middle] Last" order (``entities_ru`` reorders "Жвачкин Сергей
Анатольевич").  A word is a middle name when it is a patronymic or a second
initial; a lone word is a last name.
"""

from __future__ import annotations

import re
from typing import NamedTuple

INITIAL = re.compile(r"^\w{1,2}\.$")
PATRONYMIC = re.compile(r"(ovich|evich|ovna|evna|ichna|ович|евич|овна|евна|ична|ьич)$", re.IGNORECASE)
GLUED_INITIALS = re.compile(r"(\w{1,2}\.)(?=\w)")


class NameParts(NamedTuple):
    first: str | None
    middle: str | None
    last: str | None


def split_name(name: str) -> NameParts:
    """First, middle and last name of a person's name.

    >>> split_name("Сергей Анатольевич Жвачкин")
    NameParts(first='Сергей', middle='Анатольевич', last='Жвачкин')
    >>> split_name("A.V.Dvorkovich")
    NameParts(first='A.', middle='V.', last='Dvorkovich')
    >>> split_name("Zhvachkin")
    NameParts(first=None, middle=None, last='Zhvachkin')
    """
    words = GLUED_INITIALS.sub(r"\1 ", name).split()
    if not words:
        return NameParts(None, None, None)
    if len(words) == 1:
        return NameParts(None, None, words[0])
    first, *rest = words
    middle_words = rest[:-1]
    if not middle_words and len(rest) == 1:
        return NameParts(first, None, rest[0])
    middle = " ".join(middle_words) if middle_words else None
    return NameParts(first, middle, rest[-1])


def is_initial(word: str | None) -> bool:
    """True for "A." or "Yu.".

    >>> is_initial("Yu."), is_initial("Yury")
    (True, False)
    """
    return bool(word) and bool(INITIAL.match(word))


def is_patronymic(word: str) -> bool:
    """True for Russian patronymics in either script.

    >>> is_patronymic("Анатольевич"), is_patronymic("Vladimirovich"), is_patronymic("Ivanov")
    (True, True, False)
    """
    return bool(PATRONYMIC.search(word))
