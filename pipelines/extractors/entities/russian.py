"""Named entities for Russian text with natasha.

natasha's news models (segmenter, morphology, NER) ship inside its PyPI
packages, so nothing is downloaded; they take about a second to load, so they
are loaded lazily, once per process, on the first Russian text.  Every name
natasha finds is kept unless a rule shows it wrong: a span is split at list
bullets and brackets (a gloss in brackets is a name of its own), trimmed of
punctuation, and dropped only when it is a generic noun alone ("НИИ",
"Кампус") or a "person" with digits or no noun reading.  Spans are normalised
to the nominative without inventing a word (``russian_norm``, without
natasha's morph tagger, which costs as much as NER); a surname kept as written
in an oblique case takes the form the text writes it in a nominative name
("Андреем Кнорром" + "Андрей Кнорр").  A person's words are told apart by
pymorphy2's name tags (Name, Patr, Surn), a Russian name is put in "First
Middle Last" order ("Жвачкин Сергей Анатольевич" -> "Сергей Анатольевич
Жвачкин"), any other keeps its order and parts ("Пан Ги Мун"); the office
before a name becomes its role (``roles``).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import warnings
from dataclasses import dataclass, replace
from typing import Any

from archive.knowledge import is_initial
from pipelines.extractors.entities.roles import russian_role
from pipelines.extractors.entities.russian_bodies import as_organisations
from pipelines.extractors.entities.russian_norm import normalise_phrase, person_reading
from scraper.items import Mention
from scraper.runtime import freeze_long_lived, one_blas_thread

logger = logging.getLogger(__name__)

KINDS = {"PER": "person", "ORG": "org", "LOC": "place"}
# pymorphy2's tags for names of places and organisations.
DICTIONARY_KINDS = (("Geox", "place"), ("Orgn", "org"))
NAME_TAGS = ("Name", "Patr", "Surn")
PARSE_CACHE = 50_000
# A capital letter standing alone or with a dot is an initial: "А.В" -> "А. В.".
CLOSING_QUOTES = "»\""
# A generic noun or a legal form alone is not a name: "НИИ", "Кампус", "Университет",
# "Telegram-канале", "СМИ", "ПАО".
GENERIC_NAME = re.compile(
    r"^(?:нии|кампус|университет|институт|вуз|сми|пао|оао|ооо|зао|ао|(?:telegram|телеграм)[\s-]*канал\w*)$",
    re.IGNORECASE,
)
STEM_PREFIX = 4
# A lower-case word after a mention: the common noun an adjective mistaken for a name qualifies.
NEXT_WORD = re.compile(r"\s+[а-яё]+")
# Inside a span these separate names: list bullets, and brackets around a gloss or an
# abbreviation ("Скотт Хоровитц (Scott Horowitz)", "Лонгин Клинский (РПЦ МП)").
LIST_SEPARATORS = frozenset("•·|;()")
INITIAL_LETTER = re.compile(r"(?<!\w)([А-ЯЁA-Z])(?:\.|(?![\w.]))\s*")


@dataclass(frozen=True)
class NatashaModels:
    """The loaded natasha components one Russian text needs."""

    segmenter: Any
    ner_tagger: Any
    morph_vocab: Any  # pymorphy2's own analyzer (natasha's MorphVocab wraps tags in UD names)

    def __post_init__(self) -> None:
        # Names recur across a crawl and pymorphy2's pure-Python lookups cost
        # ~0.3 ms a word, so parses are memoised (bounded) per process.
        object.__setattr__(self, "parse", functools.lru_cache(maxsize=PARSE_CACHE)(self.morph_vocab.parse))


@functools.cache
def natasha_models() -> NatashaModels:
    """Load natasha's models on first use and keep them for the process."""
    # OpenBLAS threads would spin between natasha's small matrix products: 45% more CPU for the same spans
    # (1.10 -> 0.75 s on four Russian benchmark articles).
    one_blas_thread()
    # pymorphy2 (under natasha's MorphVocab) imports pkg_resources to find its
    # dictionaries, and setuptools >= 67 warns that pkg_resources is deprecated.
    # Not ours to fix, and under warnings-as-errors it would fail the first
    # Russian text; only that one message is silenced, only while loading.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
        import natasha
        import pymorphy2

        embedding = natasha.NewsEmbedding()
        models = NatashaModels(
            natasha.Segmenter(),
            natasha.NewsNERTagger(embedding),
            pymorphy2.MorphAnalyzer(),
        )
    logger.debug("natasha models loaded")
    freeze_long_lived()  # their vocabularies stay for the process: no garbage collection need walk them
    return models


