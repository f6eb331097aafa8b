"""Named entities for Russian text with natasha.

natasha's news models (segmenter, morphology, NER) ship inside its PyPI
packages, so nothing is downloaded; they take about a second to load, so they
are loaded lazily, once per process, on the first Russian text.  Spans are
normalised to the nominative ("Олегом Фомичевым" -> "Олег Фомичев").
"""

from __future__ import annotations

import functools
import logging
import warnings
from dataclasses import dataclass
from typing import Any

from scraper.items import Mention

logger = logging.getLogger(__name__)

KINDS = {"PER": "person", "ORG": "org", "LOC": "place"}


@dataclass(frozen=True)
class NatashaModels:
    """The loaded natasha components one Russian text needs."""

    segmenter: Any
    morph_tagger: Any
    ner_tagger: Any
    morph_vocab: Any


@functools.cache
def natasha_models() -> NatashaModels:
    """Load natasha's models on first use and keep them for the process."""
    # pymorphy2 (under natasha's MorphVocab) imports pkg_resources to find its
    # dictionaries, and setuptools >= 67 warns that pkg_resources is deprecated.
    # Not ours to fix, and under warnings-as-errors it would fail the first
    # Russian text; only that one message is silenced, only while loading.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
        import natasha

        embedding = natasha.NewsEmbedding()
        models = NatashaModels(
            natasha.Segmenter(),
            natasha.NewsMorphTagger(embedding),
            natasha.NewsNERTagger(embedding),
            natasha.MorphVocab(),
        )
    logger.debug("natasha models loaded")
    return models


def find_russian(text: str) -> list[Mention]:
    """PER/ORG/LOC spans of ``text`` as mentions named in the nominative."""
    import natasha

    models = natasha_models()
    doc = natasha.Doc(text)
    doc.segment(models.segmenter)
    doc.tag_morph(models.morph_tagger)
    doc.tag_ner(models.ner_tagger)
    return [_mention(span, models.morph_vocab) for span in doc.spans if span.type in KINDS]


def _mention(span: Any, morph_vocab: Any) -> Mention:
    span.normalize(morph_vocab)
    name = " ".join((span.normal or span.text).split())
    return Mention(KINDS[span.type], name, span.text, span.start, span.stop)
