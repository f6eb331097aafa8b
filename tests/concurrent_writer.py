"""One crawler's store stage, as a separate process: ``python concurrent_writer.py DB FIRST LAST SEED GO``.

Opens the store pipeline on DB (creating the archive if it is not there),
prints ``ready``, waits until the file GO exists, then stores articles
FIRST..LAST-1 in a shuffled order, as source ``writer-SEED`` (so an article
both writers store differs between them), and prints the store counters as JSON.
Used by test_concurrent_writers.py to run several writers against one archive at once.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

from archive_fixtures import make_item

from pipelines.store import StorePipeline
from scraper.items import Mention

BATCH = 20


class Stats(Counter):
    def inc_value(self, key: str, value: int = 1) -> None:
        self[key] += value


def article(n: int, source: str):
    """Article n as this writer saw it (each writer is its own source); people shared across articles."""
    mentions = [
        Mention("person", "Сергей Жвачкин", "Сергей Жвачкин", 11, 25, "губернатор"),
        Mention("org", "ИНО Томск", "ИНО Томск", 49, 58),
        Mention("place", f"Посёлок {n}", f"Посёлок {n}", 60, 70),
    ]
    return make_item(n, source=source, mentions=mentions, places=[f"Посёлок {n}"])


def main(db_url: str, first: int, last: int, seed: int, go: Path) -> None:
    numbers = list(range(first, last))
    random.Random(seed).shuffle(numbers)
    stats = Stats()
    pipeline = StorePipeline(db_url, batch_size=BATCH, stats=stats)
    pipeline.open_spider()
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.01)
    for n in numbers:
        pipeline.process_item(article(n, f"writer-{seed}"))
    pipeline.close_spider()
    print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
