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
}
# Refuse private, loopback and link-local addresses (tests and the demo allow them).
ARCHIVE_ALLOW_PRIVATE = False

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
    "pipelines.store.StorePipeline": 700,
}
ENTITIES_ENABLED = True
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
}
# The CLI switches this on when stderr is a terminal; cron runs stay quiet.
PROGRESS_ENABLED = False
PROGRESS_INTERVAL = 1.0
