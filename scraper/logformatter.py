"""Log lines that name the page, not the whole item.

Scrapy's default log lines print the full item, which here carries the
page's HTML: a single dropped listing page would flood a cron log.  These
say what happened to which URL, and why.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter


def _url(item) -> str:
    try:
        return str(ItemAdapter(item).get("url") or "?")
    except TypeError:
        return "?"


class ArchiveLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        return {
            "level": logging.INFO,
            "msg": "Dropped (%(reason)s): %(url)s: %(exception)s",
            "args": {"reason": type(exception).__name__, "url": _url(item), "exception": exception},
        }

    def scraped(self, item, response, spider):
        return {"level": logging.DEBUG, "msg": "Kept %(url)s", "args": {"url": _url(item)}}

    def item_error(self, item, exception, response, spider):
        return {
            "level": logging.ERROR,
            "msg": "Error processing %(url)s",
            "args": {"url": _url(item)},
        }
