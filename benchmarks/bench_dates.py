"""Measure the publication-date finder on the htmldate evaluation set.

Scores ours and htmldate (original_date=True, extensive and fast search) in
the same run, the way htmldate's own evaluation does: no date for a page
without a gold date is a true negative, no date for a dated page a false
negative, a wrong date a false positive.  Prints accuracy, precision, recall
and pages per second (parsing included, one core), and for ours which
signal answered how often and how well.

    .venv/bin/python benchmarks/bench_dates.py [--data DIR] [--limit 200]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from pipelines.extractors.dates import find_published  # noqa: E402
from pipelines.extractors.html import parse_html  # noqa: E402

logger = logging.getLogger(__name__)

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "eval" / "htmldate-eval"
# A finder returns (ISO date or None, signal name or None).
Finder = Callable[[str, str], tuple[str | None, str | None]]


@dataclass
class Score:
    """Confusion counts, time spent and (for ours) per-signal outcomes."""

    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    signals: Counter = field(default_factory=Counter)

    def add(self, gold: str | None, found: str | None, signal: str | None) -> None:
        if found is None:
            outcome = "tn" if gold is None else "fn"
        else:
            outcome = "tp" if found == gold else "fp"
        self.counts[outcome] += 1
        if signal:
            self.signals[(signal, outcome)] += 1


def ino_find(html: str, url: str) -> tuple[str | None, str | None]:
    """Our finder, parsing included."""
    found = find_published(parse_html(html), url=url, zone=None)
    return (found.date.isoformat(), found.signal) if found else (None, None)


def htmldate_finders() -> dict[str, Finder]:
    """htmldate in extensive and fast mode, when it can be imported."""
    try:
        from htmldate import find_date
    except ImportError as exc:
        logger.warning("htmldate not available (%s); measuring ino only", exc)
        return {}

    def run(html: str, url: str, extensive: bool) -> tuple[str | None, str | None]:
        found = find_date(html, url=url, original_date=True, extensive_search=extensive,
                          outputformat="%Y-%m-%d")
        return found, None

    return {
        "htmldate-extensive": lambda html, url: run(html, url, True),
        "htmldate-fast": lambda html, url: run(html, url, False),
    }


def decode(raw: bytes) -> str:
    """UTF-8 first, then charset detection, as the upstream evaluation does."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        return str(best) if best else raw.decode("utf-8", errors="replace")


def evaluate(data: Path, finders: dict[str, Finder], limit: int | None) -> dict[str, Score]:
    labels = json.loads((data / "labels.json").read_text(encoding="utf-8"))
    scores = {name: Score() for name in finders}
    for url, label in list(labels.items())[:limit]:
        html = decode(gzip.decompress((data / label["file"]).read_bytes()))
        for name, finder in finders.items():
            started = time.perf_counter()
            found, signal = finder(html, url)
            scores[name].seconds += time.perf_counter() - started
            scores[name].add(label["date"], found, signal)
    return scores


def report(scores: dict[str, Score]) -> None:
    for name, score in scores.items():
        c = score.counts
        total = sum(c.values())
        precision = c["tp"] / max(1, c["tp"] + c["fp"])
        recall = c["tp"] / max(1, c["tp"] + c["fn"])
        accuracy = (c["tp"] + c["tn"]) / max(1, total)
        rate = total / score.seconds if score.seconds else float("inf")
        logger.info(
            "%-20s accuracy %.3f  precision %.3f  recall %.3f  (tp %d fp %d fn %d tn %d)  %.1f pages/s",
            name, accuracy, precision, recall, c["tp"], c["fp"], c["fn"], c["tn"], rate,
        )
        for signal in sorted({s for s, _ in score.signals}):
            right, wrong = score.signals[(signal, "tp")], score.signals[(signal, "fp")]
            logger.info("    %-8s %4d answers, %.3f right", signal, right + wrong, right / max(1, right + wrong))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with labels.json and html/")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--only", choices=["ino"], help="skip htmldate")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    finders: dict[str, Finder] = {"ino": ino_find}
    if args.only is None:
        finders |= htmldate_finders()
    report(evaluate(args.data, finders, args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
