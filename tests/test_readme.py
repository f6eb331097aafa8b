"""The README's commands work as written (issue 16, item 14).

Every ``ino-archive`` command in the README's shell blocks is read from the
README text itself.  Those that only read or write files run for real, in a
scratch folder holding a copy of a crawled archive as ``archive.sqlite3``
(also the default archive, ``INO_ARCHIVE_DB``), and must exit 0.  Those that
would reach the internet, another server or a file the reader has and we do
not (``crawl`` of the real sources, PostgreSQL URLs, ``import other.warc.gz``,
``serve`` which runs until stopped, ``demo``: tests/test_demo.py runs it) are
parsed by the real command line, so an option that does not exist or a value
it refuses fails here.  A fresh clone's quickstart (``.venv/bin/…``) is the
same program under its path.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import copy_archive

from archive.cli import main

README = Path(__file__).parent.parent / "README.md"
PROGRAMS = ("ino-archive", ".venv/bin/ino-archive", "/srv/ino-archive/.venv/bin/ino-archive")
# Commands that leave the machine, wait for Ctrl-C, or need the reader's own files: parsed, not run.
PARSE_ONLY = {"crawl", "demo", "serve", "import", "extract"}


def readme_commands() -> list[list[str]]:
    """Every ino-archive command in the README's sh/cron/ini blocks, as argument lists (without the program)."""
    text = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```(?:sh|cron|ini)\n(.*?)```", text, flags=re.DOTALL):
        for line in block.splitlines():
            for segment in re.split(r"&&|>>|;\s", line.removeprefix("ExecStart=")):
                words = shlex.split(segment, comments=True) if segment.strip() else []
                if words and words[0] in PROGRAMS:
                    commands.append(_without_redirects(words[1:]))
    return commands


def _without_redirects(args: list[str]) -> list[str]:
    return [arg for arg in args if not arg.startswith(("2>&1", ">"))]


COMMANDS = readme_commands()


def test_the_readme_has_the_commands_this_test_expects():
    names = {args[0] for args in COMMANDS if args}
    assert {"demo", "crawl", "search", "export", "stats", "entities", "db", "serve", "reprocess"} <= names
    assert len(COMMANDS) >= 35


def parse(args: list[str]) -> None:
    """Parse ``args`` as the real command line would, without running the command."""
    command: click.Command = main
    context = None
    rest = list(args)
    name = "ino-archive"
    while True:
        context = command.make_context(name, rest, parent=context)
        if not isinstance(command, click.Group):
            return
        # click keeps the subcommand's name apart from its arguments until it resolves it
        remaining = [*getattr(context, "_protected_args", []), *context.args]
        name, command, rest = command.resolve_command(context, remaining)
        assert command is not None, args


@pytest.fixture(scope="module")
def scratch(crawled, tmp_path_factory):
    db, _ = crawled
    folder = tmp_path_factory.mktemp("readme")
    copy_archive(db, folder)
    return folder


def _runs(args: list[str]) -> bool:
    text = " ".join(args)
    return bool(args) and args[0] not in PARSE_ONLY and "postgresql" not in text


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(args)[:60] for args in COMMANDS])
def test_every_readme_command_works_as_written(args, scratch, monkeypatch):
    if not _runs(args):
        parse(args)
        return
    monkeypatch.chdir(scratch)
    monkeypatch.setenv("INO_ARCHIVE_DB", str(scratch / "archive.sqlite3"))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, (args, result.output, result.exception)
