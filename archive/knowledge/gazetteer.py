"""The gazetteer: known people, organisations and places with their aliases.

Loaded once per process from ``archive/knowledge/gazetteer.toml`` (its format is
documented at the top of that file).  ``Gazetteer.link`` maps a name found in
text to its entry; ``Gazetteer.scan`` finds aliases written in text, Russian
ones with case endings, so entities that NER splits or misses ("ИНО Томск")
are still found.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parent / "gazetteer.toml"
KINDS = {"person": "person", "org": "org", "place": "place"}

# Characters that differ between spellings of one name but not its identity.
QUOTES = "\"'«»“”„’"
_KEY_DROP = str.maketrans({c: " " for c in QUOTES + ".-–"})
INITIALS = re.compile(r"^((?:\w\.\s?){1,2})\s*(\w[\w-]+)$")
ACRONYM = re.compile(r"^[A-ZА-ЯЁ]{2,5}$")
CYRILLIC_ACRONYM = re.compile(r"^[А-ЯЁ]{2,6}$")
# A Russian acronym takes case endings in lower case: "ТУСУРа", "ТПУ" stays "ТПУ".
ACRONYM_ENDING = r"(?:[а-яё]{1,3})?"
CYRILLIC_WORD = re.compile(r"^[А-ЯЁа-яё][а-яё]{3,}$")  # not acronyms (ТУСУР)
# Russian words are matched by stem: the nominative minus its ending, plus any
# short case ending ("Сергей" -> "Серге" matches "Сергея", "Сергеем").
NOMINATIVE_ENDING = re.compile(r"(ый|ий|ой|ая|яя|ое|ее|ые|ие|[аяоеьйы])$", re.IGNORECASE)
RUSSIAN_ENDING = r"\w{0,3}"
# An alias starts a word (not inside an address or a longer name) and ends one.
ALIAS_BEFORE = r"(?<![\w./@])"
ALIAS_AFTER = r"(?!\w)"
MIN_STEM = 4
# Inside a name of several words a short word is matched by its stem too ("дума" -> "думы",
# "зона" -> "зоны"): the other words keep the match specific.
MIN_STEM_IN_NAME = 3
# A first-character bucket with this many aliases is split again by the first two characters.
MIN_SPLIT_BUCKET = 4
QUOTE_KEY = re.escape(QUOTES)


@dataclass(frozen=True)
class Entry:
    """One known entity."""

    kind: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    """Entries indexed for linking and scanning."""

    entries: list[Entry]
    given_names: frozenset[str] = frozenset()
    by_key: dict[str, Entry] = field(default_factory=dict)
    by_surname: dict[str, list[Entry]] = field(default_factory=dict)
    # Indexes other modules derive from the entries, built once (``entities_link``).
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for alias in (entry.name, *entry.aliases):
                self.by_key.setdefault(name_key(alias), entry)
                if entry.kind == "person":
                    self._index_surname(alias, entry)
        self._patterns = _compile_aliases(self.entries)

    def _index_surname(self, alias: str, entry: Entry) -> None:
        words = name_key(alias).split()
        if len(words) >= 2:
            self.by_surname.setdefault(words[-1], []).append(entry)

    def link(self, kind: str, name: str) -> Entry | None:
        """Return the entry ``name`` refers to, or ``None``."""
        entry = self.by_key.get(name_key(name))
        if entry is not None:
            return entry
        return self._link_initials(name) if kind == "person" else None

    def _link_initials(self, name: str) -> Entry | None:
        match = INITIALS.match(name.strip())
        if match is None:
            return None
        initial = match.group(1)[0].casefold()
        for entry in self.by_surname.get(name_key(match.group(2)), []):
            if any(_first_initial(alias) == initial for alias in (entry.name, *entry.aliases)):
                return entry
        return None

    def scan(self, text: str) -> Iterator[tuple[Entry, int, int]]:
        """Yield (entry, start, end) for every alias written in ``text``."""
        for entry, _alias, start, end in self.scan_aliases(text):
            yield entry, start, end

    def scan_aliases(self, text: str) -> Iterator[tuple[Entry, str, int, int]]:
        """Yield (entry, the alias as the gazetteer writes it, start, end) for every alias in ``text``.

        A one-word name written in lower case is a common word ("томские стартапы", "fine china"): passed over.

        >>> text = "Томские и томские стартапы"
        >>> [(entry.name, text[start:end]) for entry, _, start, end in load_gazetteer().scan_aliases(text)]
        [('Tomsk', 'Томские')]
        """
        folded = text.replace("ё", "е").replace("Ё", "Е")
        for pattern, entries in self._patterns:
            for match in pattern.finditer(folded):
                entry, alias = entries[match.lastgroup]
                if not _lowercased(alias, match.group()):
                    yield entry, alias, match.start(), match.end()


def _lowercased(alias: str, written: str) -> bool:
    """True when a one-word alias with a capital is written with a small letter (an adjective, a common noun).

    >>> _lowercased("Томск", "томские"), _lowercased("Томск", "Томские"), _lowercased("TUSUR", "ТУСУР")
    (True, False, False)
    """
    first, seen = alias.strip(QUOTES)[:1], written.strip(QUOTES)[:1]
    return first.isupper() and seen.islower() and len(_alias_words(alias)) == 1


def name_key(name: str) -> str:
    """Fold a name for comparison: case, ё, quotes, dots and hyphens.

    >>> name_key("ИНО-Томск") == name_key("ино томск")
    True
    """
    folded = name.casefold().replace("ё", "е").translate(_KEY_DROP)
    return " ".join(folded.split())


def _first_initial(alias: str) -> str:
    return name_key(alias)[:1]


def _compile_aliases(entries: list[Entry]) -> list[tuple[re.Pattern[str], dict[str, tuple[Entry, str]]]]:
    """Two alternations: acronyms case-sensitive, everything else ignoring case."""
    exact: dict[str, Entry] = {}
    loose: dict[str, Entry] = {}
    for entry in entries:
        for alias in (entry.name, *entry.aliases):
            (exact if ACRONYM.match(alias) else loose)[alias] = entry
    compiled = []
    for aliases, flags in ((exact, 0), (loose, re.IGNORECASE)):
        if aliases:
            compiled.append(_alternation(aliases, flags))
    return compiled


def _alternation(aliases: dict[str, Entry], flags: int) -> tuple[re.Pattern[str], dict[str, tuple[Entry, str]]]:
    """One regex for the aliases, longest first, so "Tomsk region" wins over "Tomsk" at the same place.

    A regex tries every alternative at every word start (~8 µs a character of
    text for 260 aliases), so the alternatives are grouped by the character
    they can start with, and large groups again by the first two characters
    (``_bucket_pattern``): a position tries only the aliases that can start
    there, in the same order, so the match found is the same.
    """
    ordered = sorted(aliases, key=len, reverse=True)
    starts = [_start_keys(alias, flags) for alias in ordered]
    groups: dict[str, tuple[Entry, str]] = {}
    if any(keys is None for keys in starts):  # an alias that may start with any character
        parts = []
        for index, alias in enumerate(ordered):
            groups[f"a{index}"] = (aliases[alias], alias)
            parts.append(f"(?P<a{index}>{alias_pattern(alias)})")
        return re.compile(ALIAS_BEFORE + "(?:" + "|".join(parts) + ")" + ALIAS_AFTER, flags), groups
    buckets: dict[str, list[tuple[int, str, str | None]]] = {}
    for index, (alias, keys) in enumerate(zip(ordered, starts, strict=True)):
        for copy, key in enumerate(keys):  # an alias with an optional quote sits in two buckets
            buckets.setdefault(key, []).append((index, f"{copy}", _second_key(alias, flags)))
    dispatch = "|".join(
        f"(?=[{key}])(?:{_bucket_pattern(members, ordered, aliases, groups, key)})" for key, members in buckets.items()
    )
    pattern = f"(?=[{''.join(buckets)}])" + ALIAS_BEFORE + f"(?:{dispatch})" + ALIAS_AFTER
    return re.compile(pattern, flags), groups


def _bucket_pattern(
    members: list[tuple[int, str, str | None]],
    ordered: list[str],
    aliases: dict[str, Entry],
    groups: dict[str, tuple[Entry, str]],
    key: str,
) -> str:
    """The alternatives of one first-character bucket, grouped again by their first two characters.

    A position tries the aliases whose two first characters it holds (a lookahead each group), with
    the aliases of one-character first words kept in every group in their order, so the first alias
    that matches is the one the flat alternation would find: only far fewer are tried.
    """
    def part(index: int, copy: str, tag: str) -> str:
        name = f"a{index}_{copy}{tag}"
        groups[name] = (aliases[ordered[index]], ordered[index])
        return f"(?P<{name}>{alias_pattern(ordered[index])})"

    if key == QUOTE_KEY or len(members) < MIN_SPLIT_BUCKET:
        return "|".join(part(index, copy, "") for index, copy, _ in members)
    seconds = list(dict.fromkeys(second for _, _, second in members if second is not None))
    loose = [(index, copy) for index, copy, second in members if second is None]
    alternatives = []
    for number, second in enumerate(seconds):
        inside = sorted([(i, c) for i, c, s in members if s == second] + loose)
        alternatives.append(f"(?={re.escape(second)})(?:" + "|".join(part(i, c, f"_{number}") for i, c in inside) + ")")
    if loose:
        alternatives.append("|".join(part(i, c, "_x") for i, c in loose))
    return "|".join(alternatives)


def _second_key(alias: str, flags: int) -> str | None:
    """The first two characters of the alias's first word when both are plain (ASCII or basic Cyrillic)."""
    bare = _alias_words(alias)[0].strip(QUOTES)
    pair = bare[:2].lower() if flags & re.IGNORECASE else bare[:2]
    if len(pair) < 2 or not all(char.isascii() or "\u0400" <= char <= "\u04ff" for char in pair):
        return None
    return pair


