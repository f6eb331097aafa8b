"""What every ``benchmarks/bench_*.py`` shares: options, data lookup, timing, tables.

Each benchmark takes the runner's shared options (``--data-root``, ``--quick``)
and its own ``--data`` folder, which defaults to a sub-folder of the data root:

    parser = benchmark_parser(__doc__, data_dir="article-extraction-benchmark")
    args = parser.parse_args(argv)
    data = data_folder(args, "ground-truth.json", source="github.com/scrapinghub/article-extraction-benchmark")
    if data is None:
        return 2

Timing is the median of several passes over the same pages (one core, in
this process), so peers measured in the same run face the same load.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_ROOT = REPO_ROOT.parent / "shared" / "eval"
# --quick: a sample of the pages and one timing pass, for a smoke run.
QUICK_PAGES = 40
FULL_REPEAT = 3
WARM_UP = 3


def benchmark_parser(doc: str | None, data_dir: str) -> argparse.ArgumentParser:
    """An argument parser with the shared options and ``--data`` defaulting under the data root."""
    parser = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0] if doc else None)
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT,
                        help=f"folder holding every evaluation set (default {DEFAULT_DATA_ROOT})")
    parser.add_argument("--data", type=Path, default=None,
                        help=f"this benchmark's data folder (default DATA_ROOT/{data_dir})")
    parser.add_argument("--quick", action="store_true",
                        help=f"first {QUICK_PAGES} pages, one timing pass: a smoke run, not a measurement")
    parser.add_argument("--repeat", type=int, default=None,
                        help=f"timing passes; the median is reported (default {FULL_REPEAT}, 1 with --quick)")
    parser.set_defaults(data_dir=data_dir)
    return parser


def data_folder(args: argparse.Namespace, marker: str, source: str) -> Path | None:
    """The data folder, or ``None`` after saying where the public data come from."""
    folder = args.data or args.data_root / args.data_dir
    if (folder / marker).exists():
        return folder
    logger.error("no evaluation data at %s (expected %s); the public data come from %s", folder, marker, source)
    return None


def repeat_count(args: argparse.Namespace) -> int:
    """Timing passes: ``--repeat``, else 1 for ``--quick`` and 3 otherwise."""
    if args.repeat is not None:
        return max(1, args.repeat)
    return 1 if args.quick else FULL_REPEAT


def limit(items: Sequence, args: argparse.Namespace) -> Sequence:
    """All items, or the first few with ``--quick``."""
    return items[:QUICK_PAGES] if args.quick else items


def timed_rounds(functions: dict[str, Callable], inputs: Sequence[tuple], repeat: int) -> tuple[dict, dict]:
    """Each function over every input, ``repeat`` rounds, interleaved so peers share the load.

    Returns the first round's outputs and the median seconds, both per function name.
    """
    outputs: dict[str, list] = {}
    runs: dict[str, list[float]] = {name: [] for name in functions}
    for function in functions.values():
        # Lazy imports and compiled patterns are paid once, outside the timing.
        for args in inputs[:WARM_UP]:
            function(*args)
    for _ in range(repeat):
        for name, function in functions.items():
            started = time.perf_counter()
            results = [function(*args) for args in inputs]
            runs[name].append(time.perf_counter() - started)
            outputs.setdefault(name, results)
    return outputs, {name: statistics.median(times) for name, times in runs.items()}


def write_table(headers: Sequence[str], rows: Iterable[Sequence], title: str | None = None) -> None:
    """A plain fixed-width table on stdout (floats with three decimals, rates with one)."""
    rendered = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rendered)) if rendered else len(str(h))
              for i, h in enumerate(headers)]
    lines = [title] if title else []
    lines.append("  ".join(str(h).ljust(w) if i == 0 else str(h).rjust(w) for i, (h, w) in enumerate(zip(headers, widths, strict=True))))
    lines.append("  ".join("-" * w for w in widths))
    for row in rendered:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.3f}"
    return str(value)
