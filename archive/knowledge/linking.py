"""Link names that refer to one real entity, within an article or across an archive.

``link_names`` takes (kind, name) pairs and returns each pair's canonical
name.  Evidence, strongest first:

* the gazetteer: an alias in any script, or the same transliteration key;
* people: the same given name and surname after transliteration
  ("Олег Фомичёв" = "Oleg Fomichyov"), and an initial with a surname linked
  to the one full name with that surname and initial sound
  ("A.Antonov" = "Andrey Antonov"; two candidates means no link);
* organisations and places: the same key once legal forms are dropped and
  "oblast" reads "region" ("Кемеровская область" = "Kemerovo region").

A surname alone is never linked here (``extract_entities`` links it only to a
full name in the same text).  A cluster's canonical name is the gazetteer's,
else its fullest name, Latin script first, then the most frequent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from archive.knowledge.name_keys import initial_key, translit_key
from archive.knowledge.person_names import is_initial, is_patronymic, split_name

if TYPE_CHECKING:
    from archive.knowledge.gazetteer import Gazetteer

Pair = tuple[str, str]
# Compared after folding ("LLC" -> "lc", "ООО" -> "o"), so folded here too.
LEGAL_FORMS = frozenset(translit_key("llc jsc ojsc cjsc pjsc ltd inc ооо оао зао пао ао нко").split())
REGION_ADJECTIVE = re.compile(r"\b(\w+?)(?:skaia|skoi|skii) (?:oblast|region)\b")
LATIN = re.compile(r"[A-Za-z]")


def person_key(name: str) -> tuple[str, str, str] | None:
    """("full" | "initial" | "surname", first-name key or initial sound, surname key).

    >>> person_key("Сергей Анатольевич Жвачкин")
    ('full', 'sergei', 'zhvachkin')
    >>> person_key("A.Antonov")
    ('initial', 'a', 'antonov')
    """
    first, middle, last = split_name(name)
    if not last:
        return None
    if middle and not first:
        first = middle
    last_key = translit_key(last)
    if first is None:
        return ("surname", "", last_key)
    if is_initial(first):
        return ("initial", initial_key(first), last_key)
    return ("full", translit_key(first), last_key)


def org_key(name: str) -> str:
    """Key of an organisation or place name.

    >>> org_key('LLC "Sibtech"') == org_key("Sibtech")
    True
    >>> org_key("Кемеровская область") == org_key("Kemerovo region") == "kemerovo region"
    True
    """
    words = [w for w in translit_key(name).split() if w not in LEGAL_FORMS]
    key = " ".join(words).replace("oblast", "region")
    return REGION_ADJECTIVE.sub(lambda m: f"{_region_stem(m.group(1))} region", key)


def _region_stem(stem: str) -> str:
    # "kemerov" + "skaia" -> "kemerovo"; "tom" + "skaia" -> "tomsk"
    return stem + "o" if stem.endswith(("ov", "ev")) else stem + "sk"


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # gazetteer nodes stay roots, so a cluster's root names its entry
            if root_b.startswith("gaz:"):
                root_a, root_b = root_b, root_a
            self.parent[root_b] = root_a


def link_names(
    pairs: Iterable[Pair], gazetteer: Gazetteer, weights: Mapping[Pair, int] | None = None
) -> dict[Pair, str]:
    """Canonical name for every (kind, name) in ``pairs``."""
    pairs = list(dict.fromkeys(pairs))
    union = _Union()
    union.parent = dict(_gazetteer_seeds(gazetteer))
    nodes: dict[Pair, str] = {}
    for kind, name in pairs:
        nodes[(kind, name)] = _node(union, gazetteer, kind, name)
    for pair, node in nodes.items():
        if node.startswith("initial:"):
            _link_initial(union, node, pair[0])
    return _canonical_names(union, nodes, weights or {})


def _gazetteer_seeds(gazetteer: Gazetteer) -> dict[str, str]:
    """The union-find forest of the gazetteer's keys, built once per gazetteer."""
    seeds = gazetteer.derived.get("link_seeds")
    if seeds is None:
        union = _Union()
        _seed_gazetteer(union, gazetteer)
        seeds = gazetteer.derived["link_seeds"] = {node: union.find(node) for node in union.parent}
    return seeds  # type: ignore[return-value]


def _seed_gazetteer(union: _Union, gazetteer: Gazetteer) -> None:
    for entry in gazetteer.entries:
        for alias in (entry.name, *entry.aliases):
            key = _key(entry.kind, alias)
            if key is not None and not key.startswith(("surname:", "initial:")):
                union.union(f"gaz:{entry.kind}:{entry.name}", key)


def _key(kind: str, name: str) -> str | None:
    if kind != "person":
        key = org_key(name)
        return f"{kind}:{key}" if key else None
    parsed = person_key(name)
    if parsed is None:
        return None
    form, first, last = parsed
    return f"{form}:{first} {last}" if form != "surname" else f"surname:{last}"


def _node(union: _Union, gazetteer: Gazetteer, kind: str, name: str) -> str:
    entry = gazetteer.link(kind, name)
    node = _key(kind, name) or f"raw:{kind}:{name}"
    if entry is not None and entry.kind == kind:
        union.union(f"gaz:{kind}:{entry.name}", node)
    else:
        union.find(node)
    return node


def _link_initial(union: _Union, node: str, kind: str) -> None:
    if kind != "person" or union.find(node).startswith("gaz:"):
        return
    initial, last = node.removeprefix("initial:").split(" ", 1)
    roots = {
        union.find(other)
        for other in list(union.parent)
        if other.startswith("full:") and other.endswith(f" {last}")
        and initial_key(other.removeprefix("full:").split(" ", 1)[0]) == initial
    }
    if len(roots) == 1:
        union.union(roots.pop(), node)


def _canonical_names(union: _Union, nodes: dict[Pair, str], weights: Mapping[Pair, int]) -> dict[Pair, str]:
    clusters: dict[str, list[Pair]] = defaultdict(list)
    for pair, node in nodes.items():
        clusters[union.find(node)].append(pair)
    result: dict[Pair, str] = {}
    for root, members in clusters.items():
        name = root.split(":", 2)[2] if root.startswith("gaz:") else _best_name(members, weights)
        result.update(dict.fromkeys(members, name))
    return result


def _best_name(members: list[Pair], weights: Mapping[Pair, int]) -> str:
    def rank(pair: Pair) -> tuple:
        kind, name = pair
        first, middle, _last = split_name(name) if kind == "person" else (None, None, None)
        full = kind != "person" or (first is not None and not is_initial(first))
        patronymic = bool(middle and is_patronymic(middle))
        return (not full, patronymic, not LATIN.search(name), -weights.get(pair, 1), name)

    return min(members, key=rank)[1]
