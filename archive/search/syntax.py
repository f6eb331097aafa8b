"""The search language, parsed forgivingly into a small tree.

What a user may type (the default, "safe" mode)::

    кластер университет        both words (AND is implied; AND may be written)
    "ИНО Томск"                the words next to each other, in this order
    кластер OR consortium      either; OR binds looser than AND
    NOT погода, -погода        without this word or phrase
    иннова*                    any word starting so (prefix)

Parsing never fails: an unclosed quote runs to the end, an operator with
nothing to work on (a trailing ``NOT``) is dropped, a query of operators
alone (``AND OR``) searches them as words, and punctuation is ignored.  The tree is compiled to each backend's syntax
(``archive.search``) from stems, so user text never reaches a MATCH
expression or ``to_tsquery`` unquoted.  Raw backend syntax is opt-in there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.knowledge import fold, stem, words

KEYWORDS = frozenset({"AND", "OR", "NOT"})
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


@dataclass
class ParsedQuery:
    """Groups joined by OR; empty when the text has no words at all."""

    groups: list[Group] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.groups)

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


def parse_query(text: str) -> ParsedQuery:
    """Parse ``text``; never raises.

    >>> q = parse_query('"ИНО Томск" кластер* OR university -погода')
    >>> [([t.words for t in g.include], [t.words for t in g.exclude]) for g in q.groups]
    [([('ИНО', 'Томск'), ('кластер',)], []), ([('university',)], [('погода',)])]
    >>> [t.words for t in parse_query("AND OR").groups[0].include]
    [('AND',), ('OR',)]
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
                continue  # nothing to work on: dropped (kept as words only if nothing else is there)
            if token == "OR" and group:
                parsed.groups.append(group)
                group, negate = Group(), False
            elif token == "NOT":
                negate = True
            continue
        negated = negate or (token.startswith("-") and len(token) > 1 and not token.startswith('"'))
        term = _term(token.lstrip("-") if not token.startswith('"') else token)
        negate = False
        if term is not None:
            (group.exclude if negated else group.include).append(term)
    if group:
        parsed.groups.append(group)
    if not parsed and tokens and all(token in KEYWORDS for token in tokens):
        parsed.groups.append(Group(include=[Term((token,)) for token in tokens]))
    return parsed


def prefix_forms(term: Term) -> tuple[str, ...]:
    """What a prefix term may begin with: the folded text and its stem.

    >>> prefix_forms(Term(("Universities",), prefix=True))
    ('universities', 'universiti')
    """
    folded = fold(term.words[0])
    stemmed = stem(term.words[0])
    return (folded,) if stemmed == folded else (folded, stemmed)
