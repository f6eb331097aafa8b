"""Snippets: a window of the original text with the matched words marked.

Matching is by stem, like the search itself, so "кластерами" marks
"кластеров" too.  Snippets are cut in Python from the stored text, which
gives the same snippet on every database backend.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from archive.textsearch import fold, word_spans
from archive.textsearch_query import Term, prefix_forms

SNIPPET_WIDTH = 200
_SPACES = re.compile(r"\s+")


def word_matcher(terms: Iterable[Term]) -> Callable[[str, str], bool]:
    """A test ``(word, its stem) -> bool`` for the words ``terms`` match."""
    stems: set[str] = set()
    prefixes: list[str] = []
    for term in terms:
        if term.prefix:
            prefixes.extend(prefix_forms(term))
        else:
            stems.update(term.stems)

    def matches(word: str, word_stem: str) -> bool:
        if word_stem in stems:
            return True
        folded = fold(word)
        return any(folded.startswith(p) or word_stem.startswith(p) for p in prefixes)

    return matches


def make_snippet(
    text: str | None,
    terms: Iterable[Term],
    width: int = SNIPPET_WIDTH,
    marks: tuple[str, str] = ("[", "]"),
) -> str:
    """About ``width`` characters around the first match, matches marked.

    >>> from archive.textsearch_query import parse_query
    >>> make_snippet("Вступление. В Томске открыли кластеры.", parse_query("кластерами").positive_terms)
    'Вступление. В Томске открыли [кластеры].'
    """
    flat = _SPACES.sub(" ", text or "").strip()
    matches = word_matcher(terms)
    spans = [(s, e) for s, e, word_stem in word_spans(flat) if matches(flat[s:e], word_stem)]
    start = _window_start(flat, spans[0][0] if spans else 0, width)
    end = min(len(flat), start + width)
    if end < len(flat):  # end on a word boundary
        space = flat.rfind(" ", start, end)
        end = space if space > start else end
    pieces, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        pieces += [flat[cursor:s], marks[0], flat[s:e], marks[1]]
        cursor = e
    pieces.append(flat[cursor:end])
    return ("…" if start > 0 else "") + "".join(pieces) + ("…" if end < len(flat) else "")


def _window_start(flat: str, first_match: int, width: int) -> int:
    """Start a third of the width before the match, on a word boundary."""
    start = max(0, first_match - width // 3)
    if start == 0:
        return 0
    space = flat.find(" ", start, first_match)
    return space + 1 if space >= 0 else start

