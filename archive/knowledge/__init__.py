"""What the project knows about names and words, shared by every layer.

The crawler, the extractors and the archive all read this package, and it
imports nothing else of ino-archive, so it is the one home of:

* ``gazetteer`` (+ ``gazetteer.toml``, editable) – the field's known people,
  organisations and places with their aliases in both scripts;
* ``name_keys`` – script-neutral keys, so Fomichev = Fomichyov = Фомичёв;
* ``person_names`` – a person's name split into first, middle and last name;
* ``linking`` – which names refer to one real entity (initials, surnames,
  abbreviations), used within an article at extraction and across the
  archive by ``archive.entities``;
* ``morphology`` – words and their Snowball stems, Russian and English, for
  the full-text index and the search language;
* ``characters`` – what crawled text must not carry (terminal escapes, bidi
  overrides, zero-width and XML-forbidden characters): ``clean_text`` at
  extraction and in the store, ``terminal_text`` for what the CLI prints.

Source rules (which URLs are articles, per-source selectors) are the
crawler's configuration and live in ``scraper.sources``.
"""

from archive.knowledge.characters import clean_optional, clean_text, terminal_text
from archive.knowledge.gazetteer import Entry, Gazetteer, load_gazetteer, name_key
from archive.knowledge.linking import link_names
from archive.knowledge.morphology import (
    STEMMING_VERSION,
    WORD_PATTERN,
    fold,
    stem,
    stem_text,
    words,
)
from archive.knowledge.name_keys import initial_key, padded, translit_key
from archive.knowledge.person_names import (
    NameParts,
    is_initial,
    is_patronymic,
    split_name,
)

__all__ = [
    "STEMMING_VERSION",
    "WORD_PATTERN",
    "Entry",
    "Gazetteer",
    "NameParts",
    "clean_optional",
    "clean_text",
    "fold",
    "initial_key",
    "is_initial",
    "is_patronymic",
    "link_names",
    "load_gazetteer",
    "name_key",
    "padded",
    "split_name",
    "stem",
    "stem_text",
    "terminal_text",
    "translit_key",
    "words",
]
