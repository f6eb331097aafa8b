"""Alembic's environment: migrate the connection ``archive.db.schema`` hands over.

Never imported by the application itself; Alembic runs it for each command.
"""

from __future__ import annotations

from alembic import context

from archive.db.schema import include_object
from archive.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
