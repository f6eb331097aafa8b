"""Keep every successful response as a WARC record (``archive.warc``), indexed in the archive.

Sits below ``HttpCompressionMiddleware`` (590), so bodies are stored decoded
and size-checked, and below the incremental middleware, so a page whose body
has not changed since the last capture (``meta["archive_unchanged"]``) is not
stored again.  Index rows are committed only after their records are synced
to disk: a crash can leave an unindexed tail in a WARC file, never an index
row pointing at nothing.

Settings: ``WARC_ENABLED`` (default on), ``ARCHIVE_WARC_DIR`` (default next to
the SQLite file), ``WARC_BATCH_SIZE``.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.batches import BatchRecorder
from archive.db import resolve_db_url
from archive.warc import WarcFile, warc_dir
from archive.warcindex import index_records
from scraper.downloadermiddlewares.incremental import UNCHANGED_META

if TYPE_CHECKING:
    from pathlib import Path

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


class WarcCaptureMiddleware:
    def __init__(self, db_url: str, folder: Path, batch_size: int = 50, stats: Any = None) -> None:
        self.file = WarcFile(folder)
        self.stats = stats
        # An index row is written only after its record is on disk (before_write syncs the file).
        self.index = BatchRecorder(
            db_url, index_records, batch_size=batch_size, what="WARC records",
            error_stat="warc/index_errors", stats=stats, before_write=self.file.sync,
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED", True):
            raise NotConfigured("WARC_ENABLED is off: raw responses are not kept")
        db_url = resolve_db_url(settings.get("ARCHIVE_DB_URL"))
        folder = warc_dir(db_url, settings.get("ARCHIVE_WARC_DIR"))
        middleware = cls(db_url, folder, settings.getint("WARC_BATCH_SIZE", 50), crawler.stats)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        self.index.open()
        logger.info("Keeping raw responses in %s", self.file.folder / self.file.name)

    def spider_closed(self) -> None:
        self.index.close()
        self.file.close()

    def process_response(self, request: Request, response: Response) -> Response:
        if not 200 <= response.status < 300 or request.meta.get(UNCHANGED_META):
            return response
        headers = [
            (k.decode("latin-1"), v.decode("latin-1")) for k, values in response.headers.items() for v in values
        ]
        try:
            row = self.file.write_response(
                response.url, response.status, _phrase(response.status), headers, response.body, source=request.meta.get("source")
            )
        except OSError as exc:
            logger.error("Could not write %s to the WARC file: %s", response.url, exc)
            self._count("warc/write_errors")
            return response
        self._count("warc/records")
        self.index.add(row)
        return response

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
