"""Run every benchmark (``benchmarks/bench_*.py``) and print each one's table.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python -m benchmarks.run [--data-root DIR] [--quick] [--only text]

Each ``bench_NAME.py`` exposes ``main(argv) -> int`` and takes the shared
options ``--data-root`` (default ``../shared/eval``) and ``--quick``; the runner
passes them on, one benchmark after the other in this process, and goes on
after a benchmark that fails or lacks its data.  The exit code is 0 only when
every benchmark ran.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.common import DEFAULT_DATA_ROOT  # noqa: E402

logger = logging.getLogger("benchmarks.run")

BENCH_DIR = Path(__file__).resolve().parent


def discover() -> list[str]:
    """Names of the benchmarks (``bench_text.py`` → ``text``), sorted."""
    return sorted(path.stem.removeprefix("bench_") for path in BENCH_DIR.glob("bench_*.py"))


def run_one(name: str, argv: list[str]) -> int:
    """Import ``benchmarks.bench_NAME`` and call its ``main``; a crash is an exit code, not the end."""
    sys.stdout.write(f"\n== {name} ==\n")
    sys.stdout.flush()
    started = time.perf_counter()
    try:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        code = module.main(argv)
    except SystemExit as exc:  # argparse errors and sys.exit inside main
        code = exc.code if isinstance(exc.code, int) else 1
    except Exception:
        # One broken benchmark must not hide the others' figures.
        logger.exception("benchmark %s failed", name)
        code = 1
    logger.info("%s: exit %s after %.0f s", name, code, time.perf_counter() - started)
    return code or 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT,
                        help=f"folder holding every evaluation set (default {DEFAULT_DATA_ROOT})")
    parser.add_argument("--quick", action="store_true", help="a smoke run: few pages, one timing pass")
    parser.add_argument("--only", action="append", choices=discover(), metavar="NAME",
                        help=f"run only this benchmark (repeatable): {', '.join(discover())}")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    # Imported with the extract pipelines (benchmarks/ino.py): their set-up chatter is not a figure.
    for noisy in ("alembic", "trafilatura", "htmldate"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    shared = ["--data-root", str(args.data_root), *(["--quick"] if args.quick else [])]
    failed = [name for name in (args.only or discover()) if run_one(name, shared) != 0]
    if failed:
        logger.error("benchmarks that did not run to the end: %s", ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
