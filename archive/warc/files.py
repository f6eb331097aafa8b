"""Raw capture: responses kept as WARC files, with an index of record offsets.

Every archived response is one gzip member in a ``.warc.gz`` file in the
archive's WARC folder (``ARCHIVE_WARC_DIR``, else ``<archive>.warc/`` next to
a SQLite file, else ``warc/`` in the user data folder).  The ``warc_records``
table says which file and offset holds each URL's capture, with the WARC
payload digest, so a record can be read back (``read_capture``) without
scanning the file, for ``reprocess`` and ``export warc``.

Bodies are recorded as the crawler decoded them (after gzip/brotli), with the
HTTP headers adjusted to match (no Content-Encoding, true Content-Length), so
replay tools and re-extraction see the same bytes the pipelines saw; a
non-ASCII ``Location`` is written as the URL the crawler followed.  Each
response is followed by its ``request`` record (replay tools pair them); a
redirect (3xx) is a response record of its own, kept as received; a re-fetch
whose payload digest equals the earlier capture's is a ``revisit`` record
(profile identical-payload-digest) pointing at it, not a second copy.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from platformdirs import user_data_dir
from sqlalchemy.engine import make_url
from w3lib.url import safe_url_string
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.db import APP_NAME, sqlite_path
from archive.errors import ArchiveError

# Headers that described the bytes on the wire, not the decoded body we keep.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
# Headers holding a URL a replay tool follows: written as the ASCII URL the crawler made of them.
_URL_HEADERS = {"location", "content-location"}
# Revisit profiles (WARC 1.0/1.1 spell them the same after the version).
NOT_MODIFIED = 304
IDENTICAL_PAYLOAD = "revisit/identical-payload-digest"
SERVER_NOT_MODIFIED = "revisit/server-not-modified"
# Never read more than this from one record (foreign WARCs may hold bombs).
MAX_RECORD_BYTES = 32 * 1024 * 1024
# warcio always compresses at level 9; gzip's default level 6 makes the benchmark
# pages' members ~1% larger for ~60% of the CPU (5.0 -> 3.2 ms on a 170 KB page),
# the largest single cost of keeping a response.
GZIP_LEVEL = 6


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


@dataclass(frozen=True)
class HttpRequest:
    """The request a response answered, written as its WARC ``request`` record."""

    method: str
    url: str
    headers: list[tuple[str, str]]
    body: bytes = b""


@dataclass(frozen=True)
class Original:
    """The earlier capture a ``revisit`` record points to (an index row's fields)."""

    record_id: str
    url: str
    fetched_at: datetime


def payload_digest(body: bytes) -> str:
    """The WARC payload digest warcio writes for ``body`` (``sha1:`` + base32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")  # noqa: S324 (WARC's own digest)


class WarcFile:
    """Appends captures to one new ``.warc.gz`` file; each write returns its index row.

    A capture is the response (or revisit) record followed by the request
    record that asked for it (``WARC-Concurrent-To`` the response), as
    warcio's own capture writes them; its index row spans both.
    """

    def __init__(self, folder: Path, prefix: str = "ino-archive") -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        self.folder = folder
        self.name = f"{prefix}-{stamp}-{os.getpid()}.warc.gz"
        self._fh: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None

    def write_response(self, url: str, status: int, reason: str, headers: Iterable[tuple[str, str]],
                       body: bytes, *, request: HttpRequest | None = None, decoded: bool = True,
                       **extra: Any) -> dict[str, Any]:
        """A full copy of ``body``; ``decoded=False`` keeps it as it came off the wire (a redirect's)."""
        writer = self._open()
        kept = _http_headers(headers, body, decoded)
        http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http)
        return self._write(record, request, status=status, headers=kept, **extra)

    def write_revisit(self, url: str, status: int, reason: str, headers: Iterable[tuple[str, str]],
                      body: bytes, original: Original, *, request: HttpRequest | None = None,
                      digest: str | None = None, **extra: Any) -> dict[str, Any]:
        """A ``revisit`` of ``original``: headers only, no second copy of the payload.

        An identical-payload-digest revisit (a 2xx whose ``body`` is the
        original's), or, for a 304, a server-not-modified revisit carrying the
        original's payload ``digest``.
        """
        writer = self._open()
        kept = _http_headers(headers, body, decoded=True)
        http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        record = writer.create_revisit_record(
            url, digest or payload_digest(body), original.url, _warc_date(original.fetched_at), http_headers=http,
            warc_headers_dict={"WARC-Refers-To": f"<{original.record_id}>"},
        )
        if status == NOT_MODIFIED:
            profile = record.rec_headers.get_header("WARC-Profile")
            record.rec_headers.replace_header("WARC-Profile", profile.replace(IDENTICAL_PAYLOAD, SERVER_NOT_MODIFIED))
        return self._write(record, request, status=status, headers=kept, record_type="revisit", **extra)

    def _open(self) -> WARCWriter:
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.folder / self.name, "ab")  # noqa: SIM115 (kept open for the crawl)
            self._writer = _LevelledWriter(self._fh, GZIP_LEVEL)
        return self._writer

    def _write(self, record: Any, request: HttpRequest | None, *, status: int, headers: list[tuple[str, str]],
               record_type: str = "response", **extra: Any) -> dict[str, Any]:
        writer = self._open()
        rec = record.rec_headers
        offset = self._fh.tell()
        writer.write_record(record)
        if request is not None:
            writer.write_record(self._request_record(request, rec))
        # To the OS now: a kill -9 then leaves a complete record for repair_index to find (fsync waits for sync()).
        self._fh.flush()
        return {
            "record_id": rec.get_header("WARC-Record-ID").strip("<>"),
            "record_type": record_type,
            "url": rec.get_header("WARC-Target-URI"),
            "warc_file": self.name,
            "offset": offset,
            "length": self._fh.tell() - offset,
            "status": status,
            "content_type": dict((k.lower(), v) for k, v in headers).get("content-type"),
            "payload_digest": rec.get_header("WARC-Payload-Digest"),
            "fetched_at": parse_warc_date(rec.get_header("WARC-Date")),
            **extra,
        }

    def _request_record(self, request: HttpRequest, response: StatusAndHeaders) -> Any:
        parts = urlsplit(request.url)
        target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        headers = list(request.headers)
        if not any(k.lower() == "host" for k, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        http = StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers, is_http_request=True)
        return self._writer.create_warc_record(
            response.get_header("WARC-Target-URI"), "request", payload=io.BytesIO(request.body),
            length=len(request.body), http_headers=http,
            warc_headers_dict={
                "WARC-Concurrent-To": response.get_header("WARC-Record-ID"),
                "WARC-Date": response.get_header("WARC-Date"),
            },
        )

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
            self._writer = None


