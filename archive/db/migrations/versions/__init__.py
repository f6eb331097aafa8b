"""One Alembic script per schema revision, in order (``0001_foundation`` first); a new table or column needs one."""
