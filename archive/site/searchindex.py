"""The offline search index of the static site, split into files the browser loads on demand.

Everything is a ``.js`` file that hands its data to ``window.INO_INDEX``
(``fetch`` of ``file://`` does not work, a script from the site itself does,
under the strict Content-Security-Policy), so the site searches opened from
disk as well as served.  Under ``assets/index/``:

* ``meta.js`` – loaded with the query page: per article (numbered newest
  first) its id, day, language, source and entities; the entity table (kind,
  name, aliases); the shard keys; the query limits.  Enough for filters,
  facets and timelines of any query without loading anything else.
* ``s/<n>.js`` – the stem shards: ``stems`` (stem → postings), ``forms``
  (a word form the archive saw → its stem), ``inflected`` (a stem → the forms
  that ``forms`` leads to it, space between, in the stem's shard: how a phrase
  is checked word by word in a text) and ``pairs`` (two stems, space
  between → the articles where the second follows the first: phrases).  A
  shard holds the strings that start with its key (the longest key that is a
  prefix of them); keys grow a letter where a shard would pass
  ``SHARD_BYTES``, so a query word loads one shard of at most a few hundred
  kilobytes, however large the archive.
* ``t/<n>.js`` – titles and texts of ``BLOCK`` consecutive articles, loaded
  for the page of results shown (snippets are cut in the browser); gzipped
  JSON in base64, opened by the browser's own ``DecompressionStream``, so the
  texts take less than half the room of the article pages beside them.

Postings are the article numbers of a stem, ascending, each stored as the gap
to the previous one times 8 plus a weight (4 when the stem is in the title,
plus the number of occurrences up to 3, minus one), written in base 32 with
one alphabet for the last digit and another for the others (``encode``).
The browser cannot run the Snowball stemmer, hence ``forms``; a form the
archive never saw is cut back to a known stem in JavaScript.

Phrases.  The archive matches a phrase as stems next to each other in the
title or in the text (FTS5 over ``stem_text``: punctuation between the words
does not matter, there are no stop words, the title does not run on into the
text; PostgreSQL's vector differs there, the site follows SQLite).  The site
keeps no positions; it keeps word pairs instead, for the *frequent* stems
only, because pairs of all stems would outweigh the rest of the site (29 MB
at 10 000 generated articles, 3 kB per article).  A stem is frequent when it
is in ``meta.pairFloor`` articles or more: the lowest floor, down to
``MIN_PAIR_SHARE`` of the articles, whose pairs fit ``pair_room``: ``PAIR_BYTES``
per article, at least ``PAIR_ROOM_MIN`` (``choose_floor``; at 100 000
generated articles 27% of them, 2626 pairs, 5 MB; for the 122 news texts of
FactRuEval 5%, 594 of 5754 stems, 100 kB).
For two frequent stems ``pairs`` holds every pair that occurs:
its articles as plain gaps (``encode``, no weight), or ``SAME`` where they
are all the articles holding both stems.  A pair of frequent stems that is
not there occurs nowhere.  So a two-word phrase of frequent stems is exact
from the index alone.  Any other phrase (three words or more, or a rarer
word) first narrows to the articles holding each of its pairs and all its
words, then the browser reads those articles' texts (the ``t/`` blocks) and
keeps the ones where the phrase's stems stand next to each other in the
title or in the text: a word is a stem's when ``inflected`` lists its folded
form, or when it is the stem itself and no ``forms`` entry leads elsewhere
(exactly the archive's own stemming of the words it saw).  Within
``limits.phraseBlocks`` text blocks the first answer is exact; within
``limits.phraseBlocksLater`` the page answers from the narrowed set first and
redraws; past that the narrowed set stays and the page says it is approximate.
"""

from __future__ import annotations

import base64
import gzip
import json
from array import array
from collections.abc import Iterable
from typing import Any

from archive.knowledge import fold, stem, words
from archive.site.paths import write_file

LAST_DIGIT = "0123456789abcdefghijklmnopqrstuv"
MORE_DIGIT = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
SHARD_BYTES = 150_000
BLOCK = 32
TITLE_WEIGHT = 4
MIN_PAIR_SHARE = 0.05  # no floor below this share of the articles (what finish collects and holds in memory)
PAIR_BYTES = 50  # the pairs' room per article (with every stem's pairs: ~3 kB per generated article)
PAIR_ROOM_MIN = 1_000_000  # a small archive's pairs may take this much
SAME = "="  # a pair's articles are every article holding both its stems
BREAK = 0  # the stem number that ends a column in the stem sequence: no pair spans title and text


