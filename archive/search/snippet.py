"""Snippets: a window of the original text with the matched words marked.

Matching is by stem, like the search itself, so "кластерами" marks
"кластеров" too.  Snippets are cut in Python from the stored text, which
gives the same snippet on every database backend.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable

from archive.knowledge import WORD_PATTERN, fold, stem
from archive.search.syntax import Term, prefix_forms

SNIPPET_WIDTH = 200
_SPACES = re.compile(r"\s+")


def word_matcher(terms: Iterable[Term]) -> Callable[[str], bool]:
    """A test ``word -> bool`` for the words ``terms`` match (by stem, or by prefix)."""
    stems: set[str] = set()
    prefixes: list[str] = []
    for term in terms:
        if term.prefix:
            prefixes.extend(prefix_forms(term))
        else:
            stems.update(term.stems)
    seen: dict[str, bool] = {}  # words repeat: each is stemmed and tested once per matcher

    def matches(word: str) -> bool:
        found = seen.get(word)
        if found is None:
            word_stem = stem(word)
            folded = fold(word)
            found = word_stem in stems or any(folded.startswith(p) or word_stem.startswith(p) for p in prefixes)
            seen[word] = found
        return found

    return matches


def make_snippet(
    text: str | None,
    terms: Iterable[Term],
    width: int = SNIPPET_WIDTH,
    marks: tuple[str, str] = ("[", "]"),
) -> str:
    """About ``width`` characters around the first match, matches marked.

    >>> from archive.search.syntax import parse_query
    >>> make_snippet("Вступление. В Томске открыли кластеры.", parse_query("кластерами").positive_terms)
    'Вступление. В Томске открыли [кластеры].'
    """
    return snippet_maker(terms, width, marks)(text)


def snippet_maker(
    terms: Iterable[Term],
    width: int = SNIPPET_WIDTH,
    marks: tuple[str, str] = ("[", "]"),
) -> Callable[[str | None], str]:
    """``make_snippet`` for many texts (the hits of one page): each word is stemmed once for all.

    Words are read lazily: up to the first match, then to the end of the
    window, never the whole article (a snippet per hit was a fifth of a
    search's time when every word of every hit was scanned).
    """
    terms = list(terms)
    matches = word_matcher(terms)

    def window(flat: str) -> tuple[str, int]:
        """The snippet of a flattened text, and where its window ends in ``flat``."""
        spans = WORD_PATTERN.finditer(flat)
        before: list[tuple[int, int]] = []  # the words up to and including the first match
        first = 0
        for found in spans if terms else ():
            before.append(found.span())
            if matches(found.group()):
                first = found.start()
                break
        start = _window_start(flat, first, width)
        end = min(len(flat), start + width)
        if end < len(flat):  # end on a word boundary
            space = flat.rfind(" ", start, end)
            end = space if space > start else end
        pieces, cursor = [], start
        for s, e in itertools.chain(before, (found.span() for found in spans)):
            if e > end:
                break  # words come in order: the rest are past the window
            if s < start or not matches(flat[s:e]):
                continue
            pieces += [flat[cursor:s], marks[0], flat[s:e], marks[1]]
            cursor = e
        pieces.append(flat[cursor:end])
        return ("…" if start > 0 else "") + "".join(pieces) + ("…" if end < len(flat) else ""), end

    def snippet(text: str | None) -> str:
        raw = text or ""
        head = raw[: _head_length(raw, matches if terms else None, width)]
        if len(head) < len(raw):
            # Flattening whitespace is linear in the text: do it for the head that holds the window only.
            # Trusted when the window closed before the head's last word, which may be cut in two.
            flat = _SPACES.sub(" ", head).lstrip()
            made, end = window(flat)
            last_space = flat.rstrip().rfind(" ")
            if end < last_space:
                return made
        return window(_SPACES.sub(" ", raw).strip())[0]

    return snippet


def _head_length(raw: str, matches: Callable[[str], bool] | None, width: int) -> int:
    """How much of ``raw`` to flatten: up to two widths past its first match (or its start)."""
    first = 0
    if matches is not None:
        for found in WORD_PATTERN.finditer(raw):
            if matches(found.group()):
                first = found.start()
                break
    return first + 2 * width


def _window_start(flat: str, first_match: int, width: int) -> int:
    """Start a third of the width before the match, on a word boundary."""
    start = max(0, first_match - width // 3)
    if start == 0:
        return 0
    space = flat.find(" ", start, first_match)
    return space + 1 if space >= 0 else start

