"""The ``ino-archive`` command line: parse options, call the library, report.

No business logic lives here; one module per command group: ``crawl``
(crawl, demo), ``extract``, ``search``, ``timeline``, ``export`` (csv, jsonl, parquet),
``entities`` (entities, export network/timeline), ``site`` (export site,
serve), ``warc`` (reprocess, import, export warc), ``info`` (stats, sources,
db path), ``db`` (db upgrade); ``options`` holds the shared options and the
error-handling group.  Library errors (:class:`~archive.errors.ArchiveError`)
become ``Error: …`` on stderr with exit code 1 and no traceback
(:class:`ArchiveGroup`).

May import: the archive library and ``scraper.run`` (the code that runs
Scrapy and the pipelines); the top of the import arrows.
"""

from __future__ import annotations

import sys

import click

from archive.cli import crawl, export, extract, info, search, timeline, warc
from archive.cli import db as db_commands
from archive.cli import entities as entity_commands
from archive.cli import site as site_commands
from archive.cli.options import ArchiveGroup


@click.group(cls=ArchiveGroup)
@click.version_option(package_name="ino-archive")
def main():
    """ino-archive: crawl, extract, archive and search news about INO Tomsk."""
    # A file name given as bytes that are not UTF-8 comes back in messages as lone surrogates:
    # print them as escapes instead of failing on the way out.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


for command in (
    crawl.crawl,
    crawl.demo,
    extract.extract,
    search.search,
    timeline.timeline,
    export.export,
    info.stats,
    info.sources,
    info.db,
):
    main.add_command(command)
main.add_command(entity_commands.entities)
export.export.add_command(entity_commands.export_network)
export.export.add_command(warc.export_warc)
main.add_command(warc.reprocess)
main.add_command(warc.import_)
export.export.add_command(entity_commands.export_timeline)
export.export.add_command(site_commands.export_site)
main.add_command(site_commands.serve)
info.db.add_command(db_commands.upgrade)