def _digits(value: int) -> str:
    digits = [LAST_DIGIT[value & 31]]
    value >>= 5
    while value:
        digits.append(MORE_DIGIT[value & 31])
        value >>= 5
    return "".join(reversed(digits))


_SHORT = [_digits(value) for value in range(4096)]  # most gaps: one table lookup


def encode(values: Iterable[int]) -> str:
    """Base-32 digits, the last of each number from ``LAST_DIGIT``, the others from ``MORE_DIGIT``.

    >>> encode([0, 31, 32, 1025, 70000])
    '0vx0xw1yAHg'
    """
    return "".join(_SHORT[value] if value < 4096 else _digits(value) for value in values)


def postings_string(packed: array) -> str:
    """Packed ``number << 3 | weight`` values (ascending numbers) as the gap-and-weight string."""
    previous, values = 0, []
    for item in packed:
        number = item >> 3
        values.append((number - previous) << 3 | (item & 7))
        previous = number
    return encode(values)


def pair_floor(articles: int, share: float = MIN_PAIR_SHARE) -> int:
    """The lowest floor: ``share`` of the articles, at least one.

    >>> pair_floor(100_000), pair_floor(3), pair_floor(0)
    (5000, 1, 1)
    """
    return max(1, int(articles * share))


def pair_room(articles: int) -> int:
    """The bytes the pairs of an archive of ``articles`` articles may take.

    >>> pair_room(100_000), pair_room(122)
    (5000000, 1000000)
    """
    return max(PAIR_BYTES * articles, PAIR_ROOM_MIN)


def choose_floor(sizes: dict[int, int], lowest: int, budget: int) -> int:
    """The lowest floor (from ``lowest``) at which the pairs fit ``budget`` bytes.

    ``sizes``: bytes of the pairs whose rarer stem is in that many articles.
    A floor between two sizes' levels keeps the same pairs, so the floor is
    ``lowest`` when everything fits, else the lowest level that fits, else
    past every level (no pairs).

    >>> choose_floor({9: 40, 5: 30, 2: 50}, 1, 100), choose_floor({9: 40, 5: 30, 2: 50}, 1, 200)
    (5, 1)
    >>> choose_floor({9: 40}, 1, 10)
    10
    """
    used, floor = 0, max(sizes, default=lowest - 1) + 1
    for level in sorted(sizes, reverse=True):
        used += sizes[level]
        if used > budget:
            return floor
        floor = level
    return lowest


def gaps(numbers: Iterable[int]) -> list[int]:
    """Ascending numbers as the differences to the one before (the first from 0).

    >>> gaps([3, 5, 12])
    [3, 2, 7]
    """
    previous, found = 0, []
    for number in numbers:
        found.append(number - previous)
        previous = number
    return found


def shard_keys(sizes: dict[str, int], limit: int = SHARD_BYTES) -> list[str]:
    """Prefixes whose strings fit ``limit`` bytes; a string belongs to the longest key it starts with.

    >>> shard_keys({"ab": 5, "ac": 5, "b": 1}, limit=12)
    ['']
    >>> shard_keys({"ab": 5, "ac": 5, "b": 1}, limit=8)
    ['', 'a', 'ab', 'ac', 'b']
    """
    keys: list[str] = []

    def split(prefix: str, items: list[str]) -> None:
        keys.append(prefix)
        if sum(sizes[item] for item in items) <= limit:
            return
        children: dict[str, list[str]] = {}
        for item in items:
            if len(item) > len(prefix):
                children.setdefault(item[: len(prefix) + 1], []).append(item)
        for child, members in sorted(children.items()):
            split(child, members)

    split("", sorted(sizes))
    return keys


def shard_of(value: str, keys: set[str]) -> str:
    """The longest key ``value`` starts with ('' always is a key)."""
    for length in range(len(value), 0, -1):
        if value[:length] in keys:
            return value[:length]
    return ""


def _script(call: str, *arguments: Any) -> str:
    payload = ",".join(json.dumps(value, ensure_ascii=False, separators=(",", ":")) for value in arguments)
    # "</" cannot end anything in a .js file, but keep the file safe to inline anyway.
    safe = payload.replace("</", "<\\/")
    return f"INO_INDEX.{call}({safe});\n"