def _start_keys(alias: str, flags: int) -> list[str] | None:
    """Character-class bodies, one per bucket, of what ``alias_pattern(alias)`` can start with.

    Letters are lower-cased when the pattern ignores case (so "T" and "t" share a
    bucket, as they share matches); ``None`` when the alias may start with anything,
    or with a letter outside ASCII and basic Cyrillic, where ignoring case makes
    letters meet across buckets ("ı" and "i" both match "I").
    """
    word = _alias_words(alias)[0]
    bare = word.strip(QUOTES)
    if not bare or not (bare[0].isascii() and bare[0].isalnum() or "\u0400" <= bare[0] <= "\u04ff"):
        return None
    first = re.escape(bare[0].lower() if flags & re.IGNORECASE else bare[0])
    return [first, re.escape(QUOTES)] if bare != word else [first]


def alias_pattern(alias: str) -> str:
    """Regex for one alias: flexible quotes, hyphens and Russian endings.

    >>> bool(re.fullmatch(alias_pattern("Законодательная дума Томской области"), "законодательной думы Томской области", re.I))
    True
    """
    words = _alias_words(alias)
    min_stem = MIN_STEM_IN_NAME if len(words) > 1 else MIN_STEM
    pattern = r"[\s\-]+".join(_word_pattern(word, min_stem) for word in words)
    # a closing quote the alias ends with ("ПАО «Газпром нефть»") belongs to the match when written
    return pattern + f"[{re.escape(QUOTES)}]?" if alias.rstrip()[-1:] in QUOTES else pattern


