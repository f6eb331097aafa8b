"""Run crawler processes for the crawl benchmarks and measure each one (not a benchmark itself).

Every worker is a separate process, as in production.  Its CPU time and peak
RSS come from the kernel when it exits (``os.wait4`` rusage), so nothing is
missed between samples; its RSS is also sampled every ``SAMPLE_EVERY``
seconds together with how many pages the site has served so far, which shows
whether memory grows with the crawl.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import Popen

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_EVERY = 0.5
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO"]


@dataclass
class Worker:
    returncode: int
    cpu_seconds: float
    peak_rss_mib: float
    pages_fetched: int
    # (pages the site had served, this worker's RSS in MiB) over the run
    rss_timeline: list[tuple[int, float]] = field(default_factory=list)


@dataclass
class CrawlResult:
    wall_seconds: float
    workers: list[Worker]
    pages_served: int

    @property
    def cpu_seconds(self) -> float:
        return sum(w.cpu_seconds for w in self.workers)


class AccessCounter(logging.Handler):
    """Counts the requests LocalSite served (it logs each one at DEBUG); install with :meth:`attach`."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.paths: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        line = str(record.args[0]) if record.args else ""
        if line.startswith("GET "):
            self.paths[line.split()[1]] += 1

    @property
    def total(self) -> int:
        return sum(self.paths.values())

    def attach(self) -> AccessCounter:
        logger = logging.getLogger("archive.site.serve")
        logger.setLevel(logging.DEBUG)
        logger.propagate = False  # the benchmark's own log stays readable
        logger.addHandler(self)
        return self

    def detach(self) -> None:
        logging.getLogger("archive.site.serve").removeHandler(self)


def run_workers(command: list[str], count: int, access: AccessCounter, out_dir: Path) -> CrawlResult:
    """Start ``count`` copies of ``command`` at once and wait for all; measure each."""
    import psutil

    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    procs, logs = [], []
    for n in range(count):
        out = open(out_dir / f"worker{n}.out", "w+")  # noqa: SIM115 (closed below, after the process)
        logs.append(out)
        procs.append(Popen(command, stdout=out, stderr=out, cwd=REPO_ROOT, text=True))
    timelines: list[list[tuple[int, float]]] = [[] for _ in procs]
    stop = threading.Event()
    sampler = threading.Thread(target=_sample, args=(procs, timelines, access, stop, psutil), daemon=True)
    sampler.start()
    workers = []
    for n, proc in enumerate(procs):
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        logs[n].seek(0)
        output = logs[n].read()
        logs[n].close()
        workers.append(Worker(proc.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                              _pages_fetched(output), timelines[n]))
        if proc.returncode != 0:
            sys.stderr.write(f"worker {n} exited {proc.returncode}:\n{output[-3000:]}\n")
    stop.set()
    sampler.join()
    return CrawlResult(time.perf_counter() - started, workers, access.total)


def _sample(procs, timelines, access: AccessCounter, stop: threading.Event, psutil) -> None:
    handles = [psutil.Process(p.pid) for p in procs]
    while not stop.wait(SAMPLE_EVERY):
        for handle, timeline in zip(handles, timelines, strict=True):
            try:
                timeline.append((access.total, handle.memory_info().rss / 2**20))
            except psutil.Error:  # exited (or a zombie until waited for)
                continue


def _pages_fetched(output: str) -> int:
    for line in output.splitlines():
        if line.startswith("Pages fetched:"):
            return int(line.split()[2])
    return 0


def crawl_command(site_url: str, db: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "archive.cli", "crawl", "--url", site_url, "--db", db, "--allow-private",
            *FAST, *extra]


def memory_growth(timeline: list[tuple[int, float]], total_pages: int) -> tuple[float, float]:
    """RSS (MiB) once a quarter of the pages were served, and once all were (the worker still running).

    Samples of a process already exiting (RSS 0) are ignored.

    >>> memory_growth([(0, 90.0), (30, 150.0), (60, 152.0), (100, 155.0), (101, 120.0), (101, 0.0)], 100)
    (150.0, 155.0)
    """
    alive = [(served, rss) for served, rss in timeline if rss > 0]
    if not alive:
        return 0.0, 0.0
    quarter = next((rss for served, rss in alive if served >= total_pages / 4), alive[-1][1])
    end = next((rss for served, rss in alive if served >= total_pages), alive[-1][1])
    return quarter, end
