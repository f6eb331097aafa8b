"""The archive as a research instrument, without a browser: timelines, facets, co-occurrence, date bounds,
the `timeline` and `search --facets` commands, entity pages, and the answers `serve --db` gives."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.request
from datetime import date
from urllib.parse import quote

import pytest
from archive_fixtures import db_url, engine, session  # noqa: F401  (fixtures)
from helpers import run_cli
from site_fixtures import (
    RESEARCH_COUNT,
    fill_research,
    is_russian,
    names_cluster,
    names_governor,
    names_tsu,
    research_day,
    served,
)
from sqlalchemy.orm import Session

from archive.db import open_engine
from archive.errors import ArchiveError
from archive.search import SearchQuery, co_occurring, date_bound, facets, period_range, timeline
from archive.site import export_site
from archive.site.build import QUERY_LIMITS
from archive.site.paths import slug

CLUSTER_RU_RESEARCH = [k for k in range(RESEARCH_COUNT) if names_cluster(k) and is_russian(k)]


@pytest.fixture
def research(session):  # noqa: F811
    fill_research(session)
    return session


def test_timeline_counts_matches_and_the_collection_per_year(research):
    found = timeline(research, SearchQuery("кластерами", include_all=True), "year")
    in_2016 = [k for k in CLUSTER_RU_RESEARCH if research_day(k).year == 2016]
    # The site articles: two about clusters in 2016, the hostile one ("о кластере") in 2017; two of each year.
    assert [(p.period, p.matches, p.total) for p in found.periods] == [
        ("2016", len(in_2016) + 2, 19 + 2),
        ("2017", len(CLUSTER_RU_RESEARCH) - len(in_2016) + 1, 11 + 2),
    ]
    assert found.periods[0].share == pytest.approx(9 / 21) and found.undated == 0 and found.matches == 13


def test_timeline_lists_empty_periods_and_keeps_to_since_and_until(research):
    found = timeline(research, SearchQuery("university", include_all=True, since=date(2016, 12, 1),
                                           until=date(2017, 2, 28)), "month")
    assert [(p.period, p.matches, p.total) for p in found.periods] == [
        ("2016-12", 0, 2), ("2017-01", 1, 2), ("2017-02", 0, 3),
    ]


def test_timeline_share_is_of_the_collection_searched(research):
    """Filters by language narrow the collection; a person does not (they are what is counted)."""
    by_lang = timeline(research, SearchQuery("", lang="en", include_all=True), "year")
    assert [(p.period, p.matches, p.total) for p in by_lang.periods] == [("2016", 6, 6), ("2017", 5, 5)]
    named = timeline(research, SearchQuery("", person="Жвачкин", include_all=True), "year")
    governor = [k for k in range(RESEARCH_COUNT) if names_governor(k)]
    assert [(p.period, p.matches) for p in named.periods] == [
        ("2016", sum(1 for k in governor if research_day(k).year == 2016) + 2),
        ("2017", sum(1 for k in governor if research_day(k).year == 2017)),
    ]


def test_unknown_period_is_an_error(research):
    with pytest.raises(ArchiveError, match="unknown period 'day'; use one of week, month, year"):
        timeline(research, SearchQuery("кластер"), "day")


def test_facets_count_articles_per_person_organisation_place_source_language(research):
    found = facets(research, SearchQuery("кластерами", include_all=True))
    governor = sum(1 for k in CLUSTER_RU_RESEARCH if names_governor(k)) + 2
    tsu = sum(1 for k in CLUSTER_RU_RESEARCH if names_tsu(k)) + 1  # "Губернатор открыл кластер" names TSU
    assert [(v.name, v.count) for v in found.people][0] == ("Sergey Zhvachkin", governor)
    assert [(v.name, v.count) for v in found.organisations] == [("Tomsk State University", tsu)]
    assert [(v.name, v.count) for v in found.places] == [("Tomsk", len(CLUSTER_RU_RESEARCH))]
    assert [(v.name, v.count) for v in found.sources] == [("tomsk-news", 13)]
    assert [(v.name, v.count) for v in found.languages] == [("ru", 13)]


def test_co_occurring_names_who_appears_with_an_organisation_and_when(research):
    found = co_occurring(research, SearchQuery(include_all=True), "org", "ТГУ")
    tsu_en = [k for k in range(RESEARCH_COUNT) if names_tsu(k) and not is_russian(k)]
    tsu_governor = [k for k in range(RESEARCH_COUNT) if names_tsu(k) and names_governor(k)]
    assert [(c.kind, c.name, c.articles) for c in found] == [
        ("person", "Andrey Antonov", len(tsu_en)),
        ("person", "Sergey Zhvachkin", len(tsu_governor) + 1),
    ]
    assert (found[1].first, found[1].last) == (research_day(tsu_governor[0]), date(2016, 5, 2))


@pytest.mark.parametrize(("text", "end", "expected"), [
    ("2016", False, date(2016, 1, 1)), ("2016", True, date(2016, 12, 31)),
    ("2016-02", True, date(2016, 2, 29)), ("2015-02", True, date(2015, 2, 28)),
    ("2016-3", False, date(2016, 3, 1)), ("2016-03-14", True, date(2016, 3, 14)),
])
def test_date_bounds_take_a_year_a_month_or_a_day(text, end, expected):
    assert date_bound(text, end=end) == expected


@pytest.mark.parametrize("text", ["16", "2016-13", "2016-02-30", "March 2016", ""])
def test_a_bound_that_is_no_date_is_refused(text):
    with pytest.raises(ArchiveError, match="not a date"):
        date_bound(text)


def test_iso_weeks_run_across_the_new_year():
    assert period_range(date(2020, 12, 28), date(2021, 1, 11), "week") == ["2020-W53", "2021-W01", "2021-W02"]


def archive_file(tmp_path):
    db = tmp_path / "archive.sqlite3"
    created = open_engine(f"sqlite:///{db}")
    with Session(created) as opened:
        fill_research(opened)
    created.dispose()
    return db


def test_timeline_command_prints_csv_and_json(tmp_path):
    db = archive_file(tmp_path)
    result = run_cli("timeline", "кластерами", "--all", "--by", "year", "--format", "csv", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["period,matches,total,share", "2016,9,21,0.4286", "2017,4,13,0.3077"]
    assert result.stderr == "13 matching article(s) in 2 period(s), 0 undated\n"
    result = run_cli("timeline", "кластерами", "--all", "--since", "2016-05", "--until", "2016-06",
                     "--format", "json", "--db", str(db))
    assert json.loads(result.stdout) == {"by": "month", "undated": 0, "periods": [
        {"period": "2016-05", "matches": 2, "total": 3, "share": 0.6667},
        {"period": "2016-06", "matches": 0, "total": 1, "share": 0.0},
    ]}


def test_search_since_until_accept_a_year_and_a_month(tmp_path):
    db = archive_file(tmp_path)
    result = run_cli("search", "кластерами", "--all", "--since", "2017", "--until", "2017-03", "--format", "json",
                     "--db", str(db))
    assert result.returncode == 0, result.stderr
    in_range = [k for k in CLUSTER_RU_RESEARCH if date(2017, 1, 1) <= research_day(k) <= date(2017, 3, 31)]
    assert sorted(hit["published"] for hit in json.loads(result.stdout)) == sorted(
        [research_day(k).isoformat() for k in in_range] + ["2017-02-01"])
    bad = run_cli("search", "x", "--until", "2017-14", "--db", str(db))
    assert bad.returncode == 2 and "'2017-14' is not a date: give a year (2016), a month" in bad.stderr


def test_search_facets_prints_top_entities_and_sources(tmp_path):
    db = archive_file(tmp_path)
    result = run_cli("search", "кластерами", "--all", "--facets", "--top", "1", "--limit", "1", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[3:] == [
        "",
        "In the 13 matching article(s):",
        "  People: Sergey Zhvachkin (8)",
        "  Organisations: Tomsk State University (3)",
        "  Places: Tomsk (10)",
        "  Sources: tomsk-news (13)",
        "  Languages: ru (13)",
    ]
    as_csv = run_cli("search", "university", "--all", "--facets", "--format", "csv", "--db", str(db))
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [
        ["facet", "name", "articles"], ["organisations", "Tomsk State University", "1"],
        ["sources", "ino-tomsk-en", "1"], ["languages", "en", "1"],
    ]
    as_json = json.loads(run_cli("search", "university", "--all", "--facets", "--format", "json", "--db", str(db)).stdout)
    assert as_json["total"] == 1 and as_json["facets"]["organisations"] == [{"name": "Tomsk State University", "articles": 1}]


@pytest.fixture
def research_site(tmp_path):
    db = archive_file(tmp_path)
    created = open_engine(f"sqlite:///{db}", create=False)
    with Session(created) as opened:
        export_site(opened, tmp_path / "site", query=SearchQuery(include_all=True))
    created.dispose()
    return db, tmp_path / "site"


def test_person_page_shows_name_variants_roles_companions_and_labelled_timeline(research_site):
    _, site = research_site
    html = (site / "people" / f"{slug('Sergey Zhvachkin')}.html").read_text(encoding="utf-8")
    assert "<li>Сергей Жвачкин</li>" in html and "<li>Сергея Жвачкина</li>" in html  # another script, a case
    assert '<li>губернатор Томской области <span class="meta">' in html
    assert '<a href="../orgs/' + slug("Tomsk State University") + '.html">Tomsk State University</a>' in html
    assert '<text class="x-tick"' in html and '>2016</text>' in html and '<text class="y-tick"' in html


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_serve_with_a_database_answers_search_facets_and_timeline(research_site):
    db, site = research_site
    with served(site, db) as base:
        assert get(f"{base}/api/status") == (200, {"api": 1})
        status, found = get(f"{base}/api/search?q={quote('кластерами')}&person=Zhvachkin&sort=date")
        assert status == 200 and found["total"] == 8 and found["pages"] == 1
        assert found["hits"][0]["title"] == "Сводка 28: развитие кластеров"
        assert found["hits"][0]["snippet"] == "В Томске прошла встреча номер 28. Обсудили работу \ue000кластеров\ue001."
        status, counts = get(f"{base}/api/facets?q={quote('кластерами')}")
        assert counts["org"] == [{"name": "Tomsk State University", "count": 3}]
        status, series = get(f"{base}/api/timeline?q={quote('кластерами')}&vs=university&by=year")
        assert [(s["label"], [(p["period"], p["matches"], p["total"]) for p in s["periods"]]) for s in series] == [
            ("кластерами", [("2016", 9, 21), ("2017", 4, 13)]),
            ("university", [("2016", 0, 21), ("2017", 1, 13)]),
        ]


def test_serve_refuses_a_bad_request_with_the_library_message(research_site):
    db, site = research_site
    with served(site, db) as base:
        assert get(f"{base}/api/search?q=x&since=2016-13") == (
            400, {"error": "'2016-13' is not a date: give a year (2016), a month (2016-03) or a day (2016-03-14)"})
        assert get(f"{base}/api/nothing") == (404, {"error": "no such answer: nothing"})
        assert get(f"{base}/api/search?" + "&".join(f"vs={n}" for n in range(65))) == (
            400, {"error": "more than 64 parameters"})


def test_serve_keeps_its_heap_out_of_full_collections_after_its_first_answer(research_site, monkeypatch):
    import gc

    from archive.site import serve

    db, site = research_site
    monkeypatch.setitem(serve._HEAP, "settled", False)
    before = gc.get_freeze_count()

    def frozen_after(url, wait=False):
        status, _ = get(url)
        deadline = time.monotonic() + 10  # the answer is sent first, the heap settled after it
        while wait and gc.get_freeze_count() == before and time.monotonic() < deadline:
            time.sleep(0.01)
        return status, gc.get_freeze_count()

    try:
        with served(site, db, settle=True) as base:
            assert frozen_after(f"{base}/api/status") == (200, before)  # nothing answered from the archive yet
            assert frozen_after(f"{base}/api/search?q=x&since=2016-13") == (400, before)  # nor by a refusal
            status, frozen = frozen_after(f"{base}/api/search?q={quote('кластерами')}", wait=True)
            assert status == 200 and frozen > before
            assert get(f"{base}/api/facets?q=university")[0] == 200
            assert serve.settle_heap() is False  # once per process
    finally:
        gc.unfreeze()


def test_the_site_mirrors_the_search_language_bounds():
    from archive.search import syntax

    assert QUERY_LIMITS == {"chars": getattr(syntax, "MAX_QUERY_CHARS", 2000),
                            "terms": getattr(syntax, "MAX_QUERY_TERMS", 32)}


@pytest.mark.slow
def test_the_demo_says_how_to_open_the_site_and_the_line_works(tmp_path):
    import shlex
    import subprocess
    import sys

    db = tmp_path / "demo.sqlite3"
    result = run_cli("demo", "--db", str(db))
    assert result.returncode == 0, result.stderr
    [line] = [line.strip() for line in result.stdout.splitlines() if "export site" in line]
    export, serve = (shlex.split(part) for part in line.split("#")[0].split("&&"))
    assert serve == ["ino-archive", "serve", "demo-site", "--db", str(db)]
    assert line.endswith("# then open http://127.0.0.1:8000/ (or demo-site/index.html from disk)")
    done = subprocess.run([sys.executable, "-m", "archive.cli", *export[1:]], cwd=tmp_path, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "demo-site" / "index.html").is_file() and (tmp_path / "demo-site" / "assets" / "index" / "meta.js").is_file()


def test_entities_with_lists_who_appears_with_a_person(tmp_path):
    db = archive_file(tmp_path)
    result = run_cli("entities", "--with", "Жвачкин", "--all", "--db", str(db))
    assert result.returncode == 0, result.stderr
    tsu_governor = [k for k in range(RESEARCH_COUNT) if names_tsu(k) and names_governor(k)]
    assert result.stdout.splitlines() == [
        f"org    Tomsk State University  ({len(tsu_governor) + 1} articles,"
        f" {research_day(tsu_governor[0])} … 2016-05-02)",
    ]
    assert run_cli("entities", "--with", "Томск", "--kind", "place", "--db", str(db)).stderr == (
        "Error: --with takes a person or an organisation (--kind person or --kind org)\n")
