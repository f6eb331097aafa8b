"""Measure the ru/en/other language decision against langdetect, in the same run.

The texts are the main texts (ground-truth ``articleBody``) of the Zyte
article-extraction benchmark, 181 pages in English, Russian and a dozen other
languages, labelled in ``benchmarks/data/language_zyte.json`` (see its
``_about``).  Reports agreement with the labels, how many texts the script
statistics settled without a language model, and articles per second (median
of the timing passes, one core).  langdetect (seeded) reads the whole text as
a user would call it; ino-archive reads the first ``SAMPLE_CHARS``.

    .venv/bin/python benchmarks/bench_language.py [--data DIR | --data-root DIR] [--quick]
"""

from __future__ import annotations

import json
import logging
import sys
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
from pipelines.extractors.language import (  # noqa: E402
    SAMPLE_CHARS,
    detect_language,
    detector_factory,
    langdetect_decision,
    script_decision,
)

logger = logging.getLogger(__name__)

DATA_DIR = "article-extraction-benchmark"
DATA_SOURCE = "github.com/scrapinghub/article-extraction-benchmark (ground-truth.json)"
LABELS = REPO_ROOT / "benchmarks" / "data" / "language_zyte.json"


def load_texts(data: Path) -> list[tuple[str, str, str]]:
    """``(id, main text, label)`` for every labelled page."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["labels"]
    return [(page, truth[page]["articleBody"], labels[page]) for page in sorted(labels) if page in truth]


def langdetect_whole(text: str) -> str:
    """langdetect on the whole text, mapped to ru/en/other."""
    return langdetect_decision(text)


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, data_dir=DATA_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    data = data_folder(args, "ground-truth.json", DATA_SOURCE)
    if data is None:
        return 2
    texts = limit(load_texts(data), args)
    detector_factory()  # langdetect's profiles load once, outside the timing, for both
    deciders = {"ino": detect_language, "langdetect": langdetect_whole}
    repeat = repeat_count(args)
    outputs, seconds = timed_rounds(deciders, [(text,) for _, text, _ in texts], repeat)
    settled = sum(script_decision(text[:SAMPLE_CHARS]) is not None for _, text, _ in texts)
    rows = []
    for name, answers in outputs.items():
        right = sum(answer == label for answer, (_, _, label) in zip(answers, texts, strict=True))
        by_script = f"{settled}/{len(texts)}" if name == "ino" else "-"
        rows.append((name, f"{right / len(texts):.3f}", f"{right}/{len(texts)}", by_script,
                     f"{len(texts) / seconds[name]:.0f}"))
    title = (f"language: {len(texts)} main texts (ru/en/other), articles/s = median of {repeat} passes,"
             f" ino reads the first {SAMPLE_CHARS} characters")
    write_table(("detector", "agreement", "right", "by script", "articles/s"), rows, title)
    return 0


if __name__ == "__main__":
    sys.exit(main())
