"""Measure the main-text extractor on the Zyte article-extraction benchmark.

Scores every extractor in the same run, the way the benchmark's own
``evaluate.py`` does: 4-gram shingles of ``\\w+`` tokens, per-document
precision and recall, averaged over documents, F1 of the two averages.
Also reports pages per second (parsing included, one core).

    .venv/bin/python benchmarks/bench_text.py [--data DIR] [--only ino] [--worst 10]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from pipelines.extractors.html import parse_html  # noqa: E402
from pipelines.extractors.maintext import extract_main_text  # noqa: E402

logger = logging.getLogger(__name__)

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "eval" / "article-extraction-benchmark"
TOKEN_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4


def ino_extract(html: str) -> str:
    """Our extractor, parsing included."""
    main = extract_main_text(parse_html(html))
    return main.text if main else ""


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


def measure(extract: Callable[[str], str], pages: list[tuple[str, str, str]]) -> dict:
    """Run one extractor over all pages; return averaged scores, speed and per-page F1."""
    started = time.perf_counter()
    outputs = [extract(html) for _, html, _ in pages]
    elapsed = time.perf_counter() - started
    scores = [precision_recall(expected, out) for (_, _, expected), out in zip(pages, outputs, strict=True)]
    precision = sum(p for p, _ in scores) / len(scores)
    recall = sum(r for _, r in scores) / len(scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_page = {page[0]: (p, r) for page, (p, r) in zip(pages, scores, strict=True)}
    return {"precision": precision, "recall": recall, "f1": f1, "pps": len(pages) / elapsed, "pages": per_page}


def print_table(results: dict[str, dict]) -> None:
    """One line per extractor."""
    sys.stdout.write(f"{'extractor':<18} {'precision':>9} {'recall':>7} {'F1':>6} {'pages/s':>8}\n")
    for name, result in results.items():
        sys.stdout.write(
            f"{name:<18} {result['precision']:>9.3f} {result['recall']:>7.3f} {result['f1']:>6.3f}"
            f" {result['pps']:>8.1f}\n"
        )


def print_worst(result: dict, count: int) -> None:
    """The pages where an extractor did worst, to look at by hand."""
    ranked = sorted(result["pages"].items(), key=lambda item: sum(item[1]))
    for page_id, (precision, recall) in ranked[:count]:
        sys.stdout.write(f"  {page_id[:16]}  P={precision:.2f} R={recall:.2f}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    parser.add_argument("--only", choices=("ino", "all"), default="all", help="skip trafilatura")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages for ino")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    pages = load_pages(args.data)
    extractors: dict[str, Callable[[str], str]] = {"ino": ino_extract}
    if args.only == "all":
        extractors.update(trafilatura_extractors())
    results = {name: measure(extract, pages) for name, extract in extractors.items()}
    print_table(results)
    if args.worst:
        print_worst(results["ino"], args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
