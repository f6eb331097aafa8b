"""Scrapy settings for ino-archive.

Every component is switched and ordered here, never by importing it by name.
Project settings carry a prefix naming their component (ARCHIVE_*, TEXT_*,
DATES_*, ENTITIES_*, RELEVANCE_*, SOURCES_*).  The CLI overrides them per run
(``ino-archive crawl -s NAME=VALUE``), as does ``scrapy crawl news -s``.
"""

BOT_NAME = "ino-archive"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

# --- politeness ---------------------------------------------------------------
USER_AGENT = "ino-archive/0.1 (+https://github.com/ino-archive/ino-archive; research archive of INO Tomsk news)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# 404/410 reach the spider so they are counted as outcomes, not swallowed.
HTTPERROR_ALLOWED_CODES = [404, 410]

# --- safety -------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    "scraper.downloadermiddlewares.ssrf.SsrfGuardMiddleware": 50,
    # Just below RetryMiddleware (550): a 503/429 with Retry-After is retried after that delay, or fails if too long.
    "scraper.downloadermiddlewares.retryafter.RetryAfterMiddleware": 560,
    # One request per DISTRIBUTED_DOMAIN_DELAY per host across all workers (off unless distributed).
    "scraper.distributed.politeness.SharedDomainDelay": 60,
    # Below HttpCompressionMiddleware (590): they see decoded, size-checked bodies.
    "scraper.downloadermiddlewares.incremental.IncrementalMiddleware": 580,
    # Above incremental (580): a record is written before the pages table can say the page was fetched.
    "scraper.downloadermiddlewares.warc.WarcCaptureMiddleware": 585,
    # Above RedirectMiddleware (600), which turns a 3xx into a new request: redirects kept in the WARC files too.
    "scraper.downloadermiddlewares.warc.WarcRedirectMiddleware": 610,
}
# Refuse private, loopback and link-local addresses (tests and the demo allow them).
ARCHIVE_ALLOW_PRIVATE = False
# Exact host:port pairs allowed although private (a local fixture), every other private address still refused.
ARCHIVE_ALLOW_HOSTS: list[str] = []
# Host names are checked where they are resolved, so the address checked is the one connected to (no DNS rebinding).
TWISTED_DNS_RESOLVER = "scraper.resolver.GuardedResolver"
# Fixed DNS answers, name -> address or list of addresses answered in turn (tests; no query leaves the machine).
ARCHIVE_RESOLVER_HOSTS: dict[str, str | list[str]] = {}
# Seconds a server may ask to wait (Retry-After on 503/429); above this the page fails for good.
RETRY_AFTER_MAX = 120
# Crawler traps (endless calendars): at most this many URLs per host and date-shaped URL template
# (scraper.spidermiddlewares.traps explains the choice), and a bounded link depth.
TRAP_MAX_PER_TEMPLATE = 500
SPIDER_MIDDLEWARES = {
    # Below DepthMiddleware (900): only links within the depth limit are counted.
    "scraper.spidermiddlewares.traps.TrapGuardMiddleware": 850,
}
DEPTH_LIMIT = 50
# Scrapy re-reads and parses a generator callback's source for most responses to warn about
# a "return value" (its cache is keyed by short-lived bound methods); our callbacks return none.
WARN_ON_GENERATOR_RETURN_VALUE = False
# A body shorter than its Content-Length is an error, never an article.
DOWNLOAD_FAIL_ON_DATALOSS = True

# --- operations (issue 6) -------------------------------------------------------
# Conditional requests for known articles, and the pages table (archive.store.pages).
INCREMENTAL_ENABLED = True
# Raw responses as WARC (archive.warc); None: a folder next to the SQLite file.
WARC_ENABLED = True
ARCHIVE_WARC_DIR = None
# Permanent failures with their reasons, in the failures table.
FAILURES_ENABLED = True

# --- distributed crawl (issue 7) ---------------------------------------------------
# `ino-archive crawl --redis URL` (or REDIS_URL) sets REDIS_URL and SCHEDULER = scraper.distributed.DistributedScheduler:
# the request queue and fingerprints live in Redis under DISTRIBUTED_KEY_PREFIX, shared by every worker.
REDIS_URL = None
DISTRIBUTED_KEY_PREFIX = "ino-archive"
# Seconds between two requests to one host, all workers together; None: DOWNLOAD_DELAY.
DISTRIBUTED_DOMAIN_DELAY = None
# A worker silent this long (killed, machine lost) no longer counts as busy.
DISTRIBUTED_WORKER_TIMEOUT = 120
# An idle worker looks at the shared queue (and whether the crawl is over) this often, not only at
# Scrapy's 5 s idle heartbeat; 0 leaves it to the heartbeat.
DISTRIBUTED_IDLE_POLL = 0.5

# --- sources ------------------------------------------------------------------
# None means the sources.toml shipped inside the package.
SOURCES_FILE = None

# --- pipelines ------------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.text.TextPipeline": 100,
    "pipelines.language.LanguagePipeline": 200,
    "pipelines.dates.DatesPipeline": 300,
    "pipelines.entities.EntitiesPipeline": 400,
    "pipelines.relevance.RelevancePipeline": 500,
    "pipelines.dedup.DedupPipeline": 600,
    # dates named in the text, and entity linking across the archive at the end of a crawl
    "pipelines.entities_archive.EntitiesArchivePipeline": 650,
    "pipelines.store.StorePipeline": 700,
}
# Blocks recurring (same text, same place) on this many distinct pages of one source are boilerplate (pipelines.text).
TEXT_BOILERPLATE_ENABLED = True
TEXT_BOILERPLATE_MIN_PAGES = 2
TEXT_BOILERPLATE_MAX_BLOCKS = 20000
# What was learned is kept in the archive, so a cron run fetching one new article still knows the site's sidebars.
TEXT_BOILERPLATE_PERSIST = True
ENTITIES_ENABLED = True
ENTITIES_ARCHIVE_ENABLED = True
ENTITIES_RELINK = True
# Date mentions of stored articles are written every this many items, not held until the crawl ends.
ENTITIES_DATES_FLUSH_ITEMS = 200
RELEVANCE_THRESHOLD = 1.0
# None means the default SQLite file in the user's data folder (archive.db.default_db_path()).
ARCHIVE_DB_URL = None
ARCHIVE_BATCH_SIZE = 50

# --- runtime ------------------------------------------------------------------
LOG_LEVEL = "INFO"
LOG_FORMATTER = "scraper.logformatter.ArchiveLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"

# --- progress -------------------------------------------------------------------
EXTENSIONS = {
    "scraper.extensions.progress.CrawlProgress": 500,
    "scraper.extensions.failures.FailureLog": 510,
    # Long-lived objects (modules, models) kept out of the garbage collector's full scans during a crawl.
    "scraper.extensions.heap.HeapFreeze": 520,
}
GC_FREEZE_ENABLED = True
# The CLI switches this on when stderr is a terminal; cron runs stay quiet.
PROGRESS_ENABLED = False
PROGRESS_INTERVAL = 1.0
