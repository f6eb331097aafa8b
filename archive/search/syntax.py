"""The search language, parsed forgivingly into a small tree.

What a user may type (the default, "safe" mode)::

    кластер университет        both words (AND is implied; AND may be written)
    "ИНО Томск"                the words next to each other, in this order
    кластер OR consortium      either; OR binds looser than AND
    NOT погода, -погода        without this word or phrase
    иннова*                    any word starting so (prefix)

Parsing forgives what people type: an unclosed quote runs to the end, an
operator with nothing to work on (a trailing ``NOT``) is dropped, and
punctuation is ignored.  A text with no word left (``*``, ``-``, ``AND OR``)
parses to an empty query, which ``check_bounds`` refuses: searching it would
either list every article or none, and neither is what was asked.  The tree is compiled to each backend's syntax (``archive.search``)
from stems, so user text never reaches a MATCH expression or ``to_tsquery``
unquoted.  Raw backend syntax is opt-in there.

The work a query asks for is bounded, so that no query can hold the database
(or ``serve``, which calls this parser for every query) for long: a term
repeated in a group, and a group repeated, count once, and ``check_bounds``
refuses (``QueryError``) a text longer than ``MAX_QUERY_CHARS`` characters or
with more than ``MAX_QUERY_TERMS`` distinct terms, raw syntax included.  The
static site's JavaScript mirrors the two numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.errors import QueryError
from archive.knowledge import fold, stem, words

MAX_QUERY_CHARS = 2000
MAX_QUERY_TERMS = 32

KEYWORDS = frozenset({"AND", "OR", "NOT"})
RAW_OPERATORS = KEYWORDS | {"NEAR"}
_TOKEN = re.compile(r'"[^"]*"?|\S+')


@dataclass(frozen=True)
class Term:
    """A word, a phrase (several words in order) or a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(stem(word) for word in self.words)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class Group:
    """Terms that must all match, and terms that must not."""

    include: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude)

    def add(self, term: Term, *, negated: bool) -> None:
        """Add ``term`` unless the group has it already (``a a`` is ``a``)."""
        terms = self.exclude if negated else self.include
        if term not in terms:
            terms.append(term)

    def key(self) -> tuple[frozenset[Term], frozenset[Term]]:
        """What the group matches, whatever the order its terms were typed in."""
        return frozenset(self.include), frozenset(self.exclude)


@dataclass
class ParsedQuery:
    """Groups joined by OR; empty when the text has no words at all."""

    groups: list[Group] = field(default_factory=list)
    _keys: set[tuple[frozenset[Term], frozenset[Term]]] = field(default_factory=set, repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def add(self, group: Group) -> None:
        """Add ``group`` unless an equal one is there already (``a OR a`` is ``a``)."""
        if group and group.key() not in self._keys:
            self._keys.add(group.key())
            self.groups.append(group)

    @property
    def distinct_terms(self) -> set[Term]:
        return {term for group in self.groups for term in (*group.include, *group.exclude)}

    @property
    def positive_terms(self) -> list[Term]:
        """Every term that can match, for highlighting snippets."""
        return [term for group in self.groups for term in group.include]

    @property
    def needs_negation_only(self) -> bool:
        """Some group only excludes: "NOT x" alone, which FTS5 cannot express."""
        return any(not group.include for group in self.groups)


def _term(token: str) -> Term | None:
    if token.startswith('"'):
        found = tuple(words(token))
        return Term(found) if found else None
    found = tuple(words(token))
    if not found:
        return None
    return Term(found, prefix=token.endswith("*") and len(found) == 1)


def _is_operand(token: str | None) -> bool:
    return token is not None and token not in KEYWORDS and _term(token.lstrip("-")) is not None


def check_bounds(text: str, *, raw: bool = False) -> ParsedQuery:
    """Parse ``text`` (or, when ``raw``, only count its words); ``QueryError`` beyond the bounds.

    The length is checked before any parsing, so a 100 kB query costs nothing.

    >>> check_bounds("w " * 1001)
    Traceback (most recent call last):
    archive.errors.QueryError: the query is 2002 characters long; the limit is 2000 (search for fewer words)
    """
    text = text or ""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS} (search for fewer words)"
        )
    parsed = ParsedQuery() if raw else parse_query(text)
    if text.strip() and not (parsed or (raw and _raw_words(text))):
        raise QueryError(f"the query {text!r} has no words to search for; leave it out to list articles by date")
    count = len(_raw_words(text)) if raw else len(parsed.distinct_terms)
    if count > MAX_QUERY_TERMS:
        raise QueryError(
            f"the query has {count} different words, phrases or prefixes; the limit is {MAX_QUERY_TERMS}"
        )
    return parsed


def _raw_words(text: str) -> set[str]:
    """The distinct words of a raw query, its operators left out (FTS5's and to_tsquery's)."""
    return {fold(word) for word in words(text) if word not in RAW_OPERATORS}


def parse_query(text: str) -> ParsedQuery:
    """Parse ``text``; never raises (``check_bounds`` refuses what is too big to run).

    >>> q = parse_query('"ИНО Томск" кластер* OR university -погода')
    >>> [([t.words for t in g.include], [t.words for t in g.exclude]) for g in q.groups]
    [([('ИНО', 'Томск'), ('кластер',)], []), ([('university',)], [('погода',)])]
    >>> parse_query("AND OR").groups
    []
    >>> [t.words for t in parse_query("кластер NOT").groups[0].include]
    [('кластер',)]
    """
    tokens = _TOKEN.findall(text or "")
    parsed = ParsedQuery()
    group, negate = Group(), False
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in KEYWORDS:
            if not _is_operand(following):
                continue  # nothing to work on: dropped
            if token == "OR" and group:
                parsed.add(group)
                group, negate = Group(), False
            elif token == "NOT":
                negate = True
            continue
        negated = negate or (token.startswith("-") and len(token) > 1 and not token.startswith('"'))
        term = _term(token.lstrip("-") if not token.startswith('"') else token)
        negate = False
        if term is not None:
            group.add(term, negated=negated)
    parsed.add(group)
    return parsed


def prefix_forms(term: Term) -> tuple[str, ...]:
    """What a prefix term may begin with: the folded text and its stem.

    >>> prefix_forms(Term(("Universities",), prefix=True))
    ('universities', 'universiti')
    """
    folded = fold(term.words[0])
    stemmed = stem(term.words[0])
    return (folded,) if stemmed == folded else (folded, stemmed)
