"""Writing the static site: templates rendered per page, article pages and the index streamed."""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from dataclasses import asdict
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from archive.entities import Profile, profiles
from archive.search import SearchQuery
from archive.site.data import (
    KINDS,
    EntityPage,
    Summary,
    article_pages,
    companions,
    entity_pages,
    group_by,
    summary,
)
from archive.site.paths import prepare_folder, slug, write_file
from archive.site.searchindex import SearchIndexBuilder
from archive.site.timeline import timeline

logger = logging.getLogger(__name__)

# Scripts only from the site's own files: no inline script, no event handler attribute runs.
# connect-src 'self': the query page asks `serve --db` for answers when it is served by it.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)
ASSETS = ("site.css", "i18n.js", "engine.js", "chart.js", "app.js")
SAFE_SCHEMES = ("http", "https")
# The query bounds of the search language (issue 16, archive.search.syntax), mirrored by the site's parser.
QUERY_LIMITS = {"chars": 2000, "terms": 32}
# Text blocks (searchindex.BLOCK articles each) a query may load to check its phrases word by word; past this
# a phrase of three words or more, or with a rarer word, is the articles holding its word pairs (with a notice).
# Loading and opening a block takes 3-4 ms in Chromium (bench_site at 100 000 articles: 131 blocks, ~450 ms);
# 40 keep the first answer within the 300 ms the query page is given.  Past that the page draws the answer of the
# word pairs and goes on checking, up to PHRASE_BLOCKS_LATER blocks (~1.5 s), then draws the exact answer.
PHRASE_BLOCKS = 40
PHRASE_BLOCKS_LATER = 400
ENTITY_ARTICLES_SHOWN = 200  # the rest are paged on the query page, filtered by the entity
SCOPE_FILE = "site.json"
_PARAGRAPHS = re.compile(r"\n\s*\n|\n")
_EPOCH = date(1970, 1, 1).toordinal()


