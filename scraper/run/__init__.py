"""Running Scrapy and the item pipelines: the crawl, the demo, offline extraction, reprocessing and WARC import.

The one place that drives the whole chain; the command line (``archive.cli``)
calls it.  The pipelines are loaded from the settings (``ITEM_PIPELINES``), as
Scrapy does, so nothing here imports ``pipelines`` directly.

* ``crawl`` – ``run_crawl``: check the input, take the archive's lock, run the
  spider in this process, record the run;
* ``summary`` – what a crawl did, read from Scrapy's stats, and its exit code;
* ``demo`` – the whole pipeline on the bundled sample site;
* ``extract`` – the pipelines on saved pages, without network or database;
* ``reprocessing`` – ``reprocess``: the pipelines again over the stored raw pages (WARC);
* ``warc_import`` – WARC files from other crawlers, through the pipelines;
* ``captures`` – a raw capture turned into the item the spider would have built;
* ``logs`` – logging for commands: one line per problem on the terminal,
  everything in the log file.

May import: ``scraper``, ``archive``.
"""

from scraper.run.captures import capture_to_item
from scraper.run.crawl import CrawlOptions, run_crawl
from scraper.run.demo import DEMO_PORT, DEMO_SOURCE, DemoResult, run_demo, serve_sample
from scraper.run.extract import (
    PageInput,
    extract_page,
    extract_pages,
    files_given,
    offline_pipelines,
    read_manifest,
)
from scraper.run.reprocessing import (
    PipelineRun,
    ReprocessSummary,
    project_settings,
    reprocess,
)
from scraper.run.summary import (
    DEFAULT_MAX_ERROR_RATE,
    EXIT_ERROR_RATE,
    EXIT_LOCKED,
    EXIT_NOT_STORED,
    EXIT_NOTHING_FETCHED,
    EXIT_STARTUP_FAILED,
    CrawlSummary,
    summarize,
)
from scraper.run.warc_import import ImportSummary, import_warc

__all__ = [
    "DEFAULT_MAX_ERROR_RATE",
    "DEMO_PORT",
    "DEMO_SOURCE",
    "EXIT_ERROR_RATE",
    "EXIT_LOCKED",
    "EXIT_NOTHING_FETCHED",
    "EXIT_NOT_STORED",
    "EXIT_STARTUP_FAILED",
    "CrawlOptions",
    "CrawlSummary",
    "DemoResult",
    "ImportSummary",
    "PageInput",
    "PipelineRun",
    "ReprocessSummary",
    "capture_to_item",
    "extract_page",
    "extract_pages",
    "files_given",
    "import_warc",
    "offline_pipelines",
    "project_settings",
    "read_manifest",
    "reprocess",
    "run_crawl",
    "run_demo",
    "serve_sample",
    "summarize",
]
