"""Decide whether a page is an article about INO Tomsk, and whether it is one at all.

``score_relevance`` sums the weights of the terms in
``pipelines/data/relevance.toml`` (format documented there) found in the title
and text.  ``looks_like_listing`` tells pages that list other articles from
articles: the source's URL rules say so first, the page's shape second.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "relevance.toml"
# A term repeated ten times is no ten times stronger evidence than three.
MAX_COUNTED = 3
TITLE_BONUS = 1

CYRILLIC_STEM = re.compile(r"^[а-яё]{4,}$", re.IGNORECASE)
WORD_SEPARATOR = r"[\s\-]+"

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
    """One weighted term with the pattern matching all its forms."""

    label: str
    weight: float
    pattern: re.Pattern[str]


def score_relevance(title: str | None, text: str | None) -> Relevance:
    """Score ``title`` and ``text`` against the relevance terms.

    >>> score_relevance("", "Кластеры ИНО Томска").terms
    ['INO Tomsk', 'cluster', 'Tomsk']
    """
    contributions = {}
    for term in load_terms():
        count = min(len(term.pattern.findall(text or "")), MAX_COUNTED)
        count += TITLE_BONUS if term.pattern.search(title or "") else 0
        if count:
            contributions[term.label] = term.weight * count
    ranked = sorted(contributions, key=contributions.get, reverse=True)
    return Relevance(round(sum(contributions.values()), 3), ranked)


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
def load_terms(path: Path | str | None = None) -> tuple[Term, ...]:
    """Read and compile the relevance terms once per process (per path)."""
    with open(path or DEFAULT_PATH, "rb") as handle:
        data = tomllib.load(handle)
    terms = tuple(
        Term(entry["label"], float(entry["weight"]), _compile(entry["forms"]))
        for entry in data.get("term", [])
    )
    logger.debug("%d relevance terms from %s", len(terms), path or DEFAULT_PATH)
    return terms


def _compile(forms: list[str]) -> re.Pattern[str]:
    alternatives = sorted((_form_pattern(form) for form in forms), key=len, reverse=True)
    # Most positions of a text cannot start any form: one character test (the
    # forms' first letters) rejects them before the alternation is tried.
    firsts = {form.strip()[:1] for form in forms}
    guard = f"(?=[{''.join(re.escape(c) for c in sorted(firsts))}])" if all(c.isalnum() for c in firsts) else ""
    return re.compile(guard + r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def _form_pattern(form: str) -> str:
    """``"медицинск техник"`` -> stems; ``"cluster"`` -> cluster(s|es); ``x*`` -> prefix."""
    return WORD_SEPARATOR.join(_word_pattern(word) for word in re.split(WORD_SEPARATOR, form.strip()))


def _word_pattern(word: str) -> str:
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\w*"
    if CYRILLIC_STEM.match(word):
        return re.escape(word) + r"\w*"
    if word.isascii() and word.isalpha():
        return re.escape(word) + r"(?:s|es)?"
    return re.escape(word)
