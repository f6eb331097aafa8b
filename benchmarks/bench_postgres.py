"""PostgreSQL search: the stored, GIN-indexed ``search_vector`` vs computing ``to_tsvector`` per query.

Both run ino-archive's own ``search`` on the same generated archive (the
generator of ``benchmarks.generated_archive``: two thirds Russian, one third
English, Zipf vocabulary) in one throw-away schema, interleaved; the peer is
the previous design, which built each article's vector inside the query.
No downloaded data: the articles are generated.  Needs a PostgreSQL server
(``--pg-url``, default the test server on 127.0.0.1:5432).

    .venv/bin/python benchmarks/bench_postgres.py            # 5 000 articles (the peer takes minutes)
    .venv/bin/python benchmarks/bench_postgres.py --quick    # 2 000 articles, smoke run
"""

from __future__ import annotations

import logging
import statistics
import sys
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.bench_search import QUERIES  # noqa: E402
from benchmarks.common import benchmark_parser, write_table  # noqa: E402
from benchmarks.generated_archive import Generator  # noqa: E402

logger = logging.getLogger(__name__)

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FULL_ARTICLES = 5_000
QUICK_ARTICLES = 2_000
BATCH = 1_000


def computed_document():
    """The previous design: each article's weighted vector built inside the query."""
    from sqlalchemy import func, literal_column

    from archive.models import Article
    from archive.db import FOLD_FROM, FOLD_TO
    from archive.search.postgres import CONFIG

    def part(column, weight):
        folded = func.translate(func.coalesce(column, ""), FOLD_FROM, FOLD_TO)
        return func.setweight(func.to_tsvector(CONFIG, folded), literal_column(f"'{weight}'"))

    return part(Article.title, "A").op("||")(part(Article.text, "B"))


def fill(url: str, articles: int) -> None:
    from sqlalchemy import insert

    from archive.db import open_engine
    from archive.models import Article

    generator = Generator(5)
    engine = open_engine(url)
    for start in range(1, articles + 1, BATCH):
        rows = [generator.article(n) for n in range(start, min(start + BATCH, articles + 1))]
        with engine.begin() as conn:
            conn.execute(insert(Article), rows)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE articles")
    engine.dispose()


def measure(url: str, repeat: int) -> list[tuple]:
    from sqlalchemy.orm import Session

    from archive.db import open_engine
    from archive.search import SearchQuery, search
    from archive.search import postgres

    stored = postgres.document
    engine = open_engine(url, create=False)
    rows = []
    with Session(engine) as session:
        for words, filters in QUERIES:
            if not words:
                continue
            # no time budget: the peer's per-query vectors may take longer than a user's search is allowed
            query = SearchQuery(text=words, time_limit=None, **filters)
            times: dict[str, list[float]] = {"stored vector + GIN": [], "computed per query": []}
            hits = {}
            search(session, query)  # untimed: the gazetteer loads once per process
            for _ in range(repeat):
                for name, document in (("stored vector + GIN", stored), ("computed per query", computed_document)):
                    postgres.document = document
                    started = time.perf_counter()
                    hits[name] = len(search(session, query))
                    times[name].append(time.perf_counter() - started)
            postgres.document = stored
            label = words + "".join(f" --{k} {v}" for k, v in filters.items())
            stored_ms = statistics.median(times["stored vector + GIN"]) * 1000
            computed_ms = statistics.median(times["computed per query"]) * 1000
            rows.append((label, f"{stored_ms:.1f}", f"{computed_ms:.1f}", f"{computed_ms / stored_ms:.1f}x",
                         hits["stored vector + GIN"], hits["computed per query"]))
    engine.dispose()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, data_dir="(generated)")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help=f"PostgreSQL server (default {DEFAULT_PG_URL})")
    parser.add_argument("--articles", type=int, default=None,
                        help=f"articles to generate (default {FULL_ARTICLES}, {QUICK_ARTICLES} with --quick)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # schema creation chatter
    articles = args.articles or (QUICK_ARTICLES if args.quick else FULL_ARTICLES)
    repeat = args.repeat or (1 if args.quick else 3)

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    schema = f"ino_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(args.pg_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except SQLAlchemyError as exc:
        logger.error("PostgreSQL at %s is not reachable: %s", args.pg_url, str(exc).splitlines()[0])
        return 2
    url = make_url(args.pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        url_text = url.render_as_string(hide_password=False)
        started = time.perf_counter()
        fill(url_text, articles)
        logger.info("generated %d articles in %.0f s", articles, time.perf_counter() - started)
        rows = measure(url_text, repeat)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    write_table(("query", "stored ms (p50)", "computed ms (p50)", "speed-up", "hits", "hits (peer)"), rows,
                title=f"PostgreSQL search, {articles} articles, median of {repeat}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