def find_russian(text: str) -> list[Mention]:
    """PER/ORG/LOC spans of ``text`` as mentions named in the nominative."""
    models = natasha_models()  # first: it sets up numpy's threads before natasha imports numpy
    import natasha

    doc = natasha.Doc(text)
    doc.segment(models.segmenter)
    doc.tag_ner(models.ner_tagger)
    spans = [part for span in doc.spans if span.type in KINDS for part in _list_items(text, span)]
    readings = [_reading(span, models) for span in spans]
    nominative = _nominative_surnames(readings)
    mentions = [_mention(text, span, reading, nominative, models) for span, reading in zip(spans, readings, strict=True)]
    mentions = [_kind_by_dictionary(m, models.parse) for m in mentions]
    mentions = [m for m in mentions if not GENERIC_NAME.match(m.name) and not _not_a_person(m, models.parse)
                and not _lone_adjective(text, m, models.parse)]
    return as_organisations(text, mentions, models.parse)


def _kind_by_dictionary(mention: Mention, parse: Any) -> Mention:
    """A one-word "person" the dictionary knows only as a place or an organisation is that
    ("Царицыно", "Эфиопия" places; "Феррари" a team)."""
    words = mention.name.split()
    if mention.kind != "person" or len(words) != 1:
        return mention
    readings = parse(words[0].casefold())
    for tag, kind in DICTIONARY_KINDS:
        if all(r.is_known and tag in r.tag for r in readings):
            return replace(mention, kind=kind, first=None, middle=None, last=None, role=None)
    return mention


def _not_a_person(mention: Mention, parse: Any) -> bool:
    """A "person" that cannot be one: digits in it ("Формулы-1"), or one word the dictionary
    knows only as a verb, participle or other word that is not a noun ("Подана")."""
    if mention.kind != "person":
        return False
    if any(c.isdigit() for c in mention.name):
        return True
    words = mention.name.split()
    if len(words) != 1 or not words[0].isalpha():
        return False
    readings = parse(words[0].casefold())
    return all(r.is_known and r.tag.POS != "NOUN" for r in readings)


def _lone_adjective(text: str, mention: Mention, parse: Any) -> bool:
    """One word the dictionary knows only as an adjective, before a common noun of the sentence: a
    capitalised adjective ("Кипрское правительство", "Воскресное заседание"), not a name."""
    words = mention.surface.split()
    if len(words) != 1 or not words[0].isalpha() or mention.end is None:
        return False
    if NEXT_WORD.match(text, mention.end) is None:
        return False
    readings = parse(words[0].casefold())
    return all(r.is_known and r.tag.POS in ("ADJF", "PRTF") for r in readings)


@dataclass(frozen=True)
class _Span:
    type: str
    start: int
    stop: int
    text: str
    words: tuple[str, ...]


def _list_items(text: str, span: Any) -> list[_Span]:
    """The span's parts between list bullets and brackets ("Туркмения • Уганда" is two places), each trimmed."""
    parts, current = [], []
    for token in span.tokens:
        if token.text in LIST_SEPARATORS:
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    if len(parts) == 1:
        return [part for part in [_trimmed(text, span)] if part]
    pieces = [_TokenSpan(span.type, p[0].start, p[-1].stop, p) for p in parts if p]
    return [part for part in (_trimmed(text, piece) for piece in pieces) if part]


@dataclass(frozen=True)
class _TokenSpan:
    type: str
    start: int
    stop: int
    tokens: list[Any]


def _trimmed(text: str, span: Any) -> _Span | None:
    """The span without punctuation at its ends ("Джордж (" -> "Джордж"); ``None`` if nothing is left."""
    words = [token.text for token in span.tokens]
    while words and not _is_word(words[-1]):
        words.pop()
    while words and not _is_word(words[0]):
        words.pop(0)
    if not words:
        return None
    start = text.find(words[0], span.start)
    stop = text.rfind(words[-1], start, span.stop) + len(words[-1])
    # a quote that opens inside the span is closed by the span's own closing quote
    if text[stop : stop + 1] in CLOSING_QUOTES and _open_quote(text[start:stop]):
        stop += 1
    return _Span(span.type, start, stop, text[start:stop], tuple(words))


def _is_word(token: str) -> bool:
    return any(c.isalnum() for c in token)


