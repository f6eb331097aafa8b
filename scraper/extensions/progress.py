"""A one-line progress display for crawls run at a terminal.

Off unless ``PROGRESS_ENABLED`` is true; ``ino-archive crawl`` turns it on
only when stderr is a terminal, so cron runs stay quiet and their output is
just the summary (and the log file, if asked for).
"""

from __future__ import annotations

import sys

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class CrawlProgress:
    def __init__(self, stats, interval: float = 1.0, stream=None):
        self.stats = stats
        self.interval = interval
        self.stream = stream or sys.stderr
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            # No reason given: being off is the normal case (cron, pipes), not worth a warning.
            raise NotConfigured
        extension = cls(crawler.stats, crawler.settings.getfloat("PROGRESS_INTERVAL", 1.0))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self._loop = task.LoopingCall(self.show)
        self._loop.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self._loop and self._loop.running:
            self._loop.stop()
        self.show()
        self.stream.write("\n")

    def show(self) -> None:
        self.stream.write("\r" + self.line())
        self.stream.flush()

    def line(self) -> str:
        """The progress line from the current stats.

        >>> from types import SimpleNamespace
        >>> stats = SimpleNamespace(get_value=lambda key, default=0: {"spider/pages_fetched": 7}.get(key, default))
        >>> CrawlProgress(stats).line()
        'fetched 7 pages · stored 0 new, 0 updated · dropped 0 · errors 0'
        """
        get = self.stats.get_value
        dropped = get("item_dropped_count", 0)
        errors = get("log_count/ERROR", 0) + get("downloader/exception_count", 0)
        return (
            f"fetched {get('spider/pages_fetched', 0)} pages · "
            f"stored {get('archive/articles_inserted', 0)} new, {get('archive/articles_updated', 0)} updated · "
            f"dropped {dropped} · errors {errors}"
        )
