"""The static site at scale: build time and size, query and facet latency in Chromium, and `serve --db`.

A generated archive (100 000 articles by default, ``benchmarks.generated_archive``,
cached) is written as a site with the command users run
(``ino-archive export site --all``): wall time, peak memory, files and bytes.
Then, in headless Chromium (Debian's chromium and chromedriver), the query
page is opened from disk and each query is asked ``--repeat`` times on a
freshly loaded page (cold: the query's index shards and text blocks are
loaded then) and once more on the same page (warm).  The time is the
page's own, from the form's submit to the answer drawn (hit count, results
with snippets, facets and the chart): ``performance.now()`` around it, not
WebDriver's round trips.  Last, ``ino-archive serve SITE --db ARCHIVE`` runs
as a subprocess and each of its answers (``api/search``, ``api/facets``,
``api/timeline``) is timed from this process over HTTP (and by the server
process's own CPU time, which a shared machine does not inflate), next to the
library's own ``search`` of the same query in this process (the peer: what
the database takes without HTTP, JSON, facets or timeline).

Goals (issue 18): site search and facets <= 300 ms; build < 5 min and < 1 GB;
``serve`` <= 200 ms p95.

    .venv/bin/python benchmarks/bench_site.py            # 100 000 articles
    .venv/bin/python benchmarks/bench_site.py --quick    # 5 000 articles, smoke run
"""

from __future__ import annotations

import json
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.common import benchmark_parser, write_table  # noqa: E402
from benchmarks.generated_archive import DEFAULT_CACHE_DIR, cached_archive  # noqa: E402

logger = logging.getLogger(__name__)

FULL_ARTICLES = 100_000
QUICK_ARTICLES = 5_000
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# What a researcher asks: words (oblique cases, phrases, OR, NOT, prefixes), filters, comparisons.
QUERIES = [
    {"q": "кластерами"},
    {"q": "университет инновации"},
    {"q": '"томской области"'},
    {"q": '"в рамках программы"'},  # three words: narrowed by its pairs, then checked in the texts
    {"q": '"студентов директор"'},  # a rarer word: narrowed to the articles holding both, ~2,300 at 100 000
    {"q": "universities OR clusters"},
    {"q": "Tomsk OR INO"},  # in nearly every English article: the costliest
    {"q": "фармацевт*"},
    {"q": "губернатор -регион"},
    {"q": "кластер", "lang": "ru", "since": "2015", "until": "2016"},
    {"q": "university", "source": "ino-tomsk-en", "sort": "date"},
    {"q": "проект", "person": "Жвачкин"},
    {"org": "Tomsk State"},
    {"q": "кластер", "vs": ["университет", "инновации"], "by": "year"},
]
PEER_FIELDS = {"q": "text", "lang": "lang", "source": "source", "person": "person", "org": "org", "sort": "sort"}


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _label(params: dict) -> str:
    words = params.get("q") or "(no words)"
    rest = "".join(f" {k}={v}" for k, v in params.items() if k != "q")
    return words + rest


