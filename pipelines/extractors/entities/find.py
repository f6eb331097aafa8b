"""``extract_entities``: candidates from the gazetteer and the language's finder, merged, resolved and linked.

English: the trained model's spans that run across a known name or swallow one of
another kind give way to the gazetteer; the rules' mentions that cross a line
break, or the people the model reads as a place or organisation, give way to the
model (unless the rule knew the person: a given name, a Russian surname, the
gazetteer).  Where the gazetteer and the recogniser give one span different
kinds, the context decides (an organisation's noun or quotes before it).  The
longest candidate wins an overlap; a Russian text names each entity with its
own words, an English one with the gazetteer's name.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from archive.knowledge import is_initial, link_names, load_gazetteer, name_key, split_name
from pipelines.extractors.entities.english import AND, ORG_HEADS, find_english
from pipelines.extractors.entities.russian import find_russian
from pipelines.extractors.entities.english_ner import read_english_ner
from scraper.items import Mention

if TYPE_CHECKING:
    from collections.abc import Iterable

    from archive.knowledge import Entry, Gazetteer

logger = logging.getLogger(__name__)

# Initials in a canonical name get one space: "L.Kobzeva" -> "L. Kobzeva".
GLUED_INITIAL = re.compile(r"\b(\w)\.(?=\w)")
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z.\s'-]*$")
# "Full Name (ABBR)" / "Полное название (АББР)" defines an abbreviation.
DEFINITION = re.compile(r"\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁa-zа-яё]{1,7})\)")
CYRILLIC = re.compile(r"[А-ЯЁа-яё]")
# Latin spellings of Russian surname endings: evidence that "L.Kobzeva" is a person.
RUSSIAN_SURNAME = re.compile(r"(?:ov|ev|yov|in|yn|ova|eva|yova|ina|yna|sky|skiy|skii|skaya|enko|uk|yuk|ovich|evich)$")
# A name that owns what follows it: "Russia's", "Gazprom’s".
POSSESSIVE = re.compile(r"^(\S.*?)['’]s\s+")
OPENING_QUOTES = "«“„\""
CLOSING_QUOTES = "»”\""
# An organisation's generic noun or legal form right before a name makes it the organisation.
ORG_CONTEXT = 40
# An organisation named after a place: the place after "of", or the name ending in an organisation's noun.
ORG_NAME_CONNECTORS = frozenset({"of", "the", "for", "and", "&"})
# An organisation cut short before a name ends before the connectors left at its end ("… Awards for").
TRAILING_CONNECTORS = re.compile(
    r"(?:\s+(?:" + "|".join(map(re.escape, sorted(ORG_NAME_CONNECTORS | {"at"}))) + r"))*\s*$"
)
ORG_NAME_ENDS = frozenset({*ORG_HEADS, "Party", "Club", "Group", "Navy", "Army", "Police", "Parliament", "Airlines"})
ORG_NOUN_BEFORE = re.compile(
    r"(?:(?<![\w-])(?:фонд|телеканал|канал|компани|корпораци|госкорпораци|банк|газет|агентств|холдинг|издательств"
    r"|радиостанци|клуб|концерн|завод|предприяти)\w{0,3}|(?<![\w-])(?:ПАО|ООО|ОАО|ЗАО|АО|НКО|АНО|ФГУП|ГК)"
    r"|\b(?:[Ff]oundation|[Cc]ompany|[Cc]hannel|[Bb]ank|LLC|JSC|PJSC|OJSC|CJSC))\s*[«“„\"]?\s*$"
)


def extract_entities(text: str, language: str | None, statistical: bool = True) -> list[Mention]:
    """Mentions in ``text`` ordered by position; empty for other languages.

    ``statistical=False`` leaves English text to the gazetteer and the rules,
    without the trained model (the entity stage does so for pages outside the
    archive's subject, where the model's cost buys nothing).
    """
    if not text or language not in ("en", "ru"):
        return []
    gazetteer = load_gazetteer()
    known = _gazetteer_mentions(text, gazetteer, language)
    found = _language_mentions(text, language, gazetteer, statistical, known)
    known = _kind_from_context(text, known, found)
    mentions = _resolve_overlaps([known, *found])
    # a defined abbreviation names its organisation wherever it stands, the definition too
    mentions = _resolve_overlaps([_abbreviation_mentions(text, mentions), mentions])
    mentions = _resolve_overlaps([mentions, _repeated_surnames(text, mentions)])
    mentions = _expand_surnames(mentions, gazetteer)
    mentions = [_link(mention, gazetteer, language) for mention in mentions]
    return _link_within(mentions, gazetteer, language)


def unique_names(mentions: Iterable[Mention], kind: str) -> list[str]:
    """Canonical names of one kind, each once, in order of first appearance."""
    return list(dict.fromkeys(m.name for m in mentions if m.kind == kind))


def _language_mentions(
    text: str, language: str, gazetteer: Gazetteer, statistical: bool, known: list[Mention]
) -> list[list[Mention]]:
    if language == "en":
        model, other_names = read_english_ner(text) if statistical else ([], [])
        model = _checked_by_gazetteer(model, known, text)
        names = {(m.start, m.end): m.kind for m in (*known, *model)}
        return [
            _outside(_checked_by_model(_trimmed_by_names(text, group, names), model, gazetteer), other_names)
            for group in find_english(text, gazetteer)
        ] + [model]
    return [find_russian(text)]


def _outside(rules: list[Mention], other_names: list[tuple[int, int]]) -> list[Mention]:
    """The rules' people less those inside a name the model reads as another kind of name (an award, a work, an
    event): "Nobel" in "the Nobel Prize", "Michael Jackson" in "the Michael Jackson Video Vanguard Award".  The
    rules' organisations and places stay ("Krasnoyarsk" in "the Krasnoyarsk Economic Forum" says where it was),
    and so does a person the model reads as such a name with nothing around it ("A.Antonov" alone is no award)."""
    return [
        m for m in rules
        if m.kind != "person" or not any(
            start <= m.start and m.end <= end and (start, end) != (m.start, m.end) for start, end in other_names
        )
    ]


def _trimmed_by_names(text: str, rules: list[Mention], names: dict[tuple[int, int], str]) -> list[Mention]:
    """The rules' organisations less the names the gazetteer or the model knows at their edges (``names``: span ->
    kind): an owner before a possessive ("Russia's Ministry of Education" is the ministry, Russia a place of its
    own), a second name after "and" ("Union of Right Forces and Yabloko" is two parties), a person after the
    office ("Minister of Transport Radu Berceanu").  A common noun is part of the name ("King's College", "Academy
    of Arts and Sciences").  An organisation left with one word is no mention."""
    kept = []
    for mention in rules:
        if mention.kind == "org":
            start = _owner_end(mention, names) if mention.name == mention.surface else mention.start
            end = min(_second_name_start(mention, names), _person_start(text, mention, names))
            if (start, end) != (mention.start, mention.end):
                surface = text[start:end]
                if len(surface.split()) < 2:
                    continue
                # the name ends with the surface's words ("Ministry of Transport" for "Minister of Transport …")
                cut = mention.end - end
                name = surface if mention.name == mention.surface else mention.name[: len(mention.name) - cut].rstrip()
                mention = replace(mention, name=name, surface=surface, start=start, end=end)
        kept.append(mention)
    return kept


def _owner_end(mention: Mention, names: dict[tuple[int, int], str]) -> int:
    """Where the organisation starts after a known name that owns it ("Russia's "); its start if none does."""
    owner = POSSESSIVE.match(mention.surface)
    if owner and (mention.start, mention.start + owner.end(1)) in names:
        return mention.start + owner.end()
    return mention.start


def _second_name_start(mention: Mention, names: dict[tuple[int, int], str]) -> int:
    """Where the organisation ends before "and" and a known name; its end if no known name follows an "and"."""
    starts = {start for start, end in names if end <= mention.end}
    for joint in AND.finditer(mention.surface):
        if mention.start + joint.end() in starts:
            return mention.start + joint.start()
    return mention.end


def _person_start(text: str, mention: Mention, names: dict[tuple[int, int], str]) -> int:
    """Where the organisation ends before a known person that starts inside it (and before the connectors in
    between, "… Awards for"); its end if no person does."""
    inside = [start for (start, _), kind in names.items() if kind == "person" and mention.start < start < mention.end]
    if not inside:
        return mention.end
    before = TRAILING_CONNECTORS.sub("", text[mention.start : min(inside)])
    return mention.start + len(before)


def _checked_by_model(rules: list[Mention], model: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """The rules' mentions, less those that run across a line break ("National\n\nBasketball
    Association") and the people the model reads, in part or whole, as a place or organisation
    ("U. S. Treasury", "N. Ireland"), unless the rule knew the person on the very span the model
    read: a given name it knows ("Pavel Belov"), a Russian surname ("L.Kobzeva"), the gazetteer's."""
    places_and_orgs = [(m.start, m.end) for m in model if m.kind != "person"]
    return [
        m for m in rules
        if "\n" not in m.surface
        and not (m.kind == "person" and any(_overruled(m, start, end, gazetteer) for start, end in places_and_orgs))
    ]


def _overruled(person: Mention, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """Is the rule's person the model's place or organisation (``start``, ``end``)?  Yes, unless the rule knows
    the person and the model read it whole, or swallowed the words before it into its name ("Economic
    Development of Russia O. Fomichev": an organisation's name does not end in a person's)."""
    if not (start < person.end and person.start < end):
        return False
    if (start, end) != (person.start, person.end) and not (start < person.start and end == person.end):
        return True
    words = person.name.split()
    known = (
        words[0] in gazetteer.given_names
        or RUSSIAN_SURNAME.search(words[-1]) is not None
        or gazetteer.link("person", person.name) is not None
    )
    return not known


def _checked_by_gazetteer(model: list[Mention], known: list[Mention], text: str = "") -> list[Mention]:
    """The model's mentions, less those that run across a known name or swallow one of another kind
    ("Tomsk State University Eduard Galazhinsky", "Tomsk Ivan Klein"), join two known names ("Tomsk
    State University and Tomsk Polytechnic University") or run on from one into lowercase words
    ("Tomsk Polytechnic University on Monday").  A known place may be part of an organisation's name
    ("Parliament of India")."""
    def wrong(mention: Mention) -> bool:
        inside_names = []
        for entry in known:
            if entry.start < mention.end and mention.start < entry.end:
                inside = mention.start <= entry.start and entry.end <= mention.end
                covered = entry.start <= mention.start and mention.end <= entry.end
                if not (inside or covered):
                    return True
                if inside and entry.kind != mention.kind:
                    if not _place_in_name(text, mention, entry):
                        return True
                elif inside:
                    inside_names.append(entry)
        if len(inside_names) > 1:
            return True
        return any(_runs_on(text, mention, entry) for entry in inside_names)

    return [mention for mention in model if not wrong(mention)]


def _place_in_name(text: str, mention: Mention, entry: Mention) -> bool:
    """A known place inside the model's organisation or person is part of its name.

    In an organisation ("Parliament of India", "Japan Innovation Party", "United Russia", "All India Radio"):
    the rest is capitalised words and the connectors of a name, and the place follows them, or follows "of",
    or the name ends in an organisation's noun ("Krasnoyarsk Economic Forum" is an event: its place stays the
    place).  In a person, a surname that is a place's name ("Jack London"): the place ends the name, after
    one or two capitalised words ("Tomsk Ivan Klein" is a place and a person)."""
    if not text or entry.kind != "place" or mention.kind not in ("org", "person"):
        return False
    before, after = text[mention.start : entry.start].split(), text[entry.end : mention.end].split()
    if not before and not after or not all(w[:1].isupper() or w in ORG_NAME_CONNECTORS for w in before + after):
        return False
    if mention.kind == "person":
        return not after and len(before) <= 2 and all(w[:1].isupper() for w in before)
    return bool(before) or after[-1] in ORG_NAME_ENDS


def _runs_on(text: str, mention: Mention, entry: Mention) -> bool:
    """The model's span goes on past a known name into lowercase words, before or after it."""
    after = text[entry.end : mention.end].split()
    before = text[mention.start : entry.start].split()
    return bool(after and after[0][:1].islower()) or bool(before and before[-1][:1].islower())


def _gazetteer_mentions(text: str, gazetteer: Gazetteer, language: str) -> list[Mention]:
    """Aliases written in the text; a Russian text names them with the Russian alias it matched."""
    return [
        Mention(entry.kind, _in_script(entry, alias, language), text[start:end], start, end)
        for entry, alias, start, end in gazetteer.scan_aliases(text)
    ]


def _in_script(entry: Entry, alias: str, language: str) -> str:
    return alias if language == "ru" and CYRILLIC.search(alias) else entry.name


def _kind_from_context(text: str, known: list[Mention], found: list[list[Mention]]) -> list[Mention]:
    """Where the gazetteer and the recogniser name one span as different kinds, the context decides.

    A place name in quotes or after an organisation's generic noun ("телеканал
    «Россия»", "Skolkovo Foundation"'s «Сколково» after "фонд") is the
    organisation the recogniser saw; anywhere else the gazetteer's kind stands.
    """
    other_kind = {(m.start, m.end): m.kind for group in found for m in group}
    kept = []
    for mention in known:
        seen = other_kind.get((mention.start, mention.end))
        if seen is not None and seen != mention.kind and seen == "org" and _org_context(text, mention.start, mention.end):
            continue
        kept.append(mention)
    return kept


def _org_context(text: str, start: int, end: int) -> bool:
    quoted = text[start - 1 : start] in OPENING_QUOTES or text[end : end + 1] in CLOSING_QUOTES
    return quoted or ORG_NOUN_BEFORE.search(text[max(0, start - ORG_CONTEXT) : start]) is not None


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
    """Later uses of an abbreviation defined right after an organisation's name (not a place in brackets)."""
    found: list[Mention] = []
    places = {(m.start, m.end) for m in mentions if m.kind == "place"}
    for mention in mentions:
        match = DEFINITION.match(text, mention.end) if mention.kind == "org" else None
        if match is None or not match.group(1)[:1].isupper() or sum(c.isupper() for c in match.group(1)) < 2:
            continue
        if (match.start(1), match.end(1)) in places:
            continue  # "Profile Records (US)": the country it is in, not its abbreviation
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


def _link(mention: Mention, gazetteer: Gazetteer, language: str) -> Mention:
    """The gazetteer's name for a known entity of the same kind (a Russian text keeps its own words)."""
    if mention.kind == "person" and mention.last is None:
        # English surfaces are already nominative; a declined Russian one is not.
        spelled = mention.surface if LATIN_NAME.match(mention.surface) else mention.name
        mention = replace(mention, **split_name(" ".join(spelled.split()))._asdict())
    entry = gazetteer.link(mention.kind, mention.name)
    if entry is None or entry.kind != mention.kind or language == "ru":
        return replace(mention, name=GLUED_INITIAL.sub(r"\1. ", mention.name))
    return replace(mention, name=entry.name)


def _link_within(mentions: list[Mention], gazetteer: Gazetteer, language: str) -> list[Mention]:
    """One canonical name per entity of the article (initials, spellings, scripts).

    An English text takes the gazetteer's names; a Russian one names each entity
    with its fullest Russian name in the text, so every name is made of the
    text's own words (the archive links it to the gazetteer's entity later).
    """
    canonical = link_names(((m.kind, m.name) for m in mentions), gazetteer)
    if language == "ru":
        canonical = _in_text_names(mentions, canonical)
    return [replace(m, name=canonical[(m.kind, m.name)]) for m in mentions]


def _in_text_names(mentions: list[Mention], canonical: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    clusters: dict[tuple[str, str], list[Mention]] = {}
    for mention in mentions:
        clusters.setdefault((mention.kind, canonical[(mention.kind, mention.name)]), []).append(mention)
    names = {}
    for members in clusters.values():
        counts = Counter(m.name for m in members)
        own = [m.name for m in members if CYRILLIC.search(m.name)] or [m.name for m in members]
        best = min(dict.fromkeys(own), key=lambda name: (_initials_only(name), -len(name.split()), -counts[name]))
        names.update({(m.kind, m.name): best for m in members})
    return names


def _initials_only(name: str) -> bool:
    first = split_name(name).first
    return first is None or is_initial(first)
