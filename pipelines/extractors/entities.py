"""Find people, organisations and places named in an article's text.

``extract_entities`` gathers candidate mentions from the gazetteer (aliases
written in the text) and from a language-specific finder (rules for English,
natasha for Russian), keeps the longest of overlapping candidates, resolves
surname-only mentions to a full name found in the same text, and finally links
each mention to the gazetteer so it carries a canonical name.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from pipelines.extractors.entities_en import find_english
from pipelines.extractors.entities_ru import find_russian
from pipelines.extractors.gazetteer import load_gazetteer, name_key
from scraper.items import Mention

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pipelines.extractors.gazetteer import Gazetteer

logger = logging.getLogger(__name__)

# Initials in a canonical name get one space: "L.Kobzeva" -> "L. Kobzeva".
GLUED_INITIAL = re.compile(r"\b(\w)\.(?=\w)")


def extract_entities(text: str, language: str | None) -> list[Mention]:
    """Mentions in ``text`` ordered by position; empty for other languages."""
    if not text or language not in ("en", "ru"):
        return []
    gazetteer = load_gazetteer()
    groups = [_gazetteer_mentions(text, gazetteer), *_language_mentions(text, language, gazetteer)]
    mentions = _resolve_overlaps(groups)
    mentions = _expand_surnames(mentions, gazetteer)
    return [_link(mention, gazetteer) for mention in mentions]


def unique_names(mentions: Iterable[Mention], kind: str) -> list[str]:
    """Canonical names of one kind, each once, in order of first appearance."""
    return list(dict.fromkeys(m.name for m in mentions if m.kind == kind))


def _language_mentions(text: str, language: str, gazetteer: Gazetteer) -> list[list[Mention]]:
    if language == "en":
        return find_english(text, gazetteer)
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
            kept.append(_with_role(mention, groups))
            taken.append((mention.start, mention.end))
    return sorted(kept, key=lambda m: m.start)


def _with_role(mention: Mention, groups: list[list[Mention]]) -> Mention:
    """A gazetteer hit keeps the role a rule finder saw for the same span."""
    if mention.role is not None or mention.kind != "person":
        return mention
    for group in groups:
        for other in group:
            if other.role and other.start == mention.start and other.end == mention.end:
                return replace(mention, role=other.role)
    return mention


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
    entry = gazetteer.link(mention.kind, mention.name)
    if entry is None:
        return replace(mention, name=GLUED_INITIAL.sub(r"\1. ", mention.name))
    return replace(mention, kind=entry.kind, name=entry.name)
