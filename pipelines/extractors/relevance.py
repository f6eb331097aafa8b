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
"elsewhere: Novosibirsk".  ``looks_like_listing`` tells pages that list other
articles from articles: the source's URL rules say so first, the page's shape
second.
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

# Page shape: an article has a few long paragraphs and few links.
LONG_PARAGRAPH = 300
SHORT_PARAGRAPH = 150
ARTICLE_MAX_LINK_DENSITY = 0.3
LISTING_MIN_LINK_DENSITY = 0.5
LISTING_MIN_SHORT_SHARE = 0.6


@dataclass
class Relevance:
    """How strongly a page is about the programme, and which terms said so."""

    score: float
    terms: list[str]


@dataclass(frozen=True)
class Term:
    """One term of a group, with the pattern matching all its forms."""

    label: str
    group: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Model:
    """The score's terms and the learned weights of its three counts."""

    terms: tuple[Term, ...]
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
    (True, ['INO Tomsk', 'Tomsk + cluster', 'Tomsk + technology park'])
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
    for term in model.terms:
        for match in term.pattern.finditer(full):
            found[term.group][term.label] += 1
            sentence = bisect.bisect_right(starts, match.start()) - 1
            by_sentence.setdefault(sentence, {}).setdefault(term.group, []).append(term.label)
    together: Counter = Counter()
    count = 0
    for groups in by_sentence.values():
        if "programme" in groups or ("tomsk" in groups and "innovation" in groups):
            count += 1
        if "tomsk" in groups and "innovation" in groups:
            together[f"{groups['tomsk'][0]} + {groups['innovation'][0]}"] += 1
    return Evidence(found["programme"], together, found["elsewhere"], count)


def looks_like_listing(text: str | None, link_density: float | None, url_kind: str | None) -> bool:
    """True for a page that lists articles rather than being one."""
    paragraphs = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not paragraphs:
        # No main text at all: a listing if the page is mostly links or the source says so.
        return url_kind == "listing" or (link_density or 0.0) >= LISTING_MIN_LINK_DENSITY
    if _clearly_article(paragraphs, link_density):
        return False
    if url_kind == "listing":
        return True
    return _listing_shape(paragraphs, link_density)


def _clearly_article(paragraphs: list[str], link_density: float | None) -> bool:
    long_ones = sum(len(p) >= LONG_PARAGRAPH for p in paragraphs)
    few_links = link_density is None or link_density < ARTICLE_MAX_LINK_DENSITY
    return long_ones >= 2 and few_links


def _listing_shape(paragraphs: list[str], link_density: float | None) -> bool:
    if link_density is None or link_density < LISTING_MIN_LINK_DENSITY or not paragraphs:
        return False
    short_share = sum(len(p) < SHORT_PARAGRAPH for p in paragraphs) / len(paragraphs)
    return short_share >= LISTING_MIN_SHORT_SHARE


@functools.cache
def load_model(path: Path | str | None = None) -> Model:
    """Read and compile the relevance terms and weights once per process (per path)."""
    with open(path or DEFAULT_PATH, "rb") as handle:
        data = tomllib.load(handle)
    terms = tuple(
        Term(entry["label"], entry["group"], _compile(entry["forms"]))
        for entry in data.get("term", [])
        if entry["group"] in GROUPS
    )
    weights = data["model"]
    logger.debug("%d relevance terms from %s", len(terms), path or DEFAULT_PATH)
    return Model(
        terms, float(weights["bias"]), float(weights["programme"]), float(weights["together"]),
        float(weights["elsewhere"]), int(weights["cap"]),
    )


def _compile(forms: list[str]) -> re.Pattern[str]:
    alternatives = sorted((_form_pattern(form) for form in forms), key=len, reverse=True)
    # Most positions of a text cannot start any form: one character test (the
    # forms' first letters, either case) rejects them before the alternation is tried.
    firsts = {c for form in forms for c in (form.strip()[:1].lower(), form.strip()[:1].upper())}
    guard = f"(?=[{''.join(re.escape(c) for c in sorted(firsts))}])" if all(c.isalnum() for c in firsts) else ""
    return re.compile(guard + r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


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
