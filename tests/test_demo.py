"""`ino-archive demo` leaves an archive a newcomer can keep using (issue 16, items 14 and 15)."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
PROGRAM = Path(sys.executable).parent / "ino-archive"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo run as the quickstart runs it: the venv's program by its path, from the checkout."""
    db, port = tmp_path_factory.mktemp("demo") / "demo.sqlite3", free_port()
    result = subprocess.run([str(PROGRAM), "demo", "--db", str(db), "--port", str(port)], cwd=REPO,
                            capture_output=True, text=True, timeout=300, check=False)
    return db, port, result


@pytest.mark.slow
def test_the_demo_source_has_a_stable_name_and_its_links_a_stable_port(demo):
    db, port, result = demo
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        sources = conn.execute("SELECT DISTINCT source FROM articles").fetchall()
        urls = [url for (url,) in conn.execute("SELECT canonical_url FROM articles ORDER BY 1")]
    assert sources == [("demo",)]
    assert urls and all(url.startswith(f"http://127.0.0.1:{port}/") for url in urls)


@pytest.mark.slow
def test_try_next_names_the_program_as_it_was_started(demo):
    db, port, result = demo
    tried = result.stdout.split("Try next:\n", 1)[1].splitlines()
    # The quickstart leaves no activated venv: the bare name would be "command not found".
    assert all(line.startswith("  .venv/bin/ino-archive ") for line in tried), tried
    assert tried[-1] == f"  .venv/bin/ino-archive demo --serve --port {port}    # the sample pages again, so the archive's links open"


@pytest.mark.slow
def test_demo_serve_opens_the_archived_links_again(demo):
    db, port, _ = demo
    with sqlite3.connect(db) as conn:
        [(url,)] = conn.execute("SELECT canonical_url FROM articles WHERE canonical_url LIKE '%/news/313/'").fetchall()
    server = subprocess.Popen([str(PROGRAM), "demo", "--serve", "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as page:
                    assert page.status == 200
                    assert "INO Tomsk" in page.read().decode("utf-8")
                break
            except OSError:
                assert time.monotonic() < deadline, "demo --serve did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.communicate(timeout=30)
