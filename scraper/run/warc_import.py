"""``ino-archive import``: WARC files made by other crawlers, into the archive.

Each response record (2xx) is copied into the archive's WARC folder as a new
``import-….warc.gz`` file (bodies decoded, at most ``MAX_RECORD_BYTES`` each,
so a compression bomb inside a foreign record cannot blow up), indexed, and
then run through every pipeline like a fresh crawl (:func:`scraper.run.reprocessing.reprocess`).
Request, metadata, revisit and non-2xx records are skipped and counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.db import open_engine, write_session_for
from archive.errors import ArchiveError
from archive.warc import WarcFile, capture_of, index_records, warc_dir
from scraper.run.reprocessing import ReprocessSummary, project_settings, reprocess


@dataclass
class ImportSummary:
    responses: int
    skipped: int
    unreadable: int
    processed: ReprocessSummary


def import_warc(db_url: str, path: str | Path, *, progress=None) -> ImportSummary:
    """Copy the responses of ``path`` into the archive, then process them."""
    source = Path(path)
    if not source.is_file():
        raise ArchiveError(f"no WARC file at {source}")
    settings = project_settings(db_url)
    folder = warc_dir(db_url, settings.get("ARCHIVE_WARC_DIR"))
    target = WarcFile(folder, prefix=f"import-{_stem(source)}")
    rows, skipped, unreadable = [], 0, 0
    try:
        with source.open("rb") as fh:
            for record in ArchiveIterator(fh):
                status = record.http_headers.get_statuscode() if record.http_headers else ""
                if record.rec_type != "response" or not status.startswith("2"):
                    skipped += 1
                    continue
                try:
                    capture = capture_of(record)
                except (ArchiveError, OSError, ValueError, EOFError):
                    unreadable += 1
                    continue
                rows.append(target.write_response(capture.url, capture.status or 200, "", capture.headers,
                                                  capture.body, source=None))
    except ArchiveLoadFailed as exc:
        raise ArchiveError(f"{source} is not a readable WARC file ({str(exc).split(',')[0]})") from exc
    except OSError as exc:
        raise ArchiveError(f"cannot read {source}: {exc.strerror or exc}") from exc
    finally:
        target.close()
    _index(db_url, rows)
    processed = reprocess(db_url, settings, warc_file=target.name, progress=progress) if rows else ReprocessSummary()
    return ImportSummary(len(rows), skipped, unreadable, processed)


def _index(db_url: str, rows: list[dict]) -> None:
    with write_session_for(open_engine(db_url, create=True)) as session:
        index_records(session, rows)


def _stem(path: Path) -> str:
    """A file name without .warc/.gz, safe in a file name.

    >>> _stem(Path("/x/My crawl 2024.warc.gz"))
    'My-crawl-2024'
    """
    name = path.name
    for suffix in (".gz", ".warc", ".arc"):
        name = name.removesuffix(suffix)
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name)[:60] or "warc"
