"""Rule- and lexicon-based named entities for English text.

English articles about INO Tomsk name Russian officials in a few fixed shapes:
an initial and a surname ("A.Antonov", "O. Fomichev"), a Russian given name in
Latin script and a surname ("Evgeniya Shamis"), or a title right before a
name ("Governor Zhvachkin").  Organisations end in a head noun ("… University",
"Government of …") or carry a legal form (LLC, JSC).  Places come from the
gazetteer plus the "X region/oblast" pattern.  Every finder returns plain
``Mention`` objects; overlaps are settled by ``pipelines.extractors.entities``.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import TYPE_CHECKING

from scraper.items import Mention

if TYPE_CHECKING:
    from collections.abc import Iterator

    from archive.knowledge import Gazetteer

NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
CAP = r"[A-Z][\w&'’-]+"
INITIALS_NAME = re.compile(rf"(?<![\w.])((?:[A-Z]\.\s?){{1,2}})({NAME})(?![\w-])")
PATRONYMIC = r"[A-Z][a-z]+(?:ovich|evich|ich|ovna|evna|ichna)"
TITLE_NAME = re.compile(rf"\b(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+({NAME}(?:\s+{NAME})?)\b")

# Titles and offices written before a name, longest first so "Deputy Minister"
# wins over "Minister".
ROLE_WORDS = (
    "Deputy Chairman", "Deputy Prime Minister", "Deputy Minister", "Deputy Governor",
    "Deputy Head", "Deputy Director", "State Secretary", "State secretary", "Vice-Governor",
    "Vice-Rector", "Vice-rector", "Vice Governor", "Prime Minister", "Governor", "Minister",
    "Chairman", "President", "Rector", "rector", "Director General", "General Director",
    "CEO", "Director", "director", "Head", "head", "Mayor", "mayor", "Professor",
    "professor", "Ambassador", "Senator", "Chancellor", "Dean", "dean", "founder",
    "Founder", "manager", "Manager", "moderator", "coordinator",
)
ROLE = r"(?:" + "|".join(re.escape(role) for role in ROLE_WORDS) + r")"
ROLE_NAME = re.compile(rf"\b{ROLE}\s+({NAME}(?:\s+{NAME})?)\b")
# The office ending right before a mention: "Governor of the Tomsk region ".
ROLE_BEFORE = re.compile(
    rf"({ROLE}(?:\s+and\s+{ROLE})?(?:\s*,?\s+(?:of|for|at)\s+[^,.;:()\[\]–—\"“”]{{1,90}}?)?)\s*,?\s*$"
)
ROLE_WINDOW = 140
# An office written after a name: "Ivan Petrov, director of LLC "Sibtech", said".
ROLE_AFTER = re.compile(
    rf"\s*,\s+(?:the\s+|a\s+)?((?i:{ROLE})(?:\s+(?:of|for|at)\s+[^,.;:()\[\]–—\n]{{1,90}}?)?)\s*(?=[,.;:)]|$)"
)

ORG_HEADS = (
    "University", "Institute", "Agency", "Center", "Centre", "Corporation", "Administration",
    "Ministry", "Government", "Foundation", "Fund", "Academy", "Council", "Committee",
    "Chamber", "Association", "Union", "Company", "Bank", "Duma", "Hospital", "Laboratory",
    "College", "Department", "Technopark", "Incubator", "Holding", "Consortium",
)
# Days and months follow "on"/"of" as dates, not as an organisation's name ("University on Monday").
CALENDAR_WORDS = (
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July"
    "|August|September|October|November|December"
)
ORG = re.compile(
    rf"(?:{CAP}\s+){{0,4}}(?:{'|'.join(ORG_HEADS)})\b"
    rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?(?!(?:{CALENDAR_WORDS})\b){CAP}"
    rf"(?:\s+(?:of\s+(?:the\s+)?|and\s+|for\s+)?{CAP}){{0,6}}(?:\s+(?:region|oblast))?)?"
)
# "Deputy Minister of Economic Development of Russia" names its ministry; a "Prime Minister of India" heads a
# government, not a ministry.
MINISTER_OF = re.compile(
    rf"(?<!Prime )(?<!First )\bMinister\s+(of\s+{CAP}(?:\s+(?:of\s+(?:the\s+)?|and\s+)?{CAP}){{0,6}})"
)
# A legal form is a whole word ("Inc", never the start of "Inception").
LEGAL_FORM = r"(?:LLC|JSC|OJSC|CJSC|PJSC|Ltd|Inc)\b\.?"
# A quoted name neither starts nor ends with a space: between a closing and the next opening straight quote
# (' " and 2nd half of " ') stands text, not a name.
QUOTED = r"[\"“«]([^\s\"”»][^\"”»\n]{0,58}[^\s\"”»])[\"”»]"
COMPANY = re.compile(rf"\b(?:{LEGAL_FORM}|company|holding)\s+{QUOTED}|{QUOTED},?\s+{LEGAL_FORM}")
REGION = re.compile(rf"\b((?:{CAP}\s+)?{CAP})\s+(?:region|oblast|Region|Oblast|krai|Krai)\b")
REPUBLIC = re.compile(rf"\bRepublic\s+of\s+{CAP}")

# The "and" between two names.
AND = re.compile(r"\s+and\s+")
# "Tomsk-based", "British-born": an adjective before a name, not part of it.
HYPHENATED_ADJECTIVE = re.compile(r"\w-[a-z]")
# Capitalised words that start sentences rather than names.
LEADING_WORDS = frozenset(
    """The A An In On At By For From With During This That These Those And But As Both Its
    Their Our His Her Under Over After Before Since Today Yesterday Now Also More Most
    When While Where Why How What Which Although Though If Then Thus So Such""".split()
)
# Verbs a headline in title case writes after a name ("Governor Zhvachkin Meets Students"): never a surname.
# Past forms that are also names are not here ("Won", "Met Office", "A Tribe Called Quest").
HEADLINE_VERBS = (
    "Says", "Tells", "Meets", "Visits", "Opens", "Calls", "Announces", "Signs", "Launches", "Wins", "Joins",
    "Receives", "Discusses", "Becomes", "Resigns", "Urges", "Warns", "Explains", "Speaks", "Talks", "Takes", "Gets",
    "Named", "Appointed", "Elected",
)
# Capitalised words that are never a surname after an initial or given name.
NOT_SURNAMES = LEADING_WORDS | frozenset(
    """Road Map Army Government University Ministry Region Oblast Federation Republic
    Center Centre Institute Agency Council Committee General State Federal National
    Tomsk Russia Russian Siberian Project Programme Program News Read Empire
    Catholic Catholics Catholicism Orthodox Protestant Emperor Emperors Empress Church Cathedral
    Mr Mrs Ms Dr Prof Sc Writer Editor Producer Officer Engineer Designer Developer Marketing Sales Operations
    Communications Finance Strategy""".split()
) | frozenset(HEADLINE_VERBS)


def find_english(text: str, gazetteer: Gazetteer) -> list[list[Mention]]:
    """Candidate mentions in ``text``, grouped by finder, most trusted group first."""
    return [
        list(_people(text, gazetteer)),
        list(_organisations(text, gazetteer.given_names)),
        list(_places(text)),
    ]


def _people(text: str, gazetteer: Gazetteer) -> Iterator[Mention]:
    for match in INITIALS_NAME.finditer(text):
        if match.group(2) not in NOT_SURNAMES:
            name = f"{' '.join(match.group(1).replace('.', '. ').split())} {match.group(2)}"
            yield _person(text, match.start(), match.end(), name)
    for match in _given_name_pattern(gazetteer.given_names).finditer(text):
        if match.group("surname") not in NOT_SURNAMES:
            yield _person(text, match.start(), match.end(), " ".join(match.group().split()))
    for pattern in (TITLE_NAME, ROLE_NAME):
        for match in pattern.finditer(text):
            # the name ends before a word that is never one ("Minister Mishustin Visits Tomsk")
            words = list(re.finditer(r"\S+", match.group(1)))
            kept = list(itertools.takewhile(lambda word: word.group() not in NOT_SURNAMES, words))
            if kept:
                end = match.start(1) + kept[-1].end()
                yield _person(text, match.start(1), end, text[match.start(1) : end])


@functools.cache
def _given_name_pattern(given_names: frozenset[str]) -> re.Pattern[str]:
    names = "|".join(sorted(given_names, key=len, reverse=True)) or r"(?!x)x"
    return re.compile(
        rf"\b(?:{names})(?:\s+{PATRONYMIC})?\s+(?P<surname>{NAME})(?![\w-])"
    )


def _person(text: str, start: int, end: int, name: str) -> Mention:
    role = _role_before(text, start) or _role_after(text, end)
    return Mention("person", name, text[start:end], start, end, role=role)


def _role_before(text: str, start: int) -> str | None:
    window = text[max(0, start - ROLE_WINDOW) : start]
    match = ROLE_BEFORE.search(window)
    return " ".join(match.group(1).split()) if match else None


def _role_after(text: str, end: int) -> str | None:
    match = ROLE_AFTER.match(text, end)
    return " ".join(match.group(1).split()) if match else None


def _organisations(text: str, given_names: frozenset[str]) -> Iterator[Mention]:
    for match in ORG.finditer(text):
        end = _org_end(text, match.start(), match.end(), given_names)
        if (trimmed := _trim_leading_stopwords(text, match.start(), end)) is not None:
            yield Mention("org", text[trimmed:end], text[trimmed:end], trimmed, end)
    for match in MINISTER_OF.finditer(text):
        end = _org_end(text, match.start(), match.end(), given_names)
        name = text[match.start(1) : end]
        yield Mention("org", f"Ministry {name}", text[match.start() : end], match.start(), end)
    for match in COMPANY.finditer(text):
        yield Mention("org", _straight_quotes(match.group()), match.group(), match.start(), match.end())


def _org_end(text: str, start: int, end: int, given_names: frozenset[str]) -> int:
    """Stop an organisation before a person's given name ("… Federation Arkady Dvorkovich")
    and before "and" that starts a second organisation ("… Building and Tomsk State … University")."""
    for word in re.finditer(r"\S+", text[start:end]):
        if word.group() in given_names:
            return start + len(text[start : start + word.start()].rstrip())
    joined = AND.search(text[start:end])
    if joined and re.search(rf"\b(?:{'|'.join(ORG_HEADS)})\b", text[start + joined.end() : end]):
        return start + joined.start()
    return end


def _trim_leading_stopwords(text: str, start: int, end: int) -> int | None:
    """Start after the words before the head noun that are no part of a name: sentence-initial words ("The",
    "During"), wherever they stand there ("Expenses The Company"), and hyphenated adjectives ("Tomsk-based",
    "British-born"); ``None`` if only a head noun is left."""
    words = list(re.finditer(r"\S+", text[start:end]))
    head = next((i for i, word in enumerate(words) if word.group() in ORG_HEADS), len(words))
    cut = max((i + 1 for i, word in enumerate(words[:head]) if _not_in_names(word.group())), default=0)
    words = words[cut:]
    if len(words) < 2:
        return None
    return start + words[0].start()


def _not_in_names(word: str) -> bool:
    return word in LEADING_WORDS or HYPHENATED_ADJECTIVE.search(word) is not None


def _straight_quotes(surface: str) -> str:
    return re.sub(r"[“”«»]", '"', surface)


def _places(text: str) -> Iterator[Mention]:
    for match in REGION.finditer(text):
        start = _trim_leading_stopwords(text, match.start(), match.end())
        if start is not None:
            yield Mention("place", text[start : match.end()], text[start : match.end()], start, match.end())
    for match in REPUBLIC.finditer(text):
        yield Mention("place", match.group(), match.group(), match.start(), match.end())