def build(archive: Path, out: Path) -> dict:
    """``ino-archive export site --all`` as a user runs it: seconds, peak MB, files, bytes."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "archive.cli", "export", "site", "--all", "--db", str(archive),
                             "--out", str(out)], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"export site failed: {result.stderr.strip()}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    files, apparent, on_disk = 0, 0, 0
    for folder, _, names in os.walk(out):
        for name in names:
            stat = os.stat(os.path.join(folder, name))
            files, apparent, on_disk = files + 1, apparent + stat.st_size, on_disk + stat.st_blocks * 512
    logger.info("%s", result.stdout.strip())
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "files": files, "apparent": apparent,
            "on_disk": on_disk}


def _have_chromium() -> bool:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(path):
            logger.error("%s not installed (apt-get install chromium chromium-driver): the browser is not measured", path)
            return False
    return True


def _driver(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-sync", f"--user-data-dir={profile}", "--lang=en-US"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(60)
    return driver


# Fill the form as a user would, submit, and time until the page marks its answer.
ASK = """
const [params, done] = arguments;
const form = document.getElementById("query-form");
const set = (id, value) => { const n = document.getElementById(id); if (n) { n.value = value || ""; } };
set("q", params.q); set("f-source", params.source); set("f-lang", params.lang); set("f-since", params.since);
set("f-until", params.until); set("f-person", params.person); set("f-org", params.org); set("f-sort", params.sort);
set("vs", (params.vs || []).join("\\n")); set("f-by", params.by || "month");
const root = document.documentElement, before = root.getAttribute("data-answered");
const started = performance.now();
let first = null;
const observer = new MutationObserver(() => {
  if (root.getAttribute("data-answered") === before) { return; }
  if (first === null) { first = performance.now() - started; }
  if (!root.getAttribute("data-pending")) {  // the final answer: no phrase left to check in the texts
    observer.disconnect();
    done([first, performance.now() - started, document.getElementById("status").getAttribute("data-total"),
          document.getElementById("status").textContent]);
  }
});
observer.observe(document.documentElement, {attributes: true});
form.requestSubmit();
"""

READY = """
const done = arguments[0];
const check = () => document.documentElement.getAttribute("data-answered") ? done(performance.now()) : setTimeout(check, 5);
check();
"""


def measure_browser(site: Path, repeat: int) -> tuple[list[tuple], list[float]]:
    """Rows (query, cold p50, cold p95, final p95, warm, hits) and the page-ready times (ms).

    Cold: until the first answer is drawn; final: until the last one (a phrase
    the first answer took from its word pairs is then checked in the texts).
    """
    profile = Path(tempfile.mkdtemp(prefix="bench-site-chromium-"))
    driver = _driver(profile)
    rows, ready = [], []
    url = (site / "index.html").as_uri()
    try:
        for params in QUERIES:
            cold, final, hits = [], [], None
            for _ in range(repeat):
                driver.get(url)
                ready.append(driver.execute_async_script(READY))
                elapsed, settled, hits, text = driver.execute_async_script(ASK, params)
                if hits is None:
                    raise RuntimeError(f"the page did not answer {params}: {text}")
                cold.append(elapsed)
                final.append(settled)
            _, warm, _, _ = driver.execute_async_script(ASK, params)
            rows.append((_label(params), *_percentiles(cold), _percentiles(final)[1], warm, int(hits)))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return rows, ready


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu(server, name: str) -> float:
    """CPU seconds so far of the process that answers ``name``: the server's, or this one's for the peer."""
    if name == "library search()":
        return time.process_time()
    times = server.cpu_times()
    return times.user + times.system


def measure_serve(site: Path, archive: Path, repeat: int) -> tuple[list[tuple], dict[str, int]]:
    """Rows (query, answer, p50, p95) for every api answer and the library's search in this process;
    the database's hit count per query."""
    import psutil
    from sqlalchemy.orm import Session

    from archive.db import open_engine
    from archive.search import SearchQuery, date_bound, search

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "archive.cli", "serve", str(site), "--db", str(archive),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    rows, totals = [], {}
    server_process = psutil.Process(server.pid)
    engine = open_engine(f"sqlite:///{archive}", create=False)
    try:
        server.stdout.readline()  # "Serving … at http://…"
        base = f"http://127.0.0.1:{port}/api/"
        with Session(engine) as session:
            for params in QUERIES:
                query = urlencode([(k, v) for k, values in params.items()
                                   for v in (values if isinstance(values, list) else [values])])
                filters = {PEER_FIELDS[k]: v for k, v in params.items() if k in PEER_FIELDS}
                for bound, end in (("since", False), ("until", True)):
                    if bound in params:
                        filters[bound] = date_bound(params[bound], end=end)
                peer = SearchQuery(include_all=True, **filters)
                calls = {name: (lambda name=name, query=query: urllib.request.urlopen(
                             base + name + "?" + query, timeout=60).read()) for name in ("search", "facets", "timeline")}
                calls["library search()"] = lambda peer=peer: search(session, peer)
                times: dict[str, list[float]] = {name: [] for name in calls}
                cpu: dict[str, list[float]] = {name: [] for name in calls}
                for name, call in calls.items():
                    first = call()  # once untimed: what loads once per process
                    if name == "search":
                        totals[_label(params)] = json.loads(first)["total"]
                for _ in range(repeat):
                    for name, call in calls.items():
                        started, cpu_started = time.perf_counter(), _cpu(server_process, name)
                        call()
                        times[name].append(time.perf_counter() - started)
                        cpu[name].append(_cpu(server_process, name) - cpu_started)
                for name, measured in times.items():
                    p50, p95 = _percentiles(measured)
                    rows.append((_label(params), name, p50 * 1000, p95 * 1000, _percentiles(cpu[name])[1] * 1000))
    finally:
        server.terminate()
        server.wait(10)
        engine.dispose()
    return rows, totals


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, data_dir="(generated)")
    parser.add_argument("--skip-browser", action="store_true", help="measure the build and serve only")
    parser.add_argument("--articles", type=int, default=None,
                        help=f"articles to generate (default {FULL_ARTICLES}, {QUICK_ARTICLES} with --quick)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE_DIR,
                        help=f"folder of generated archives, reused between runs (default {DEFAULT_CACHE_DIR})")
    parser.add_argument("--out", type=Path, default=None, help="where to write the site (default: a temporary folder, removed)")
    parser.add_argument("--keep", action="store_true", help="keep the site after the run")
    parser.add_argument("--site", type=Path, default=None,
                        help="measure this site (written from the same archive) instead of building one")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    articles = args.articles or (QUICK_ARTICLES if args.quick else FULL_ARTICLES)
    repeat = args.repeat or (2 if args.quick else 10)
    archive = cached_archive(articles, args.cache)
    out = args.site or args.out or Path(tempfile.mkdtemp(prefix="bench-site-")) / "site"
    try:
        if args.site is None:
            built = build(archive, out)
            write_table(["what", "value"], [
                ("build wall time, s", built["seconds"]), ("build CPU time, s", built["cpu"]),
                ("build peak memory, MB", built["peak_mb"]),
                ("files", built["files"]), ("size, MB (bytes in files)", built["apparent"] / 1e6),
                ("size, MB (on disk, blocks)", built["on_disk"] / 1e6),
            ], title=f"Site build, {articles} articles (ino-archive export site --all); goals < 300 s, < 1000 MB")
        browser = not args.skip_browser and _have_chromium()
        rows, ready = measure_browser(out, repeat) if browser else ([], [0.0])
        write_table(["query", "cold p50 ms", "cold p95 ms", "final p95 ms", "warm ms", "hits"], rows,
                    title=f"Query page in Chromium, from disk, {repeat} fresh pages per query (search + facets + chart"
                          " + page of results); final: after a long phrase is checked in the texts")
        ready_p50, ready_p95 = _percentiles(ready)
        cold = [row[2] for row in rows] or [0.0]
        sys.stdout.write(f"page ready (meta loaded, first answer drawn): p50 {ready_p50:.0f} ms, p95 {ready_p95:.0f} ms\n")
        sys.stdout.write(f"worst cold p95: {max(cold):.0f} ms (goal 300 ms); worst final p95: "
                         f"{max([row[3] for row in rows] or [0.0]):.0f} ms\n")
        served, totals = measure_serve(out, archive, repeat)
        write_table(["query", "site hits", "database hits"], [(row[0], row[5], totals[row[0]]) for row in rows] or [("-", 0, 0)],
                    title="Hits: the static index vs the database")
        write_table(["query", "answer", "p50 ms", "p95 ms", "cpu p95 ms"], served,
                    title=f"serve --db over HTTP, {repeat} runs per answer, and the library's search in-process (peer);"
                          " cpu: the answering process's own CPU time")
        api = [row for row in served if row[1] != "library search()"]
        sys.stdout.write(f"serve worst p95: {max(r[3] for r in api):.0f} ms, worst cpu p95 "
                         f"{max(r[4] for r in api):.0f} ms (goal 200 ms)\n")
    finally:
        if not args.keep and args.out is None and args.site is None:
            shutil.rmtree(out.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
