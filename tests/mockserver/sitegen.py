"""Generate a news site of any size for crawl tests and benchmarks.

Serve the folder with :class:`tests.mockserver.localsite.LocalSite`.  The site has a
front page linking every listing page (a pager), listing pages of
``per_listing`` articles each (also chained by "next" links), and articles that also link to three other articles, so most links
are found several times and the duplicate filter has work to do.  Every
article has its own title, date and text (Russian, about INO Tomsk), so no
pipeline stage drops it as a duplicate or boilerplate.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     site = generate_site(d, articles=120, per_listing=50)
...     (len(site.articles), len(site.pages))
(120, 124)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

_SUBJECTS = ["Кластер", "Университет", "Технопарк", "Стартап", "Инвестор", "Завод", "Лаборатория", "Команда"]
_VERBS = ["представил", "запустил", "открыл", "обсудил", "подписал", "расширил", "завершил", "начал"]
_OBJECTS = ["новый проект", "программу развития", "соглашение о партнёрстве", "экспортный контракт",
            "исследовательский центр", "конкурс инноваций", "производственную линию", "образовательный курс"]
_PLACES = ["в Томске", "в Северске", "в Академгородке", "на площадке ТУСУР", "в ТГУ", "в ТПУ"]
_WORDS = ["инновации", "кадры", "экспорт", "фармацевтика", "лес", "электроника", "нефтехимия", "IT", "медицина",
          "энергетика", "наука", "образование", "промышленность", "биотехнологии", "сотрудничество", "рост"]


@dataclass
class GeneratedSite:
    root: Path
    pages: list[str]  # every path a crawler should fetch once, "/index.html" first
    articles: list[str]  # the article paths among them


def generate_site(root: str | Path, articles: int = 500, per_listing: int = 50, seed: int = 7) -> GeneratedSite:
    root = Path(root)
    (root / "news").mkdir(parents=True, exist_ok=True)
    (root / "list").mkdir(exist_ok=True)
    rng = random.Random(seed)
    article_paths = [f"/news/{n}.html" for n in range(articles)]
    listings = [article_paths[i : i + per_listing] for i in range(0, articles, per_listing)]
    listing_paths = [f"/list/{k}.html" for k in range(len(listings))]
    _write(root / "robots.txt", "User-agent: *\nAllow: /\n")
    # Every listing is one click from the front page (a pager), as on real sites: a chain of
    # "next" links alone would put later pages beyond the crawler's DEPTH_LIMIT.
    _write(root / "index.html", _page("Новости ИНО Томск", _links(listing_paths), ""))
    for k, members in enumerate(listings):
        more = _links(listing_paths[k + 1 : k + 2], "Следующая страница")
        _write(root / listing_paths[k].lstrip("/"), _page(f"Новости, страница {k + 1}", _links(members), more))
    for n, path in enumerate(article_paths):
        related = [article_paths[(n + step) % articles] for step in (1, 7, 31)]
        _write(root / path.lstrip("/"), _article(n, rng, _links(related)))
    return GeneratedSite(root, ["/index.html", *listing_paths, *article_paths], article_paths)


def _article(n: int, rng: random.Random, related: str) -> str:
    published = date(2012, 1, 1) + timedelta(days=n % 3000)
    title = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_PLACES)}: выпуск {n}"
    paragraphs = []
    for p in range(4):
        words = " ".join(rng.choice(_WORDS) for _ in range(25))
        paragraphs.append(
            f"<p>Участники проекта ИНО Томск ({n}-{p}) {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
            f"{rng.choice(_PLACES)}. Губернатор Сергей Жвачкин отметил: {words}.</p>"
        )
    head = (f'<meta property="article:published_time" content="{published.isoformat()}T10:00:00+07:00">'
            f'<meta property="og:title" content="{title}">')
    body = (f'<article><h1>{title}</h1><div class="date">{published:%d.%m.%Y}</div>'
            f'<div class="news-body">{"".join(paragraphs)}</div></article>'
            f'<aside><h3>Читайте также</h3>{related}</aside>')
    return _page(title, body, "", head)


def _page(title: str, body: str, footer: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f'<body><header><a href="/index.html">ИНО Томск</a></header><main>{body}</main>'
            f"<footer>{footer}</footer></body></html>")


def _links(paths: list[str], label: str | None = None) -> str:
    items = "".join(f'<li><a href="{p}">{label or p}</a></li>' for p in paths)
    return f"<ul>{items}</ul>"


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
