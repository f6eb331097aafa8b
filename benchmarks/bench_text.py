"""Measure the main-text extractor on the Zyte article-extraction benchmark.

Scores every extractor in the same run, the way the benchmark's own
``evaluate.py`` does: 4-gram shingles of ``\\w+`` tokens, per-document
precision and recall, averaged over documents, F1 of the two averages;
dev and test side by side (pages split by site, ``benchmarks/split.py``).
ino-archive runs what ``ino-archive extract`` runs (``benchmarks.ino``); a page
it drops scores as empty.  Also reports pages per second (parsing included,
one core, median of the timing passes, extractors interleaved so they share
the machine's load).

    .venv/bin/python benchmarks/bench_text.py [--data DIR | --data-root DIR] [--quick] [--only ino] [--worst 10]

The data are the Zyte article-extraction benchmark
(github.com/scrapinghub/article-extraction-benchmark: html/*.html.gz and
ground-truth.json), expected in DATA_ROOT/article-extraction-benchmark.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.common import (  # noqa: E402
    benchmark_parser,
    data_folder,
    limit,
    repeat_count,
    timed_rounds,
    write_table,
)
from benchmarks.ino import ino_extract, ino_pipelines  # noqa: E402
from benchmarks.split import PARTS, part_of  # noqa: E402

logger = logging.getLogger(__name__)

DATA_DIR = "article-extraction-benchmark"
DATA_SOURCE = "github.com/scrapinghub/article-extraction-benchmark (html/*.html.gz and ground-truth.json)"
TOKEN_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4


def ino_extractor() -> Callable[[str, str], str]:
    """What ``ino-archive extract PAGE --url URL`` keeps as the main text, parsing included."""
    pipelines = ino_pipelines()

    def extract(html: str, url: str) -> str:
        result = ino_extract(pipelines, html, url)
        return result.text if result.kept else ""

    return extract


def trafilatura_extractors() -> dict[str, Callable[[str, str], str]]:
    """Trafilatura in default and fast mode, when it can be imported."""
    try:
        import trafilatura
    except ImportError as exc:
        logger.warning("trafilatura not available (%s); measuring ino only", exc)
        return {}

    def default(html: str, url: str) -> str:
        return trafilatura.extract(html) or ""

    def fast(html: str, url: str) -> str:
        return trafilatura.extract(html, fast=True) or ""

    return {"trafilatura": default, "trafilatura-fast": fast}


def shingles(text: str) -> dict[tuple[str, ...], int]:
    """Counts of the 4-grams of word tokens (the whole text when it is shorter)."""
    tokens = TOKEN_RE.findall(text)
    grams: dict[tuple[str, ...], int] = {}
    for i in range(max(1, len(tokens) - SHINGLE + 1)):
        gram = tuple(tokens[i : i + SHINGLE])
        grams[gram] = grams.get(gram, 0) + 1
    return grams


def precision_recall(expected: str, predicted: str) -> tuple[float, float]:
    """Per-document precision and recall of shingles (1.0 when both are empty)."""
    truth, guess = shingles(expected), shingles(predicted)
    true_positive = sum(min(count, guess.get(gram, 0)) for gram, count in truth.items())
    retrieved, relevant = sum(guess.values()), sum(truth.values())
    precision = true_positive / retrieved if retrieved else float(relevant == 0)
    recall = true_positive / relevant if relevant else 1.0
    return precision, recall


def load_pages(data: Path) -> list[tuple[str, str, str, str, str]]:
    """``(id, html, expected text, url, part)`` for every page of the benchmark."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, record in sorted(truth.items()):
        html = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append((page_id, html, record["articleBody"], record["url"], part_of(record["url"])))
    return pages


def score(outputs: list[str], pages: list[tuple[str, str, str, str, str]], seconds: float) -> dict:
    """Averaged precision and recall and their F1 per part, speed, and per-page scores."""
    scores = [precision_recall(page[2], out) for page, out in zip(pages, outputs, strict=True)]
    result: dict = {"pps": len(pages) / seconds}
    for part in PARTS:
        chosen = [pr for page, pr in zip(pages, scores, strict=True) if page[4] == part]
        precision = sum(p for p, _ in chosen) / max(1, len(chosen))
        recall = sum(r for _, r in chosen) / max(1, len(chosen))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[part] = (precision, recall, f1, len(chosen))
    result["pages"] = {page[0]: (p, r, page[4]) for page, (p, r) in zip(pages, scores, strict=True)}
    return result


def print_table(results: dict[str, dict], pages: int, repeat: int) -> None:
    """One line per extractor: dev and test side by side."""
    # F1 with four decimals: the goal (0.975 on test) is decided in the fourth.
    rows = [(name, *(v for part in PARTS for v in (f"{r[part][2]:.4f}", r[part][0], r[part][1], r[part][3])), r["pps"])
            for name, r in results.items()]
    title = f"main text: {pages} pages, pages/s = median of {repeat} passes (parsing included, one core)"
    headers = ("extractor", *(f"{part} {m}" for part in PARTS for m in ("F1", "P", "R", "n")), "pages/s")
    write_table(headers, rows, title)


def print_worst(result: dict, count: int) -> None:
    """The pages where an extractor did worst, to look at by hand."""
    # Tune on dev only: the test pages are not listed.
    ranked = sorted(((k, v) for k, v in result["pages"].items() if v[2] == "dev"), key=lambda item: sum(item[1][:2]))
    for page_id, (precision, recall, _) in ranked[:count]:
        sys.stdout.write(f"  {page_id[:16]}  P={precision:.2f} R={recall:.2f}\n")


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, data_dir=DATA_DIR)
    parser.add_argument("--only", choices=("ino", "all"), default="all", help="skip trafilatura")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst dev pages for ino")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    data = data_folder(args, "ground-truth.json", DATA_SOURCE)
    if data is None:
        return 2
    pages = limit(load_pages(data), args)
    extractors: dict[str, Callable[[str, str], str]] = {"ino-archive": ino_extractor()}
    if args.only == "all":
        extractors.update(trafilatura_extractors())
    repeat = repeat_count(args)
    outputs, seconds = timed_rounds(extractors, [(page[1], page[3]) for page in pages], repeat)
    results = {name: score(outputs[name], pages, seconds[name]) for name in extractors}
    print_table(results, len(pages), repeat)
    if args.worst:
        print_worst(results["ino-archive"], args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
