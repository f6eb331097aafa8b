"""Every command driven with random arguments: no traceback ever reaches the user (issue 16, item 5).

Hypothesis picks, for each command, options and values from its own
parameters: hostile text (surrogates from undecodable bytes, NUL, control
characters, 3 000-character words, huge numbers, operators, invalid URLs)
and paths inside a scratch folder (missing, a folder, a file that is not a
database, another program's database, a corrupt archive, a read-only one).
Whatever it picks, the command ends with exit 0, 1 (one ``Error:`` line) or
2 (click's usage error), and never with an exception, a traceback or the
CLI's "a bug in ino-archive" line.

Commands that start Scrapy's reactor (``crawl``, ``demo``) run once per
process, so ``crawl`` is driven through a subprocess with fewer examples, and
only with addresses that fail before or at 127.0.0.1 (never the internet).
``serve`` runs until stopped, so it is driven with arguments that fail only.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import FAST, copy_archive, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.cli import main

HOSTILE_TEXT = [
    "", " ", "-", "--", "*", "\udcff", "\udcff\udcfe", "\x00", "\x1b[31mred\x1b[0m", "\u202egnp.exe", "a" * 3000,
    "кластер", "Tomsk", '"ИНО Томск', "AND OR NOT", "NEAR(", "a:b", "'; DROP TABLE articles; --", "%s%n",
    "99999999999999999999", "-1", "0", "1e309", "nan", "inf", "2016", "2016-13-45", "2016-02-30", "0000-01-01",
    "http://[::1", "http://127.0.0.1:99999/", "file:///etc/passwd", "ru", "person", "json",
]
BAD_DB_URLS = ["http://[::1", "postgresql+psycopg://nobody@127.0.0.1:1/none", "nosuchdriver://x", "sqlite://", ""]
PATH_OPTIONS = {"--out", "--manifest", "--sources-file", "--log-file"}
PATH_ARGUMENTS = {"files", "warc", "folder"}
SLOW_COMMANDS = {("reprocess",), ("import",), ("extract",), ("export", "site"), ("entities",)}
NOT_IN_PROCESS = {("crawl",), ("demo",), ("serve",)}


def _leaf_commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _leaf_commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = dict(_leaf_commands(main))


@pytest.fixture(scope="module")
def scratch(crawled, tmp_path_factory):
    """A folder of things a user could point a command at, good and bad."""
    db, _ = crawled
    folder = tmp_path_factory.mktemp("fuzz")
    copy_archive(db, folder)  # the archive and its WARC files: reprocess has pages to read
    (folder / "not-a-db.sqlite3").write_bytes(b"this is not a database" * 100)
    corrupt = bytearray(db.read_bytes())
    corrupt[8192:16384] = b"\xa5" * 8192
    (folder / "corrupt.sqlite3").write_bytes(bytes(corrupt))
    other = sqlite3.connect(folder / "other.sqlite3")
    other.execute("CREATE TABLE notes (body TEXT)")
    other.commit()
    other.close()
    (folder / "a-folder").mkdir()
    (folder / "page.html").write_text("<html><title>\x1b]8;;http://evil.example/\x1b\\x</title></html>", encoding="utf-8")
    (folder / "bad.jsonl").write_text('{"path": 1}\nnot json\n', encoding="utf-8")
    (folder / "bad.toml").write_text("[[source]]\nname = 3\n", encoding="utf-8")
    return folder


def _paths(folder: Path) -> list[str]:
    names = ["archive.sqlite3", "missing.sqlite3", "not-a-db.sqlite3", "corrupt.sqlite3", "other.sqlite3", "a-folder",
             "page.html", "bad.jsonl", "bad.toml", "missing-folder/x", "\udcff.out", "out.graphml", "out.gexf",
             "out.csv", "out.parquet", "out.jsonl", "out.warc.gz", "site-out", "a" * 300]
    return [str(folder / name) for name in names]


PLAUSIBLE = ["кластер", "Tomsk", "Жвачкин", "ТГУ", "2016-01-01", "2018-12-31", "1", "5", "0.5"]


def _sometimes(strategy: st.SearchStrategy, often: st.SearchStrategy) -> st.SearchStrategy:
    """``often`` three times in four, ``strategy`` otherwise: most examples get past click to the library."""
    return st.integers(0, 3).flatmap(lambda n: strategy if n == 0 else often)


def _value(option: click.Option, folder: Path) -> st.SearchStrategy[str]:
    hostile = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=20))
    if option.name == "db":
        bad = st.sampled_from([*_paths(folder), *BAD_DB_URLS, f"sqlite:///file:{folder / 'archive.sqlite3'}?mode=ro&uri=true"])
        return st.one_of(st.just(str(folder / "archive.sqlite3")), bad)
    if set(option.opts) & PATH_OPTIONS:
        return st.sampled_from(_paths(folder))
    if option.name in ("since", "until"):
        return _sometimes(hostile, st.sampled_from(["2015-06-30", "2016-01-01", "2018-12-31"]))
    if isinstance(option.type, click.Choice):
        return _sometimes(hostile, st.sampled_from(option.type.choices))
    if isinstance(option.type, click.types.IntParamType | click.types.FloatParamType):
        return _sometimes(st.one_of(st.floats(allow_nan=True).map(str), hostile), st.integers(-3, 50).map(str))
    return _sometimes(hostile, st.sampled_from(PLAUSIBLE + HOSTILE_TEXT))


def _arguments(path: tuple[str, ...], command: click.Command, folder: Path) -> st.SearchStrategy[list[str]]:
    parts = []
    for param in command.params:
        if isinstance(param, click.Option) and param.name == "db":
            parts.append(st.tuples(st.just("--db"), _value(param, folder)).map(list))
        elif isinstance(param, click.Option):
            name = st.sampled_from(param.opts)
            given_ = name.map(lambda opt: [opt]) if param.is_flag else st.tuples(name, _value(param, folder)).map(list)
            parts.append(given_ if param.required else _sometimes(given_, st.just([])))
        elif param.name in PATH_ARGUMENTS:
            parts.append(st.lists(st.sampled_from(_paths(folder)), max_size=2))
        else:
            parts.append(st.lists(st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=10)), max_size=3))
    if not parts:
        return st.just([])
    # Options come in any order, each with its value; arguments may fall between them.
    return st.tuples(*parts).flatmap(st.permutations).map(lambda groups: [arg for group in groups for arg in group])


def assert_no_traceback(args, exit_code, stdout, stderr, exception=None) -> None:
    shown = f"args={args!r}\nexit={exit_code}\nstderr={stderr[-2000:]}"
    assert exception is None or isinstance(exception, SystemExit), shown + f"\nexception={exception!r}"
    assert "Traceback" not in stderr and "Traceback" not in stdout, shown
    assert "a bug in ino-archive" not in stderr, shown
    assert exit_code in (0, 1, 2), shown
    if exit_code == 1:
        assert stderr.strip().splitlines()[-1].startswith("Error: "), shown


IN_PROCESS = [path for path in COMMANDS if path not in NOT_IN_PROCESS]


@pytest.mark.parametrize("path", IN_PROCESS, ids=[" ".join(path) for path in IN_PROCESS])
def test_no_command_shows_a_traceback_whatever_its_arguments(path, scratch):
    examples = int(os.environ.get("FUZZ_EXAMPLES", 0)) or (5 if path in SLOW_COMMANDS else 25)

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(args=_arguments(path, COMMANDS[path], scratch))
    def run(args):
        result = CliRunner().invoke(main, [*path, *args])
        assert_no_traceback(args, result.exit_code, result.stdout, result.stderr, result.exception)

    run()


def test_every_command_is_driven_by_the_property_tests():
    assert set(COMMANDS) == {*IN_PROCESS, *NOT_IN_PROCESS}


LOCAL_OR_INVALID_URLS = ["http://127.0.0.1:9/", "http://[::1", "http://127.0.0.1:99999/", "ftp://127.0.0.1/",
                         "http://", "http://127.0.0.1:9/\udcff", "http://169.254.169.254/latest/meta-data/",
                         "http://10.0.0.1:9/", "http://[::1]:9/"]
CRAWL_EXTRAS = [[], ["--allow-private"], ["--source", "no-such-source"], ["-s", "DOWNLOAD_DELAY=abc"],
                ["-s", "CLOSESPIDER_PAGECOUNT=-1"], ["-s", "=x"], ["--max-error-rate", "2"], ["--redis", "redis://127.0.0.1:1/0"],
                ["--redis", "http://[::1"], ["--no-lock"], ["--sources-file", "/nonexistent.toml"]]


@pytest.mark.slow
@settings(max_examples=8, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(LOCAL_OR_INVALID_URLS), extras=st.lists(st.sampled_from(CRAWL_EXTRAS), max_size=2))
def test_crawl_never_shows_a_traceback_whatever_its_arguments(tmp_path, url, extras):
    args = ["crawl", "--url", url, "--db", str(tmp_path / "fuzz.sqlite3"), *FAST, *(arg for extra in extras for arg in extra)]
    result = run_cli(*args, timeout=120)
    assert "Traceback" not in result.stderr, (args, result.stderr[-2000:])
    assert "a bug in ino-archive" not in result.stderr, (args, result.stderr)
    assert result.returncode in (0, 1, 2, 3, 5, 6), (args, result.returncode, result.stderr[-2000:])


@pytest.mark.parametrize(
    "args",
    [["/nonexistent-folder"], ["{scratch}", "--port", "99999"], ["{scratch}", "--host", "http://[::1"],
     ["{scratch}", "--host", "\udcff"], ["{scratch}/page.html"]],
)
def test_serve_with_bad_arguments_is_one_line(scratch, args):
    args = [arg.replace("{scratch}", str(scratch)) for arg in args]
    result = CliRunner().invoke(main, ["serve", *args])
    assert_no_traceback(args, result.exit_code, result.stdout, result.stderr, result.exception)
    assert result.exit_code in (1, 2)