def _open_quote(surface: str) -> bool:
    return surface.count("«") > surface.count("»") or surface.count('"') % 2 == 1


def _reading(span: _Span, models: NatashaModels) -> tuple[list[str], str | None]:
    words = [w for w in span.words if _is_word(w)]
    if KINDS[span.type] == "person":
        return person_reading(words, models.parse)
    return normalise_phrase(words, models.parse), None


def _nominative_surnames(readings: list[tuple[list[str], str | None]]) -> dict[str, str]:
    """Surnames as written in names the text writes in the nominative, by their first letters."""
    found = {}
    for words, case in readings:
        if case == "nomn" and len(words) >= 2:
            found.setdefault(words[-1][:STEM_PREFIX].casefold(), words[-1])
    return found


def _mention(
    text: str, span: _Span, reading: tuple[list[str], str | None], nominative: dict[str, str], models: NatashaModels
) -> Mention:
    kind = KINDS[span.type]
    words, case = reading
    if kind == "person" and case != "nomn":
        words = [_as_in_nominative(word, nominative) for word in words]
    name = _join(span.text, [w for w in span.words if _is_word(w)], words)
    if kind != "person":
        return Mention(kind, name, span.text, span.start, span.stop)
    first, middle, last = person_parts(name, models.parse)
    role = russian_role(text, span.start, models.parse)
    return Mention(kind, " ".join(p for p in (first, middle, last) if p), span.text, span.start, span.stop,
                   role, first, middle, last)


def _as_in_nominative(word: str, nominative: dict[str, str]) -> str:
    """A surname kept as written in an oblique case ("Карзая"), as the text writes it in a nominative name."""
    other = nominative.get(word[:STEM_PREFIX].casefold())
    if other is None or other == word:
        return word
    common = len(os.path.commonprefix([word.casefold(), other.casefold()]))
    return other if common >= len(other) - 1 and len(word) - common <= 2 else word


def _join(surface: str, words: list[str], normal: list[str]) -> str:
    """The normalised words with the surface's own spacing ("ТУСУРа" stays one word)."""
    out, position = [], 0
    for word, new in zip(words, normal, strict=True):
        at = surface.find(word, position)
        out.append(surface[position:at] + new)
        position = at + len(word)
    out.append(surface[position:])  # a closing quote
    return " ".join("".join(out).split())


def person_parts(name: str, parse: Any) -> tuple[str | None, str | None, str | None]:
    """(first, middle, last) of a nominative Russian name, surname first or last.

    Words are told apart by pymorphy2's tags: a given name (Name) or an initial
    first, a patronymic (Patr) or second initial next, the surname before or
    after them ("Жвачкин Сергей Анатольевич").  A name of another shape
    ("Пан Ги Мун", "Пак Кын Хе") keeps its order and every part: first word,
    the words between, last word.

    >>> from pipelines.extractors.entities import natasha_models
    >>> person_parts("Жвачкин Сергей Анатольевич", natasha_models().parse)
    ('Сергей', 'Анатольевич', 'Жвачкин')
    >>> person_parts("Пан Ги Мун", natasha_models().parse)
    ('Пан', 'Ги', 'Мун')
    """
    words = INITIAL_LETTER.sub(r"\1. ", name).split()
    tags = [_name_tag(word, parse) for word in words]
    for surname_first in (False, True):
        given = tags[1:] if surname_first else tags[:-1]
        surname = tags[0] if surname_first else tags[-1]
        if given and surname in (("Surn",) if surname_first else (None, "Surn")) and _given_then_middle(given):
            middle_words = words[2:] if surname_first else words[1:-1]
            first = words[1] if surname_first else words[0]
            return first, " ".join(middle_words) or None, words[0] if surname_first else words[-1]
    if len(words) == 1:
        return (words[0], None, None) if tags[0] == "Name" else (None, None, words[0])
    return words[0], " ".join(words[1:-1]) or None, words[-1]


def _given_then_middle(tags: list[str | None]) -> bool:
    """A given name or initial, then at most one patronymic or initial."""
    if tags[0] not in ("Name", "Init") or len(tags) > 2:
        return False
    return len(tags) == 1 or tags[1] in ("Patr", "Init")


def _name_tag(word: str, parse: Any) -> str | None:
    if is_initial(word):
        return "Init"
    for candidate in parse(word.casefold())[:3]:
        for tag in NAME_TAGS:
            if tag in candidate.tag:
                return tag
    return None