def _alias_words(alias: str) -> list[str]:
    return re.split(r"[\s\-]+", alias.replace("ё", "е").strip(QUOTES + " "))


def _word_pattern(word: str, min_stem: int = MIN_STEM) -> str:
    bare = word.strip(QUOTES)
    quote = f"[{re.escape(QUOTES)}]?"
    stem = NOMINATIVE_ENDING.sub("", bare)
    if CYRILLIC_WORD.match(bare) and len(stem) >= min_stem:
        body = re.escape(stem) + RUSSIAN_ENDING
    elif CYRILLIC_ACRONYM.match(bare):
        body = re.escape(bare) + ACRONYM_ENDING  # "ТУСУРа", "ТГУ"
    else:
        body = re.escape(bare)
    return quote + body + quote if bare != word else body


@functools.cache
def load_gazetteer(path: Path | str | None = None) -> Gazetteer:
    """Read the gazetteer TOML once per process (per path)."""
    with open(path or DEFAULT_PATH, "rb") as handle:
        data = tomllib.load(handle)
    entries = [
        Entry(kind, table["name"], tuple(table.get("aliases", ())))
        for key, kind in KINDS.items()
        for table in data.get(key, [])
    ]
    lexicon = data.get("lexicon", {})
    entries += [Entry("place", place) for place in lexicon.get("places", [])]
    logger.debug("gazetteer: %d entries from %s", len(entries), path or DEFAULT_PATH)
    return Gazetteer(entries, frozenset(lexicon.get("given_names", [])))
