"""``ino-archive demo``: the whole pipeline on a bundled sample site, offline.

The sample site (``scraper/demo_site``) has English and Russian news pages,
one in windows-1251 with no declared charset, a listing with pagination, a
link with utm_ parameters, robots.txt, a sitemap and a feed.  It is served on
127.0.0.1 and crawled by the real spider and pipelines into a fresh archive.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from archive.errors import ArchiveError
from archive.site import ServedFolder
from scraper.run.crawl import CrawlOptions, CrawlSummary, run_crawl

DEFAULT_DEMO_DB = "ino-archive-demo.sqlite3"
# Local pages need no politeness delay; everything else stays as configured.
DEMO_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}


@dataclass
class DemoResult:
    summary: CrawlSummary
    db_path: Path
    next_commands: list[str]


def demo_site_root() -> Path:
    return Path(str(resources.files("scraper").joinpath("demo_site")))


def run_demo(db: str | None = None) -> DemoResult:
    db_path = _fresh_db_path(db)
    with ServedFolder(demo_site_root()) as site:
        options = CrawlOptions(urls=[site.url("/index.html")], db=str(db_path), allow_private=True, settings=DEMO_SETTINGS)
        summary = run_crawl(options)
    return DemoResult(summary, db_path, _next_commands(db_path))


def _fresh_db_path(db: str | None) -> Path:
    if db is None:
        path = Path(DEFAULT_DEMO_DB).resolve()
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        return path
    path = Path(db).resolve()
    if path.exists():
        raise ArchiveError(f"{path} already exists; the demo writes a fresh archive, give a new path")
    return path


def _next_commands(db_path: Path) -> list[str]:
    db = f"--db {db_path}"
    return [
        f"ino-archive search кластер {db}",
        f'ino-archive search "INO Tomsk" --lang en {db}',
        f"ino-archive search --person Zhvachkin --all {db}",
        f"ino-archive stats {db}",
        f"ino-archive export csv {db} --out demo-export",
        f"ino-archive export jsonl {db} --out demo.jsonl",
        f"ino-archive export site {db} --out demo-site && ino-archive serve demo-site {db}"
        "   # then open http://127.0.0.1:8000/ (or demo-site/index.html from disk)",
    ]
