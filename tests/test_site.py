"""The static site as files: pages, links, escaping, CSP, paths that stay inside the folder."""

from __future__ import annotations

import json
import re
import threading
import urllib.request
from collections import Counter
from html.parser import HTMLParser

import pytest
from archive_fixtures import db_url, engine, session  # noqa: F401  (fixtures)
from helpers import run_cli
from site_fixtures import HOSTILE_PERSON, HOSTILE_TITLE, fill
from sqlalchemy import select

from archive.errors import ArchiveError, ExportError
from archive.search import SearchQuery
from archive.site import CSP, export_site, make_server
from archive.site.build import safe_link
from archive.site.paths import slug, write_file
from archive.site.timeline import timeline


class PageParser(HTMLParser):
    """Collects what a browser would act on: scripts, handlers, links, CSP."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []
        self.handlers: list[str] = []
        self.links: list[str] = []
        self.csp: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.csp.append(attrs["content"])


def parse(path):
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture
def site(session, tmp_path):  # noqa: F811
    fill(session)
    out = tmp_path / "site"
    counts = export_site(session, out, query=SearchQuery(include_all=True))
    return out, counts


def test_site_has_a_page_per_article_person_and_organisation(site):
    out, counts = site
    assert counts["articles"] == 4 and counts["people"] == 2 and counts["orgs"] == 1
    assert sorted(p.name for p in (out / "articles").iterdir()) == ["1.html", "2.html", "3.html", "4.html"]
    assert (out / "people" / f"{slug('Сергей Жвачкин')}.html").is_file()
    assert (out / "orgs" / f"{slug('Tomsk State University')}.html").is_file()
    assert {p.name for p in (out / "years").iterdir()} == {"2016.html", "2017.html"}


def test_every_page_has_the_strict_csp_and_only_external_own_scripts(site):
    out, _ = site
    pages = list(out.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        parsed = parse(page)
        assert parsed.csp == [CSP], page
        assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
        assert all(script.get("src", "").endswith(".js") for script in parsed.scripts), page
        assert parsed.handlers == [], page


def test_every_internal_link_leads_to_a_written_page(site):
    out, _ = site
    for page in out.rglob("*.html"):
        for link in parse(page).links:
            if link.startswith("http"):
                continue
            target = (page.parent / link.split("#")[0].split("?")[0]).resolve()
            assert target.is_file(), f"{page.relative_to(out)} links to missing {link}"


def article_page(session, out, canonical_url):  # noqa: F811
    """The site's page of one article (pages are named by article id, which the store assigns)."""
    from archive.models import Article

    article_id = session.scalars(select(Article.id).where(Article.canonical_url == canonical_url)).one()
    return out / "articles" / f"{article_id}.html"


def test_hostile_text_is_escaped_and_javascript_urls_are_not_linked(site, session):  # noqa: F811
    out, _ = site
    page = article_page(session, out, "https://evil.example/page")
    html = page.read_text(encoding="utf-8")
    parsed = parse(page)
    assert "&lt;script&gt;window.__pwned" in html and "&lt;img src=x onerror=" in html
    assert not any(link.lower().startswith("javascript:") for link in parsed.links)
    assert "https://evil.example/page" in parsed.links  # the canonical http(s) URL is linked instead
    assert HOSTILE_PERSON not in html and "&lt;b onmouseover=" in html
    assert parsed.handlers == [] and [s.get("src") for s in parsed.scripts] == ["../assets/i18n.js"]


def test_article_page_shows_facts_and_links_people(site, session):  # noqa: F811
    out, _ = site
    page = article_page(session, out, "https://news.example/articles/2")
    html = page.read_text(encoding="utf-8")
    assert "Губернатор открыл кластер" in html and "2016-05-02" in html and "tomsk-news" in html
    assert f"../people/{slug('Сергей Жвачкин')}.html" in parse(page).links
    assert f"../orgs/{slug('Tomsk State University')}.html" in parse(page).links
    assert "https://news.example/articles/2?utm=x" in parse(page).links


def test_person_page_lists_articles_with_a_monthly_timeline(site):
    out, _ = site
    html = (out / "people" / f"{slug('Сергей Жвачкин')}.html").read_text(encoding="utf-8")
    assert html.count('href="../articles/') == 2
    bars = re.findall(r"<title>(\d{4}-\d{2}): (\d+)</title>", html)
    assert bars == [("2016-03", "1"), ("2016-04", "0"), ("2016-05", "1")]


def index_file(out, name):
    return (out / "assets" / "index" / name).read_text(encoding="utf-8")


def test_search_index_knows_stems_and_forms(site):
    out, counts = site
    assert counts["shards"] == 1  # a small archive fits one shard
    js = index_file(out, "s/0.js")
    assert js.startswith('INO_INDEX.shard(0,{"stems":{')
    assert '"кластеров":"кластер"' in js and '"universities":"universiti"' in js
    assert "</script" not in js and "</" not in js


