"""Named entities for Russian text with natasha.

natasha's news models (segmenter, morphology, NER) ship inside its PyPI
packages, so nothing is downloaded; they take about a second to load, so they
are loaded lazily, once per process, on the first Russian text.  Spans are
normalised to the nominative ("Олегом Фомичевым" -> "Олег Фомичев";
``entities_ru_norm``, without natasha's morph tagger, which costs as much as NER); a
person's words are told apart by pymorphy2's name tags (Name, Patr, Surn),
put in "First Middle Last" order ("Жвачкин Сергей Анатольевич" -> "Сергей
Анатольевич Жвачкин") and kept as first/middle/last; the office before a name
becomes its role (``entities_roles``).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
import warnings
from dataclasses import dataclass
from typing import Any

from archive.knowledge import is_initial
from pipelines.extractors.entities.roles import russian_role
from pipelines.extractors.entities.russian_norm import (
    normalise_person,
    normalise_phrase,
)
from scraper.items import Mention
from scraper.runtime import freeze_long_lived

logger = logging.getLogger(__name__)

KINDS = {"PER": "person", "ORG": "org", "LOC": "place"}
NAME_TAGS = ("Name", "Patr", "Surn")
PARSE_CACHE = 50_000
# A capital letter standing alone or with a dot is an initial: "А.В" -> "А. В.".
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
    if "numpy" not in sys.modules:
        # OpenBLAS (under numpy) starts a thread per core, which spin between
        # natasha's small matrix products: 45% more CPU for the same spans
        # (1.10 -> 0.75 s on four Russian benchmark articles).  A crawl process
        # is one core; a value the user set is kept.  Read once, at numpy's load.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
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
    return [_mention(text, span, models) for span in doc.spans if span.type in KINDS]


def _mention(text: str, span: Any, models: NatashaModels) -> Mention:
    kind = KINDS[span.type]
    words = [token.text for token in span.tokens]
    normalise = normalise_person if kind == "person" else normalise_phrase
    name = _join(span.text, words, normalise(words, models.parse))
    if kind != "person":
        return Mention(kind, name, span.text, span.start, span.stop)
    first, middle, last = person_parts(name, models.parse)
    ordered = " ".join(part for part in (first, middle, last) if part)
    role = russian_role(text, span.start, models.parse)
    return Mention(kind, ordered or name, span.text, span.start, span.stop, role, first, middle, last)


def _join(surface: str, words: list[str], normal: list[str]) -> str:
    """The normalised words with the surface's own spacing ("ТУСУРа" stays one word)."""
    out, position = [], 0
    for word, new in zip(words, normal, strict=True):
        at = surface.find(word, position)
        out.append(surface[position:at] + new)
        position = at + len(word)
    return " ".join("".join(out).split())


def person_parts(name: str, parse: Any) -> tuple[str | None, str | None, str | None]:
    """(first, middle, last) of a nominative Russian name, in any word order.

    Words are told apart by pymorphy2's tags: a given name (Name) or the first
    initial is the first name, a patronymic (Patr) or second initial the middle
    name, any other word the last name.
    """
    words = INITIAL_LETTER.sub(r"\1. ", name).split()
    by_tag: dict[str | None, list[str]] = {}
    for word in words:
        by_tag.setdefault(_name_tag(word, parse), []).append(word)
    names, initials = by_tag.get("Name", []), by_tag.get("Init", [])
    others = by_tag.get(None, []) + by_tag.get("Surn", [])
    if len(names) > 1 and not others:
        others = names[1:]
    givens = names[:1] + initials
    middles = by_tag.get("Patr", []) + givens[1:2]
    return (givens[0] if givens else None, middles[0] if middles else None, others[-1] if others else None)


def _name_tag(word: str, parse: Any) -> str | None:
    if is_initial(word):
        return "Init"
    for candidate in parse(word.casefold())[:3]:
        for tag in NAME_TAGS:
            if tag in candidate.tag:
                return tag
    return None
