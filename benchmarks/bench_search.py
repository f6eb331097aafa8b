"""Search latency on a generated archive: ino-archive search vs a LIKE scan vs Datasette's search.

The archive (100 000 articles by default, about 300 words each, two thirds
Russian, one third English, with people and organisations) is generated
into a temporary SQLite file through the real schema, so the triggers build
the real indexes.  Each query runs ``--repeat`` times per engine, interleaved;
p50 and p95 are over all runs.  Goal: ino-archive p95 <= 50 ms.

    .venv/bin/python benchmarks/bench_search.py            # 100 000 articles
    .venv/bin/python benchmarks/bench_search.py --quick    # 5 000 articles, smoke run
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.common import benchmark_parser, write_table  # noqa: E402

logger = logging.getLogger(__name__)

FULL_ARTICLES = 100_000
QUICK_ARTICLES = 5_000
WORDS_PER_ARTICLE = (150, 450)
VOCABULARY = 30_000
RU_STEMS = ("кластер", "университет", "инноваци", "проект", "регион", "губернатор", "технологи", "развити",
            "предприяти", "наук", "исследовани", "студент", "экономик", "фармацевтик", "лес", "город")
RU_ENDINGS = ("", "а", "ов", "ами", "ах", "у", "ом", "ы", "е", "и", "ей", "ям")
RU_FILLER = ("в", "и", "на", "с", "по", "для", "о", "что", "это", "также", "года", "томской", "области",
             "новый", "рамках", "работы", "программы", "области", "совместно", "директор")
EN_WORDS = ("cluster", "clusters", "university", "universities", "innovation", "innovations", "project",
            "projects", "region", "governor", "technology", "technologies", "research", "students", "the",
            "of", "and", "in", "for", "with", "new", "Tomsk", "INO", "program", "development", "city")
PEOPLE = [f"Person {n}" for n in range(40)] + ["Сергей Жвачкин", "Андрей Антонов"]
ORGS = [f"Organisation {n}" for n in range(30)] + ["Tomsk State University", "ИНО Томск"]
SOURCES = ("ino-tomsk-ru", "ino-tomsk-en", "sherpaspro", "tomsk-gov", "tpu", "tsu", "riatomsk")
QUERIES = [
    ("кластерами", {}),
    ("университет инновации", {}),
    ('"томской области"', {}),
    ("universities OR clusters", {}),
    ("фармацевт*", {}),
    ("губернатор -регион", {}),
    ("кластер", {"lang": "ru", "since": date(2015, 1, 1), "until": date(2016, 12, 31)}),
    ("university", {"source": "ino-tomsk-en"}),
    ("проект", {"person": "Жвачкин"}),
    ("", {"org": "Tomsk State"}),
]


def _vocabulary(rng: random.Random, letters: str, size: int) -> list[str]:
    """Pseudo-words of 2-4 syllables: a long Zipf tail like real news vocabulary."""
    consonants, vowels = letters.split("|")
    return ["".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
            for _ in range(size)]


class Generator:
    """Articles whose words follow Zipf's law, with topic words (кластер, university…) in some."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ru = list(RU_FILLER) + _vocabulary(self.rng, "бвгдзклмнпрстфхцчшщ|аеиоуыяюё", VOCABULARY)
        self.en = list(EN_WORDS) + _vocabulary(self.rng, "bcdfghklmnprstvwz|aeiouy", VOCABULARY)
        self.cum = list(itertools.accumulate(1 / rank for rank in range(1, VOCABULARY + 40)))

    def words(self, russian: bool, count: int) -> list[str]:
        vocabulary = self.ru if russian else self.en
        words = self.rng.choices(vocabulary, cum_weights=self.cum[:len(vocabulary)], k=count)
        for _ in range(self.rng.choice((0, 0, 1, 2))):  # most articles have no topic word
            topic = self.rng.choice(RU_STEMS if russian else EN_WORDS[:14])
            for _ in range(self.rng.randint(1, 5)):
                form = topic + self.rng.choice(RU_ENDINGS) if russian else topic
                words[self.rng.randrange(count)] = form
        return words

    def article(self, n: int) -> dict:
        rng = self.rng
        russian = rng.random() < 0.67
        count = rng.randint(*WORDS_PER_ARTICLE)
        words = self.words(russian, count)
        sentences = [" ".join(words[i:i + 15]).capitalize() + "." for i in range(0, count, 15)]
        people = rng.sample(PEOPLE, rng.randint(0, 3))
        orgs = rng.sample(ORGS, rng.randint(0, 3))
        return {
            "id": n, "url": f"https://bench.example/{n}", "canonical_url": f"https://bench.example/{n}",
            "source": "ino-tomsk-en" if not russian else rng.choice(SOURCES),
            "title": " ".join(words[:8]).capitalize(), "text": "\n".join(sentences),
            "language": "ru" if russian else "en",
            "published": date(2012, 1, 1) + timedelta(days=rng.randrange(4000)),
            "people": people, "organisations": orgs, "places": [], "relevance": rng.random() * 5,
            "is_relevant": rng.random() < 0.9, "relevance_terms": [], "content_hash": str(n),
            "extract_hash": str(n),
        }


