"""Raw capture: every response kept as WARC records, with an index of where each one is.

Modules (public names are imported from ``archive.warc``):

* ``files`` – the WARC files next to the archive: writing records (request,
  response, revisit), reading a capture back;
* ``index`` – the ``warc_records`` table: which file and offset holds each capture;
* ``repair`` – after a crash, make the index agree with the files;
* ``export`` – ``ino-archive export warc``: every capture as one standard file.

Turning a capture back into a pipeline item is the crawler's business
(``scraper.run.captures``).  May import: ``archive.db``, ``archive.store``,
``archive.models``, ``archive.errors``.
"""

from archive.warc.export import export_warc
from archive.warc.files import (
    NOT_MODIFIED,
    Capture,
    HttpRequest,
    Original,
    WarcFile,
    capture_of,
    payload_digest,
    read_capture,
    warc_dir,
)
from archive.warc.index import index_records, iter_captures, load_captured_urls
from archive.warc.repair import repair_index

__all__ = [
    "NOT_MODIFIED",
    "Capture",
    "HttpRequest",
    "Original",
    "WarcFile",
    "capture_of",
    "export_warc",
    "index_records",
    "iter_captures",
    "load_captured_urls",
    "payload_digest",
    "read_capture",
    "repair_index",
    "warc_dir",
]
