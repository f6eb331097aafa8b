"""Crawled text that attacks the reader (issue 16, items 2, 3 and 7).

``tests/hostile_site`` hides terminal escapes (a colour, an OSC 8 hyperlink to
evil.example, a window-title change), a right-to-left override that shows
"gnp.exe" as "exe.png", zero-width characters, a soft hyphen, a BOM, a C1
control and U+FFFE in titles, text and names.  After one real crawl nothing
of it is stored, printed or exported, and every XML export opens in lxml and
networkx.
"""

from __future__ import annotations

import json
import sqlite3

import networkx
import pytest
from click.testing import CliRunner
from helpers import FAST, TESTS, run_cli
from lxml import etree
from mockserver.localsite import LocalSite

from archive.cli import main
from archive.db import open_engine
from archive.export import export_network
from archive.knowledge import clean_text, terminal_text
from archive.models import Entity
from archive.store import item_to_record, upsert_articles

FORBIDDEN = ["\x1b", "\x9b", "\x07", "\x01", "\u202e", "\u200b", "\ufeff", "\ufffe", "\u00ad", "evil.example", "pwned"]


@pytest.fixture(scope="module")
def hostile_archive(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "archive.sqlite3"
    with LocalSite(TESTS / "hostile_site") as site:
        result = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(db), "--allow-private", *FAST)
    assert result.returncode == 0, result.stderr
    return db


def _stored_text(db) -> str:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT title, text, people, organisations, places FROM articles").fetchall()
        rows += conn.execute("SELECT name, '', '', '', '' FROM entities").fetchall()
        rows += conn.execute("SELECT surface, coalesce(role, ''), '', '', '' FROM mentions").fetchall()
    return "\n".join("\t".join(str(cell) for cell in row) for row in rows)


def test_stored_titles_and_names_carry_no_escapes_or_invisible_characters(hostile_archive):
    stored = _stored_text(hostile_archive)
    assert [bad for bad in FORBIDDEN if bad in stored] == []
    with sqlite3.connect(hostile_archive) as conn:
        titles = sorted(row[0] for row in conn.execute("SELECT title FROM articles"))
    assert titles == [
        "Cluster news GREEN and a link click here",
        "Report gnp.exe of the INO Tomsk  council",  # U+FFFE stood between two spaces
    ]


def test_search_and_entities_print_no_control_sequences(hostile_archive):
    for args in (["search", "cluster"], ["search", "cluster", "--format", "json"], ["search", "cluster", "--format", "csv"],
                 ["entities"], ["entities", "--format", "json"]):
        result = CliRunner().invoke(main, [*args, "--db", str(hostile_archive)])
        assert result.exit_code == 0, result.output
        assert [bad for bad in FORBIDDEN if bad in result.stdout + result.stderr] == [], args
    table = CliRunner().invoke(main, ["search", "gnp", "--db", str(hostile_archive)]).stdout
    assert table.splitlines()[0].endswith("Report gnp.exe of the INO Tomsk council")


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_network_exports_of_hostile_names_open_in_lxml_and_networkx(hostile_archive, tmp_path, suffix):
    out = tmp_path / f"network{suffix}"
    result = CliRunner().invoke(main, ["export", "network", "--out", str(out), "--db", str(hostile_archive)])
    assert result.exit_code == 0, result.output
    etree.parse(str(out))
    graph = networkx.read_graphml(out) if suffix == ".graphml" else networkx.read_gexf(out)
    names = {attrs.get("name") or attrs.get("label") for _, attrs in graph.nodes(data=True)}
    assert "Tomsk State University" in names
    assert not [name for name in names if any(bad in name for bad in FORBIDDEN)]


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_network_export_is_well_formed_whatever_an_older_archive_stored(tmp_path, suffix):
    # An archive written before text was cleaned: names with a control character and U+FFFE.
    engine = open_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}", create=True)
    from archive_fixtures import make_item
    from scraper.items import Mention

    from sqlalchemy import update
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        upsert_articles(session, [item_to_record(make_item(1, mentions=[
            Mention("person", "Сергей Жвачкин", "Сергей Жвачкин", 11, 25),
            Mention("org", "ООО Ромашка", "ООО Ромашка", 30, 41),
        ]))])
        session.execute(update(Entity).where(Entity.name == "ООО Ромашка").values(name="ООО\x01 Ромашка\ufffe\x1b[31m"))
        session.commit()
        out = tmp_path / f"network{suffix}"
        assert export_network(session, out) == (2, 1)
    engine.dispose()
    etree.parse(str(out))
    graph = networkx.read_graphml(out) if suffix == ".graphml" else networkx.read_gexf(out)
    names = sorted(attrs.get("name") or attrs.get("label") for _, attrs in graph.nodes(data=True))
    assert names == ["ООО Ромашка", "Сергей Жвачкин"]


def test_clean_text_keeps_letters_tab_and_newline_and_removes_the_rest():
    assert clean_text("Томск\tTomsk\nИНО") == "Томск\tTomsk\nИНО"
    assert clean_text("a\u202eb\u2066c\u2069d\u200de\u2060f\x7fg\x85h") == "abcdefgh"
    assert clean_text("\x1b[1;32mзелёный\x1b[0m") == "зелёный"
    assert clean_text("\x1b]8;;http://evil.example/\x1b\\ссылка\x1b]8;;\x1b\\") == "ссылка"
    assert clean_text("emoji 👍🏽 и ё") == "emoji 👍🏽 и ё"
    assert terminal_text("строка\nвторая\tтретья") == "строка вторая третья"


def test_clean_text_never_swallows_text_between_curly_quotes_misread_as_latin_1():
    # "”" and "“" read as Latin-1 hold U+009D and U+009C, the 8-bit OSC opener and terminator.
    misread = "“Fats,\u00e2\x80\x9d Dr. Parr says. \u00e2\x80\x9cSome are good.\u00e2\x80\x9d The end."
    assert clean_text(misread) == "“Fats,â Dr. Parr says. âSome are good.â The end."


def test_the_json_output_is_still_json(hostile_archive):
    result = CliRunner().invoke(main, ["entities", "--format", "json", "--db", str(hostile_archive)])
    assert "Tomsk State University" in {row["name"] for row in json.loads(result.stdout)}
