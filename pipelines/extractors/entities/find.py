"""``extract_entities``: candidates from the gazetteer and the language's finder, merged, resolved and linked."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from archive.knowledge import link_names, load_gazetteer, name_key, split_name
from pipelines.extractors.entities.english import find_english
from pipelines.extractors.entities.russian import find_russian
from pipelines.extractors.entities.spacy_signal import find_spacy
from scraper.items import Mention

if TYPE_CHECKING:
    from collections.abc import Iterable

    from archive.knowledge import Gazetteer

logger = logging.getLogger(__name__)

# Initials in a canonical name get one space: "L.Kobzeva" -> "L. Kobzeva".
GLUED_INITIAL = re.compile(r"\b(\w)\.(?=\w)")
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z.\s'-]*$")
# "Full Name (ABBR)" / "Полное название (АББР)" defines an abbreviation.
DEFINITION = re.compile(r"\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁa-zа-яё]{1,7})\)")


def extract_entities(text: str, language: str | None) -> list[Mention]:
    """Mentions in ``text`` ordered by position; empty for other languages."""
    if not text or language not in ("en", "ru"):
        return []
    gazetteer = load_gazetteer()
    groups = [_gazetteer_mentions(text, gazetteer), *_language_mentions(text, language, gazetteer)]
    mentions = _resolve_overlaps(groups)
    mentions = _resolve_overlaps([mentions, _abbreviation_mentions(text, mentions)])
    mentions = _resolve_overlaps([mentions, _repeated_surnames(text, mentions)])
    mentions = _expand_surnames(mentions, gazetteer)
    mentions = [_link(mention, gazetteer) for mention in mentions]
    return _link_within(mentions, gazetteer)


def unique_names(mentions: Iterable[Mention], kind: str) -> list[str]:
    """Canonical names of one kind, each once, in order of first appearance."""
    return list(dict.fromkeys(m.name for m in mentions if m.kind == kind))


def _language_mentions(text: str, language: str, gazetteer: Gazetteer) -> list[list[Mention]]:
    if language == "en":
        return [*find_english(text, gazetteer), find_spacy(text)]
    return [find_russian(text)]


def _gazetteer_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    return [
        Mention(entry.kind, entry.name, text[start:end], start, end)
        for entry, start, end in gazetteer.scan(text)
    ]


def _resolve_overlaps(groups: list[list[Mention]]) -> list[Mention]:
    """Keep the longest candidate where spans overlap; earlier groups win ties."""
    ranked = [
        (-(m.end - m.start), rank, m.start, m)
        for rank, group in enumerate(groups)
        for m in group
    ]
    kept: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for _, _, _, mention in sorted(ranked, key=lambda row: row[:3]):
        if not any(mention.start < end and start < mention.end for start, end in taken):
            kept.append(_with_details(mention, groups))
            taken.append((mention.start, mention.end))
    return sorted(kept, key=lambda m: m.start)


def _with_details(mention: Mention, groups: list[list[Mention]]) -> Mention:
    """A gazetteer hit keeps the role and name parts a finder saw for the same span."""
    if mention.kind != "person" or (mention.role and mention.last):
        return mention
    for group in groups:
        for other in group:
            if other.kind == "person" and (other.start, other.end) == (mention.start, mention.end):
                mention = replace(
                    mention,
                    role=mention.role or other.role,
                    first=mention.first or other.first,
                    middle=mention.middle or other.middle,
                    last=mention.last or other.last,
                )
    return mention


def _abbreviation_mentions(text: str, mentions: list[Mention]) -> list[Mention]:
    """Later uses of an abbreviation defined right after an organisation's name."""
    found: list[Mention] = []
    for mention in mentions:
        match = DEFINITION.match(text, mention.end) if mention.kind == "org" else None
        if match is None or not match.group(1)[:1].isupper() or sum(c.isupper() for c in match.group(1)) < 2:
            continue
        for use in re.finditer(rf"(?<![\w-]){re.escape(match.group(1))}(?![\w-])", text):
            found.append(Mention("org", mention.name, use.group(), use.start(), use.end()))
    return found


def _repeated_surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """A full name's surname written alone elsewhere in the text is that person again."""
    # Each surname is searched once, however often its full name is written.
    surnames: dict[str, None] = {}
    for mention in mentions:
        words = mention.surface.split()
        if mention.kind == "person" and len(words) >= 2 and words[-1][:1].isupper():
            surnames.setdefault(words[-1].strip(".,"), None)
    return [
        Mention("person", surname, surname, use.start(), use.end())
        for surname in surnames
        for use in re.finditer(rf"(?<![\w.-]){re.escape(surname)}(?![\w-])", text)
    ]


def _expand_surnames(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Give "Zhvachkin" the full name of a "Sergey Zhvachkin" in the same text."""
    full_names: dict[str, str] = {}
    for mention in mentions:
        if mention.kind != "person":
            continue
        entry = gazetteer.by_key.get(name_key(mention.name))
        for spelling in (mention.name, *(entry.aliases if entry else ())):
            words = name_key(spelling).split()
            if len(words) >= 2:
                full_names.setdefault(words[-1], mention.name)
    return [_expanded(mention, full_names) for mention in mentions]


def _expanded(mention: Mention, full_names: dict[str, str]) -> Mention:
    key = name_key(mention.name)
    if mention.kind != "person" or " " in key or key not in full_names:
        return mention
    return replace(mention, name=full_names[key])


def _link(mention: Mention, gazetteer: Gazetteer) -> Mention:
    if mention.kind == "person" and mention.last is None:
        # English surfaces are already nominative; a declined Russian one is not.
        spelled = mention.surface if LATIN_NAME.match(mention.surface) else mention.name
        mention = replace(mention, **split_name(" ".join(spelled.split()))._asdict())
    entry = gazetteer.link(mention.kind, mention.name)
    if entry is None:
        return replace(mention, name=GLUED_INITIAL.sub(r"\1. ", mention.name))
    return replace(mention, kind=entry.kind, name=entry.name)


def _link_within(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """One canonical name per entity of the article (initials, spellings, scripts)."""
    canonical = link_names(((m.kind, m.name) for m in mentions), gazetteer)
    return [replace(m, name=canonical[(m.kind, m.name)]) for m in mentions]