def test_index_postings_decode_to_the_articles_holding_the_stem(site, session):  # noqa: F811
    from archive.models import Article

    out, _ = site
    titles = dict(session.execute(select(Article.id, Article.title)).all())
    meta = json.loads(index_file(out, "meta.js").removeprefix("INO_INDEX.meta(").removesuffix(");\n"))
    shard = json.loads(index_file(out, "s/0.js").removeprefix("INO_INDEX.shard(0,").removesuffix(");\n"))
    numbers = decode_postings(shard["stems"]["кластер"])
    by_title = {titles[meta["ids"][number]]: weight for number, weight in numbers}
    # 4 for the title, plus the occurrences in the text minus one; articles are numbered newest first.
    assert by_title == {HOSTILE_TITLE: 0, "Губернатор открыл кластер": 4, "Кластеры ИНО Томск подвели итоги": 4}
    assert list(by_title) == [HOSTILE_TITLE, "Губернатор открыл кластер", "Кластеры ИНО Томск подвели итоги"]
    assert meta["limits"] == {"chars": 2000, "terms": 32, "phraseBlocks": 40, "phraseBlocksLater": 400}


def test_search_index_lists_each_stems_forms_as_the_archive_stems_them(site, session):  # noqa: F811
    from archive.knowledge import fold, stem, words
    from archive.models import Article

    out, _ = site
    shard = json.loads(index_file(out, "s/0.js").removeprefix("INO_INDEX.shard(0,").removesuffix(");\n"))
    inflected = {key: value.split(" ") for key, value in shard["inflected"].items()}
    assert inflected["кластер"] == ["кластере", "кластеров", "кластеры"]
    assert inflected["universiti"] == ["universities"]
    for stemmed, forms in inflected.items():
        assert all(stem(form) == stemmed != form for form in forms)
    # Every word of every text is found through them: as a listed form, or as its own stem.
    texts = session.execute(select(Article.title, Article.text)).all()
    seen = {fold(word) for title, text in texts for word in words(title) + words(text)}
    assert {form for forms in inflected.values() for form in forms} == {w for w in seen if stem(w) != w}


def decode_postings(text):
    """The browser's decoding of a postings string (engine.js), in Python: [(number, weight)]."""
    from archive.site.searchindex import LAST_DIGIT, MORE_DIGIT

    found, value, previous = [], 0, 0
    for char in text:
        value = value * 32 + (LAST_DIGIT + MORE_DIGIT).index(char) % 32
        if char in LAST_DIGIT:
            previous += value >> 3
            found.append((previous, value & 7))
            value = 0
    return found


def decode_gaps(text):
    """The browser's decoding of a pair's articles (engine.js ``decodeGaps``), in Python."""
    from archive.site.searchindex import LAST_DIGIT, MORE_DIGIT

    found, value, previous = [], 0, 0
    for char in text:
        value = value * 32 + (LAST_DIGIT + MORE_DIGIT).index(char) % 32
        if char in LAST_DIGIT:
            previous += value
            found.append(previous)
            value = 0
    return found


def pair_builder(tmp_path, **options):
    from archive.site.searchindex import SearchIndexBuilder

    builder = SearchIndexBuilder(tmp_path, **options)
    for article_id, text in enumerate(["alpha beta gamma alpha omega", "alpha beta delta alpha omega",
                                       "beta alpha", "gamma zeta"]):
        builder.add(article_id, 0, "en", "s", None, text)
    return builder


def test_pairs_of_frequent_stems_hold_where_one_follows_the_other(tmp_path):
    from archive.site.searchindex import SAME

    builder = pair_builder(tmp_path, pair_share=0.5)  # frequent: in 2 of the 4 articles or more
    pairs = {pair: value if value == SAME else decode_gaps(value) for pair, value in builder.pairs().items()}
    # "alpha omega" is in both articles holding omega: the articles of the two stems say it already.
    # delta and zeta are in one article each: their pairs are not kept.
    assert pairs == {"alpha beta": [0, 1], "beta gamma": [0], "gamma alpha": [0], "alpha omega": SAME,
                     "beta alpha": [2]}
    assert builder.pair_floor == 2


def test_pairs_beyond_their_room_keep_the_most_frequent_stems(tmp_path):
    # 40 bytes: the two pairs of alpha and beta (in 3 articles each) take 35 of them.
    builder = pair_builder(tmp_path, pair_share=0.5, room=40)
    assert sorted(builder.pairs()) == ["alpha beta", "beta alpha"]
    assert builder.pair_floor == 3



