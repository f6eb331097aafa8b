"""Full-text matching on SQLite: FTS5 MATCH over the stemmed shadow index.

The parsed query (``syntax``) becomes an FTS5 expression of quoted
stems, so nothing the user typed is FTS5 syntax.  ``--raw`` text goes to the
word index ``articles_fts`` as FTS5 syntax, verbatim (NEAR, column filters…).
Ranking is bm25 with the title weighted above the body, negated so that every
backend's score is higher-is-better.  The stems index keeps no row sizes
((``archive.db.fulltext``)): FTS5 then reads every row's size as -1 per column,
so bm25 has no length normalisation and its term-frequency curve is that of
k1 ≈ 0.3 (1.2 · (0.25 − 1.5 / average tokens per row), a few occurrences
count nearly as much as many), the same choice as PostgreSQL's unnormalised
``ts_rank``.  ``best_matches`` asks FTS5 for the few best-scored
matches alone, for ``sqlite_plan.ranked_page``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)

from archive.db import FTS_TABLE, STEMS_TABLE
from archive.models import Article
from archive.search.syntax import Group, ParsedQuery, Term, prefix_forms

TITLE_WEIGHT = 10.0


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def term_expression(term: Term) -> str:
    """One term as FTS5 over stems.

    >>> term_expression(Term(("ИНО", "Томске")))
    '"ин томск"'
    >>> term_expression(Term(("Universities",), prefix=True))
    '("universities"* OR "universiti"*)'
    """
    if term.prefix:
        forms = [_quoted(form) + "*" for form in prefix_forms(term)]
        return forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")"
    return _quoted(" ".join(term.stems))


def group_expression(group: Group) -> str:
    expression = " AND ".join(term_expression(term) for term in group.include)
    for term in group.exclude:
        expression = f"({expression}) NOT {term_expression(term)}"
    return expression


def match_expression(parsed: ParsedQuery) -> str:
    """The FTS5 expression for a query whose every group includes a term.

    >>> from archive.search.syntax import parse_query
    >>> match_expression(parse_query("кластерами OR universities -погода"))
    '("кластер") OR (("universiti") NOT "погод")'
    """
    return " OR ".join(f"({group_expression(group)})" for group in parsed.groups)


def _index(name: str) -> tuple[Any, ColumnElement[Any]]:
    # FTS5's hidden column named after the table is what MATCH and bm25 take.
    return table(name, column("rowid")), literal_column(name)


def _matching_ids(index_name: str, expression: str) -> Select[Any]:
    index, ref = _index(index_name)
    return select(index.c.rowid).where(ref.op("MATCH")(expression))


def restrict(stmt: Select[Any], parsed: ParsedQuery | None, raw: str | None) -> tuple[Select[Any], ColumnElement[Any]]:
    """``stmt`` limited to matching articles, and the score column."""
    if raw is not None:
        return _joined(stmt, FTS_TABLE, raw)
    assert parsed is not None
    if not parsed.needs_negation_only:
        return _joined(stmt, STEMS_TABLE, match_expression(parsed))
    # "NOT x" alone: FTS5 has no unary NOT, so each group becomes an IN test; no rank.
    return stmt.where(or_(*(_group_condition(group) for group in parsed.groups))), literal(0.0)


def _joined(stmt: Select[Any], index_name: str, expression: str) -> tuple[Select[Any], ColumnElement[Any]]:
    index, ref = _index(index_name)
    stmt = stmt.join(index, index.c.rowid == Article.id).where(ref.op("MATCH")(expression))
    return stmt, _score(ref)


def _score(ref: ColumnElement[Any]) -> ColumnElement[Any]:
    # bm25 is NULL (a NaN) for every row of an expression with NOT on this index (SQLite 3.40): such
    # matches all score 0, so they come newest first instead of breaking the sort.
    return -func.coalesce(func.bm25(ref, TITLE_WEIGHT, 1.0), 0.0)


def best_matches(parsed: ParsedQuery | None, raw: str | None, count: int) -> Select[Any] | None:
    """SELECT id, score of the ``count`` best-scored matches, from the index alone (no filters).

    None for a "NOT x"-only query, which has no score to rank by.
    """
    if raw is None and (parsed is None or parsed.needs_negation_only):
        return None
    index_name, expression = (FTS_TABLE, raw) if raw is not None else (STEMS_TABLE, match_expression(parsed))
    index, ref = _index(index_name)
    score = _score(ref).label("score")
    return (
        select(index.c.rowid.label("id"), score)
        .where(ref.op("MATCH")(expression))
        .order_by(score.desc())
        .limit(count)
    )


def _group_condition(group: Group) -> ColumnElement[bool]:
    conditions = [Article.id.in_(_matching_ids(STEMS_TABLE, term_expression(t))) for t in group.include]
    conditions += [Article.id.not_in(_matching_ids(STEMS_TABLE, term_expression(t))) for t in group.exclude]
    return and_(*conditions)
