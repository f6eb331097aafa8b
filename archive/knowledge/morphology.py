"""Words and their stems: the morphology behind search, in Russian and English.

Search matches stems, not spellings, so "кластерами" finds "кластер" and
"кластеров", and "universities" finds "university".  Every word is folded
(casefolded, ``ё`` → ``е``) and stemmed with the Snowball stemmer of its script:
Cyrillic words with the Russian one, anything else with the English one.

The same functions build the SQLite shadow index (``stem_text``, called by the
index triggers), turn query words into stems, mark matches in snippets and
build the static site's search index, so all of them agree on what a word is.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import metadata

import Stemmer

# Letters and digits; "_" is punctuation for FTS5's unicode61 tokenizer, so for us too.
WORD_PATTERN = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Bump when folding or stemming changes: the SQLite shadow index is rebuilt then.
STEMMING_VERSION = f"1/pystemmer-{metadata.version('PyStemmer')}"


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def fold(word: str) -> str:
    """Casefold, and read ``ё`` as ``е`` (Russian texts write either).

    >>> fold("Ёлка")
    'елка'
    """
    return word.casefold().replace("ё", "е")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of one word (folded first).

    >>> [stem(w) for w in ("кластерами", "Кластеров", "universities", "University")]
    ['кластер', 'кластер', 'universiti', 'universiti']
    """
    folded = fold(word)
    language = "russian" if _CYRILLIC.search(folded) else "english"
    return _stemmer(language).stemWord(folded) or folded


def words(text: str | None) -> list[str]:
    """The words of ``text`` as FTS5 sees them (letters and digits).

    >>> words("ИНО-Томск, 2016_год!")
    ['ИНО', 'Томск', '2016', 'год']
    """
    return WORD_PATTERN.findall(text or "")


def stem_text(text: str | None) -> str:
    """One stem per word, in order, so phrases still match as neighbours.

    >>> stem_text("Кластерами ИНО Томск")
    'кластер ин томск'
    """
    return " ".join(stem(word) for word in words(text))
