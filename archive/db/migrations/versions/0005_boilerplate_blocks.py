"""What the text stage learned about each source's recurring blocks, kept between crawls.

Revision ID: 0005
Revises: 0004

``boilerplate_blocks`` holds, per source, the blocks (a stable key of a text
at its place in the page) seen so far: confirmed boilerplate, or the pages a
candidate was seen on.  An incremental crawl that fetches one new article
then removes the sidebar every earlier article carried.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "boilerplate_blocks" in sa.inspect(op.get_bind()).get_table_names():
        return  # an un-versioned archive made by create_all already has it
    op.create_table(
        "boilerplate_blocks",
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("block", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("pages", sa.Text(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source", "block"),
    )


def downgrade() -> None:
    op.drop_table("boilerplate_blocks")
