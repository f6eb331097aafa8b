"""Script-neutral keys for names, so spellings of one name compare equal.

``translit_key`` brings a name in Cyrillic or in any common Latin
transliteration to one folded Latin form: "Фомичёв", "Fomichev" and
"Fomichyov" all give ``fomichev``; "Евгения", "Evgenia" and "Yevgeniya" give
``evgenia``.  It folds case, quotes, dots and hyphens too.  ``initial_key``
gives the first sound of a given name or initial ("Ю." = "Yu." = "Yury"), so
initials are compared by sound rather than by letter.  Keys are for matching
only; nothing shows them to users.
"""

from __future__ import annotations

import re

CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "i", "є": "e",
})
PUNCTUATION = str.maketrans({c: " " for c in "\"'«»“”„’`.,-–—()/"})
# Latin spellings that differ between transliteration systems, folded in order:
# "ye"/"yo" are Russian е/ё, "x" is "ks", "kh"/"h" and "y"/"i" alternate.
LATIN_FOLDS = (
    (re.compile(r"ye|yo"), "e"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"shch|sch"), "sh"),
    (re.compile(r"j"), "y"),
    (re.compile(r"y"), "i"),
    (re.compile(r"ksander\b"), "ksandr"),
    (re.compile(r"([a-z])\1+"), r"\1"),
)
DIGRAPH_INITIALS = ("zh", "kh", "ch", "sh", "ts", "yu", "ya")


def translit_key(name: str) -> str:
    """Fold ``name`` to a Latin key shared by its Cyrillic and Latin spellings.

    >>> translit_key("Олег Фомичёв") == translit_key("Oleg Fomichyov") == "oleg fomichev"
    True
    >>> translit_key("Евгения Шамис") == translit_key("Yevgeniya Shamis")
    True
    """
    folded = name.casefold().translate(CYRILLIC_TO_LATIN).translate(PUNCTUATION)
    words = []
    for word in folded.split():
        for pattern, replacement in LATIN_FOLDS:
            word = pattern.sub(replacement, word)
        words.append(word)
    return " ".join(words)


def initial_key(word: str) -> str:
    """The first sound of a given name or initial, Latin, lower case.

    >>> initial_key("Ю.") == initial_key("Yury") == "yu"
    True
    >>> initial_key("Е.") == initial_key("Yevgeniya") == "e"
    True
    """
    latin = word.casefold().translate(CYRILLIC_TO_LATIN).strip(".")
    if latin.startswith(("ye", "yo")):
        return "e"
    if latin.startswith(DIGRAPH_INITIALS):
        return latin[:2]
    return latin[:1]


def padded(key: str) -> str:
    """A key with a space at each end, so SQL ``LIKE '% key %'`` matches whole words.

    >>> padded("sergei zhvachkin")
    ' sergei zhvachkin '
    """
    return f" {key} "
