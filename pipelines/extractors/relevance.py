"""Decide whether a page is an article about INO Tomsk, and whether it is one at all.

``score_relevance`` reads the terms of ``pipelines/data/relevance.toml``
(format documented there) in the title and text, in four groups: the
programme and its clusters ("INO Tomsk"), the Tomsk world (the city and
region, its universities, its special economic zone, its technology
companies), innovation (innovation, technology, startup, cluster, technopark,
R&D …) and innovation places elsewhere (Novosibirsk's Akademgorodok,
Skolkovo, Tobolsk …).  A page is about INO Tomsk when its sentences name the
Tomsk world and innovation together, or name the programme; Tomsk news
without innovation (the weather, a theatre fire) and innovation news from
elsewhere (a cluster in Tobolsk) are not.  The score is ``1 +`` the log-odds
of a logistic model over three counts (programme mentions, sentences naming
Tomsk and innovation together, places elsewhere), learned on the development
part of the labelled set ``benchmarks/data/relevance`` by
``training/train_relevance.py``; so a score of 1.0 (the default
``RELEVANCE_THRESHOLD``) is even odds, 2.0 about three to one.  The terms
behind the score say why: "INO Tomsk", "Tomsk + special economic zone",
"elsewhere: Novosibirsk".  Whether a page is an article at all is decided
before, by ``pipelines.extractors.pagekind``.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "relevance.toml"
GROUPS = ("programme", "tomsk", "innovation", "elsewhere")

CYRILLIC_STEM = re.compile(r"^[а-яё]{4,}$", re.IGNORECASE)
ACRONYM = re.compile(r"^[A-ZА-ЯЁ&]{2,6}$")
WORD_SEPARATOR = r"[\s\-]+"
# Sentences end at . ! ? … followed by space, and at line breaks.
SENTENCE_END = re.compile(r"[.!?…]+[\s\"»”)]+|\n+")


@dataclass
class Relevance:
    """How strongly a page is about the programme, and which terms said so."""

    score: float
    terms: list[str]


@dataclass(frozen=True)
class Term:
    """One term: its label and group."""

    label: str
    group: str


@dataclass(frozen=True)
class Model:
    """The score's terms (one pattern for all, a named group per form) and the learned weights of its three counts."""

    pattern: re.Pattern[str]
    terms: dict[str, Term]  # regex group name -> term
    bias: float
    programme: float
    together: float
    elsewhere: float
    cap: int


@dataclass(frozen=True)
class Evidence:
    """What a page says: the counts the score weighs, and the terms behind each."""

    programme: Counter
    together: Counter  # "Tomsk label + innovation label" per sentence naming both
    elsewhere: Counter
    sentences_together: int


def score_relevance(title: str | None, text: str | None) -> Relevance:
    """Score ``title`` and ``text``; the terms are the reasons, strongest first.

    >>> found = score_relevance("", "Кластеры ИНО Томска развиваются. В Томске открылся технопарк.")
    >>> found.score > 1.0, found.terms
    (True, ['INO Tomsk', 'Tomsk + technology park'])
    >>> score_relevance("Погода", "В Томске завтра дождь.").score < 1.0
    True
    """
    model = load_model()
    evidence = find_evidence(title, text, model)
    counts = relevance_features(evidence, model.cap)
    score = 1.0 + model.bias + model.programme * counts[0] + model.together * counts[1] + model.elsewhere * counts[2]
    reasons = [label for label, _ in evidence.programme.most_common()]
    reasons += [pair for pair, _ in evidence.together.most_common()]
    reasons += [f"elsewhere: {label}" for label, _ in evidence.elsewhere.most_common()]
    return Relevance(round(score, 3), reasons)


def names_tomsk_world(title: str | None, text: str | None) -> bool:
    """True when ``title`` or ``text`` names the programme or the Tomsk world at all (one read, stops early).

    >>> names_tomsk_world("", "Researchers at TUSUR built a radar."), names_tomsk_world("", "It rained in Paris.")
    (True, False)
    """
    model = load_model()
    return any(model.terms[name].group in ("programme", "tomsk") for name, _ in term_matches(model.pattern, title, text))


def relevance_features(evidence: Evidence, cap: int) -> tuple[int, int, int]:
    """(programme mentions, sentences naming Tomsk and innovation or the programme, places elsewhere), capped."""
    return (
        min(sum(evidence.programme.values()), cap),
        min(evidence.sentences_together, cap),
        min(sum(evidence.elsewhere.values()), cap),
    )


