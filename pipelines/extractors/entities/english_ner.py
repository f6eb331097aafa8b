"""The English statistical recogniser: spaCy NER trained for this project and shipped in the package.

The model (``models/en_ner/``, spaCy's ``ner`` on a blank English pipeline,
about 21 MB) was trained by ``training/train_en_ner.py`` on the openly licensed
corpora of ``../shared/ner/en`` (sources, licences and attributions in the
README and NOTICE; the training figures in ``training/en_ner_results.json``).
It is loaded from the package once per process, on the first English text;
nothing is downloaded.  Its PER, ORG and LOC spans are candidates like the
rules' (MISC, names of events, works and awards, is no mention, but a rule's
person inside one is part of that name); the
gazetteer and the rules are the high-precision layer over it
(``pipelines.extractors.entities.find``).
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import Any

from pipelines.extractors.entities.english import HEADLINE_VERBS
from scraper.items import Mention
from scraper.runtime import freeze_long_lived, one_blas_thread

logger = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent / "models" / "en_ner"
KINDS = {"PER": "person", "ORG": "org", "LOC": "place"}
# Titles and offices the corpora sometimes keep inside a person's span.
LEADING_TITLE = re.compile(
    r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Sir|Dame|Professor|President|Governor|Minister|Rector|Mayor|Senator|"
    r"Deputy|Vice-Governor|Vice-Rector|Academician|Director|Chairman|General|Colonel|Captain)\.?\s+)+"
)

# Dashes and commas the model takes in at a name's end ("Roman Empire-", "Union Bank of California,").
TRAILING_MARKS = "-–—,;: "
# A capitalised noun and "of" right before a person's span: the span's first words finish that name, an office's
# domain ("Minister of Education Stefania Giannini", "Secretary of State John Kerry").
OFFICE_OF_BEFORE = re.compile(r"\b[A-Z][a-z]+\s+of\s+(?:the\s+)?$")
INITIAL = re.compile(r"^[A-Z]\.$")
# A person's span of a title-case headline ends before its verb ("Evgeniya Shamis Joins Board"); a place's or
# organisation's span holding one is no name ("Zhvachkin Meets Students of").
HEADLINE_VERB_AFTER = re.compile(r"(?<=\S)\s+(?:" + "|".join(HEADLINE_VERBS) + r")\b")


@functools.cache
def english_model() -> Any:
    """The shipped English NER pipeline, loaded on first use and kept for the process."""
    one_blas_thread()
    import spacy
    from thinc.api import use_ops

    import pipelines.extractors.entities.word_clusters  # noqa: F401  (registers the model's embedding)

    # numpy's matrix product (OpenBLAS, one thread) instead of thinc's default (BLIS): the same spans,
    # about a third faster on this model's small matrices (benchmarks/bench_entities.py, "model alone").
    with use_ops("numpy", use_blis=False):
        model = spacy.load(MODEL_DIR)
    logger.debug("English NER model loaded from %s", MODEL_DIR)
    freeze_long_lived()  # its tables stay for the process: no garbage collection need walk them
    return model


def read_english_ner(text: str) -> tuple[list[Mention], list[tuple[int, int]]]:
    """The model's PER/ORG/LOC mentions in ``text``, and where it reads other names (MISC: an award, a work, an
    event), as (start, end) spans: a name inside one is part of it ("the Nobel Prize").

    A mention never runs across a line break, and a person's title is not part of the name ("Professor I.
    Petrov" -> "I. Petrov")."""
    found, other = [], []
    for ent in english_model()(text).ents:
        if ent.label_ not in KINDS:
            other.append((ent.start_char, ent.end_char))
            continue
        if "\n" in ent.text or (ent.label_ != "PER" and _ends_in_common_word(ent.text)):
            continue
        start = ent.start_char
        if ent.label_ == "PER" and (title := LEADING_TITLE.match(ent.text)) and title.end() < len(ent.text):
            start += title.end()
        end = start + len(ent.text[start - ent.start_char :].rstrip(TRAILING_MARKS))
        if end <= start:
            continue
        if verb := HEADLINE_VERB_AFTER.search(text, start, end):
            if ent.label_ != "PER":
                continue
            end = verb.start()
        spans = _people_in(text, start, end) if ent.label_ == "PER" else [(start, end)]
        for start, end in spans:
            surface = text[start:end]
            found.append(Mention(KINDS[ent.label_], " ".join(surface.split()), surface, start, end))
    return found, other


def _people_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The person in the model's person span: only the name after an office's domain ("Education Stefania
    Giannini" after "Minister of" when all its words are capitalised: the last two words, three with a middle
    initial); otherwise the whole span."""
    words = list(re.finditer(r"\S+", text[start:end]))
    capitalised = all(word.group()[:1].isupper() for word in words)  # "St Anthony of Padua" is one name
    if len(words) > 2 and capitalised and OFFICE_OF_BEFORE.search(text, max(0, start - 60), start):
        keep = 3 if INITIAL.match(words[-2].group()) else 2
        return [(start + words[-keep].start(), end)]
    return [(start, end)]


def _ends_in_common_word(name: str) -> bool:
    """A span of several words that ends in a lower-case word ("Qing dynasty", "Essen police", "Public Service
    and") is the model running past a name or into a description: no organisation or place."""
    words = name.split()
    return len(words) > 1 and words[-1][:1].islower()
