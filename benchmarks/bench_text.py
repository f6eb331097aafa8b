"""Measure the main-text extractor on the Zyte article-extraction benchmark.

Scores every extractor in the same run, the way the benchmark's own
``evaluate.py`` does: 4-gram shingles of ``\\w+`` tokens, per-document
precision and recall, averaged over documents, F1 of the two averages.
Also reports pages per second (parsing included, one core, median of the
timing passes, extractors interleaved so they share the machine's load).

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
from pipelines.extractors.maintext import extract_body  # noqa: E402
from scraper.decode import parse_html  # noqa: E402

logger = logging.getLogger(__name__)

DATA_DIR = "article-extraction-benchmark"
DATA_SOURCE = "github.com/scrapinghub/article-extraction-benchmark (html/*.html.gz and ground-truth.json)"
TOKEN_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4


def ino_extract(html: str) -> str:
    """Our extractor, parsing included."""
    body = extract_body(parse_html(html))
    return body.main.text if body else ""


def trafilatura_extractors() -> dict[str, Callable[[str], str]]:
    """Trafilatura in default and fast mode, when it can be imported."""
    try:
        import trafilatura
    except ImportError as exc:
        logger.warning("trafilatura not available (%s); measuring ino only", exc)
        return {}

    def default(html: str) -> str:
        return trafilatura.extract(html) or ""

    def fast(html: str) -> str:
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


def load_pages(data: Path) -> list[tuple[str, str, str]]:
    """``(id, html, expected text)`` for every page of the benchmark."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, record in sorted(truth.items()):
        html = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append((page_id, html, record["articleBody"]))
    return pages


def score(outputs: list[str], pages: list[tuple[str, str, str]], seconds: float) -> dict:
    """Averaged precision and recall, their F1, speed, and per-page scores."""
    scores = [precision_recall(expected, out) for (_, _, expected), out in zip(pages, outputs, strict=True)]
    precision = sum(p for p, _ in scores) / len(scores)
    recall = sum(r for _, r in scores) / len(scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_page = {page[0]: (p, r) for page, (p, r) in zip(pages, scores, strict=True)}
    return {"precision": precision, "recall": recall, "f1": f1, "pps": len(pages) / seconds, "pages": per_page}


def print_table(results: dict[str, dict], pages: int, repeat: int) -> None:
    """One line per extractor."""
    rows = [(name, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}", f"{r['pps']:.1f}")
            for name, r in results.items()]
    title = f"main text: {pages} pages, pages/s = median of {repeat} passes (parsing included, one core)"
    write_table(("extractor", "precision", "recall", "F1", "pages/s"), rows, title)


def print_worst(result: dict, count: int) -> None:
    """The pages where an extractor did worst, to look at by hand."""
    ranked = sorted(result["pages"].items(), key=lambda item: sum(item[1]))
    for page_id, (precision, recall) in ranked[:count]:
        sys.stdout.write(f"  {page_id[:16]}  P={precision:.2f} R={recall:.2f}\n")


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, data_dir=DATA_DIR)
    parser.add_argument("--only", choices=("ino", "all"), default="all", help="skip trafilatura")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages for ino")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    data = data_folder(args, "ground-truth.json", DATA_SOURCE)
    if data is None:
        return 2
    pages = limit(load_pages(data), args)
    extractors: dict[str, Callable[[str], str]] = {"ino": ino_extract}
    if args.only == "all":
        extractors.update(trafilatura_extractors())
    repeat = repeat_count(args)
    outputs, seconds = timed_rounds(extractors, [(html,) for _, html, _ in pages], repeat)
    results = {name: score(outputs[name], pages, seconds[name]) for name in extractors}
    print_table(results, len(pages), repeat)
    if args.worst:
        print_worst(results["ino"], args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
