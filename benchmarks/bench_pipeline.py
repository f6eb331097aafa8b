"""Whole-pipeline throughput: pages per second per core, every stage and the store included.

The benchmark pages are served on 127.0.0.1 (LocalSite) behind an index page,
and crawled in the same run by (1) ``ino-archive crawl`` with every stage
(text, language, dates, entities, relevance, dedup, entity linking, store,
WARC capture) into a fresh SQLite archive, and (2) a bare Scrapy spider that
only stores the raw HTML (``benchmarks/bare_spider.py``), so both go through
Scrapy's downloader.  Throughput is pages per CPU-second of the crawler
process (one process is one core): "marginal" subtracts the CPU of the same
crawler on a site of the index, the first page, a short Russian demo
article and a short German one (start-up, imports, model loading on the first article of each language) and counts the other pages; "all in" does not.  The per-stage table then re-runs the crawl's ITEM_PIPELINES in this
process on the captured pages (CPU ms per page, median of the passes);
"fetch + spider" is what the crawl cost beyond the stages.

    .venv/bin/python benchmarks/bench_pipeline.py [--data DIR | --data-root DIR] [--quick] [--repeat N]

The pages are the Zyte article-extraction benchmark
(github.com/scrapinghub/article-extraction-benchmark: html/*.html.gz),
expected in DATA_ROOT/article-extraction-benchmark.
"""

from __future__ import annotations

import gc
import gzip
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.common import (  # noqa: E402
    benchmark_parser,
    data_folder,
    limit,
    repeat_count,
    write_table,
)
from benchmarks.crawl_runner import AccessCounter, crawl_command, run_workers  # noqa: E402
from tests.mockserver.localsite import LocalSite  # noqa: E402

logger = logging.getLogger(__name__)

DATA_DIR = "article-extraction-benchmark"
DATA_SOURCE = "github.com/scrapinghub/article-extraction-benchmark (html/*.html.gz)"
GOAL_PAGES_PER_CORE = 25.0
# The index is depth 0 and the pages depth 1: the pages' own links (to paths of their original sites) are not followed.
DEPTH = 1
# A short Russian article shipped with the demo site: the start-up crawl loads the Russian models on it.
RUSSIAN_PAGE = REPO_ROOT / "scraper" / "demo_site" / "news" / "klaster-farmacevtiki.html"
# A short German article: neither English nor Russian by script and stopwords, so the start-up crawl
# loads langdetect's profiles (about 0.45 s of CPU, once per crawl) on it, as the full crawl does on
# the benchmark's German, French, Chinese... pages.
OTHER_LANGUAGE_PAGE = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Cluster in Tomsk</title></head><body>'
    "<article><h1>Neue Zusammenarbeit der Cluster in Tomsk</h1>"
    "<p>Die Unternehmen der Region Tomsk arbeiten seit diesem Jahr enger mit den Universitäten zusammen. "
    "Nach Angaben der Verwaltung wurden im ersten Halbjahr zwölf gemeinsame Projekte begonnen, "
    "vor allem in der Pharmazie und in der Informationstechnik.</p>"
    "<p>Die Förderung läuft über drei Jahre; weitere Ausschreibungen sind für den Herbst geplant.</p>"
    "</article></body></html>"
)


def build_start_up_site(first: Path, root: Path) -> int:
    """The start-up site: the first benchmark page, a short Russian article from the demo site and a German one.

    The Russian entity models load on the first Russian article (about a second of CPU, once per
    crawl), langdetect's profiles on the first page in another language; with an English page alone
    those one-off costs would stay in the per-page ("marginal") figure.  The Russian and German pages
    are not benchmark pages, so no benchmark page's own cost is subtracted.
    """
    count = build_site([first], root)
    (root / "p" / "ru.html").write_bytes(RUSSIAN_PAGE.read_bytes())
    (root / "p" / "de.html").write_text(OTHER_LANGUAGE_PAGE, encoding="utf-8")
    index = root / "index.html"
    links = '<li><a href="/p/ru.html">ru</a></li><li><a href="/p/de.html">de</a></li></ul>'
    index.write_text(index.read_text(encoding="utf-8").replace("</ul>", links), encoding="utf-8")
    return count + 2


def build_site(pages: list[Path], root: Path) -> int:
    """Write the pages as /p/N.html with an index linking them; the number of pages a crawl fetches."""
    (root / "p").mkdir(parents=True)
    links = []
    for n, page in enumerate(pages):
        (root / "p" / f"{n}.html").write_bytes(gzip.decompress(page.read_bytes()))
        links.append(f'<li><a href="/p/{n}.html">page {n}</a></li>')
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (root / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Benchmark pages</title></head>'
        f"<body><h1>Benchmark pages</h1><ul>{''.join(links)}</ul></body></html>", encoding="utf-8")
    return len(links) + 1


