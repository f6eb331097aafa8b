"""``ino-archive demo``: the whole pipeline on a bundled sample site, offline.

The sample site (``scraper/demo_site``) has English and Russian news pages,
one in windows-1251 with no declared charset, a listing with pagination, a
link with utm_ parameters, robots.txt, a sitemap and a feed.  It is served on
127.0.0.1 and crawled by the real spider and pipelines into a fresh archive.

The archive must stay usable after the demo: the site is served on a fixed
port (``DEMO_PORT``) and crawled as a source named ``demo`` (not
"127.0.0.1"), so its articles' links are the same on every run and open
again while ``ino-archive demo --serve`` serves the sample pages there.
The commands to try next are printed with the program as it was started
(``.venv/bin/ino-archive`` when the venv is not activated).
"""

from __future__ import annotations

import shlex
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from archive.errors import ArchiveError
from archive.site import ServedFolder
from scraper.run.crawl import CrawlOptions, CrawlSummary, run_crawl

DEFAULT_DEMO_DB = "ino-archive-demo.sqlite3"
DEMO_PORT = 8765
DEMO_SOURCE = "demo"
# Local pages need no politeness delay; everything else stays as configured.
DEMO_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}


@dataclass
class DemoResult:
    summary: CrawlSummary
    db_path: Path
    next_commands: list[str]


def demo_site_root() -> Path:
    return Path(str(resources.files("scraper").joinpath("demo_site")))


def serve_sample(port: int = DEMO_PORT) -> ServedFolder:
    """The sample site on 127.0.0.1:``port`` (a context manager); ``ArchiveError`` when the port is taken."""
    try:
        return ServedFolder(demo_site_root(), port=port)
    except OSError as exc:
        raise ArchiveError(
            f"cannot serve the sample site on 127.0.0.1:{port}: {exc.strerror or exc}; give another --port"
        ) from exc


def run_demo(db: str | None = None, port: int = DEMO_PORT, program: str = "ino-archive") -> DemoResult:
    db_path = _fresh_db_path(db)
    with serve_sample(port) as site, tempfile.TemporaryDirectory() as folder:
        sources_file = Path(folder) / "demo-sources.toml"
        sources_file.write_text(_demo_source(site.url("/index.html")), encoding="utf-8")
        options = CrawlOptions(sources=[DEMO_SOURCE], sources_file=str(sources_file), db=str(db_path),
                               allow_private=True, settings=DEMO_SETTINGS)
        summary = run_crawl(options)
    return DemoResult(summary, db_path, _next_commands(db_path, program, port))


def _demo_source(start_url: str) -> str:
    return (
        "[[source]]\n"
        f'name = "{DEMO_SOURCE}"\n'
        'title = "The bundled sample site"\n'
        f'start_urls = ["{start_url}"]\n'
        'allowed_domains = ["127.0.0.1"]\n'
    )


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


def _next_commands(db_path: Path, program: str, port: int) -> list[str]:
    db = f"--db {shlex.quote(str(db_path))}"
    serve = f"{program} demo --serve" + (f" --port {port}" if port != DEMO_PORT else "")
    return [
        f"{program} search кластер {db}",
        f'{program} search "INO Tomsk" --lang en {db}',
        f"{program} search --person Zhvachkin --all {db}",
        f"{program} stats {db}",
        f"{program} export csv {db} --out demo-export",
        f"{program} export jsonl {db} --out demo.jsonl",
        f"{program} export site {db} --out demo-site && {program} serve demo-site {db}"
        "   # then open http://127.0.0.1:8000/ (or demo-site/index.html from disk)",
        f"{serve}    # the sample pages again, so the archive's links open",
    ]
