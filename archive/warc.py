"""Raw capture: responses kept as WARC files, with an index of record offsets.

Every archived response is one gzip member in a ``.warc.gz`` file in the
archive's WARC folder (``ARCHIVE_WARC_DIR``, else ``<archive>.warc/`` next to
a SQLite file, else ``warc/`` in the user data folder).  The ``warc_records``
table says which file and offset holds each URL's capture, with the WARC
payload digest, so a record can be read back (``read_capture``) without
scanning the file, for ``reprocess`` and ``export warc``.

Bodies are recorded as the crawler decoded them (after gzip/brotli), with the
HTTP headers adjusted to match (no Content-Encoding, true Content-Length), so
replay tools and re-extraction see the same bytes the pipelines saw.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy.engine import make_url
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.db import APP_NAME, sqlite_path
from archive.errors import ArchiveError

# Headers that described the bytes on the wire, not the decoded body we keep.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
# Never read more than this from one record (foreign WARCs may hold bombs).
MAX_RECORD_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Capture:
    """One response read back from a WARC file."""

    url: str
    status: int | None
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def warc_dir(db_url: str, configured: str | None = None) -> Path:
    """Where this archive's WARC files live (not created here)."""
    if configured:
        return Path(configured).expanduser().absolute()
    url = make_url(db_url)
    path = sqlite_path(url) if url.get_backend_name() == "sqlite" else None
    if path is not None:
        return path.with_name(path.name + ".warc")
    return Path(user_data_dir(APP_NAME)) / "warc"


class WarcFile:
    """Appends response records to one new ``.warc.gz`` file; each write returns its index row."""

    def __init__(self, folder: Path, prefix: str = "ino-archive") -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        self.folder = folder
        self.name = f"{prefix}-{stamp}-{os.getpid()}.warc.gz"
        self._fh: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None

    def write_response(self, url: str, status: int, reason: str, headers: Iterable[tuple[str, str]],
                       body: bytes, **extra: Any) -> dict[str, Any]:
        if self._fh is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.folder / self.name, "ab")  # noqa: SIM115 (kept open for the crawl)
            self._writer = WARCWriter(self._fh, gzip=True)
        kept = [(k, v) for k, v in headers if k.lower() not in _WIRE_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http
        )
        offset = self._fh.tell()
        self._writer.write_record(record)
        rec = record.rec_headers
        return {
            "record_id": rec.get_header("WARC-Record-ID").strip("<>"),
            "url": url,
            "warc_file": self.name,
            "offset": offset,
            "length": self._fh.tell() - offset,
            "status": status,
            "content_type": dict((k.lower(), v) for k, v in kept).get("content-type"),
            "payload_digest": rec.get_header("WARC-Payload-Digest"),
            **extra,
        }

    def sync(self) -> None:
        """Make written records durable before their index rows are committed."""
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self.sync()
            self._fh.close()
            self._fh = None


def read_capture(folder: Path, warc_file: str, offset: int) -> Capture:
    """The response record at ``offset`` in ``folder/warc_file``."""
    path = safe_member(folder, warc_file)
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)), None)
            if record is None or record.rec_type != "response":
                raise ArchiveError(f"{path} has no response record at offset {offset}")
            return capture_of(record)
    except OSError as exc:
        raise ArchiveError(f"cannot read {path}: {exc.strerror or exc}") from exc


def capture_of(record: Any) -> Capture:
    """A warcio response record → Capture (body capped at MAX_RECORD_BYTES)."""
    http = record.http_headers
    status = int(http.get_statuscode()) if http and http.get_statuscode().isdigit() else None
    body = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(body) > MAX_RECORD_BYTES:
        raise ArchiveError(f"record for {record.rec_headers.get_header('WARC-Target-URI')} is over the size limit")
    headers = list(http.headers) if http else []
    return Capture(record.rec_headers.get_header("WARC-Target-URI") or "", status, headers, body)


def safe_member(folder: Path, name: str) -> Path:
    """``folder/name``, refusing names that would leave the folder.

    >>> safe_member(Path("/a/w"), "../../etc/passwd")
    Traceback (most recent call last):
    ...
    archive.errors.ArchiveError: WARC file name '../../etc/passwd' leaves /a/w
    """
    path = (folder / name).resolve()
    if folder.resolve() not in path.parents:
        raise ArchiveError(f"WARC file name {name!r} leaves {folder}")
    return path