def test_pairs_hold_past_two_bytes_of_stem_numbers(tmp_path):
    from archive.site.searchindex import SAME, SearchIndexBuilder

    builder = SearchIndexBuilder(tmp_path, room=10**8)
    for article_id, text in enumerate([" ".join(f"x{n}" for n in range(70_000)), "x69998 x69999", "x69999 x0"]):
        builder.add(article_id, 0, "en", "s", None, text)
    pairs = builder.pairs()
    assert pairs["x69998 x69999"] == SAME and decode_gaps(pairs["x69999 x0"]) == [2]

def test_site_pairs_are_the_articles_the_archive_finds_for_the_phrase(tmp_path):
    """On SQLite, the default archive (PostgreSQL's vector runs the title on into the text and drops stop words)."""
    from sqlalchemy.orm import Session

    from archive.db import open_engine

    engine = open_engine(f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    with Session(engine) as session:
        _check_phrase_pairs(session, tmp_path)
    engine.dispose()


def _check_phrase_pairs(session, tmp_path):
    from archive_fixtures import make_item

    from archive.search import search
    from archive.store import item_to_record, upsert_articles

    texts = {
        1: ("Итоги года", "Губернатор томской области открыл кластер."),
        2: ("Вузы", "В области работают вузы томской земли."),  # both words, not next to each other
        3: ("Жители", "Жители томской, области и города."),  # punctuation between: still a phrase
        4: ("Новости томской", "Области вузов растут."),  # the title does not run on into the text
        5: ("Университеты Томской области", "Вузы растут."),
        6: ("Погода", "Дожди идут."),
    }
    items = [make_item(n, title=title, text=text) for n, (title, text) in texts.items()]
    upsert_articles(session, [item_to_record(item) for item in items])
    session.commit()
    out = tmp_path / "site"
    export_site(session, out, query=SearchQuery(include_all=True))
    meta = json.loads(index_file(out, "meta.js").removeprefix("INO_INDEX.meta(").removesuffix(");\n"))
    pairs = {}
    for n in range(len(meta["shards"])):
        shard = json.loads(index_file(out, f"s/{n}.js").removeprefix(f"INO_INDEX.shard({n},").removesuffix(");\n"))
        pairs.update(shard["pairs"])
    on_site = {meta["ids"][number] for number in decode_gaps(pairs["томск област"])}
    found = search(session, SearchQuery('"томской области"', include_all=True, limit=100))
    assert on_site == {hit.article_id for hit in found}
    assert len(on_site) == 3


def test_site_filters_like_search(session, tmp_path):  # noqa: F811
    fill(session)
    counts = export_site(session, tmp_path / "en", query=SearchQuery(lang="en"))
    assert counts["articles"] == 1 and counts["people"] == 0


def test_folder_with_other_files_is_refused_and_left_alone(session, tmp_path):  # noqa: F811
    fill(session)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="is not empty and holds no earlier ino-archive site"):
        export_site(session, folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_rewriting_a_site_into_its_own_folder_works(site, session):  # noqa: F811
    out, _ = site
    assert export_site(session, out, query=SearchQuery(include_all=True))["articles"] == 4


def test_writes_cannot_leave_the_folder(tmp_path):
    with pytest.raises(ExportError, match="outside"):
        write_file(tmp_path.resolve(), "../escape.html", "x")
    assert not (tmp_path.parent / "escape.html").exists()
    assert "/" not in slug("../../etc/passwd") and "." not in slug("../x")


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JAVASCRIPT:alert(1)", "data:text/html,x", "vbscript:x", ""])
def test_only_http_links_are_kept(url):
    assert safe_link(url) is None


def test_timeline_spans_every_month_between_first_and_last():
    chart = timeline(Counter({"2015-11": 3, "2016-02": 1}))
    assert [bar.month for bar in chart.bars] == ["2015-11", "2015-12", "2016-01", "2016-02"]
    assert timeline(Counter()) is None


def test_serve_answers_on_loopback_with_the_csp_header(site):
    out, _ = site
    server = make_server(out, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=10) as response:
            assert response.headers["Content-Security-Policy"] == CSP
            assert "INO Tomsk news archive" in response.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_serve_refuses_a_folder_without_a_site(tmp_path):
    with pytest.raises(ArchiveError, match="has no index.html"):
        make_server(tmp_path, port=0)


def test_export_site_command_writes_the_site(db_url, tmp_path):  # noqa: F811
    from sqlalchemy.orm import Session

    from archive.db import open_engine

    db = db_url
    engine = open_engine(db)  # noqa: F811
    with Session(engine) as opened:
        fill(opened)
    engine.dispose()
    result = run_cli("export", "site", "--db", str(db), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert "(4 articles, 2 people, 1 organisations)" in result.stdout
    assert (tmp_path / "site" / "index.html").is_file()
