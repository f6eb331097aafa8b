"""Make the WARC index agree with the WARC files after a crash: ``repair_index``.

Records are synced to disk before their index rows are committed, so a
killed crawl leaves at most complete-but-unindexed records (and maybe half a
record) at the end of its file.  A file can also end up shorter than its
index says (restored from an older copy, a full disk).  At the start of a
crawl, for each WARC file in the archive's folder:

* index rows that point past the end of the file are deleted, so nothing
  reads garbage and a re-crawl writes those pages again in full (a revisit
  only ever points at an indexed capture);
* complete records after the last indexed one are indexed (a response or
  revisit with the request record that follows it), so a capture written
  just before a kill is neither lost nor written twice; a torn last record is
  left unindexed.

Only files the index already names are looked at (a PostgreSQL archive's
folder is shared with the user's other archives), and only if they are in
this folder (other machines of a distributed crawl keep their own); a file
killed before its first index batch stays unindexed, its pages are fetched
again in full.  Index writes are idempotent on the WARC-Record-ID, so a file
another process is still writing can be scanned safely.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.warc.files import parse_warc_date
from archive.warc.index import index_records, records

logger = logging.getLogger(__name__)

CAPTURE_TYPES = ("response", "revisit")


@dataclass(frozen=True)
class Repair:
    dropped: int = 0  # index rows pointing past the end of their file
    recovered: int = 0  # complete captures found unindexed at the end of a file


def repair_index(session: Session, folder: Path) -> Repair:
    """Repair the index of the ``.warc.gz`` files in ``folder``; the caller commits."""
    if not folder.is_dir():
        return Repair()
    ends = dict(
        session.execute(
            select(records.c.warc_file, func.max(records.c.offset + records.c.length)).group_by(records.c.warc_file)
        ).all()
    )
    dropped = recovered = 0
    # Only files this archive already indexes: a PostgreSQL archive's folder is shared with the
    # user's other archives, whose files must never be indexed here.
    for name in sorted(ends):
        path = folder / name
        if path.parent != folder or not path.is_file():
            continue  # another machine's file (distributed crawl), or a name that is not ours
        size = path.stat().st_size
        end = int(ends[name] or 0)
        if end > size:
            dropped += _drop_rows_past(session, path.name, size)
            end = _indexed_end(session, path.name)
        if size > end:
            rows = list(scan_captures(path, end))
            recovered += index_records(session, rows)
    if dropped or recovered:
        logger.warning("WARC index repaired: %d rows past the end of their file dropped, %d captures indexed",
                       dropped, recovered)
    return Repair(dropped, recovered)


def _drop_rows_past(session: Session, warc_file: str, size: int) -> int:
    result = session.execute(
        delete(records).where(records.c.warc_file == warc_file, records.c.offset + records.c.length > size)
    )
    return result.rowcount or 0


def _indexed_end(session: Session, warc_file: str) -> int:
    query = select(func.max(records.c.offset + records.c.length)).where(records.c.warc_file == warc_file)
    return int(session.scalar(query) or 0)


def scan_captures(path: Path, start: int) -> list[dict[str, Any]]:
    """Index rows for the complete captures in ``path`` from byte ``start`` on."""
    rows: list[dict[str, Any]] = []
    with path.open("rb") as fh, path.open("rb") as check:
        fh.seek(start)
        iterator = ArchiveIterator(fh)
        try:
            for record in iterator:
                offset, length = iterator.get_record_offset(), iterator.get_record_length()  # absolute
                check.seek(offset)
                if not complete_member(check.read(length)):
                    break  # a torn last record: warcio reads it, but the gzip member has no end
                if record.rec_type in CAPTURE_TYPES:
                    rows.append(_row(path.name, record, offset, length))
                elif record.rec_type == "request" and rows and _pairs(rows[-1], record, offset):
                    rows[-1]["length"] = offset + length - rows[-1]["offset"]
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as exc:
            logger.info("%s ends with a torn record after byte %d: %s", path.name, start, exc)
    return rows


def complete_member(data: bytes) -> bool:
    """True when ``data`` is one or more whole gzip members (each with its end).

    >>> import gzip
    >>> complete_member(gzip.compress(b"WARC/1.0"))
    True
    >>> complete_member(gzip.compress(b"WARC/1.0")[:-3])
    False
    """
    while data:
        member = zlib.decompressobj(wbits=31)
        try:
            member.decompress(data)
        except zlib.error:
            return False
        if not member.eof:
            return False
        data = member.unused_data
    return True


def _pairs(row: dict[str, Any], request: Any, offset: int) -> bool:
    """The request written right after the capture it answered."""
    concurrent = (request.rec_headers.get_header("WARC-Concurrent-To") or "").strip("<>")
    return concurrent == row["record_id"] and row["offset"] + row["length"] == offset


def _row(warc_file: str, record: Any, offset: int, length: int) -> dict[str, Any]:
    headers = record.rec_headers
    http = record.http_headers
    code = http.get_statuscode() if http else ""
    return {
        "record_id": (headers.get_header("WARC-Record-ID") or "").strip("<>"),
        "record_type": record.rec_type,
        "url": headers.get_header("WARC-Target-URI") or "",
        "warc_file": warc_file,
        "offset": offset,
        "length": length,
        "status": int(code) if code.isdigit() else None,
        "content_type": http.get_header("Content-Type") if http else None,
        "payload_digest": headers.get_header("WARC-Payload-Digest"),
        "source": None,
        "fetched_at": parse_warc_date(headers.get_header("WARC-Date")),
    }
