"""Decide whether a text is Russian, English or something else.

The archive only needs three answers, so the cheap signal comes first: the share
of Cyrillic and Latin letters, confirmed by a handful of very common words.
That settles almost every article in microseconds.  Mixed or unusual texts go to
``langdetect``, whose profiles load lazily, once, into a private factory with a
fixed seed so the same text always gets the same answer.
"""

from __future__ import annotations

import functools
import logging
import re

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from scraper.runtime import freeze_long_lived

logger = logging.getLogger(__name__)

# Only the beginning matters: articles do not switch language half-way, and a
# bounded sample keeps the decision fast on very long pages.
SAMPLE_CHARS = 2000
# Fewer letters than this and script statistics are not trusted on their own.
MIN_LETTERS = 40
# Share of one script among all letters that counts as "clearly dominant".
DOMINANT_SHARE = 0.85
# Share of words that must be common function words of the candidate language.
MIN_STOPWORD_SHARE = 0.08

# Letters are counted on the UTF-8 bytes, where C-speed bytes.count and
# bytes.translate do in microseconds what a regex over the str does in a
# millisecond: basic Cyrillic (U+0400–U+047F) is exactly the characters whose
# lead byte is 0xD0 or 0xD1; ASCII letters are themselves; every other letter
# (accented Latin, Greek, CJK, Hangul, Arabic…) has a lead byte below, except
# the punctuation blocks (0xC2: «»©, 0xE2: dashes, quotes, €), which are no letters.
_ALL_BYTES = bytes(range(256))
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_NOT_ASCII_LETTER = bytes(b for b in _ALL_BYTES if b not in _ASCII_LETTERS)
_OTHER_LEAD_BYTES = bytes([*range(0xC3, 0xD0), *range(0xD2, 0xE0), 0xE0, 0xE1, *range(0xE3, 0xF0), *range(0xF0, 0xF5)])
_NOT_OTHER_LEAD = bytes(b for b in _ALL_BYTES if b not in _OTHER_LEAD_BYTES)
WORD_RE = re.compile(r"[^\W\d_]+")
# Letters of other Cyrillic alphabets (Ukrainian, Belarusian, Serbian, Macedonian,
# Kazakh …): their presence means "not plainly Russian", ask langdetect.
OTHER_CYRILLIC_RE = re.compile(r"[іїєґўђјљњћџѓќѕәғқңөұүһІЇЄҐЎЂЈЉЊЋЏЃЌЅӘҒҚҢӨҰҮҺ]")
# Accented Latin letters are frequent in French, German, Spanish…, rare in English.
ACCENTED_LATIN_RE = re.compile(r"[à-öø-ÿÀ-ÖØ-ßœŒšžčřěůąęłńśźżőű]")

RUSSIAN_STOPWORDS = frozenset(
    "и в во не на что с со по это как из к о об от за для но а же то все так его она он они "
    "мы вы бы у до при также был была были будет года году".split()
)
ENGLISH_STOPWORDS = frozenset(
    "the of and to in is was for on that with as by at from it are be this an which "
    "or has have will its were their been not but".split()
)
LANGDETECT_CODES = {"ru": "ru", "en": "en"}


def detect_language(text: str | None) -> str | None:
    """Return ``"ru"``, ``"en"`` or ``"other"``; ``None`` when there is no text.

    >>> detect_language("Губернатор Томской области рассказал о проекте ИНО Томск и о его кластерах.")
    'ru'
    >>> detect_language("The governor of the Tomsk region spoke about the INO Tomsk project and its clusters.")
    'en'
    >>> detect_language("   ") is None
    True
    """
    if not text or not text.strip():
        return None
    sample = text[:SAMPLE_CHARS]
    return script_decision(sample) or langdetect_decision(sample)


def script_decision(sample: str) -> str | None:
    """Decide from letter scripts and common words alone, or return ``None``.

    >>> script_decision("Это тестовый текст на русском языке, и он достаточно длинный для решения.")
    'ru'
    >>> script_decision("Short") is None
    True
    """
    cyrillic, latin, other = script_counts(sample)
    letters = cyrillic + latin + other
    if letters < MIN_LETTERS:
        return None
    if cyrillic >= DOMINANT_SHARE * letters and looks_russian(sample):
        return "ru"
    if latin >= DOMINANT_SHARE * letters and looks_english(sample):
        return "en"
    return None


def script_counts(sample: str) -> tuple[int, int, int]:
    """Letters of ``sample`` by script: (basic Cyrillic, ASCII Latin, any other).

    >>> script_counts("Томск, Tomsk — 東京")
    (5, 5, 2)
    """
    data = sample.encode("utf-8", "replace")
    cyrillic = data.count(b"\xd0") + data.count(b"\xd1")
    latin = len(data.translate(None, _NOT_ASCII_LETTER))
    other = len(data.translate(None, _NOT_OTHER_LEAD))
    return cyrillic, latin, other


def looks_russian(sample: str) -> bool:
    """True when no other Cyrillic alphabet shows and Russian function words do."""
    if OTHER_CYRILLIC_RE.search(sample):
        return False
    return stopword_share(sample, RUSSIAN_STOPWORDS) >= MIN_STOPWORD_SHARE


def looks_english(sample: str) -> bool:
    """True when accented letters are rare and English function words are common."""
    if len(ACCENTED_LATIN_RE.findall(sample)) > len(sample) / 200:
        return False
    return stopword_share(sample, ENGLISH_STOPWORDS) >= MIN_STOPWORD_SHARE


def stopword_share(sample: str, stopwords: frozenset[str]) -> float:
    """Share of the words in ``sample`` that belong to ``stopwords``.

    >>> stopword_share("the cat and the dog", ENGLISH_STOPWORDS)
    0.6
    """
    words = WORD_RE.findall(sample.lower())
    if not words:
        return 0.0
    return sum(word in stopwords for word in words) / len(words)


def langdetect_decision(sample: str) -> str:
    """Ask langdetect (seeded, so deterministic) and map its answer to ru/en/other."""
    detector = detector_factory().create()
    detector.append(sample)
    try:
        code = detector.detect()
    except LangDetectException as exc:
        # Raised for text without any letters (numbers, symbols only).
        logger.debug("langdetect gave no answer: %s", exc)
        return "other"
    return LANGDETECT_CODES.get(code, "other")


@functools.cache
def detector_factory() -> DetectorFactory:
    """Load langdetect's profiles once, on first use, into a private seeded factory."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    freeze_long_lived()  # 90,000 objects the crawl's garbage collections need not walk
    return factory
