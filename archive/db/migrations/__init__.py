"""The archive's schema history as Alembic migrations, shipped inside the package.

``archive.db.schema`` runs them through Alembic's API on a connection it owns
(no ``alembic.ini`` anywhere); ``ino-archive db upgrade`` is the command.
One revision per schema change, each for both SQLite and PostgreSQL:

* ``0001`` – the foundation (commit 76d46d9): sources, articles, entities,
  mentions, crawl_runs.
* ``0002`` – entity aliases, person names, dates in the text (issue 4); pages,
  article versions, failures, WARC records (issue 6).
* ``0003`` – PostgreSQL: the stored ``search_vector`` column and its GIN index.

The SQLite full-text tables are not migrated here: they are derived data,
rebuilt from the articles by ``archive.db.fulltext`` whenever their
recorded version differs.  To add a revision, copy the newest script, bump
``revision``/``down_revision``, and keep ``tests/test_migrations.py`` green
(it checks that upgrading gives the same schema as the models).
"""