class SearchIndexBuilder:
    """Collects stems, forms, texts and facts per article while the article pages are written.

    Stems are numbered (from 1; ``BREAK`` is 0) as they are first seen; every
    article's stems are kept in order as numbers (``sequence``: two bytes each
    while the numbers fit, as they do for ~50 000 stems at 100 000 generated
    articles) until ``pairs`` knows which stems are frequent and collects their
    pairs, using the sequence up.
    """

    def __init__(self, root: Any, pair_share: float = MIN_PAIR_SHARE, room: int | None = None) -> None:
        self.root = root
        self.pair_share, self.room = pair_share, room  # room: the pairs' bytes (None: pair_room)
        self.pair_floor = 1  # set by pairs()
        self.ids: list[int] = []
        self.days: list[int] = []
        self.languages: list[int] = []
        self.sources: list[int] = []
        self.values: dict[str, dict[str, int]] = {"language": {}, "source": {}}
        self.stems: list[str] = [""]  # stem number -> stem
        self.postings: list[array] = [array("Q")]  # stem number -> packed postings
        self.forms: dict[str, str] = {}
        self.block: list[list[str]] = []
        self.entities: list[list[Any]] = []
        self.doc_entities: dict[int, list[int]] = {}
        self.sequence = array("H")  # every article's stem numbers, each column after a BREAK
        self.ends = array("Q")  # where each article's part of the sequence ends
        self._numbers: dict[str, int] = {}  # stem -> its number
        self._words: dict[str, int] = {}  # every word as written -> its stem's number: stemming is paid once

    def _value(self, kind: str, value: str) -> int:
        return self.values[kind].setdefault(value, len(self.values[kind]))

    def add(self, article_id: int, day: int, language: str, source: str, title: str | None, text: str | None) -> int:
        """Index one article (articles come newest first); returns its number."""
        number = len(self.ids)
        self.ids.append(article_id)
        self.days.append(day)
        self.languages.append(self._value("language", language))
        self.sources.append(self._value("source", source))
        stem_of, sequence = self._words.get, [BREAK]
        weights: dict[int, int] = {}
        for word in words(title):
            stemmed = stem_of(word) or self._stem(word)
            weights[stemmed] = TITLE_WEIGHT
            sequence.append(stemmed)
        counts: dict[int, int] = {}
        sequence.append(BREAK)
        for word in words(text):
            stemmed = stem_of(word) or self._stem(word)
            counts[stemmed] = counts.get(stemmed, 0) + 1
            sequence.append(stemmed)
        self._keep_sequence(sequence)
        for stemmed, count in counts.items():
            weights[stemmed] = (weights.get(stemmed, 0) & TITLE_WEIGHT) | (min(count, 4) - 1)
        postings = self.postings
        for stemmed, weight in weights.items():
            postings[stemmed].append(number << 3 | weight)
        self.block.append([title or "", text or ""])
        if len(self.block) == BLOCK:
            self._flush_block()
        return number

    def _keep_sequence(self, numbers: list[int]) -> None:
        if self.sequence.typecode == "H" and len(self.stems) > 0xFFFF:
            self.sequence = array("I", self.sequence)  # more stems than two bytes number
        self.sequence.extend(numbers)
        self.ends.append(len(self.sequence))

    def _stem(self, word: str) -> int:
        """The stem number of a word seen for the first time (as written); its folded form is kept for the browser."""
        folded, stemmed = fold(word), stem(word)
        if folded != stemmed and folded not in self.forms:
            self.forms[folded] = stemmed
        number = self._numbers.get(stemmed)
        if number is None:
            number = self._numbers[stemmed] = len(self.stems)
            self.stems.append(stemmed)
            self.postings.append(array("Q"))
        self._words[word] = number
        return number

    def pairs(self) -> dict[str, str]:
        """Every pair of frequent stems that occurs ("stem stem") -> its articles as gaps, or ``SAME``.

        ``SAME`` when the pair is in every article holding both stems: it is
        then in as many articles as the rarer stem (a cheap sure test; a pair
        that is in all of the fewer articles both stems share is stored).
        Sets ``pair_floor``: how many articles make a stem frequent.  Runs once: the sequence is used up.
        """
        lowest = pair_floor(len(self.ids), self.pair_share)
        found = self._pair_articles(lowest)
        self.sequence, self.ends = array("H"), array("Q")  # used up: its room is needed for the pairs
        pairs, levels, sizes = {}, {}, {}
        for key, articles in found.items():
            first, second = divmod(key, len(self.stems))
            pair, level = f"{self.stems[first]} {self.stems[second]}", min(len(self.postings[first]),
                                                                          len(self.postings[second]))
            pairs[pair] = SAME if len(articles) == level else encode(gaps(articles))
            levels[pair] = level
            sizes[level] = sizes.get(level, 0) + len(pairs[pair]) + len(pair) + 6
        room = pair_room(len(self.ids)) if self.room is None else self.room
        self.pair_floor = choose_floor(sizes, lowest, room)
        return {pair: value for pair, value in pairs.items() if levels[pair] >= self.pair_floor}

    def _pair_articles(self, floor: int) -> dict[int, array]:
        """Pairs of stems in ``floor`` articles or more (first * number of stems + second) -> their articles."""
        frequent = bytearray(len(self.stems))
        for number, packed in enumerate(self.postings):
            frequent[number] = number != BREAK and len(packed) >= floor
        found: dict[int, array] = {}
        width, start, sequence = len(self.stems), 0, self.sequence
        for article, end in enumerate(self.ends):
            seen, previous = set(), BREAK
            for number in sequence[start:end]:
                if frequent[number] and frequent[previous]:
                    seen.add(previous * width + number)
                previous = number
            for key in seen:
                articles = found.get(key)
                if articles is None:
                    articles = found[key] = array("I")
                articles.append(article)
            start = end
        return found

    def _flush_block(self) -> None:
        if self.block:
            number = (len(self.ids) - 1) // BLOCK
            packed = json.dumps(self.block, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            text = base64.b64encode(gzip.compress(packed, compresslevel=6, mtime=0)).decode("ascii")
            write_file(self.root, f"assets/index/t/{number}.js", _script("block", number, text))
            self.block = []

    def add_entity(self, kind: str, name: str, aliases: list[str], numbers: Iterable[int]) -> None:
        """A person, organisation or place and the numbers of the articles naming it."""
        entity = len(self.entities)
        self.entities.append([kind, name, aliases])
        for number in numbers:
            self.doc_entities.setdefault(number, []).append(entity)

    def finish(self, limits: dict[str, int]) -> int:
        """Write the shards and ``meta.js``; returns the number of shards."""
        self._flush_block()
        encoded = {self.stems[number]: postings_string(packed)
                   for number, packed in enumerate(self.postings) if number != BREAK}
        pairs = self.pairs()
        by_stem: dict[str, list[str]] = {}
        for form, stemmed in self.forms.items():
            by_stem.setdefault(stemmed, []).append(form)
        inflected = {stemmed: " ".join(sorted(forms)) for stemmed, forms in by_stem.items()}
        sizes: dict[str, int] = {}
        for part in (encoded, pairs, inflected):  # a stem's postings and its forms share its key
            for key, value in part.items():
                sizes[key] = sizes.get(key, 0) + len(value) + len(key) + 6
        keys = shard_keys(sizes)
        numbers = {key: index for index, key in enumerate(keys)}
        parts = {"stems": encoded, "forms": self.forms, "inflected": inflected, "pairs": pairs}
        shards: list[dict[str, dict[str, str]]] = [{name: {} for name in parts} for _ in keys]
        key_set = set(keys)
        for name, part in parts.items():  # each string goes to the shard of its own key
            for key, value in part.items():
                shards[numbers[shard_of(key, key_set)]][name][key] = value
        for index, shard in enumerate(shards):
            write_file(self.root, f"assets/index/s/{index}.js", _script("shard", index, shard))
        meta = {
            "ids": self.ids, "days": self.days, "languages": self.languages, "sources": self.sources,
            "languageNames": list(self.values["language"]), "sourceNames": list(self.values["source"]),
            "entities": self.entities,
            "docEntities": [self.doc_entities.get(number, []) for number in range(len(self.ids))],
            "shards": keys, "block": BLOCK, "limits": limits,
            "pairFloor": self.pair_floor,
        }
        write_file(self.root, "assets/index/meta.js", _script("meta", meta))
        return len(keys)
