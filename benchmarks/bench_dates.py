"""Measure the publication-date finder on the htmldate evaluation set.

Scores ours and htmldate (original_date=True, extensive and fast search) in
the same run, the way htmldate's own evaluation does: no date for a page
without a gold date is a true negative, no date for a dated page a false
negative, a wrong date a false positive.  Prints accuracy, precision, recall
and pages per second (parsing included, one core) for the dev and the test
pages (split by site, ``benchmarks/split.py``), and for ours which signal
answered how often and how well on dev.  Ours is what ``ino-archive extract
PAGE --url URL`` gives (``benchmarks.ino``: the shipped settings, no time zone
given, so dates stay as the pages wrote them); a date later than the fetch
time is counted apart (there must be none).  With ``--repeat N`` every finder
runs N times per page and the median of the N total times is reported.

    .venv/bin/python benchmarks/bench_dates.py [--data DIR | --data-root DIR] [--quick] [--limit 200] [--repeat 3]

The data set is htmldate's evaluation set (github.com/adbar/htmldate:
tests/eval_default.json + tests/eval/, tests/eval_mediacloud_2020.json +
tests/test_set/), re-packed as labels.json + html/*.gz.
"""

from __future__ import annotations

import gzip
import importlib
import json
import logging
import pkgutil
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.common import QUICK_PAGES, benchmark_parser, data_folder, repeat_count  # noqa: E402
from benchmarks.ino import ino_extract, ino_pipelines  # noqa: E402
from benchmarks.split import PARTS, part_of  # noqa: E402

logger = logging.getLogger(__name__)

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "eval" / "htmldate-eval"
DATA_SOURCE = (
    "htmldate's repository (github.com/adbar/htmldate): tests/eval_default.json + tests/eval/,"
    " tests/eval_mediacloud_2020.json + tests/test_set/"
)
# A finder returns (ISO date or None, signal name or None).
Finder = Callable[[str, str], tuple[str | None, str | None]]


@dataclass
class Score:
    """Confusion counts, time spent and (for ours) per-signal outcomes."""

    counts: Counter = field(default_factory=Counter)
    runs: list[float] = field(default_factory=list)
    signals: Counter = field(default_factory=Counter)
    future: int = 0  # dates later than the fetch time (today)
    pages: int = 0  # pages timed (both parts)

    @property
    def seconds(self) -> float:
        """Median total time over the timing runs."""
        return statistics.median(self.runs) if self.runs else 0.0

    def add(self, gold: str | None, found: str | None, signal: str | None) -> None:
        if found is None:
            outcome = "tn" if gold is None else "fn"
        else:
            outcome = "tp" if found == gold else "fp"
        self.counts[outcome] += 1
        if signal:
            self.signals[(signal, outcome)] += 1


# htmldate caches that hold set-up, not per-page results: kept between passes.
KEPT_HTMLDATE_CACHES = frozenset({"get_external_parser"})


def ino_finder() -> Finder:
    """The date ``ino-archive extract PAGE --url URL`` gives, parsing and the text stage included."""
    pipelines = ino_pipelines()

    def find(html: str, url: str) -> tuple[str | None, str | None]:
        result = ino_extract(pipelines, html, url)
        return result.published, result.published_from

    return find


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


def evaluate(data: Path, finders: dict[str, Finder], limit: int | None,
             repeat: int = 1) -> dict[str, dict[str, Score]]:
    """Score every finder on the pages, per part; each of the ``repeat`` passes is timed whole."""
    labels = json.loads((data / "labels.json").read_text(encoding="utf-8"))
    pages = [
        (url, label["date"], decode(gzip.decompress((data / label["file"]).read_bytes())))
        for url, label in list(labels.items())[:limit]
    ]
    parts = [part_of(url) for url, _, _ in pages]
    scores = {name: {part: Score() for part in PARTS} for name in finders}
    today = date.today().isoformat()
    progress = sys.stderr.isatty()
    for run in range(repeat):
        for name, finder in finders.items():
            _clear_caches()
            seconds = 0.0
            for number, (url, gold, html) in enumerate(pages, 1):
                started = time.perf_counter()
                found, signal = finder(html, url)
                seconds += time.perf_counter() - started
                if run == 0:
                    scores[name][parts[number - 1]].add(gold, found, signal)
                    if found is not None and found > today:
                        scores[name][parts[number - 1]].future += 1
                if progress and number % 50 == 0:
                    print(f"\rpass {run + 1}/{repeat} {name}: {number}/{len(pages)}", end="",
                          file=sys.stderr, flush=True)
            for part in PARTS:
                scores[name][part].runs.append(seconds)
                scores[name][part].pages = len(pages)
    if progress:
        print(file=sys.stderr)
    return scores


def _clear_caches() -> None:
    """Each pass starts cold, as a single run would: htmldate memoises parsed strings and dates.

    Every ``functools`` cache in htmldate's modules is cleared except the external date parser
    (built once per process, like our own models).  Clearing only some of them let the second and
    third passes of htmldate run ~1.5x faster than the first, and the median picked those.
    """
    try:
        import htmldate
    except ImportError:
        return
    for info in pkgutil.iter_modules(htmldate.__path__):
        module = importlib.import_module(f"htmldate.{info.name}")
        for name, value in vars(module).items():
            if name not in KEPT_HTMLDATE_CACHES and hasattr(value, "cache_clear") and value.__module__ == module.__name__:
                value.cache_clear()


def report(scores: dict[str, dict[str, Score]]) -> None:
    """One table per part: accuracy, precision, recall, counts, future dates and speed; then ours per signal on dev."""
    lines = []
    for part in PARTS:
        header = (f"{part + ': finder':<26} {'accuracy':>8} {'precision':>9} {'recall':>6} {'tp':>5} {'fp':>4}"
                  f" {'fn':>4} {'tn':>3} {'future':>6} {'pages/s':>8}")
        lines += [header, "-" * len(header)]
        for name, by_part in scores.items():
            score = by_part[part]
            c = score.counts
            total = sum(c.values())
            precision = c["tp"] / max(1, c["tp"] + c["fp"])
            recall = c["tp"] / max(1, c["tp"] + c["fn"])
            accuracy = (c["tp"] + c["tn"]) / max(1, total)
            rate = score.pages / score.seconds if score.seconds else float("inf")
            lines.append(
                f"{name:<26} {accuracy:>8.3f} {precision:>9.3f} {recall:>6.3f} {c['tp']:>5} {c['fp']:>4}"
                f" {c['fn']:>4} {c['tn']:>3} {score.future:>6} {rate:>8.1f}"
            )
    for name, by_part in scores.items():
        score = by_part["dev"]
        for signal in sorted({s for s, _ in score.signals}):
            right, wrong = score.signals[(signal, "tp")], score.signals[(signal, "fp")]
            lines.append(f"  dev {name} {signal:<8} {right + wrong:4d} answers, {right / max(1, right + wrong):.3f} right")
    sys.stdout.write("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, data_dir=DEFAULT_DATA.name)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--only", choices=["ino"], help="skip htmldate")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.data = data_folder(args, "labels.json", DATA_SOURCE)
    if args.data is None:
        return 2
    args.repeat = repeat_count(args)
    if args.quick and args.limit is None:
        args.limit = QUICK_PAGES
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    finders: dict[str, Finder] = {"ino-archive": ino_finder()}
    if args.only is None:
        finders |= htmldate_finders()
    report(evaluate(args.data, finders, args.limit, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
