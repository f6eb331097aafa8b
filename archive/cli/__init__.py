"""The ``ino-archive`` command line: parse options, call the library, report.

No business logic lives here; each command group has its own module.
Library errors (:class:`~archive.errors.ArchiveError`) become ``Error: …`` on
stderr with exit code 1 and no traceback (:class:`ArchiveGroup`).
"""

from __future__ import annotations

import sys

import click

from archive.cli import crawl, export, extract, info, ops, search
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
    export.export,
    info.stats,
    info.sources,
    info.db,
):
    main.add_command(command)
main.add_command(entity_commands.entities)
export.export.add_command(entity_commands.export_network)
export.export.add_command(ops.export_warc)
main.add_command(ops.reprocess)
main.add_command(ops.import_)
export.export.add_command(entity_commands.export_timeline)
export.export.add_command(site_commands.export_site)
main.add_command(site_commands.serve)
info.db.add_command(db_commands.upgrade)
