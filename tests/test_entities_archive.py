"""Entities in the archive: cross-article linking, alias search, the entity list and the entity exports.

Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import date

import networkx as nx
import pytest
from archive_fixtures import db_url, engine, make_item, session  # noqa: F401  (fixtures)
from helpers import run_cli
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import open_engine, resolve_db_url
from archive.entities import RelinkResult, list_entities, relink_archive, replace_date_mentions
from archive.errors import ArchiveError
from archive.export import export_network, export_timeline
from archive.models import Article, DateMention, Entity, Mention
from archive.search import SearchQuery, search
from archive.store import item_to_record, upsert_articles
from pipelines.entities import EntitiesPipeline
from pipelines.entities_archive import EntitiesArchivePipeline
from scraper.items import Mention as FoundMention

TEXTS = [
    ("en", "Governor S.Zhvachkin met Ivan Petrov of Tomsk Polytechnic University on 10 March 2016."),
    ("ru", "Иван Петров встретился с Олегом Фомичёвым и ректором ТПУ в 2016–2017 годах."),
    ("en", "I. Petrov and Oleg Fomichyov discussed the plans of Tomsk Polytechnic University."),
]


def extracted(n, language, text, published):
    item = make_item(n, text=text, language=language, published=published, title=f"article {n}")
    return EntitiesPipeline().process_item(item)


def fill(session):
    items = [extracted(n, lang, text, date(2016, n, 1)) for n, (lang, text) in enumerate(TEXTS, 1)]
    upsert_articles(session, [item_to_record(item) for item in items])
    replace_date_mentions(session, {item.canonical_url: item.date_mentions for item in items})
    session.commit()
    return session


@pytest.fixture
def archive(session):  # noqa: F811
    return fill(session)


def people(session):
    return [row[0] for row in session.execute(select(Article.people).order_by(Article.id))]


def test_before_relinking_each_article_has_its_own_spelling(archive):
    assert people(archive)[1] == ["Иван Петров", "Олег Фомичёв"]
    assert people(archive)[2] == ["I. Petrov", "Oleg Fomichev"]


def test_relinking_merges_across_articles_and_languages(archive):
    result = relink_archive(archive)
    # Иван Петров, Олег Фомичёв and ТПУ (named in the Russian text's own words) and I. Petrov
    assert result.merged == 4
    assert people(archive) == [
        ["Sergey Zhvachkin", "Ivan Petrov"],
        ["Ivan Petrov", "Oleg Fomichev"],
        ["Ivan Petrov", "Oleg Fomichev"],
    ]
    names = set(archive.scalars(select(Entity.name).where(Entity.kind == "person")))
    assert names == {"Sergey Zhvachkin", "Ivan Petrov", "Oleg Fomichev"}


def test_a_distributed_worker_leaves_linking_to_the_last_worker_to_leave(archive, db_url):  # noqa: F811
    pipeline = EntitiesArchivePipeline(db_url)
    pipeline.worker_left(last=False)
    pipeline.finish()
    archive.rollback()  # a fresh read: the pipeline wrote through its own engine
    assert people(archive)[2] == ["I. Petrov", "Oleg Fomichev"], "a worker that was not last linked"
    pipeline.worker_left(last=True)
    pipeline.finish()
    archive.rollback()
    assert people(archive)[2] == ["Ivan Petrov", "Oleg Fomichev"]


def test_relinking_twice_changes_nothing(archive):
    relink_archive(archive)
    assert relink_archive(archive).merged == 0


@pytest.mark.parametrize("name", ["Петров", "Petrov", "I. Petrov", "Иван Петров"])
def test_search_by_person_matches_any_alias_in_any_script(archive, name):
    relink_archive(archive)
    assert len(search(archive, SearchQuery(person=name))) == 3


@pytest.mark.parametrize(("name", "articles"), [("Жвачкин", {"1"}), ("Фомичёв", {"2", "3"}), ("Zhvachkin", {"1"})])
def test_search_by_gazetteer_person_in_the_other_script(archive, name, articles):
    relink_archive(archive)
    assert {hit.url.rsplit("/", 1)[1] for hit in search(archive, SearchQuery(person=name))} == articles


def test_search_by_org_abbreviation(archive):
    assert len(search(archive, SearchQuery(org="ТПУ"))) == 3


def test_entity_list_counts_and_aliases(archive):
    relink_archive(archive)
    [petrov] = [e for e in list_entities(archive, kind="person") if e.name == "Ivan Petrov"]
    assert (petrov.articles, petrov.mentions) == (3, 3)
    assert (petrov.first_seen, petrov.last_seen) == (date(2016, 1, 1), date(2016, 3, 1))
    assert {"I. Petrov", "Иван Петров"} <= set(petrov.aliases)


def test_entity_list_top_orders_by_articles(archive):
    top = list_entities(archive, top=1)
    assert [e.name for e in top] == ["Tomsk Polytechnic University"]


def test_unknown_kind_is_an_archive_error(archive):
    with pytest.raises(ArchiveError, match="unknown kind"):
        list_entities(archive, kind="animal")


def test_date_mentions_are_stored_apart_from_the_publication_date(archive):
    rows = archive.execute(select(DateMention.surface, DateMention.date_from, DateMention.date_to)).all()
    assert sorted(rows) == [
        ("10 March 2016", date(2016, 3, 10), date(2016, 3, 10)),
        ("2016–2017 годах", date(2016, 1, 1), date(2017, 12, 31)),
    ]


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_network_loads_in_networkx_with_article_weights(archive, tmp_path, suffix):
    relink_archive(archive)
    path = tmp_path / f"network{suffix}"
    export_network(archive, path)
    graph = nx.read_graphml(path) if suffix == ".graphml" else nx.read_gexf(path)
    label = "name" if suffix == ".graphml" else "label"
    by_name = {data[label]: node for node, data in graph.nodes(data=True)}
    assert "Tomsk Polytechnic University" in by_name
    assert graph[by_name["Ivan Petrov"]][by_name["Oleg Fomichev"]]["weight"] == 2
    assert graph[by_name["Ivan Petrov"]][by_name["Tomsk Polytechnic University"]]["weight"] == 3


def test_network_refuses_an_unknown_format(archive, tmp_path):
    with pytest.raises(ArchiveError, match=r"\.graphml or \.gexf"):
        export_network(archive, tmp_path / "network.txt")


def test_timeline_counts_mentions_per_entity_per_month(archive, tmp_path):
    relink_archive(archive)
    path = tmp_path / "timeline.csv"
    export_timeline(archive, path)
    rows = {(r["month"], r["name"]): r for r in csv.DictReader(path.read_text(encoding="utf-8").splitlines())}
    assert rows[("2016-02", "Ivan Petrov")]["mentions"] == "1"
    assert rows[("2016-03", "Oleg Fomichev")]["articles"] == "1"
    assert ("2016-01", "Oleg Fomichev") not in rows


def test_cli_entities_and_exports(db_url, tmp_path):  # noqa: F811
    db = db_url
    built = open_engine(db, create=True)
    with Session(built) as opened:
        fill(opened)
    built.dispose()
    relinked = run_cli("entities", "--db", str(db), "--relink", "--kind", "person", "--top", "2")
    assert relinked.returncode == 0, relinked.stderr
    assert "Ivan Petrov" in relinked.stdout and "aka" in relinked.stdout
    out = tmp_path / "n.gexf"
    assert run_cli("export", "network", "--db", str(db), "--out", str(out)).returncode == 0
    assert nx.read_gexf(out).number_of_edges() > 0
    bad = run_cli("export", "network", "--db", str(db), "--out", str(tmp_path / "n.png"))
    assert bad.returncode == 1
    assert bad.stderr.startswith("Error: ") and "Traceback" not in bad.stderr


def test_a_crawl_stores_date_mentions_and_links_entities(crawled_on):
    db, result = crawled_on
    assert result.returncode == 0, result.stderr
    built = open_engine(resolve_db_url(str(db)), create=False)
    with Session(built) as opened:
        surfaces = set(opened.scalars(select(DateMention.surface)))
        aliases = {e.name: e.aliases for e in list_entities(opened, kind="person")}
    built.dispose()
    assert "10-11 of March of 2016" in surfaces
    assert "A.Antonov" in aliases["Andrey Antonov"]


def test_date_mentions_of_stored_articles_are_written_during_the_crawl_not_only_at_its_end(db_url):  # noqa: F811
    # A crawl killed before its end must keep the date mentions of the articles it stored, and a long crawl
    # must not hold every article's mentions in memory.
    built = open_engine(db_url, create=True)
    stored = [extracted(n, lang, text, date(2016, n, 1)) for n, (lang, text) in enumerate(TEXTS, 1)]
    with Session(built) as opened:
        upsert_articles(opened, [item_to_record(item) for item in stored[:2]])  # the store wrote two so far
        opened.commit()
    pipeline = EntitiesArchivePipeline(db_url, flush_items=3)
    for item in stored:
        pipeline.process_item(item)
    with Session(built) as opened:
        surfaces = set(opened.scalars(select(DateMention.surface)))
    built.dispose()
    assert surfaces == {"10 March 2016", "2016–2017 годах"}
    assert list(pipeline.pending) == [stored[2].canonical_url], "the article not stored yet is kept for later"


# --- an archive brought up to a new model (what reprocess and a re-crawl do) ----------------------------
OLD_MODEL_TEXT = "Борис Ротенберг посетил Южные Курилы. Губернатор Сергей Жвачкин встретился с Борисом Ротенбергом."


def old_model_item():
    """The article as an earlier extraction stored it: invented names, English gazetteer names."""
    return make_item(
        1, text=OLD_MODEL_TEXT, people=["Борис Ротенберги", "Sergey Zhvachkin"], places=["Южные Куривший"],
        organisations=[], relevance_terms=["Tomsk"],
        mentions=[
            FoundMention("person", "Борис Ротенберги", "Борис Ротенберг", 0, 15),
            FoundMention("place", "Южные Куривший", "Южные Курилы", 24, 36),
            FoundMention("person", "Sergey Zhvachkin", "Сергей Жвачкин", 49, 63, "губернатор"),
            FoundMention("person", "Борис Ротенберги", "Борисом Ротенбергом", 77, 96),
        ],
    )


def stored_entities(session):
    return sorted(session.execute(select(Entity.kind, Entity.name)).all())


def test_storing_the_new_models_extraction_and_relinking_replace_the_old_names_without_duplicates(session):  # noqa: F811
    upsert_articles(session, [item_to_record(old_model_item())])
    relink_archive(session)
    new = EntitiesPipeline().process_item(make_item(1, text=OLD_MODEL_TEXT, relevance_terms=["Tomsk + cluster"]))
    upsert_articles(session, [item_to_record(new)])
    result = relink_archive(session)
    assert stored_entities(session) == [
        ("person", "Sergey Zhvachkin"), ("person", "Борис Ротенберг"), ("place", "Южные Курилы"),
    ]
    # no mention names "Борис Ротенберги", "Южные Куривший" or the old "Sergey Zhvachkin" any more:
    # removed first, and "Сергей Жвачкин" is then linked to a new "Sergey Zhvachkin"
    assert (result.removed, result.merged) == (3, 1)
    assert people(session) == [["Борис Ротенберг", "Sergey Zhvachkin"]]
    assert relink_archive(session) == RelinkResult()


def test_relinking_keeps_every_entity_a_mention_names(archive):
    before = stored_entities(archive)
    relink_archive(archive)
    mentioned = set(archive.scalars(select(Mention.entity_id).distinct()))
    assert set(archive.scalars(select(Entity.id))) == mentioned
    assert len(stored_entities(archive)) < len(before)  # merged ones are gone, none lost


def test_reprocess_brings_a_crawled_archive_up_to_the_new_model_without_duplicates(crawled, tmp_path):
    """An archive an older model extracted: its names differ ("… (old model)"), so do its hashes.
    ``reprocess`` replaces every article's mentions, relinks, and leaves no old name behind."""
    import sqlite3

    from helpers import copy_archive

    db, _ = crawled
    copy = copy_archive(db, tmp_path)

    def rows(query):
        with sqlite3.connect(copy) as conn:
            return sorted(conn.execute(query).fetchall())

    fresh_entities = rows("SELECT kind, name FROM entities")
    fresh_lists = rows("SELECT canonical_url, people, organisations, places FROM articles")
    fresh_mentions = rows("SELECT count(*) FROM mentions")
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE entities SET name = name || ' (old model)'")
        conn.execute("UPDATE articles SET extract_hash = 'older model', people = '[]'")
    result = run_cli("reprocess", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert rows("SELECT kind, name FROM entities") == fresh_entities
    assert rows("SELECT canonical_url, people, organisations, places FROM articles") == fresh_lists
    assert rows("SELECT count(*) FROM mentions") == fresh_mentions
    assert rows("SELECT name FROM entities WHERE name LIKE '%(old model)%'") == []
