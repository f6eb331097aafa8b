"""A page's stage errors on its article row; WARC index rows say which record type they are.

Revision ID: 0004
Revises: 0003

``articles.extract_error`` keeps the stages that raised on a page (the page
is stored anyway, see ``pipelines.guard``).  ``warc_records.record_type``
tells full captures (``response``) from ``revisit`` records of an unchanged
re-fetch; every row indexed before this revision is a response.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _missing(table: str, column: str) -> bool:
    # An un-versioned archive (stamped at 0001) may have been made by create_all with the column already.
    return column not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    if _missing("articles", "extract_error"):
        op.add_column("articles", sa.Column("extract_error", sa.Text(), nullable=True))
    if _missing("warc_records", "record_type"):
        op.add_column(
            "warc_records",
            sa.Column("record_type", sa.String(length=16), server_default="response", nullable=False),
        )


def downgrade() -> None:
    with op.batch_alter_table("warc_records") as batch:
        batch.drop_column("record_type")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("extract_error")
