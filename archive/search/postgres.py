"""Full-text matching on PostgreSQL: its own ``russian`` text search configuration.

PostgreSQL's ``russian`` configuration stems Cyrillic words with the Russian
Snowball stemmer and Latin words with the English one, which is what the
SQLite shadow index does in Python, so one query finds the same articles on
both.  The parsed query becomes ``tsquery`` values built by functions
(``plainto_tsquery``, ``phraseto_tsquery``, ``tsquery_and`` …) from bound
parameters; ``--raw`` text is handed to ``to_tsquery`` as it is.

Documents are not computed per query: ``articles.search_vector`` is a stored
generated column (title weighted A, text B, ``ё`` read as ``е``, Latin
diacritics removed) with a GIN
index, kept current by PostgreSQL itself on every write (created with a fresh
archive, ``create_search_vector``, or by migration 0003).  It is not mapped on
the model, so SQLite never sees it.  The ``russian`` configuration sends
Cyrillic words to the Russian Snowball stemmer and Latin-script words to
``english_stem`` (the ``english`` configuration's stemmer and stop words), so
one vector serves both languages and matches the lexemes the queries make.
One difference remains: PostgreSQL drops stop words ("и", "the").
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column

from archive.db import FOLD_FROM, FOLD_TO, SEARCH_VECTOR
from archive.knowledge import fold
from archive.models import Article
from archive.search.syntax import Group, ParsedQuery, Term

CONFIG = literal_column("'russian'::regconfig")
_FOLD_TABLE = str.maketrans(FOLD_FROM, FOLD_TO)


def document() -> ColumnElement[Any]:
    """The article's stored weighted tsvector: title (A) above text (B)."""
    return literal_column(f"{Article.__tablename__}.{SEARCH_VECTOR}")


def pg_fold(words: str) -> str:
    """Query words folded as the stored vector's text is.

    >>> pg_fold("Café Ёлка")
    'cafe елка'
    """
    return fold(words).translate(_FOLD_TABLE)


def term_query(term: Term) -> ColumnElement[Any]:
    if term.prefix:
        # The word has letters and digits only (textsearch.words), so ":*" is the only syntax.
        return func.to_tsquery(CONFIG, pg_fold(term.words[0]) + ":*")
    if term.is_phrase:
        return func.phraseto_tsquery(CONFIG, pg_fold(" ".join(term.words)))
    return func.plainto_tsquery(CONFIG, pg_fold(term.words[0]))


def group_query(group: Group) -> ColumnElement[Any]:
    parts = [term_query(term) for term in group.include]
    parts += [func.tsquery_not(term_query(term)) for term in group.exclude]
    return reduce(func.tsquery_and, parts)


def tsquery(parsed: ParsedQuery) -> ColumnElement[Any]:
    return reduce(func.tsquery_or, [group_query(group) for group in parsed.groups])


def restrict(stmt: Select[Any], parsed: ParsedQuery | None, raw: str | None) -> tuple[Select[Any], ColumnElement[Any]]:
    """``stmt`` limited to matching articles, and the score (ts_rank)."""
    query = func.to_tsquery(CONFIG, raw) if raw is not None else tsquery(parsed)  # type: ignore[arg-type]
    doc = document()
    return stmt.where(doc.op("@@")(query)), func.ts_rank(doc, query)
