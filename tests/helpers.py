"""Helpers the tests share: paths and running the real command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent
SITE = TESTS / "site"
PAGES = TESTS / "pages"
# Local pages need no politeness delay; keep the crawl quick.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def run_cli(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``ino-archive ARGS`` as a user would, in a fresh process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "archive.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def copy_archive(db: Path, folder: Path) -> Path:
    """Copy the SQLite archive ``db`` and its WARC folder into ``folder``; the copy's path."""
    copy = folder / db.name
    shutil.copy(db, copy)
    shutil.copytree(db.with_name(db.name + ".warc"), copy.with_name(copy.name + ".warc"))
    return copy
