"""Running the real crawler against the fault-injecting mock server (shared by the reliability tests)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from itertools import count
from pathlib import Path

from helpers import FAST, run_cli

# Short limits so every fault resolves within seconds: the timeout is far below the mock server's
# slow answer (TIMEOUT_FAULT_SECONDS) and far above a good page's.  A loaded crawler can still time a
# good page out: its reactor stalls while the first items load the pipelines' models (6.6 s seen), and
# an attempt in flight then never reaches the server.  A stall costs each page in flight one attempt,
# so two retries more than the scripted faults need (flaky pages fail twice at most) keep every good
# page's fate independent of the machine's load; the slow fault then takes 5 × 4 s to give up.
FAULT_SETTINGS = [
    *FAST,
    "-s", "DOWNLOAD_TIMEOUT=4",
    "-s", "RETRY_TIMES=4",
    "-s", f"DOWNLOAD_MAXSIZE={4 * 1024 * 1024}",
    "-s", "DEPTH_LIMIT=3",
]


def crawl_args(server, db: Path, *extra: str, path: str = "/") -> list[str]:
    """`crawl` of the mock site from ``path`` with only its exact host:port allowed (no --allow-private).

    Unless the caller names one, each crawl keeps its log next to the archive
    (``crawl-N.log``), so a failed test can be read from pytest's temporary folder.
    """
    args = ["crawl", "--url", server.url(path), "--db", str(db), "-s", f"ARCHIVE_ALLOW_HOSTS={server.host}",
            *FAULT_SETTINGS, *extra]
    if "--log-file" not in extra:
        log = next(db.parent / f"crawl-{n}.log" for n in count(1) if not (db.parent / f"crawl-{n}.log").exists())
        log.touch()  # taken now: two crawls started together get two logs
        args += ["--log-file", str(log)]
    return args


def crawl(server, db: Path, *extra: str, path: str = "/") -> subprocess.CompletedProcess:
    return run_cli(*crawl_args(server, db, *extra, path=path), timeout=120)


def start_crawl(server, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "archive.cli", *crawl_args(server, db, *extra)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def stored_paths(db: Path) -> list[str]:
    """The path of every stored article's URL, duplicates kept."""
    return ["/" + url.split("/", 3)[3] for (url,) in query(db, "SELECT url FROM articles")]
