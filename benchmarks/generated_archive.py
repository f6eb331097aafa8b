"""The generated archive the search and export benchmarks share, built once and cached.

``cached_archive(articles)`` returns a SQLite file of ``articles`` generated
articles (about 300 words each, two thirds Russian, one third English, with
people and organisations), built through the real schema.  The file is kept
under the system temp folder, keyed by ``GENERATOR_VERSION``, the search
index's schema version and the size, so repeated runs reuse it; a changed
generator or index makes a new key, never a stale file, and a reused file is
brought to the current schema (migrations, search indexes) before timing.

Loading is bulk: the full-text triggers are dropped while the rows go in, and
``rebuild_search_index`` builds both FTS indexes (and the triggers) in one
pass at the end, which is what makes 100 000 articles take a minute, not five.
"""

from __future__ import annotations

import itertools
import logging
import os
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

logger = logging.getLogger(__name__)

# Bump when the articles generated for a seed change: cached files are then rebuilt.
GENERATOR_VERSION = 3
DEFAULT_CACHE_DIR = Path(tempfile.gettempdir()) / "ino-archive-bench"
WORDS_PER_ARTICLE = (150, 450)
VOCABULARY = 30_000
BATCH = 2_000
RU_STEMS = ("кластер", "университет", "инноваци", "проект", "регион", "губернатор", "технологи", "развити",
            "предприяти", "наук", "исследовани", "студент", "экономик", "фармацевтик", "лес", "город")
RU_ENDINGS = ("", "а", "ов", "ами", "ах", "у", "ом", "ы", "е", "и", "ей", "ям")
RU_FILLER = ("в", "и", "на", "с", "по", "для", "о", "что", "это", "также", "года", "томской", "области",
             "новый", "рамках", "работы", "программы", "области", "совместно", "директор")
# The head of each language's Zipf list is its function words and the words every article of the programme
# uses; topic words are put into some articles only.  (Version 2 had the English topic words at ranks 1-14,
# above "the": "cluster" was 9% of every English article's words.)
EN_FILLER = ("the", "of", "and", "in", "for", "with", "new", "Tomsk", "INO", "program", "development", "city",
             "said", "also", "year", "regional", "work")
EN_TOPICS = ("cluster", "clusters", "university", "universities", "innovation", "innovations", "project",
             "projects", "region", "governor", "technology", "technologies", "research", "students")
PEOPLE = [f"Person {n}" for n in range(40)] + ["Сергей Жвачкин", "Андрей Антонов"]
ORGS = [f"Organisation {n}" for n in range(30)] + ["Tomsk State University", "ИНО Томск"]
SOURCES = ("ino-tomsk-ru", "ino-tomsk-en", "sherpaspro", "tomsk-gov", "tpu", "tsu", "riatomsk")


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
        self.en = list(EN_FILLER) + _vocabulary(self.rng, "bcdfghklmnprstvwz|aeiouy", VOCABULARY)
        self.cum = list(itertools.accumulate(1 / rank for rank in range(1, VOCABULARY + 40)))

    def words(self, russian: bool, count: int) -> list[str]:
        vocabulary = self.ru if russian else self.en
        words = self.rng.choices(vocabulary, cum_weights=self.cum[:len(vocabulary)], k=count)
        for _ in range(self.rng.choice((0, 0, 1, 2))):  # most articles have no topic word
            topic = self.rng.choice(RU_STEMS if russian else EN_TOPICS)
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
    """Write ``articles`` generated articles (and their mentions) through the real schema, in bulk."""
    from sqlalchemy import insert, text

    from archive.db import open_engine, rebuild_search_index
    from archive.db.fulltext import TRIGGERS
    from archive.models import Article, Entity, Mention

    generator = Generator(seed)
    engine = open_engine(f"sqlite:///{path}")
    entity_ids = {}
    with engine.begin() as conn:
        for trigger in TRIGGERS:  # rebuilt in one pass below, instead of per row
            conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
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
        if len(batch) == BATCH or n == articles:
            with engine.begin() as conn:
                conn.execute(insert(Article), batch)
                conn.execute(insert(Mention), mentions)
            batch, mentions = [], []
            if n % 20_000 == 0:
                logger.info("generated %d articles", n)
    with engine.begin() as conn:
        rebuild_search_index(conn)  # no ANALYZE: crawled archives have no planner statistics either
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def _bring_up_to_date(path: Path) -> None:
    """Upgrade a cached archive made by an older schema, and add missing search indexes, before timing."""
    from archive.db import ensure_search_index, open_engine, writer

    engine = open_engine(f"sqlite:///{path}")  # create=True: upgrades an older schema, like a crawl
    with writer(engine).begin() as conn:
        ensure_search_index(conn)
    engine.dispose()


def cache_path(articles: int, cache_dir: Path = DEFAULT_CACHE_DIR, seed: int = 5) -> Path:
    """Where the archive of ``articles`` articles is cached (generator, index schema and size in the name)."""
    from archive.db.fulltext import SCHEMA_VERSION

    # Letters, digits and "-" only: Datasette names the database after the file and reads ".x" as a format.
    index = "".join(ch if ch.isalnum() else "-" for ch in SCHEMA_VERSION)
    return cache_dir / f"bench-g{GENERATOR_VERSION}-i{index}-s{seed}-{articles}.sqlite3"


def cached_archive(articles: int, cache_dir: Path | None = None, seed: int = 5) -> Path:
    """The cached archive of ``articles`` articles, generated first when missing."""
    path = cache_path(articles, cache_dir or DEFAULT_CACHE_DIR, seed)
    if path.exists():
        logger.info("reusing the generated archive %s", path)
        _bring_up_to_date(path)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    started = time.perf_counter()
    try:
        generate_archive(partial, articles, seed)
        os.replace(partial, path)  # readers never see a half-built file
    finally:
        for leftover in (partial, *partial.parent.glob(partial.name + "-*")):
            leftover.unlink(missing_ok=True)
    logger.info("generated %d articles in %.0f s (%.0f MB) into %s", articles, time.perf_counter() - started,
                path.stat().st_size / 1e6, path)
    return path