def generate_archive(path: Path, articles: int, seed: int = 5) -> None:
    """Write ``articles`` generated articles (and their mentions) through the real schema."""
    from sqlalchemy import insert

    from archive.db import open_engine
    from archive.models import Article, Entity, Mention

    generator = Generator(seed)
    engine = open_engine(f"sqlite:///{path}")
    entity_ids = {}
    with engine.begin() as conn:
        for n, name in enumerate(PEOPLE + ORGS, start=1):
            kind = "person" if name in PEOPLE else "org"
            conn.execute(insert(Entity), {"id": n, "kind": kind, "name": name})
            entity_ids[name] = n
    batch, mentions = [], []
    for n in range(1, articles + 1):
        row = generator.article(n)
        batch.append(row)
        mentions += [{"article_id": n, "entity_id": entity_ids[name], "surface": name}
                     for name in row["people"] + row["organisations"]]
        if len(batch) == 2000 or n == articles:
            with engine.begin() as conn:
                conn.execute(insert(Article), batch)
                conn.execute(insert(Mention), mentions)
            batch, mentions = [], []
            if n % 20000 == 0:
                logger.info("generated %d articles", n)
    engine.dispose()


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def measure(path: Path, repeat: int) -> list[tuple]:
    """Latency rows: (query, engine, p50 ms, p95 ms, hits)."""
    from datasette.app import Datasette
    from sqlalchemy import text as sql
    from sqlalchemy.orm import Session

    from archive.db import open_engine
    from archive.search import SearchQuery, search

    engine = open_engine(f"sqlite:///{path}", create=False)
    datasette = Datasette([str(path)], immutables=[])
    loop = asyncio.new_event_loop()
    rows = []
    like_sql = sql("SELECT id, title FROM articles WHERE is_relevant = 1 AND (title LIKE :w OR text LIKE :w)"
                   " ORDER BY published DESC LIMIT 20")
    with Session(engine) as session:
        for words, filters in QUERIES:
            label = (words or "(no words)") + "".join(f" --{k} {v}" for k, v in filters.items())
            engines = {"ino-archive": lambda: search(session, SearchQuery(text=words, **filters))}
            plain = words.strip('"*').split()[0] if words and not filters else None
            if plain:  # peers answer plain word queries only
                engines["LIKE scan"] = lambda: session.execute(like_sql, {"w": f"%{plain}%"}).all()
                engines["Datasette"] = lambda: loop.run_until_complete(
                    datasette.client.get(f"/{path.stem}/articles.json?_search={plain}&_size=20&_shape=array"))
            times = {name: [] for name in engines}
            hits = {}
            for _ in range(repeat):
                for name, run in engines.items():
                    started = time.perf_counter()
                    result = run()
                    times[name].append(time.perf_counter() - started)
                    hits[name] = len(result.json()) if name == "Datasette" else len(result)
            for name in engines:
                rows.append((label, name, *_percentiles(times[name]), hits[name]))
    loop.close()
    engine.dispose()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, data_dir="(generated)")
    parser.add_argument("--articles", type=int, default=None, help=f"articles to generate (default {FULL_ARTICLES}, {QUICK_ARTICLES} with --quick)")
    parser.add_argument("--keep", type=Path, default=None, help="generate into (or reuse) this file instead of a temporary one")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Datasette's client logs every request
    articles = args.articles or (QUICK_ARTICLES if args.quick else FULL_ARTICLES)
    repeat = args.repeat or (3 if args.quick else 20)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.sqlite3"
        if not path.exists():
            started = time.perf_counter()
            generate_archive(path, articles)
            logger.info("generated %d articles in %.0f s (%.0f MB)", articles, time.perf_counter() - started,
                        path.stat().st_size / 1e6)
        rows = measure(path, repeat)
    write_table(["query", "engine", "p50 ms", "p95 ms", "hits"], rows,
                title=f"Search latency, {articles} articles, {repeat} runs per query (one core)")
    ours = [row[3] for row in rows if row[1] == "ino-archive"]
    sys.stdout.write(f"ino-archive worst p95: {max(ours):.1f} ms (goal 50 ms)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
