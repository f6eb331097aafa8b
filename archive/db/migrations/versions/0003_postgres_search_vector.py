"""PostgreSQL: a stored, GIN-indexed ``search_vector`` on articles.

Revision ID: 0003
Revises: 0002

A generated column, so PostgreSQL keeps it current on every insert and
update, and existing rows are computed when it is added.  SQLite has its own
full-text tables (``archive.db.fulltext``), so this revision does nothing
there.  ``ё`` is read as ``е`` and Latin letters lose their diacritics, in
documents here and in queries there.  The expression must stay the one in
``archive.search.postgres``.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FOLD_FROM = "ЁёÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽž"
FOLD_TO = "ЕеAAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZz"
DDL = (
    f"""ALTER TABLE articles ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('russian'::regconfig, translate(coalesce(title, ''), '{FOLD_FROM}', '{FOLD_TO}')), 'A')
        || setweight(to_tsvector('russian'::regconfig, translate(coalesce(text, ''), '{FOLD_FROM}', '{FOLD_TO}')), 'B')
    ) STORED""",
    "CREATE INDEX IF NOT EXISTS ix_articles_search_vector ON articles USING gin (search_vector)",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
