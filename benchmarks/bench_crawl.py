"""A crawl of a generated local site: 1 worker vs 2 workers, SQLite vs PostgreSQL, worker memory.

A site of ``--pages`` articles (default 5 000, plus listing pages; made by
:mod:`tests.mockserver.sitegen`) is served on 127.0.0.1 and crawled with every stage
by ``ino-archive crawl --redis`` workers sharing one Redis frontier (a fresh
key prefix per run), into a fresh SQLite file or a throw-away PostgreSQL
schema.  Per run: wall time, pages per second, the speed-up of 2 workers over
1 on the same backend, total CPU, each worker's peak RSS (kernel rusage), and
its RSS once a quarter of the pages were served vs at the end (flat memory
means the crawl does not accumulate per page), plus whether every page was
fetched exactly once.

    .venv/bin/python benchmarks/bench_crawl.py [--pages 5000] [--quick] [--workers 1 --workers 2] \\
        [--backend sqlite --backend postgresql] [--redis URL] [--pg-url URL]

Needs Redis (default redis://127.0.0.1:6379/0) and, for the PostgreSQL runs,
a server (default postgresql+psycopg://postgres@127.0.0.1:5432/test); a run
whose service is missing is reported as skipped.  The site is generated, so
there is no data to download.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.common import DEFAULT_DATA_ROOT, write_table  # noqa: E402
from benchmarks.crawl_runner import (  # noqa: E402
    AccessCounter,
    crawl_command,
    memory_growth,
    run_workers,
)
from tests.mockserver.localsite import LocalSite  # noqa: E402
from tests.mockserver.sitegen import generate_site  # noqa: E402

logger = logging.getLogger(__name__)

QUICK_PAGES = 300
GOAL_SPEEDUP = 1.8


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT, help="unused: the site is generated")
    p.add_argument("--quick", action="store_true", help=f"{QUICK_PAGES} articles, SQLite only: a smoke run")
    p.add_argument("--pages", type=int, default=5000, help="articles on the generated site (default 5000)")
    p.add_argument("--workers", type=int, action="append", help="worker counts to compare (default 1 and 2)")
    p.add_argument("--backend", action="append", choices=["sqlite", "postgresql"], help="default: both")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis for the shared frontier")
    p.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    return p


@contextmanager
def archive_url(backend: str, work: Path, pg_url: str) -> Iterator[str]:
    """A fresh archive: a new SQLite file, or a PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{work / f'crawl-{uuid.uuid4().hex[:8]}.sqlite3'}"
        # Made before the workers start: two of them creating one new SQLite file at once
        # can fail with "database is locked" (archive.db creates the schema without waiting).
        from archive.db import open_engine

        open_engine(url, create=True).dispose()
        yield url
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"ino_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def unavailable(backend: str, args: argparse.Namespace) -> str | None:
    """Why this run cannot happen here (a missing service), or None."""
    import redis
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        redis.Redis.from_url(args.redis, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis at {args.redis}: {exc}"
    if backend == "postgresql":
        engine = create_engine(args.pg_url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            return f"PostgreSQL at {args.pg_url}: {str(exc).splitlines()[0]}"
        finally:
            engine.dispose()
    return None


def one_run(site, backend: str, workers: int, args: argparse.Namespace, work: Path) -> list:
    access = AccessCounter().attach()
    prefix = f"ino-bench-{uuid.uuid4().hex[:8]}"
    try:
        with LocalSite(site.root) as served, archive_url(backend, work, args.pg_url) as db:
            command = crawl_command(served.url("/index.html"), db, "--redis", args.redis,
                                    "-s", f"DISTRIBUTED_KEY_PREFIX={prefix}")
            result = run_workers(command, workers, access, work / f"logs-{backend}-{workers}")
    finally:
        access.detach()
    pages = {p: n for p, n in access.paths.items() if p != "/robots.txt"}
    once = sorted(pages) == sorted(site.pages) and set(pages.values()) == {1}
    growth = [memory_growth(w.rss_timeline, len(site.pages)) for w in result.workers]
    return [backend, workers, sum(w.pages_fetched for w in result.workers), result.wall_seconds,
            len(site.pages) / result.wall_seconds, result.cpu_seconds,
            " / ".join(f"{w.peak_rss_mib:.0f}" for w in result.workers),
            " / ".join(f"{q:.0f}→{end:.0f}" for q, end in growth),
            "yes" if once and all(w.returncode == 0 for w in result.workers) else "NO"]


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    articles = QUICK_PAGES if args.quick else args.pages
    backends = args.backend or (["sqlite"] if args.quick else ["sqlite", "postgresql"])
    counts = sorted(set(args.workers or [1, 2]))
    rows, skipped = [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = generate_site(work / "site", articles=articles)
        for backend in backends:
            reason = unavailable(backend, args)
            if reason:
                skipped.append(f"{backend}: {reason}")
                continue
            for workers in counts:
                logger.info("crawling %d pages: %s, %d worker(s)", len(site.pages), backend, workers)
                rows.append(one_run(site, backend, workers, args, work))
                logger.info("  %s", rows[-1])  # each run as it ends: a long benchmark's partial figures
    base = {row[0]: row[4] for row in rows if row[1] == 1}
    for row in rows:
        row.insert(5, f"{row[4] / base[row[0]]:.2f}x" if row[0] in base else "-")
    write_table(["backend", "workers", "pages", "wall s", "pages/s", "vs 1 worker", "CPU s", "peak RSS MiB/worker",
                 "RSS MiB at 25%→end", "each page once"], rows,
                title=f"Crawl of a generated {articles}-article site on 127.0.0.1, every stage "
                      f"(goal: 2 workers ≥ {GOAL_SPEEDUP}x one; memory flat)")
    for line in skipped:
        sys.stdout.write(f"skipped {line}\n")
    return 0 if rows else 2


if __name__ == "__main__":
    sys.exit(main())
