"""Export speed and memory: ino-archive's streaming CSV export vs pandas.DataFrame.to_csv.

For each size (10 000 and 100 000 articles; 1 000 and 5 000 with --quick) an
archive is generated once and cached (``benchmarks.generated_archive``, under
``--cache``), then each exporter
runs in a fresh subprocess that reports rows/s and its peak resident memory
(ru_maxrss), so the two never share a heap.  pandas reads the same rows
(``pd.read_sql`` of the article export query) and writes them with
``to_csv``; its time is shown with and without the read.
Goal: faster than pandas, memory flat from 10 000 to 100 000 articles.

    .venv/bin/python benchmarks/bench_export.py [--quick] [--cache DIR]

"ino-archive export csv" writes all three files (the rows/s counts articles);
"articles.csv alone" writes the one file pandas writes, for a like-for-like rate.
"""

from __future__ import annotations

import json
import logging
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.common import benchmark_parser, repeat_count, write_table  # noqa: E402
from benchmarks.generated_archive import DEFAULT_CACHE_DIR, cached_archive  # noqa: E402

logger = logging.getLogger(__name__)
SIZES = (10_000, 100_000)
EXPORTERS = {
    "ino": "ino-archive export csv (3 files)",
    "ino-articles": "ino-archive articles.csv alone",
    "pandas": "pandas read_sql + to_csv",
}
QUICK_SIZES = (1_000, 5_000)


def run_ino(db: Path, out: Path) -> dict:
    from archive.db import open_engine, session_for
    from archive.export import export_csv
    from archive.search import SearchQuery

    started = time.perf_counter()
    with session_for(open_engine(f"sqlite:///{db}", create=False)) as session:
        rows = export_csv(session, out, query=SearchQuery(include_all=True))["articles.csv"]
    return {"rows": rows, "seconds": time.perf_counter() - started}


def run_ino_articles(db: Path, out: Path) -> dict:
    """articles.csv alone, the same file pandas writes, through the library's own pieces."""
    from archive.db import open_engine, session_for
    from archive.export import article_rows, csv_article_row, output, write_csv
    from archive.search import SearchQuery
    from archive.store import ARTICLE_EXPORT_FIELDS

    started = time.perf_counter()
    with session_for(open_engine(f"sqlite:///{db}", create=False)) as session, output(out / "articles.csv") as file:
        rows = (csv_article_row(row) for row in article_rows(session, SearchQuery(include_all=True)))
        count = write_csv(file, ARTICLE_EXPORT_FIELDS, rows)
    return {"rows": count, "seconds": time.perf_counter() - started}


def run_pandas(db: Path, out: Path) -> dict:
    import pandas as pd
    from sqlalchemy import create_engine

    from archive.export.datasets import build_article_export
    from archive.search import SearchQuery

    started = time.perf_counter()
    engine = create_engine(f"sqlite:///{db}")
    frame = pd.read_sql(build_article_export(SearchQuery(include_all=True)), engine)
    read = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out / "articles.csv", index=False)
    engine.dispose()
    return {"rows": len(frame), "seconds": time.perf_counter() - started, "write_seconds": time.perf_counter() - read}


def _child(kind: str, db: str, out: str) -> None:
    result = {"ino": run_ino, "ino-articles": run_ino_articles, "pandas": run_pandas}[kind](Path(db), Path(out))
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(json.dumps(result) + "\n")


def measure(kind: str, db: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(db), str(out)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _row(kind: str, size: int, results: list[dict]) -> tuple:
    rate = statistics.median(result["rows"] / result["seconds"] for result in results)
    label = EXPORTERS[kind]
    if kind == "pandas":
        label += f" (to_csv alone {statistics.median(r['rows'] / r['write_seconds'] for r in results):.0f} rows/s)"
    return (label, size, rate, max(result["peak_mb"] for result in results))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        _child(*argv[1:4])
        return 0
    parser = benchmark_parser(__doc__, data_dir="(generated)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE_DIR,
                        help=f"folder of generated archives, reused between runs (default {DEFAULT_CACHE_DIR})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    repeat = repeat_count(args)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in QUICK_SIZES if args.quick else SIZES:
            db = cached_archive(size, args.cache)
            runs: dict[str, list[dict]] = {kind: [] for kind in EXPORTERS}
            for _ in range(repeat):  # interleaved, so every exporter meets the same load
                for kind in EXPORTERS:
                    runs[kind].append(measure(kind, db, Path(tmp) / f"{kind}-{size}"))
            rows += [_row(kind, size, results) for kind, results in runs.items()]
    write_table(["exporter", "articles", "rows/s", "peak MB"], rows,
                title=f"CSV export of articles, median rows/s and largest peak RSS of {repeat} runs (one process each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
