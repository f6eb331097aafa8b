"""What a crawl did, read from Scrapy's stats, and the exit code it earns.

Scrapy exits cleanly even when nothing could be fetched or a pipeline could
not open, so cron cannot trust its exit status; :func:`summarize` reads the
stats instead and :attr:`CrawlSummary.exit_code` maps the outcome to the
documented exit codes (README, "Exit codes").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Exit codes of `ino-archive crawl` (documented in the README).
EXIT_OK = 0
EXIT_ERROR = 1  # bad input or the database cannot be opened (ArchiveError)
EXIT_NOTHING_FETCHED = 3
EXIT_LOCKED = 4  # another crawl holds the archive's lock
EXIT_STARTUP_FAILED = 5  # a pipeline or component could not open
EXIT_ERROR_RATE = 6  # more failed requests than --max-error-rate allows
EXIT_NOT_STORED = 7  # articles were found but every store batch failed: nothing reached the archive

DEFAULT_MAX_ERROR_RATE = 0.5

_DROP_PREFIX = "item_dropped_reasons_count/"
_ERROR_PREFIXES = ("spider/errors/", "spider/http_status/", "ssrf/")
_FAILURE_PREFIX = "failures/"
# Statuses that are outcomes (a removed page), not failures of the crawl.
_GONE_STATUSES = ("404", "410")


@dataclass
class CrawlSummary:
    pages_fetched: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    not_modified: int = 0  # 304 answers to conditional requests
    same_body: int = 0  # 200 answers whose body is the archived one (not re-extracted)
    gone: int = 0
    store_failed: int = 0  # articles in batches the database rejected
    folded: int = 0  # pages whose text an article already had, kept as its other URLs (archive.store.aliases)
    warc_records: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    finish_reason: str | None = None
    startup_error: str | None = None
    refusal: str | None = None  # why the first refused address was refused (the SSRF guard's words)
    max_error_rate: float = DEFAULT_MAX_ERROR_RATE
    distributed: bool = False  # a worker of a crawl shared through Redis
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def failed_requests(self) -> int:
        """Requests that failed for good: network errors and error statuses other than 404/410."""
        return sum(
            n for key, n in self.errors.items()
            if key.startswith("spider/errors/")
            or (key.startswith("spider/http_status/") and key.rsplit("/", 1)[-1] not in _GONE_STATUSES)
        )

    @property
    def error_rate(self) -> float:
        """Failed requests over all answered or failed requests.

        >>> CrawlSummary(pages_fetched=3, errors={"spider/errors/TimeoutError": 1}).error_rate
        0.25
        """
        attempted = self.pages_fetched + self.not_modified + self.failed_requests
        return self.failed_requests / attempted if attempted else 0.0

    @property
    def idle_worker(self) -> bool:
        """A worker of a distributed crawl that found nothing left to fetch (the others did it), and no failure."""
        fetched = self.pages_fetched or self.not_modified
        return self.distributed and not fetched and not self.failed_requests and not self.refusal

    @property
    def exit_code(self) -> int:
        if self.startup_error:
            return EXIT_STARTUP_FAILED
        if self.idle_worker:
            return EXIT_OK  # cron and systemd must not read "the others were faster" as a failure
        if not (self.pages_fetched or self.not_modified):
            return EXIT_NOTHING_FETCHED
        if self.store_failed and not (self.inserted or self.updated or self.unchanged):
            return EXIT_NOT_STORED
        if self.error_rate > self.max_error_rate:
            return EXIT_ERROR_RATE
        return EXIT_OK

    @property
    def status(self) -> str:
        if self.idle_worker:
            return "idle"
        return {
            EXIT_OK: "ok",
            EXIT_NOTHING_FETCHED: "nothing fetched",
            EXIT_STARTUP_FAILED: "could not start",
            EXIT_ERROR_RATE: "too many errors",
            EXIT_NOT_STORED: "nothing stored",
        }[self.exit_code]

    def counts(self) -> dict:
        """The counts kept in crawl_runs, by outcome."""
        return {
            "pages_fetched": self.pages_fetched,
            "articles_inserted": self.inserted,
            "articles_updated": self.updated,
            "articles_unchanged": self.unchanged,
            "not_modified": self.not_modified,
            "same_body": self.same_body,
            "gone": self.gone,
            "store_failed": self.store_failed,
            "articles_folded": self.folded,
            "warc_records": self.warc_records,
            "failed_requests": self.failed_requests,
            "error_rate": round(self.error_rate, 4),
            "dropped": self.dropped,
            "errors": self.errors,
            "failures": self.failures,
            **({"startup_error": self.startup_error} if self.startup_error else {}),
        }


def summarize(stats: dict, *, max_error_rate: float = DEFAULT_MAX_ERROR_RATE) -> CrawlSummary:
    """Read a crawl's outcome from Scrapy's stats."""
    return CrawlSummary(
        pages_fetched=_int(stats, "spider/pages_fetched"),
        inserted=_int(stats, "archive/articles_inserted"),
        updated=_int(stats, "archive/articles_updated"),
        unchanged=_int(stats, "archive/articles_unchanged"),
        not_modified=_int(stats, "spider/not_modified"),
        same_body=_int(stats, "spider/unchanged"),
        gone=_int(stats, "incremental/gone"),
        store_failed=_int(stats, "archive/articles_failed"),
        folded=_int(stats, "archive/articles_folded"),
        warc_records=_int(stats, "warc/records"),
        dropped=_with_prefix(stats, (_DROP_PREFIX,), strip=True),
        errors=_with_prefix(stats, _ERROR_PREFIXES, strip=False),
        failures=_with_prefix(stats, (_FAILURE_PREFIX,), strip=True),
        finish_reason=stats.get("finish_reason"),
        refusal=stats.get("ssrf_first_refusal"),
        max_error_rate=max_error_rate,
    )


def _int(stats: dict, key: str) -> int:
    return int(stats.get(key, 0) or 0)


def _with_prefix(stats: dict, prefixes: tuple[str, ...], *, strip: bool) -> dict[str, int]:
    found = {}
    for key, value in sorted(stats.items()):
        prefix = next((p for p in prefixes if key.startswith(p)), None)
        if prefix:
            found[key[len(prefix) :] if strip else key] = int(value)
    return found
