"""A fault-injecting news site for the reliability tests, run in a subprocess on port 0.

``MockServer(seed=...)`` starts ``python tests/mockserver/server.py`` and reads
its port; the site (``pages.py``) mixes good articles with pages that
misbehave (``faults.py``).  ``/__faults`` reports, as JSON, how many faults
of each kind were injected, so tests can compare expected and stored.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

SERVER = Path(__file__).with_name("server.py")


class MockServer:
    def __init__(self, seed: int = 7, articles: int = 12) -> None:
        self.seed = seed
        self.articles = articles
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def __enter__(self) -> MockServer:
        self.proc = subprocess.Popen(
            [sys.executable, "-u", str(SERVER), "--seed", str(self.seed), "--articles", str(self.articles)],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline()
        self.port = int(line.split()[-1])
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}{path}"

    def get_json(self, path: str) -> dict:
        with urllib.request.urlopen(self.url(path), timeout=10) as response:
            return json.loads(response.read())
