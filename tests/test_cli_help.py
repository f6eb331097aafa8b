"""Every command documents itself: help text with an example, and a mention in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from archive.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from _leaf_commands(command, path)
        else:
            yield path


COMMANDS = list(_leaf_commands(main))


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_command_help_has_an_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"ino-archive {' '.join(path)}" in result.output


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_command_is_documented_in_readme(path):
    assert f"ino-archive {' '.join(path)}" in README
