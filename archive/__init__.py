"""Keep and read: the archive library over the SQLAlchemy models, and the ``ino-archive`` command line.

The library (everything but ``cli``) imports neither ``scraper`` nor
``pipelines``; the crawler and the extractors import it to store what they
find.  Packages, each a map in its ``__init__`` docstring:

* ``knowledge`` – names and words every layer shares: gazetteer, name keys,
  linking rules, morphology;
* ``models`` – the tables; ``errors`` – the errors the library raises;
* ``db`` – opening the archive: engines, schema versions, full-text indexes, the lock;
* ``store`` – writing: article upserts, versions, fetched pages, failures, runs;
* ``warc`` – raw captures as WARC files and their index;
* ``search`` – the search language and full-text search with filters;
* ``entities`` – who appears, their names, cross-archive linking;
* ``stats`` – what is in the archive;
* ``export`` – CSV, JSON Lines, Parquet, network and timeline datasets;
* ``site`` – the static site and ``serve``;
* ``cli`` – the command line: parses options, calls the library and
  ``scraper.run``, turns ``ArchiveError`` into ``Error: …``.

Imports go down this list, never up (``docs/architecture.md``; enforced by
the import contracts in ``pyproject.toml``).
"""