def crawl_cpu(root: Path, work: Path, bare: bool) -> tuple[float, float, int, Path]:
    """(CPU seconds, wall seconds, pages served, the database) of one crawl of the site at ``root``."""
    access = AccessCounter().attach()
    try:
        with LocalSite(root) as site:
            db = work / f"{'bare' if bare else 'ino'}-{time.monotonic_ns()}.sqlite3"
            command = ([sys.executable, str(REPO_ROOT / "benchmarks" / "bare_spider.py"), site.url("/index.html"), str(db)]
                       if bare else crawl_command(site.url("/index.html"), str(db), "-s", f"DEPTH_LIMIT={DEPTH}"))
            result = run_workers(command, 1, access, work / "logs")
    finally:
        access.detach()
    if result.workers[0].returncode != 0:
        raise RuntimeError(f"the {'bare' if bare else 'ino-archive'} crawl failed; see {work / 'logs'}")
    return result.cpu_seconds, result.wall_seconds, result.pages_served, db


def stage_breakdown(db: str, repeat: int) -> tuple[dict[str, float], int]:
    """CPU ms per page of each ITEM_PIPELINES stage, re-run here on the crawl's captured pages."""
    from sqlalchemy.orm import Session

    from archive.db import open_engine
    from archive.warc import iter_captures, read_capture, warc_dir
    from scraper.run import PipelineRun, capture_to_item, project_settings

    engine = open_engine(db, create=False)
    with Session(engine) as session:
        rows = [dict(row) for row in iter_captures(session)]
    engine.dispose()
    folder = warc_dir(db)
    captures = [read_capture(folder, row["warc_file"], row["offset"]) for row in rows]
    passes: dict[str, list[float]] = {}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as fresh:
            run = PipelineRun(project_settings(f"sqlite:///{fresh}/stages.sqlite3", {"WARC_ENABLED": False}))
            items = [capture_to_item(c) for c in captures]
            # As in the crawl (scraper.runtime): what is alive before the pass (after the first,
            # the models too) is kept out of the garbage collector's scans, not charged to a stage.
            gc.collect()
            gc.freeze()
            try:
                spent = _timed_pass(run, items)
            finally:
                gc.unfreeze()
        for name, seconds in spent.items():
            passes.setdefault(name, []).append(seconds * 1000 / len(captures))
    return {name: statistics.median(values) for name, values in passes.items()}, len(captures)


def _timed_pass(run, items) -> dict[str, float]:
    spent = {type(p).__name__: 0.0 for p in run.pipelines}
    for pipeline in run.pipelines:
        original = pipeline.process_item

        def timed(item, _original=original, _name=type(pipeline).__name__):
            started = time.process_time()
            try:
                return _original(item)
            finally:
                spent[_name] += time.process_time() - started

        pipeline.process_item = timed
    run.open()
    for item in items:
        run.process(item)
    started = time.process_time()
    run.close()  # batch commits and end-of-crawl entity linking
    spent["close (commits, entity linking)"] = time.process_time() - started
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, data_dir=DATA_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    for noisy in ("alembic", "pymorphy2", "archive", "pipelines"):  # schema and model loading chatter
        logging.getLogger(noisy).setLevel(logging.WARNING)
    data = data_folder(args, "html", source=DATA_SOURCE)
    if data is None:
        return 2
    pages = list(limit(sorted((data / "html").glob("*.html.gz")), args))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        full, small = work / "site", work / "small"
        n_pages = build_site(pages, full)
        n_small = build_start_up_site(pages[0], small)
        rows, ino_db = [], None
        for name, bare in (("ino-archive (every stage)", False), ("bare Scrapy (raw HTML only)", True)):
            base_cpu = crawl_cpu(small, work, bare)[0]
            cpu, wall, served, db = crawl_cpu(full, work, bare)
            rows.append([name, n_pages, served, wall, cpu, cpu - base_cpu,
                         n_pages / cpu, (n_pages - n_small) / max(cpu - base_cpu, 1e-9)])
            if not bare:
                ino_db = db
        write_table(["crawler", "pages", "requests", "wall s", "CPU s", "marginal CPU s", "pages/s/core all in",
                     "pages/s/core marginal"], rows,
                    title=f"Whole crawl on {n_pages} benchmark pages served on 127.0.0.1 (goal ≥ {GOAL_PAGES_PER_CORE:g} pages/s/core)")
        stages, n = stage_breakdown(f"sqlite:///{ino_db}", repeat_count(args))
    marginal_ms = 1000 * rows[0][5] / (n_pages - n_small)
    stage_rows = [[name, ms, 100 * ms / marginal_ms] for name, ms in stages.items()]
    stage_rows.append(["fetch + spider (downloader, decode, links, WARC)", marginal_ms - sum(stages.values()),
                       100 * (marginal_ms - sum(stages.values())) / marginal_ms])
    write_table(["stage", "CPU ms/page", "% of marginal crawl CPU"], stage_rows,
                title=f"\nPer stage ({n} captured pages, this process, median of {repeat_count(args)} passes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
