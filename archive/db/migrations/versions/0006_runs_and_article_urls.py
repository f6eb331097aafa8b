"""Crawl runs recorded while they run, and every URL an article was found at.

Revision ID: 0006
Revises: 0005

``crawl_runs`` gains ``host`` and ``pid`` (a run is recorded as "running"
when it starts, so a killed crawl leaves a trace that the next crawl marks
"interrupted") and an index on ``status``.  ``article_urls`` keeps every URL
an article's text was found at, so which URL the archive shows no longer
depends on the order pages arrived in.  Existing articles get their own
canonical URL as their first alias.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "article_urls" in inspector.get_table_names():
        return  # an un-versioned archive made by create_all already has all of it
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("host", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_crawl_runs_status"), "crawl_runs", ["status"], unique=False)
    op.create_table(
        "article_urls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("named", sa.Boolean(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    )
    op.create_index(op.f("ix_article_urls_article_id"), "article_urls", ["article_id"], unique=False)
    op.execute(
        "INSERT INTO article_urls (article_id, url, named, first_seen_at)"
        " SELECT id, canonical_url, canonical_url <> url, created_at FROM articles"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_article_urls_article_id"), table_name="article_urls")
    op.drop_table("article_urls")
    op.drop_index(op.f("ix_crawl_runs_status"), table_name="crawl_runs")
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("pid")
        batch.drop_column("host")
