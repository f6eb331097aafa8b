"""Entities (issue 4) and operations (issue 6) tables.

Revision ID: 0002
Revises: 0001

Archives made between the foundation and the first migration (no
``alembic_version`` table) may already have some of these tables, created by
``create_all``; those are kept as they are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _missing(table: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    if _missing('failures'):
        op.create_table('failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('stage', sa.String(length=32), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('occurrences', sa.Integer(), nullable=False),
        sa.Column('first_seen_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('url', 'stage', name='uq_failures_url_stage')
        )
    if _missing('pages'):
        op.create_table('pages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=True),
        sa.Column('status', sa.Integer(), nullable=True),
        sa.Column('etag', sa.Text(), nullable=True),
        sa.Column('last_modified', sa.String(length=64), nullable=True),
        sa.Column('body_hash', sa.String(length=64), nullable=True),
        sa.Column('first_seen_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=True),
        sa.Column('gone_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('url')
        )
    if _missing('warc_records'):
        op.create_table('warc_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('record_id', sa.String(length=64), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('warc_file', sa.Text(), nullable=False),
        sa.Column('offset', sa.BigInteger(), nullable=False),
        sa.Column('length', sa.BigInteger(), nullable=False),
        sa.Column('status', sa.Integer(), nullable=True),
        sa.Column('content_type', sa.Text(), nullable=True),
        sa.Column('payload_digest', sa.String(length=64), nullable=True),
        sa.Column('source', sa.String(length=200), nullable=True),
        sa.Column('fetched_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('record_id')
        )
        op.create_index(op.f('ix_warc_records_url'), 'warc_records', ['url'], unique=False)
    if _missing('article_versions'):
        op.create_table('article_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('canonical_url', sa.Text(), nullable=False),
        sa.Column('extract_hash', sa.String(length=64), nullable=False),
        sa.Column('record', sa.JSON(), nullable=False),
        sa.Column('valid_from', sa.DateTime(), nullable=True),
        sa.Column('replaced_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_article_versions_article_id'), 'article_versions', ['article_id'], unique=False)
        op.create_index(op.f('ix_article_versions_canonical_url'), 'article_versions', ['canonical_url'], unique=False)
    if _missing('date_mentions'):
        op.create_table('date_mentions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('surface', sa.Text(), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('date_from', sa.Date(), nullable=False),
        sa.Column('date_to', sa.Date(), nullable=False),
        sa.Column('precision', sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_date_mentions_article_id'), 'date_mentions', ['article_id'], unique=False)
        op.create_index(op.f('ix_date_mentions_date_from'), 'date_mentions', ['date_from'], unique=False)
    if _missing('entity_aliases'):
        op.create_table('entity_aliases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entity_id', sa.Integer(), nullable=False),
        sa.Column('alias', sa.Text(), nullable=False),
        sa.Column('key', sa.Text(), nullable=False),
        sa.Column('origin', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('entity_id', 'alias', name='uq_entity_aliases')
        )
        op.create_index(op.f('ix_entity_aliases_entity_id'), 'entity_aliases', ['entity_id'], unique=False)
        op.create_index(op.f('ix_entity_aliases_key'), 'entity_aliases', ['key'], unique=False)
    if _missing('person_names'):
        op.create_table('person_names',
        sa.Column('entity_id', sa.Integer(), nullable=False),
        sa.Column('first', sa.Text(), nullable=True),
        sa.Column('middle', sa.Text(), nullable=True),
        sa.Column('last', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('entity_id')
        )


def downgrade() -> None:
    for name in ('person_names', 'entity_aliases', 'date_mentions', 'article_versions', 'warc_records', 'pages', 'failures'):
        op.drop_table(name)
