"""Keep long-lived objects out of Python's cyclic garbage collector while a crawl runs (``gc.freeze``).

A full (generation 2) collection walks every container object alive: the
imported modules, Scrapy, and the models a crawl loads (langdetect's
profiles, natasha's vocabularies), 250,000 objects and more, which live
until the process ends.  The collections a crawl's own garbage triggers cost
150-190 ms each that way, about 3 ms a page on the article benchmark.

``crawl_started`` (the ``scraper.extensions.heap`` extension, when the spider
opens) moves what is alive out of the collector's sight, and
``freeze_long_lived`` does it again right after a model loads; the crawl's own
objects are collected as before (what was in flight at a freeze, a few
responses, is freed by reference counting, or at the end if it was cyclic).
``crawl_ended`` hands everything back, so a process that goes on (the tests)
loses no garbage.  Outside a crawl (an offline ``extract``, the tests) loading
a model leaves the collector alone.
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)

# Whether a crawl of this process has frozen the heap.
_STATE = {"frozen": False}


def crawl_started() -> None:
    _STATE["frozen"] = True
    _freeze()


def crawl_ended() -> None:
    _STATE["frozen"] = False
    gc.unfreeze()


def freeze_long_lived() -> None:
    """In a crawl, move every object alive now (garbage collected first) out of the collector's sight.

    Called once after a long-lived model loads; outside a crawl it does nothing.
    """
    if _STATE["frozen"]:
        _freeze()


def _freeze() -> None:
    # Garbage frozen with the rest would never be freed: collect it first (once per call).
    gc.collect()
    gc.freeze()
    logger.debug("%d long-lived objects kept out of the garbage collector's scans", gc.get_freeze_count())
