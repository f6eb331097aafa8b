"""Full-text matching on PostgreSQL: its own ``russian`` text search configuration.

PostgreSQL's ``russian`` configuration stems Cyrillic words with the Russian
Snowball stemmer and Latin words with the English one, which is what the
SQLite shadow index does in Python, so one query finds the same articles on
both.  The parsed query becomes ``tsquery`` values built by functions
(``plainto_tsquery``, ``phraseto_tsquery``, ``tsquery_and`` …) from bound
parameters; ``--raw`` text is handed to ``to_tsquery`` as it is.

Documents are computed per query here; stored ``tsvector`` columns with GIN
indexes (for speed at scale) are a later schema change.  One difference
remains: PostgreSQL drops stop words ("и", "the") from queries and documents.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column

from archive.models import Article
from archive.textsearch import fold
from archive.textsearch_query import Group, ParsedQuery, Term

CONFIG = literal_column("'russian'::regconfig")


def _folded(expr: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.translate(func.coalesce(expr, ""), "Ёё", "Ее")


def document() -> ColumnElement[Any]:
    """The article's weighted tsvector: title (A) above text (B)."""
    title = func.setweight(func.to_tsvector(CONFIG, _folded(Article.title)), literal_column("'A'"))
    body = func.setweight(func.to_tsvector(CONFIG, _folded(Article.text)), literal_column("'B'"))
    return title.op("||")(body)


def term_query(term: Term) -> ColumnElement[Any]:
    if term.prefix:
        # The word has letters and digits only (textsearch.words), so ":*" is the only syntax.
        return func.to_tsquery(CONFIG, fold(term.words[0]) + ":*")
    if term.is_phrase:
        return func.phraseto_tsquery(CONFIG, fold(" ".join(term.words)))
    return func.plainto_tsquery(CONFIG, fold(term.words[0]))


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