def find_evidence(title: str | None, text: str | None, model: Model) -> Evidence:
    """The terms of ``title`` and ``text``, and which sentences name the Tomsk world and innovation together."""
    full = f"{title or ''}\n{text or ''}"
    starts = [0] + [match.end() for match in SENTENCE_END.finditer(full)]
    by_sentence: dict[int, dict[str, list[str]]] = {}
    found: dict[str, Counter] = {group: Counter() for group in GROUPS}
    for name, start in term_matches(model.pattern, title, text):
        term = model.terms[name]
        found[term.group][term.label] += 1
        sentence = bisect.bisect_right(starts, start) - 1
        by_sentence.setdefault(sentence, {}).setdefault(term.group, []).append(term.label)
    together: Counter = Counter()
    count = 0
    for groups in by_sentence.values():
        if "programme" in groups or ("tomsk" in groups and "innovation" in groups):
            count += 1
        if "tomsk" in groups and "innovation" in groups:
            together[f"{groups['tomsk'][0]} + {groups['innovation'][0]}"] += 1
    return Evidence(found["programme"], together, found["elsewhere"], count)


@functools.lru_cache(maxsize=4)
def term_matches(pattern: re.Pattern[str], title: str | None, text: str | None) -> tuple[tuple[str, int], ...]:
    """Every term of ``title`` and ``text`` (its group's name and start), read once for the page's two stages:
    the entity stage asks whether the page names the Tomsk world, the relevance stage scores it."""
    return tuple((match.lastgroup, match.start()) for match in pattern.finditer(f"{title or ''}\n{text or ''}"))


@functools.cache
def load_model(path: Path | str | None = None) -> Model:
    """Read and compile the relevance terms and weights once per process (per path)."""
    with open(path or DEFAULT_PATH, "rb") as handle:
        data = tomllib.load(handle)
    terms: dict[str, Term] = {}
    forms: list[tuple[str, str]] = []
    for entry in data.get("term", []):
        if entry["group"] not in GROUPS:
            raise ValueError(f"relevance term {entry['label']!r}: group must be one of {GROUPS}")
        for form in entry["forms"]:
            name = f"t{len(terms)}"
            terms[name] = Term(entry["label"], entry["group"])
            forms.append((name, form))
    weights = data["model"]
    logger.debug("%d relevance terms from %s", len(terms), path or DEFAULT_PATH)
    return Model(
        _compile(forms), terms, float(weights["bias"]), float(weights["programme"]), float(weights["together"]),
        float(weights["elsewhere"]), int(weights["cap"]),
    )


def _compile(forms: list[tuple[str, str]]) -> re.Pattern[str]:
    """One pattern for every form, each in a named group, so a text is read once.

    The forms are grouped by the letter they start with, longest first within a
    letter: a position tries only the forms that can start there (a lookahead per
    letter), and the word boundary is checked before any form is tried.
    """
    buckets: dict[str, list[tuple[str, str]]] = {}
    for name, form in forms:
        buckets.setdefault(form.strip()[:1].lower(), []).append((name, _form_pattern(form)))
    branches = []
    for letter, alternatives in sorted(buckets.items()):
        alternatives.sort(key=lambda a: len(a[1]), reverse=True)
        body = "|".join(f"(?P<{name}>{pattern})" for name, pattern in alternatives)
        branches.append(f"(?=[{re.escape(letter)}{re.escape(letter.upper())}])(?:{body})")
    firsts = "".join(re.escape(c) for letter in sorted(buckets) for c in {letter, letter.upper()})
    return re.compile(f"(?=[{firsts}])(?<!\\w)(?:{'|'.join(branches)})(?!\\w)", re.IGNORECASE)


def _form_pattern(form: str) -> str:
    """``"медицинск техник"`` -> stems; ``"cluster"`` -> cluster(s|es); ``x*`` -> prefix; ``ОЭЗ`` -> capitals only."""
    return WORD_SEPARATOR.join(_word_pattern(word) for word in re.split(WORD_SEPARATOR, form.strip()))


def _word_pattern(word: str) -> str:
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\w*"
    if ACRONYM.match(word):
        return f"(?-i:{re.escape(word)})"  # "IT" is not "it", "ОЭЗ" not "оэз"
    if CYRILLIC_STEM.match(word):
        return re.escape(word) + r"\w*"
    if word.isascii() and word.isalpha():
        return re.escape(word) + r"(?:s|es)?"
    return re.escape(word)
