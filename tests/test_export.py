"""Exports: JSON Lines and the three CSV files, streamed from SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)

from archive.errors import ExportError
from archive.export import export_csv, export_jsonl
from archive.store import ARTICLE_EXPORT_FIELDS, item_to_record, upsert_articles
from scraper.items import Mention


@pytest.fixture
def archive(session):  # noqa: F811
    items = [
        make_item(1),
        make_item(2, published=None, places=["Томск", "Северск"], relevance_terms=["ИНО", "кластер"],
                  mentions=[Mention("place", "Томск", "Томске", 3, 9), Mention("place", "Северск", "Северск")]),
        make_item(3, is_relevant=False, relevance=0.0, relevance_terms=[], title="Погода", text="Дождь."),
    ]
    upsert_articles(session, [item_to_record(item) for item in items])
    session.commit()
    return session


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_jsonl_export_writes_one_object_per_relevant_article(archive, tmp_path):
    path = tmp_path / "out.jsonl"
    assert export_jsonl(archive, path) == 2
    raw = path.read_text(encoding="utf-8")
    assert "Сергей Жвачкин" in raw  # ensure_ascii=False: readable Cyrillic
    rows = [json.loads(line) for line in raw.splitlines()]
    assert list(rows[0]) == list(ARTICLE_EXPORT_FIELDS)
    assert rows[0]["published"] == "2016-03-14"
    assert rows[0]["fetched_at"] == "2024-05-01T12:00:00+00:00"
    assert rows[0]["people"] == ["Сергей Жвачкин"]
    assert rows[1]["published"] is None
    assert rows[1]["places"] == ["Томск", "Северск"]


def test_jsonl_export_include_all_adds_irrelevant_articles_with_their_flag(archive, tmp_path):
    path = tmp_path / "all.jsonl"
    assert export_jsonl(archive, path, include_all=True) == 3
    flags = [json.loads(line)["is_relevant"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert flags == [True, True, False]


def test_jsonl_export_writes_to_an_open_stream(archive):
    out = io.StringIO()
    assert export_jsonl(archive, out) == 2
    assert len(out.getvalue().splitlines()) == 2


def test_csv_export_joins_lists_with_semicolons(archive, tmp_path):
    counts = export_csv(archive, tmp_path / "dataset")
    assert counts == {"articles.csv": 2, "entities.csv": 4, "mentions.csv": 4, "urls.csv": 0}
    rows = read_csv(tmp_path / "dataset" / "articles.csv")
    assert list(rows[0]) == list(ARTICLE_EXPORT_FIELDS)
    assert rows[1]["places"] == "Томск; Северск"
    assert rows[1]["relevance_terms"] == "ИНО; кластер"
    assert rows[1]["published"] == ""
    assert rows[0]["published"] == date(2016, 3, 14).isoformat()
    assert rows[0]["is_relevant"] == "true"


def test_csv_export_writes_entities_and_mentions_that_join_on_ids(archive, tmp_path):
    export_csv(archive, tmp_path)
    entities = {row["entity_id"]: row for row in read_csv(tmp_path / "entities.csv")}
    mentions = read_csv(tmp_path / "mentions.csv")
    person = next(row for row in entities.values() if row["kind"] == "person")
    assert (person["name"], person["articles"], person["mentions"]) == ("Сергей Жвачкин", "1", "1")
    assert all(m["entity_id"] in entities for m in mentions)
    tomsk = next(m for m in mentions if m["surface"] == "Томске")
    assert tomsk == {
        "article_url": "https://news.example/articles/2", "entity_id": tomsk["entity_id"],
        "kind": "place", "name": "Томск", "surface": "Томске", "start": "3", "end": "9", "role": "",
    }


def test_csv_export_include_all_adds_irrelevant_rows(archive, tmp_path):
    counts = export_csv(archive, tmp_path, include_all=True)
    assert counts["articles.csv"] == 3
    assert [row["is_relevant"] for row in read_csv(tmp_path / "articles.csv")] == ["true", "true", "false"]


def test_csv_export_creates_missing_folder_and_leaves_no_part_files(archive, tmp_path):
    folder = tmp_path / "a" / "b"
    export_csv(archive, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["articles.csv", "entities.csv", "mentions.csv", "urls.csv"]


def test_export_into_a_path_below_a_file_is_reported(archive, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match=f"^cannot create folder {blocker / 'out'}: "):
        export_csv(archive, blocker / "out")
    with pytest.raises(ExportError, match="^cannot create folder"):
        export_jsonl(archive, blocker / "out" / "a.jsonl")
    assert blocker.read_text(encoding="utf-8") == "x"


def test_export_of_empty_archive_writes_headers_only(session, tmp_path):  # noqa: F811
    assert export_csv(session, tmp_path) == {"articles.csv": 0, "entities.csv": 0, "mentions.csv": 0, "urls.csv": 0}
    assert (tmp_path / "articles.csv").read_text(encoding="utf-8").strip() == ",".join(ARTICLE_EXPORT_FIELDS)
