"""The fault-injecting HTTP server (run as a script; see ``tests/mockserver/__init__.py``).

HTTP/1.0, one connection per request, so a fault can cut or stall a response
at the socket.  Good pages live under ``/good``, ``/flaky``, ``/busy``,
``/limited`` and ``/charset``; everything under ``/fault`` and ``/calendar``
misbehaves and must never become an article.  Two small sites sit beside the
fault site: ``/archive/`` (dated articles next to an endless calendar, for the
trap bound), ``/etag/`` (articles with an ETag and no Last-Modified, for
conditional re-crawls) and ``/retry/`` (only the pages answering Retry-After).  ``/__hits`` tells when each path was requested and
which ``If-None-Match`` it carried, so tests check what the server saw.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import brotli

from archive.site import LocalHTTPServer

sys.path.insert(0, str(Path(__file__).parent))
from pages import article_html, calendar_html, dated_article_paths, index_html  # noqa: E402

BOMB_SIZE = 64 * 1024 * 1024
RUSSIAN = "Томский кластер университет экспорт лаборатория программа инновации регион компания".split()

# Far beyond the tests' DOWNLOAD_TIMEOUT (tests/fault_crawl.py), even on a loaded machine.
TIMEOUT_FAULT_SECONDS = 20
# Retry-After answers: seconds on /busy, an HTTP date this far ahead on /limited, far beyond RETRY_AFTER_MAX on one fault.
BUSY_RETRY_AFTER = 1
LIMITED_RETRY_AFTER = 2
RETRY_LATER_SECONDS = 86400
ETAG_ARTICLES = 3


class State:
    def __init__(self, seed: int, articles: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.articles = articles
        self.faults: Counter[str] = Counter()
        self.hits: Counter[str] = Counter()
        # path → wall-clock times of its requests, and the If-None-Match values they carried.
        self.hit_times: defaultdict[str, list[float]] = defaultdict(list)
        self.if_none_match: defaultdict[str, list[str | None]] = defaultdict(list)
        # path → the earliest time its Retry-After allows the next request.
        self.retry_not_before: dict[str, float] = {}
        # How many times each flaky page fails before it answers (at most twice: within Scrapy's default RETRY_TIMES).
        self.flaky_failures = {i: self.rng.randint(1, 2) for i in range(3)}
        self.lock = threading.Lock()
        self._bombs: dict[str, bytes] = {}

    def bomb(self, kind: str) -> bytes:
        with self.lock:
            if kind not in self._bombs:
                zeros = b"\0" * BOMB_SIZE
                self._bombs[kind] = gzip.compress(zeros, 6) if kind == "gzip" else brotli.compress(zeros, quality=5)
            return self._bombs[kind]

    def count(self, kind: str) -> None:
        with self.lock:
            self.faults[kind] += 1

    def hit(self, path: str, if_none_match: str | None) -> int:
        with self.lock:
            self.hits[path] += 1
            self.hit_times[path].append(time.time())
            self.if_none_match[path].append(if_none_match)
            return self.hits[path]

    def good_links(self) -> list[str]:
        links = [f"/good/{i}.html" for i in range(self.articles)]
        links += [f"/flaky/{i}.html" for i in self.flaky_failures]
        links += ["/busy/0.html", "/busy/1.html", "/limited/0.html", "/limited/1.html", "/charset/wrong.html"]
        return links

    def fault_links(self) -> list[str]:
        names = ("always500", "timeout", "drop", "truncated", "gzip-bomb", "brotli-bomb", "huge", "loop-a",
                 "self", "report.pdf", "metadata", "retry-later")
        return [f"/fault/{n}" for n in names] + ["/calendar/2024/01"]


class Handler(BaseHTTPRequestHandler):
    state: State
    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        pass

    def do_GET(self):  # noqa: N802
        path = self.path.split("?", 1)[0]
        n = self.state.hit(path, self.headers.get("If-None-Match"))
        try:
            self.route(path, n)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on a slow or huge answer

    def route(self, path: str, n: int) -> None:
        s = self.state
        if path == "/__faults":
            return self.send(200, json.dumps({"faults": s.faults, "good": s.good_links()}).encode(), "application/json")
        if path == "/__hits":
            with s.lock:
                hits = {"times": s.hit_times, "if_none_match": s.if_none_match, "not_before": s.retry_not_before}
                return self.send(200, json.dumps(hits).encode(), "application/json")
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path in ("/", "/index.html"):
            links = s.good_links() + s.fault_links()
            random.Random(s.seed).shuffle(links)
            return self.send(200, index_html(links).encode())
        if path.startswith("/good/"):
            return self.article(path)
        if path.startswith("/flaky/"):
            index = int(path.rsplit("/", 1)[-1].split(".")[0])
            if n <= s.flaky_failures[index]:
                s.count("500 then ok")
                return self.send(500, b"<html><body>Internal error</body></html>")
            return self.article(path)
        if path.startswith("/busy/") and n == 1:
            s.count("503 with Retry-After")
            with s.lock:
                s.retry_not_before[path] = time.time() + BUSY_RETRY_AFTER
            return self.send(503, b"<html><body>Busy</body></html>", headers={"Retry-After": str(BUSY_RETRY_AFTER)})
        if path.startswith("/limited/") and n == 1:
            s.count("429 with Retry-After date")
            # An HTTP date has whole seconds: the server asks for no earlier than that second.
            not_before = int(time.time()) + LIMITED_RETRY_AFTER
            with s.lock:
                s.retry_not_before[path] = not_before
            return self.send(429, b"<html><body>Slow down</body></html>",
                             headers={"Retry-After": formatdate(not_before, usegmt=True)})
        if path.startswith(("/busy/", "/limited/")):
            return self.article(path)
        if path == "/charset/wrong.html":
            s.count("wrong charset header")
            return self.send(200, self.russian(path).encode("cp1251"), "text/html; charset=utf-8")
        if path in ("/archive/", "/etag/", "/retry/"):
            return self.send(200, index_html(self.site_links(path)).encode())
        if path.startswith("/news/"):
            return self.send(200, article_html(path, s.seed, home="/archive/").encode())
        if path.startswith("/etag/"):
            return self.etag_article(path)
        if path.startswith("/calendar/"):
            s.count("calendar trap page")
            parts = [int(p) for p in path.strip("/").split("/")[1:3]]
            return self.send(200, calendar_html(*parts).encode())
        return self.fault(path.removeprefix("/fault/"), n)

    def fault(self, name: str, n: int) -> None:
        s = self.state
        body = article_html(f"fault {name}", s.seed).encode()
        s.count(name)
        if name == "always500":
            return self.send(500, b"<html><body>Broken</body></html>")
        if name == "timeout":
            time.sleep(TIMEOUT_FAULT_SECONDS)
            return self.send(200, body)
        if name == "drop":
            self.connection.shutdown(2)
            return None
        if name == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body) + 5000))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.connection.shutdown(2)
            return None
        if name in ("gzip-bomb", "brotli-bomb"):
            kind = name.split("-")[0]
            encoding = "gzip" if kind == "gzip" else "br"
            return self.send(200, s.bomb(kind), headers={"Content-Encoding": encoding})
        if name == "huge":
            return self.send(200, body + b"<!--" + b"x" * (6 * 1024 * 1024) + b"-->")
        if name in ("loop-a", "loop-b"):
            return self.redirect("/fault/loop-b" if name == "loop-a" else "/fault/loop-a")
        if name == "self":
            return self.redirect("/fault/self")
        if name == "metadata":
            return self.redirect("http://169.254.169.254/latest/meta-data/")
        if name == "retry-later":
            return self.send(503, b"<html><body>Down for maintenance</body></html>",
                             headers={"Retry-After": str(RETRY_LATER_SECONDS)})
        if name == "report.pdf":
            return self.send(200, b"%PDF-1.4\n" + b"0" * 2000, "application/pdf")
        return self.send(404, b"<html><body>Not found</body></html>")

    def article(self, path: str) -> None:
        self.send(200, article_html(path, self.state.seed).encode())

    def site_links(self, path: str) -> list[str]:
        if path == "/archive/":
            # Articles under dated paths, and a calendar that never ends.
            return [*dated_article_paths(self.state.seed), "/calendar/2024/01"]
        if path == "/retry/":
            # Only the pages answering Retry-After: an immediate retry would come within milliseconds.
            return ["/busy/0.html", "/busy/1.html", "/limited/0.html", "/limited/1.html", "/fault/retry-later"]
        return [f"/etag/{i}.html" for i in range(ETAG_ARTICLES)]

    def etag_article(self, path: str) -> None:
        """An article validated by its ETag only (no Last-Modified): a matching If-None-Match gets 304."""
        body = article_html(path, self.state.seed, home="/etag/").encode()
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        if etag in [t.strip() for t in (self.headers.get("If-None-Match") or "").split(",")]:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send(200, body, headers={"ETag": etag})

    def russian(self, key: str) -> str:
        rng = random.Random(f"{self.state.seed}:{key}")
        text = " ".join(rng.choice(RUSSIAN) for _ in range(120))
        title = f"ИНО Томск: {' '.join(rng.choice(RUSSIAN) for _ in range(4))}"
        return f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>ИНО Томск. {text}.</p></body></html>"

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", headers=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--articles", type=int, default=12)
    args = parser.parse_args()
    Handler.state = State(args.seed, args.articles)
    server = LocalHTTPServer(("127.0.0.1", 0), Handler)  # a backlog the crawler's bursts of connections fit in
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
