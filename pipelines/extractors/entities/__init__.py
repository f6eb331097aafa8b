"""Find people, organisations and places named in an article's text.

``extract_entities`` gathers candidate mentions from the gazetteer (aliases
written in the text) and from a language-specific finder (rules for English,
natasha for Russian, and the English statistical model shipped in the package), keeps
the longest of overlapping candidates, adds later uses of abbreviations the
text defines ("Tomsk Oil Company (TOC)"), resolves surname-only mentions to a
full name found in the same text, links each mention to the gazetteer and
finally links the article's names to each other (initials, transliteration;
``archive.knowledge.linking``), so every mention carries one canonical name.

Modules (public names are imported from ``pipelines.extractors.entities``):

* ``find`` – ``extract_entities``, the steps above;
* ``english`` – rules and lexicons for English (titles, initials, head nouns,
  legal forms, quoted names, places), the high-precision layer;
  ``english_ner`` – the trained English recogniser (spaCy NER, ``models/en_ner/``,
  trained by ``training/train_en_ner.py``);
* ``russian`` – natasha's news NER; ``russian_norm`` – names to the
  nominative with pymorphy2; ``roles`` – the office written before a name;
* ``mentioned_dates`` – dates and periods the text names, apart from the
  publication date.

May import: ``archive.knowledge`` (gazetteer, name keys, linking), ``scraper.items``,
``scraper.runtime``.
"""

from pipelines.extractors.entities.find import extract_entities, unique_names
from pipelines.extractors.entities.mentioned_dates import find_date_mentions
from pipelines.extractors.entities.russian import natasha_models
from pipelines.extractors.entities.russian_norm import normalise_person
from pipelines.extractors.entities.english_ner import english_model, read_english_ner

__all__ = [
    "english_model",
    "extract_entities",
    "find_date_mentions",
    "natasha_models",
    "normalise_person",
    "read_english_ner",
    "unique_names",
]
