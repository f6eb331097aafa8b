"""``ino-archive export warc``: every raw capture as one standard WARC file.

Records are copied byte for byte from the archive's WARC files using the
index (each is one gzip member, so a ``.warc.gz`` output is their plain
concatenation); a ``.warc`` output gets them decompressed.  A ``warcinfo``
record comes first; then every capture: a response (2xx, or a 3xx redirect)
or a revisit, each followed by its request record.  An index row pointing
past the end of its file (a truncated file not yet repaired by a crawl,
``archive.warc.repair``) is skipped with a warning.  The file is written under a temporary name and renamed,
so a failed export never leaves half a file under the name asked for.
The result replays in pywb or ReplayWeb.page.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
from pathlib import Path

from sqlalchemy.orm import Session
from warcio.warcwriter import WARCWriter

from archive.errors import ExportError
from archive.warc.files import safe_member
from archive.warc.index import build_all_records
from archive.warc.repair import complete_member

logger = logging.getLogger(__name__)


def export_warc(session: Session, folder: Path, out: Path) -> int:
    """Write every indexed capture to ``out`` (``.warc.gz`` or ``.warc``); return how many."""
    compressed = out.name.endswith(".gz")
    if not out.parent.is_dir():
        raise ExportError(f"cannot write {out}: folder {out.parent} does not exist")
    partial = out.with_name(out.name + ".partial")
    count = 0
    try:
        with partial.open("wb") as fh:
            fh.write(_warcinfo(compressed))
            for row in session.execute(build_all_records()).mappings():
                data = _record_bytes(folder, row, compressed)
                if data is None:
                    logger.warning("Skipped %s: its WARC file ends before the record does", row["url"])
                    continue
                fh.write(data)
                count += 1
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return count


def _record_bytes(folder: Path, row, compressed: bool) -> bytes | None:
    """The capture's records as the output wants them; None when the file was cut short."""
    path = safe_member(folder, row["warc_file"])
    with path.open("rb") as fh:
        fh.seek(row["offset"])
        raw = fh.read(row["length"])
    is_gzip = raw[:2] == b"\x1f\x8b"
    if len(raw) < row["length"] or (is_gzip and not complete_member(raw)):
        return None
    if compressed == is_gzip:
        return raw
    return gzip.compress(raw) if compressed else gzip.decompress(raw)


def _warcinfo(compressed: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compressed)
    info = {"software": "ino-archive", "format": "WARC File Format 1.0", "description": "INO Tomsk news archive"}
    writer.write_record(writer.create_warcinfo_record("ino-archive-export.warc", info))
    return buffer.getvalue()
