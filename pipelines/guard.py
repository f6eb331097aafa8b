"""A stage that breaks on a page records the error on the item and lets it go on to the store.

Scrapy stops an item at the first exception a pipeline raises, so without
this the store (700) would never see a page that broke, say, the dates
stage: it would only reach the ``failures`` table.  ``@stage_guard("dates")``
on a pipeline's ``process_item`` turns any exception other than a drop
(``DropItem`` and its named subclasses) into ``item.errors["dates"] =
"ExcType: message"``, logs it with the traceback, counts
``pipelines/dates/error`` and returns the item as far as the stage got.
The store writes the errors to ``articles.extract_error``; a later
``reprocess`` that succeeds clears it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

logger = logging.getLogger(__name__)

# One error message is kept readable in exports; the log has the traceback.
MAX_ERROR = 300


def stage_guard(stage: str) -> Callable[[Callable[[Any, Any], Any]], Callable[[Any, Any], Any]]:
    """Decorate ``process_item(self, item)`` of the pipeline named ``stage``."""

    def decorate(process_item: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        @functools.wraps(process_item)
        def guarded(self: Any, item: Any) -> Any:
            try:
                return process_item(self, item)
            except DropItem:
                raise
            except Exception as exc:  # noqa: BLE001 (a stage bug must not lose the page; it is recorded)
                record_error(item, stage, exc, getattr(self, "stats", None))
                return item

        return guarded

    return decorate


def record_error(item: Any, stage: str, exc: BaseException, stats: Any = None) -> None:
    """Note on ``item`` that ``stage`` raised ``exc``; log and count it."""
    adapter = ItemAdapter(item)
    message = error_message(exc)
    logger.warning("stage %s failed on %s: %s", stage, adapter.get("url"), message, exc_info=exc)
    adapter["errors"] = {**(adapter.get("errors") or {}), stage: message}
    if stats is not None:
        stats.inc_value(f"pipelines/{stage}/error")


def error_message(exc: BaseException) -> str:
    """``ExcType: first line of the message``, cut to ``MAX_ERROR`` characters.

    >>> error_message(ValueError("day is out of range\\nmore"))
    'ValueError: day is out of range'
    """
    lines = str(exc).splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text[:MAX_ERROR]
