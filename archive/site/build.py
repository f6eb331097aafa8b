"""Writing the static site: templates rendered per page, article pages streamed."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session

from archive.search import SearchQuery
from archive.site.data import (
    KINDS,
    Summary,
    article_pages,
    entity_pages,
    group_by,
    summary,
)
from archive.site.paths import prepare_folder, slug, write_file
from archive.site.searchindex import SearchIndexBuilder
from archive.site.timeline import timeline

logger = logging.getLogger(__name__)

# Scripts only from the site's own files: no inline script, no event handler attribute runs.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)
ASSETS = ("site.css", "search.js")
SAFE_SCHEMES = ("http", "https")
_PARAGRAPHS = re.compile(r"\n\s*\n|\n")


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("archive.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def safe_link(url: str | None) -> str | None:
    """``url`` when it is http(s); anything else (javascript:, data:) is not linked.

    >>> safe_link("javascript:alert(1)") is None, safe_link("https://ino.tomsk.ru/a")
    (True, 'https://ino.tomsk.ru/a')
    """
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in SAFE_SCHEMES else None


class SiteWriter:
    """Renders pages into one folder; counts what it wrote."""

    def __init__(self, folder: Path, progress: Any = None) -> None:
        self.root = prepare_folder(folder)
        self.env = environment()
        self.generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        self.total = 0
        self.pages = 0
        self.progress = progress

    def page(self, relative: str, template: str, **values: Any) -> None:
        depth = relative.count("/")
        html = self.env.get_template(template).render(
            root="../" * depth, csp=CSP, generated=self.generated, total=self.total, **values
        )
        write_file(self.root, relative, html)
        self.pages += 1
        if self.progress is not None:
            self.progress(self.pages)

    def assets(self, index_js: str) -> None:
        static = resources.files("archive.site") / "static"
        for name in ASSETS:
            write_file(self.root, f"assets/{name}", (static / name).read_text(encoding="utf-8"))
        write_file(self.root, "assets/search-index.js", index_js)


def export_site(session: Session, folder: Path | str, *, query: SearchQuery | None = None,
                progress: Any = None) -> dict[str, int]:
    """Write the site for the articles ``query`` selects; returns counts."""
    query = query or SearchQuery()
    writer = SiteWriter(Path(folder), progress)
    summaries, index = _write_articles(writer, session, query)
    writer.total = len(summaries)
    by_id = {item.id: item for item in summaries}
    counts = {kind: _write_entities(writer, session, query, by_id, kind) for kind in KINDS}
    _write_browse(writer, summaries, counts)
    writer.assets(index.to_js())
    return {"articles": len(summaries), "people": counts["person"], "orgs": counts["org"], "pages": writer.pages}


def _write_articles(writer: SiteWriter, session: Session, query: SearchQuery) -> tuple[list[Summary], SearchIndexBuilder]:
    summaries, index = [], SearchIndexBuilder()
    for row in article_pages(session, query):
        item = summary(row)
        summaries.append(item)
        path = f"articles/{item.id}.html"
        index.add(item, path, row["title"], row["text"])
        writer.page(
            path, "article.html", page_title=item.title, a=row, lang=item.language,
            original=safe_link(row["url"]) or safe_link(row["canonical_url"]),
            source_slug=slug(item.source), lang_slug=slug(item.language),
            people=[(name, slug(name)) for name in row["people"] or []],
            orgs=[(name, slug(name)) for name in row["organisations"] or []],
            paragraphs=[p.strip() for p in _PARAGRAPHS.split(row["text"] or "") if p.strip()],
        )
    return summaries, index


def _write_entities(writer: SiteWriter, session: Session, query: SearchQuery,
                    by_id: dict[int, Summary], kind: str) -> int:
    folder, label = KINDS[kind], {"person": "Person", "org": "Organisation"}[kind]
    entries = []
    for entity in entity_pages(session, query, by_id):
        if entity.kind != kind or not entity.articles:
            continue
        entity.articles.sort(key=lambda a: (a.published is not None, a.published), reverse=True)
        name_slug = slug(entity.name)
        writer.page(f"{folder}/{name_slug}.html", "entity.html", page_title=entity.name, e=entity,
                    kind_label=label, chart=timeline(entity.months))
        entries.append((entity.name, name_slug, len(entity.articles)))
    entries.sort(key=lambda entry: (-entry[2], entry[0]))
    title = {"person": "People", "org": "Organisations"}[kind]
    writer.page(f"{folder}/index.html", "entities.html", page_title=title, entries=entries)
    return len(entries)


def _write_browse(writer: SiteWriter, summaries: list[Summary], counts: dict[str, int]) -> None:
    groups = {key: group_by(summaries, key) for key in ("year", "source", "language")}
    slugs = {name: slug(name) for key in ("source", "language") for name in groups[key]}
    for name, items in groups["year"].items():
        writer.page(f"years/{slug(name) if not name.isdigit() else name}.html", "listing.html",
                    page_title=f"Articles of {name}", items=items)
    for key, folder in (("source", "sources"), ("language", "languages")):
        for name, items in groups[key].items():
            writer.page(f"{folder}/{slugs[name]}.html", "listing.html",
                        page_title=f"{key.title()}: {name}", items=items)
    writer.page("index.html", "index.html", page_title="Search and browse", years=groups["year"],
                sources=groups["source"], languages=groups["language"], slugs=slugs,
                people_count=counts["person"], org_count=counts["org"])
