"""Several crawler processes writing to one archive at once: no duplicates, no lost rows.

Two store pipelines in two processes write overlapping, shuffled batches of
the same articles at the same moment (on PostgreSQL the point of it; on
SQLite the writers queue on the file lock).  The writers disagree about the
shared articles (each is its own source), so one inserts and the other
updates.  Each article must be stored once, inserted by exactly one writer,
with one set of mentions, and every overwritten state kept as a version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from archive_fixtures import db_url  # noqa: F401  (fixture)
from sqlalchemy import create_engine, text

WRITER = Path(__file__).parent / "concurrent_writer.py"
RANGES = [(0, 300, 1), (150, 450, 2)]  # 150 articles written by both
ARTICLES = 450


def run_writers(db_url: str, go: Path) -> list[dict[str, int]]:  # noqa: F811
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(WRITER.parent), str(WRITER.parent.parent)])}
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), db_url, str(first), str(last), str(seed), str(go)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for first, last, seed in RANGES
    ]
    try:
        for writer in writers:  # both have opened the archive: release them together
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        go.touch()
        outputs = [writer.communicate(timeout=120) for writer in writers]
    finally:
        for writer in writers:  # reaped and its pipes closed even when the test failed early
            writer.kill()
            writer.wait()
            writer.stdout.close()
            writer.stderr.close()
    for writer, (_out, err) in zip(writers, outputs):
        assert writer.returncode == 0, err
    return [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]


def scalar(conn, sql: str) -> int:
    return conn.execute(text(sql)).scalar_one()


def test_two_writers_with_overlapping_batches_store_every_article_once(db_url, tmp_path):  # noqa: F811
    counts = run_writers(db_url, tmp_path / "go")

    assert all(c.get("archive/articles_failed", 0) == 0 for c in counts)
    assert sum(c["archive/articles_inserted"] for c in counts) == ARTICLES
    for c, (first, last, _seed) in zip(counts, RANGES):
        stored = c["archive/articles_inserted"] + c.get("archive/articles_updated", 0) + c.get("archive/articles_unchanged", 0)
        assert stored == last - first
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert scalar(conn, "SELECT count(*) FROM articles") == ARTICLES
            assert scalar(conn, "SELECT count(DISTINCT canonical_url) FROM articles") == ARTICLES
            assert scalar(conn, "SELECT count(*) FROM mentions") == 3 * ARTICLES
            assert scalar(conn, "SELECT count(*) FROM (SELECT DISTINCT article_id, entity_id FROM mentions) m") == 3 * ARTICLES
            assert scalar(conn, "SELECT count(*) FROM entities") == 2 + ARTICLES
            assert scalar(conn, "SELECT count(*) FROM sources") == 2
            shared = RANGES[0][1] - RANGES[1][0]
            assert sum(c.get("archive/articles_updated", 0) for c in counts) == shared
            assert scalar(conn, "SELECT count(*) FROM article_versions") == shared
            assert scalar(conn, "SELECT count(*) FROM pages") == ARTICLES
            assert scalar(conn, "SELECT count(*) FROM failures") == 0
    finally:
        engine.dispose()
