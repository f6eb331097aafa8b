"""The factRuEval-2016 development set (Russian news, MIT) read for document-level scoring.

Read straight from the archive in ``../shared/ner/factrueval-dev`` (format in
its README): per text, the entities of the ``.coref`` layer (objects outside any
record are entities of their own), each with the character ranges of its
mentions' name parts.  A mention's range covers its name spans only
(``name``, ``surname``, ``org_name``, ``loc_name`` …), not the job or descriptor
("посол", "компания"); a mention that is only an adjective ("российский",
``geo_adj``) or only a descriptor is not a name and is left out.

Kinds: Person → person, Org → org, Location → place, LocOrg (a place acting as
an actor, "Россия заявила") → place or org, both accepted.

Document-level score, per kind, per text: a gold entity is found when a system
mention of a compatible kind overlaps one of its mentions (recall = found /
gold entities); the system's entities are its mentions grouped by name, and
precision = found / (found + system entities that overlap no gold entity of
their kind).  Found entities are counted once however many names the system
gave them, so a system is not rewarded for splitting one person into
"Путин", "Путина" and "Владимир Путин", nor penalised for joining them.
"""

from __future__ import annotations

import random
import re
import tarfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ARCHIVE = "factrueval-2016-devset.tar.gz"
NAME_SPANS = frozenset({"name", "surname", "patronymic", "nickname", "org_name", "loc_name", "prj_name"})
KINDS = {"Person": ("person",), "Org": ("org",), "Location": ("place",), "LocOrg": ("place", "org")}
ROW = {"person": "person", "org": "org", "place": "place"}
BOOK = re.compile(r"devset/(book_\d+)\.(\w+)$")
# The texts are split in two by a seeded draw: rules are tuned on "dev", "test" is for reporting.
SPLIT_SEED = 14


@dataclass(frozen=True)
class GoldEntity:
    kinds: frozenset[str]  # compatible system kinds
    row: str  # the kind it is counted under
    ranges: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Text:
    name: str
    text: str
    entities: tuple[GoldEntity, ...]


def read_texts(folder: Path) -> list[Text]:
    """Every text of the development set with its gold entities, by file name."""
    files: dict[str, dict[str, str]] = defaultdict(dict)
    with tarfile.open(folder / ARCHIVE) as archive:
        for member in archive.getmembers():
            match = BOOK.search(member.name)
            if match and member.isfile():
                files[match.group(1)][match.group(2)] = archive.extractfile(member).read().decode("utf-8")
    return [_text(name, parts) for name, parts in sorted(files.items(), key=lambda kv: int(kv[0][5:]))]


def parts(texts: list[Text]) -> dict[str, list[Text]]:
    """The texts in two halves, "dev" and "test", drawn with a fixed seed from their sorted names."""
    names = sorted(text.name for text in texts)
    random.Random(SPLIT_SEED).shuffle(names)
    test = set(names[: len(names) // 2])
    return {
        "dev": [text for text in texts if text.name not in test],
        "test": [text for text in texts if text.name in test],
    }


def read_plain_texts(folder: Path) -> list[tuple[str, str]]:
    """(file name, text) of every text, without annotations."""
    return [(text.name, text.text) for text in read_texts(folder)]


def _text(name: str, parts: dict[str, str]) -> Text:
    spans = {}
    for line in parts.get("spans", "").splitlines():
        fields = line.split("#")[0].split()
        if len(fields) >= 4:
            spans[fields[0]] = (fields[1], int(fields[2]), int(fields[2]) + int(fields[3]))
    objects = {}
    for line in parts.get("objects", "").splitlines():
        fields = line.split("#")[0].split()
        if len(fields) >= 3 and fields[1] in KINDS:
            named = [spans[s] for s in fields[2:] if s in spans and spans[s][0] in NAME_SPANS]
            if named:
                objects[fields[0]] = (fields[1], (min(s[1] for s in named), max(s[2] for s in named)))
    entities, grouped = [], set()
    for record in parts.get("coref", "").split("\n\n"):
        lines = record.strip().splitlines()
        members = [m for m in (lines[0].split()[1:] if lines else []) if m in objects]
        if members:
            entities.append(_entity([objects[m] for m in members]))
            grouped.update(members)
    entities += [_entity([objects[m]]) for m in objects if m not in grouped]
    return Text(name, parts["txt"], tuple(entities))


def _entity(objects: list[tuple[str, tuple[int, int]]]) -> GoldEntity:
    types = [kind for kind, _ in objects]
    kinds = frozenset(k for kind in types for k in KINDS[kind])
    # An entity joining Location/LocOrg/Org mentions is counted as a place unless all are Org.
    row = "person" if "Person" in types else "org" if set(types) == {"Org"} else "place"
    return GoldEntity(kinds, row, tuple(sorted({r for _, r in objects})))


def score(texts: list[Text], found: list[list[tuple[str, str, int, int]]]) -> dict[str, Counter]:
    """tp/fp/fn per kind; ``found`` holds per text (kind, name, start, end) mentions."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for text, mentions in zip(texts, found, strict=True):
        for entity in text.entities:
            hit = any(kind in entity.kinds and _overlaps(start, end, entity.ranges) for kind, _, start, end in mentions)
            counts[entity.row]["tp" if hit else "fn"] += 1
        groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for kind, name, start, end in mentions:
            groups[(kind, name)].append((start, end))
        for (kind, _), ranges in groups.items():
            right = any(
                kind in entity.kinds and any(_overlaps(s, e, entity.ranges) for s, e in ranges)
                for entity in text.entities
            )
            if not right:
                counts[ROW[kind]]["fp"] += 1
    return counts


def _overlaps(start: int, end: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(start < r_end and r_start < end for r_start, r_end in ranges)


def prf(c: Counter) -> tuple[float, float, float]:
    """Precision, recall and F1 of the document-level counts."""
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
