"""How a crawl process runs its models: one BLAS thread, and long-lived objects out of the garbage collector's sight.

``one_blas_thread`` is called before a model's first import of numpy:
OpenBLAS otherwise starts a thread per core, which spin between the models'
small matrix products (more CPU for the same spans), while a crawl process is
one core.

Long-lived objects are kept out of Python's cyclic garbage collector (``gc.freeze``).

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
import os
import sys

logger = logging.getLogger(__name__)

# Whether a crawl of this process has frozen the heap.
_STATE = {"frozen": False}


def one_blas_thread() -> None:
    """Ask OpenBLAS for one thread, if numpy is not loaded yet (it reads the setting once) and the user set none."""
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


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