def label(key: str, text: str) -> Markup:
    """An interface label the page's script can translate (``assets/i18n.js``); both parts escaped.

    >>> str(label("nav.years", "Years & <more>"))
    '<span data-i18n="nav.years">Years &amp; &lt;more&gt;</span>'
    """
    return Markup(f'<span data-i18n="{escape(key)}">{escape(text)}</span>')


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("archive.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["t"] = label  # a function, not a macro: a macro call costs more than the rest of a page
    return env


def safe_link(url: str | None) -> str | None:
    """``url`` when it is http(s); anything else (javascript:, data:) is not linked.

    >>> safe_link("javascript:alert(1)") is None, safe_link("https://ino.tomsk.ru/a")
    (True, 'https://ino.tomsk.ru/a')
    """
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in SAFE_SCHEMES else None


def query_link(**params: str) -> str:
    """A link to the query page with these filters (from a page one folder down).

    >>> query_link(person="Сергей Жвачкин")
    '../index.html?person=%D0%A1%D0%B5%D1%80%D0%B3%D0%B5%D0%B9+%D0%96%D0%B2%D0%B0%D1%87%D0%BA%D0%B8%D0%BD#results'
    """
    return "../index.html?" + urlencode(params) + "#results"


class SiteWriter:
    """Renders pages into one folder; counts what it wrote."""

    def __init__(self, folder: Path, progress: Any = None) -> None:
        self.root = prepare_folder(folder)
        self.env = environment()
        self.generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        self.total = 0
        self.pages = 0
        self.progress = progress
        self._templates: dict[str, Any] = {}

    def page(self, relative: str, template: str, **values: Any) -> None:
        depth = relative.count("/")
        if template not in self._templates:
            self._templates[template] = self.env.get_template(template)
        html = self._templates[template].render(
            root="../" * depth, csp=CSP, generated=self.generated, total=self.total, **values
        )
        write_file(self.root, relative, html)
        self.pages += 1
        if self.progress is not None:
            self.progress(self.pages)

    def assets(self) -> None:
        static = resources.files("archive.site") / "static"
        for name in ASSETS:
            write_file(self.root, f"assets/{name}", (static / name).read_text(encoding="utf-8"))


def export_site(session: Session, folder: Path | str, *, query: SearchQuery | None = None,
                progress: Any = None) -> dict[str, int]:
    """Write the site for the articles ``query`` selects; returns counts."""
    query = query or SearchQuery()
    writer = SiteWriter(Path(folder), progress)
    index = SearchIndexBuilder(writer.root)
    summaries = _write_articles(writer, index, session, query)
    writer.total = len(summaries)
    pages, found = _entities(session, query, summaries, index)
    counts = {kind: _write_entities(writer, pages, found, kind) for kind in KINDS}
    _write_browse(writer, summaries, counts)
    shards = index.finish({**QUERY_LIMITS, "phraseBlocks": PHRASE_BLOCKS, "phraseBlocksLater": PHRASE_BLOCKS_LATER})
    writer.assets()
    write_file(writer.root, SCOPE_FILE, json.dumps({"scope": _scope(query)}, ensure_ascii=False, indent=2) + "\n")
    return {"articles": len(summaries), "people": counts["person"], "orgs": counts["org"],
            "pages": writer.pages, "shards": shards}


def _scope(query: SearchQuery) -> dict[str, Any]:
    """The export's filters, for ``serve --db`` to search the same articles."""
    keep = ("text", "raw", "person", "org", "lang", "since", "until", "source", "include_all", "min_relevance")
    return {key: (value.isoformat() if isinstance(value, date) else value)
            for key, value in asdict(query).items() if key in keep}


def day_number(published: date | None) -> int:
    """Days since 1970-01-01 (what the site's JavaScript reads), -1 when undated."""
    return published.toordinal() - _EPOCH if published else -1


def _write_articles(writer: SiteWriter, index: SearchIndexBuilder, session: Session,
                    query: SearchQuery) -> list[Summary]:
    summaries = []
    for row in article_pages(session, query):
        item = summary(row)
        summaries.append(item)
        index.add(item.id, day_number(item.published), item.language, item.source, row["title"], row["text"])
        writer.page(
            f"articles/{item.id}.html", "article.html", page_title=item.title, a=row, lang=item.language,
            original=safe_link(row["url"]) or safe_link(row["canonical_url"]),
            source_slug=slug(item.source), lang_slug=slug(item.language),
            people=[(name, slug(name)) for name in row["people"] or []],
            orgs=[(name, slug(name)) for name in row["organisations"] or []],
            paragraphs=[p.strip() for p in _PARAGRAPHS.split(row["text"] or "") if p.strip()],
        )
    return summaries


def _entities(session: Session, query: SearchQuery, summaries: list[Summary],
              index: SearchIndexBuilder) -> tuple[list[EntityPage], dict[int, Profile]]:
    """Every entity of the exported articles, indexed for facets, articles newest first."""
    by_id = {item.id: item for item in summaries}
    numbers = {item.id: number for number, item in enumerate(summaries)}
    pages = [page for page in entity_pages(session, query, by_id) if page.articles]
    found = profiles(session, [page.id for page in pages])
    for page in pages:
        page.articles.sort(key=lambda a: (a.published is not None, a.published, a.id), reverse=True)
        variants = found[page.id].name_variants if page.id in found else []
        index.add_entity(page.kind, page.name, variants, (numbers[a.id] for a in page.articles))
    return pages, found


def _write_entities(writer: SiteWriter, pages: list[EntityPage], found: dict[int, Profile], kind: str) -> int:
    folder = KINDS[kind]
    by_article: dict[int, list[EntityPage]] = defaultdict(list)
    for page in pages:
        for article in page.articles:
            by_article[article.id].append(page)
    entries = []
    for page in pages:
        if page.kind != kind:
            continue
        name_slug = slug(page.name)
        filter_name = "person" if kind == "person" else "org"
        writer.page(
            f"{folder}/{name_slug}.html", "entity.html", page_title=page.name, e=page, kind=kind,
            profile=found.get(page.id), chart=timeline(page.months),
            shown=page.articles[:ENTITY_ARTICLES_SHOWN], all_link=query_link(**{filter_name: page.name}),
            companions=[(c, f"{KINDS[c.kind]}/{slug(c.name)}.html") for c in companions(page, by_article)],
        )
        entries.append((page.name, name_slug, len(page.articles)))
    entries.sort(key=lambda entry: (-entry[2], entry[0]))
    writer.page(f"{folder}/index.html", "entities.html", page_title={"person": "People", "org": "Organisations"}[kind],
                kind=kind, entries=entries)
    return len(entries)


def _write_browse(writer: SiteWriter, summaries: list[Summary], counts: dict[str, int]) -> None:
    groups = {key: group_by(summaries, key) for key in ("year", "source", "language")}
    slugs = {name: slug(name) for key in ("source", "language") for name in groups[key]}
    for name, items in groups["year"].items():
        writer.page(f"years/{slug(name) if not name.isdigit() else name}.html", "listing.html",
                    page_title=name, heading=("year", name), items=items)
    for key, folder in (("source", "sources"), ("language", "languages")):
        for name, items in groups[key].items():
            writer.page(f"{folder}/{slugs[name]}.html", "listing.html",
                        page_title=name, heading=(key, name), items=items)
    writer.page("index.html", "index.html", page_title="Search and browse", years=groups["year"],
                sources=groups["source"], languages=groups["language"], slugs=slugs,
                people_count=counts["person"], org_count=counts["org"])