class _GzipMember:
    """Where warcio writes one record: compressed as one gzip member, as its own GzippingWrapper does."""

    def __init__(self, out: Any, level: int) -> None:
        self.out = out
        self.compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> None:
        self.out.write(self.compressor.compress(data))

    def flush(self) -> None:
        # warcio calls this once, at the end of the record: the member is complete.
        self.out.write(self.compressor.flush())
        self.out.flush()


class _LevelledWriter(WARCWriter):
    """warcio's writer, each record one gzip member at ``level`` (warcio's own gzip is fixed at 9)."""

    def __init__(self, filebuf: Any, level: int) -> None:
        super().__init__(filebuf, gzip=False)
        self.level = level

    def _write_warc_record(self, out: Any, record: Any) -> None:
        super()._write_warc_record(_GzipMember(out, self.level), record)


def _http_headers(headers: Iterable[tuple[str, str]], body: bytes, decoded: bool) -> list[tuple[str, str]]:
    """The response headers to record, with a true Content-Length for ``body``.

    A decoded body loses the headers that described the wire encoding; a body
    kept as received keeps its Content-Encoding.
    """
    dropped = _WIRE_HEADERS if decoded else {"transfer-encoding", "content-length"}
    kept = [(k, _header_value(k, v)) for k, v in headers if k.lower() not in dropped]
    kept.append(("Content-Length", str(len(body))))
    return kept


def _header_value(name: str, value: str) -> str:
    """A header value as the WARC should hold it, given its raw bytes decoded as latin-1.

    warcio %-encodes a non-ASCII value whole, separators included, and would
    encode the latin-1 misreading of UTF-8 bytes: a ``Location:
    /новости/…?a=1`` sent as raw UTF-8 (common on Russian sites) became a
    mojibake URL with its ``?`` escaped, which pywb then redirects to.  A URL
    header gets the percent-encoding Scrapy's redirect gives the same bytes,
    so it names the URL that was followed and captured; other headers are
    read as UTF-8 when they are, for warcio's RFC 8187 encoding.
    """
    if value.isascii():
        return value
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:  # already text (a header read back from a WARC file)
        raw = value.encode("utf-8")
    if name.lower() in _URL_HEADERS:
        return safe_url_string(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return value


def _warc_date(value: datetime) -> str:
    """WARC-Date form: ``2026-11-26T21:30:00Z``."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_warc_date(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


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
