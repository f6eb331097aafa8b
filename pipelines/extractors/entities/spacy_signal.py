"""An optional signal for English: spaCy's NER, when spaCy and an English model are installed.

No spaCy model is on the package index this project installs from, so this
usually finds nothing and costs nothing.  When ``en_core_web_sm`` (or the
model named by ``INO_ARCHIVE_SPACY_MODEL``) loads, its PERSON, ORG and
GPE/LOC spans join the candidates with the lowest rank: they fill gaps the
rules leave and never override them.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import Any

from scraper.items import Mention

logger = logging.getLogger(__name__)

KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place"}
DEFAULT_MODEL = "en_core_web_sm"


@functools.cache
def spacy_model() -> Any | None:
    """The loaded English model, or ``None`` when spaCy or the model is missing."""
    name = os.environ.get("INO_ARCHIVE_SPACY_MODEL", DEFAULT_MODEL)
    try:
        import spacy

        return spacy.load(name, disable=["parser", "lemmatizer"])
    except (ImportError, OSError) as exc:
        logger.debug("no spaCy signal: %s", exc)
        return None


def find_spacy(text: str) -> list[Mention]:
    """PERSON/ORG/GPE/LOC spans from spaCy, or nothing without a model."""
    model = spacy_model()
    if model is None:
        return []
    return [
        Mention(KINDS[ent.label_], " ".join(ent.text.split()), ent.text, ent.start_char, ent.end_char)
        for ent in model(text).ents
        if ent.label_ in KINDS
    ]
