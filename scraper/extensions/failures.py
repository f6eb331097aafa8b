"""Record every permanent failure of a crawl in the ``failures`` table, with its reason.

Three sources feed it:

* the spider sends :data:`page_failed` (``url``, ``stage``, ``reason``) when a
  request fails for good (after retries): a network error, a refused address,
  a truncated body, a size limit, a redirect loop, a 4xx/5xx status;
* Scrapy's ``item_error`` signal: an exception escaped a pipeline (stage
  ``extract``).  Extraction stages catch their own (``pipelines.guard``) and
  the page is stored with ``extract_error``; what still escapes (the store
  building its record) is never lost silently;
* Scrapy's ``request_dropped`` signal for a redirect target already seen: a
  redirect loop or a self-redirect (stage ``fetch``).

Rows are written in batches (``FAILURES_BATCH_SIZE``) and at close, and
counted as ``failures/<stage>``.  ``FAILURES_ENABLED = False`` switches it off.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.db import BatchRecorder, resolve_db_url
from archive.store import record_failures

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Sent by the spider: send_catch_log(page_failed, url=..., stage=..., reason=...).
page_failed = object()


class FailureLog:
    def __init__(self, db_url: str, batch_size: int = 50, stats: Any = None) -> None:
        self.stats = stats
        self.rows = BatchRecorder(
            db_url, record_failures, batch_size=batch_size, what="failures", error_stat="archive/failures_unrecorded", stats=stats
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailureLog:
        settings = crawler.settings
        if not settings.getbool("FAILURES_ENABLED", True):
            raise NotConfigured("FAILURES_ENABLED is off: failures are only logged")
        extension = cls(
            resolve_db_url(settings.get("ARCHIVE_DB_URL")), settings.getint("FAILURES_BATCH_SIZE", 50), crawler.stats
        )
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        crawler.signals.connect(extension.page_failed, signal=page_failed)
        crawler.signals.connect(extension.request_dropped, signal=signals.request_dropped)
        return extension

    def spider_opened(self) -> None:
        self.rows.open()

    def spider_closed(self) -> None:
        self.rows.close()

    def page_failed(self, url: str, stage: str, reason: str) -> None:
        self.add(url, stage, reason)

    def request_dropped(self, request: Any, **_: Any) -> None:
        """The scheduler's duplicate filter dropped a redirect target: a redirect loop."""
        chain = request.meta.get("redirect_urls")
        if chain:
            self.add(chain[0], "fetch", f"redirect loop: {' -> '.join([*chain, request.url])}")

    def item_error(self, item: Any, response: Any, failure: Any, **_: Any) -> None:
        url = getattr(item, "url", None) or getattr(response, "url", "") or "(unknown)"
        self.add(url, "extract", f"{type(failure.value).__name__}: {failure.getErrorMessage()}")

    def add(self, url: str, stage: str, reason: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"failures/{stage}")
        self.rows.add({"url": url, "stage": stage, "reason": reason})
