"""Exports faithful to the archive: exact CSV for pandas, the Excel edition, Parquet types, filters, docs."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)
from helpers import run_cli

from archive.export import CSV_FILES, export_csv, export_jsonl, export_parquet
from archive.search import SearchQuery
from archive.store import ARTICLE_EXPORT_FIELDS, item_to_record, upsert_articles
from scraper.items import Mention

DICTIONARY = Path(__file__).parent.parent / "docs" / "data-dictionary.md"
TRICKY = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def archive(session):  # noqa: F811
    items = [
        make_item(1, title=TRICKY, text='Строка 1\nСтрока 2, с "кавычками"; и\tтабом', relevance=0.1 + 0.2),
        make_item(2, title="-5 кластеров", text="@home +7 numbers", published=None, places=["Томск"],
                  language="en", mentions=[Mention("person", "=cmd|' /C calc'!A0", "x")]),
        make_item(3, title="Погода", text="Дождь.", is_relevant=False, relevance=0.0, relevance_terms=[]),
    ]
    upsert_articles(session, [item_to_record(item) for item in items])
    session.commit()
    return session


def test_raw_cells_csv_reads_back_exactly_in_pandas(archive, tmp_path):
    import pandas as pd

    export_csv(archive, tmp_path, raw_cells=True)
    frame = pd.read_csv(tmp_path / "articles.csv", keep_default_na=False, dtype={"published": str})
    assert list(frame.columns) == list(ARTICLE_EXPORT_FIELDS)
    assert frame["title"].tolist() == [TRICKY, "-5 кластеров"]
    assert frame["text"][0] == 'Строка 1\nСтрока 2, с "кавычками"; и\tтабом'
    assert frame["relevance"][0] == 0.1 + 0.2  # floats round-trip exactly
    assert frame["is_relevant"].tolist() == [True, True]
    assert frame["published"].tolist() == ["2016-03-14", ""]
    assert not (tmp_path / "articles.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("excel", [False, True], ids=["default", "excel"])
def test_every_csv_edition_defuses_formulas_and_excel_adds_a_bom(archive, tmp_path, excel):
    # Issue 16, item 6: the default edition kept =HYPERLINK(…) live in LibreOffice.
    export_csv(archive, tmp_path, excel=excel)
    raw = (tmp_path / "articles.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == excel
    with (tmp_path / "articles.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["title"] == "'" + TRICKY
    assert rows[1]["title"] == "'-5 кластеров" and rows[1]["text"] == "'@home +7 numbers"
    assert rows[0]["relevance"] == repr(0.1 + 0.2)  # numbers are not text cells
    with (tmp_path / "entities.csv").open(encoding="utf-8-sig", newline="") as fh:
        names = [row["name"] for row in csv.DictReader(fh)]
    assert "'=cmd|' /C calc'!A0" in names


def test_a_semicolon_delimiter_for_locales_whose_excel_expects_it(archive, tmp_path):
    export_csv(archive, tmp_path, excel=True, delimiter=";")
    with (tmp_path / "articles.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [row["title"] for row in rows] == ["'" + TRICKY, "'-5 кластеров"]
    assert (tmp_path / "articles.csv").read_text(encoding="utf-8-sig").splitlines()[0].startswith("url;canonical_url;")


def test_search_csv_output_defuses_formulas_unless_raw_cells(archive, db_url):  # noqa: F811
    from click.testing import CliRunner

    from archive.cli import main

    for extra, title in (([], "'" + TRICKY), (["--raw-cells"], TRICKY)):
        result = CliRunner().invoke(main, ["search", "HYPERLINK", "--db", db_url, "--format", "csv", *extra])
        assert result.exit_code == 0, result.output
        [row] = list(csv.DictReader(result.stdout.splitlines()))
        assert row["title"] == title


def test_every_search_filter_applies_to_exports(archive, tmp_path):
    query = SearchQuery(text="кластерами", lang="en")
    assert export_csv(archive, tmp_path, query=query) == {"articles.csv": 1, "entities.csv": 1, "mentions.csv": 1, "urls.csv": 0}
    assert export_jsonl(archive, tmp_path / "a.jsonl", query=SearchQuery(person="cmd")) == 1
    assert export_jsonl(archive, tmp_path / "b.jsonl", query=SearchQuery(since=date(2016, 1, 1))) == 1
    assert export_jsonl(archive, tmp_path / "c.jsonl", query=SearchQuery(min_relevance=0.5)) == 1
    assert export_jsonl(archive, tmp_path / "d.jsonl", query=SearchQuery(include_all=True, source="tomsk-news")) == 3


def test_parquet_has_the_same_fields_typed(archive, tmp_path):
    import pyarrow.parquet as pq

    assert export_parquet(archive, tmp_path / "a.parquet", query=SearchQuery(include_all=True)) == 3
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.column_names == list(ARTICLE_EXPORT_FIELDS)
    import pyarrow as pa

    types = {field.name: field.type for field in table.schema}
    assert types["published"] == pa.date32() and types["people"].equals(pa.list_(pa.string()))
    assert types["is_relevant"] == pa.bool_() and types["fetched_at"] == pa.timestamp("us", tz="UTC")
    rows = table.to_pylist()
    assert rows[0]["published"] == date(2016, 3, 14) and rows[1]["published"] is None
    assert rows[1]["places"] == ["Томск"]
    assert rows[0]["fetched_at"] == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    jsonl = tmp_path / "a.jsonl"
    export_jsonl(archive, jsonl, query=SearchQuery(include_all=True))
    first = json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])
    assert first["title"] == rows[0]["title"] and first["people"] == rows[0]["people"]


def test_parquet_is_written_to_a_file_name_the_file_system_encoding_cannot_decode(archive, tmp_path):
    import os

    import pyarrow.parquet as pq

    name = os.fsdecode(b"export-\xff.parquet")  # a byte that is no UTF-8, read as a surrogate ("\udcff")
    assert export_parquet(archive, tmp_path / name, query=SearchQuery(include_all=True)) == 3
    assert [f for f in os.listdir(os.fsencode(tmp_path)) if f.startswith(b"export")] == [b"export-\xff.parquet"]
    with open(tmp_path / name, "rb") as written:
        assert pq.read_table(written).num_rows == 3


def _documented() -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {}
    current = None
    for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = set()
        elif current and (match := re.match(r"\| `([a-z_]+)` \|", line)):
            sections[current].add(match.group(1))
    return sections


def test_every_exported_column_is_in_the_data_dictionary(archive, tmp_path):
    export_csv(archive, tmp_path)
    documented = _documented()
    for name in CSV_FILES:
        with (tmp_path / name).open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        section = "articles" if name == "articles.csv" else name
        assert set(header) <= documented[section], f"{name}: {set(header) - documented[section]}"
    assert set(ARTICLE_EXPORT_FIELDS) == documented["articles"]


def test_export_commands_take_the_search_filters(db_url, tmp_path):  # noqa: F811
    from sqlalchemy.orm import Session

    from archive.db import open_engine

    db = db_url
    engine = open_engine(db)  # noqa: F811
    with Session(engine) as opened:
        upsert_articles(opened, [item_to_record(make_item(1)), item_to_record(make_item(2, language="en"))])
        opened.commit()
    engine.dispose()
    out = tmp_path / "ru.parquet"
    result = run_cli("export", "parquet", "--db", str(db), "--out", str(out), "--lang", "ru", "--query", "проекта")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Wrote 1 articles to {out}"
    result = run_cli("export", "csv", "--db", str(db), "--out", str(tmp_path / "x"), "--excel", "--since", "2020-01-01")
    assert result.returncode == 0 and "Wrote 0 rows" in result.stdout
    result = run_cli("export", "jsonl", "--db", str(db), "--out", str(tmp_path / "y.jsonl"), "--since", "2020-13-01")
    assert result.returncode == 2 and "is not a date" in result.stderr and "Traceback" not in result.stderr


def test_parquet_without_pyarrow_names_a_command_that_works_here(archive, tmp_path, monkeypatch):
    # Issue 16, item 18: "pip install 'ino-archive[parquet]'" fails from a checkout.
    import sys

    from archive.errors import ExportError

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ExportError) as missing:
        export_parquet(archive, tmp_path / "a.parquet")
    assert str(missing.value) == (
        f"Parquet export needs pyarrow, which is not installed: run {sys.executable} -m pip install 'pyarrow>=14'"
        " (in a checkout, .venv/bin/pip install -e '.[parquet]' does the same)"
    )
