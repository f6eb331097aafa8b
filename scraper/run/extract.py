"""Run the extraction pipelines on saved pages, without network or database.

``ino-archive extract`` calls :func:`extract_pages`: the very pipeline classes
a crawl uses, in ``ITEM_PIPELINES`` order, minus the stages that keep
(``store``) or compare against the archive (``dedup``).  Every input gives
one record, even a missing, empty or binary file: its fields stay empty,
``input_error`` says why (``None`` for a page that could be read) and
``warnings`` says it too, with what the stages noticed.  A gzip-compressed
file is read as the page it holds; a file without markup as an article's
plain text (``scraper.decode.plain``).
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import build_from_crawler, load_object

from archive.errors import ArchiveError
from archive.store import export_record
from scraper.decode import decode_body, is_plain_text, plain_text_page
from scraper.items import ArticleItem
from scraper.settings import DOWNLOAD_MAXSIZE
from scraper.sources import zone_named

logger = logging.getLogger(__name__)

# Stages that need the archive; extraction stops before them.
OFFLINE_SKIPPED = (
    "pipelines.dedup.DedupPipeline",
    "pipelines.entities_archive.EntitiesArchivePipeline",
    "pipelines.store.StorePipeline",
)


@dataclass(frozen=True)
class PageInput:
    path: str  # as the user gave it
    url: str | None = None
    body: bytes | None = None  # the page's bytes when the caller has them (not read from ``path``)


def files_given(paths: Iterable[str]) -> list[str]:
    """The paths, a folder replaced by the files under it (sorted; hidden files and folders left out).

    A folder holding no file raises ``ArchiveError``; any other path is kept as given (a missing file gets its
    record and its reason).
    """
    files: list[str] = []
    for path in paths:
        folder = Path(path)
        if not folder.is_dir():
            files.append(path)
            continue
        inside = sorted(
            str(file) for file in folder.rglob("*")
            if file.is_file() and not any(part.startswith(".") for part in file.relative_to(folder).parts)
        )
        if not inside:
            raise ArchiveError(f"no files in folder {path}")
        files += inside
    return files


def read_manifest(path: str | Path) -> list[PageInput]:
    """One ``{"path": ..., "url": ...}`` object per line; relative paths are taken from the manifest's folder."""
    manifest = Path(path)
    try:
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"cannot read manifest {path}: {exc}") from exc
    return [_manifest_entry(manifest, number, line) for number, line in enumerate(lines, 1) if line.strip()]


def _manifest_entry(manifest: Path, number: int, line: str) -> PageInput:
    try:
        entry = json.loads(line)
        page = Path(entry["path"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ArchiveError(f"{manifest}:{number}: expected {{\"path\": ..., \"url\": ...}}, got {line[:80]!r}") from exc
    resolved = page if page.is_absolute() else manifest.parent / page
    return PageInput(path=str(resolved), url=entry.get("url"))


def offline_pipelines(settings: Settings | None = None) -> list:
    """The crawl's pipelines, built from settings as Scrapy builds them, minus keep/compare stages."""
    settings = settings or _project_settings()
    crawler = SimpleNamespace(settings=settings, stats=None, spider=None)
    crawler.stats = MemoryStatsCollector(crawler)
    pipelines = []
    for path, order in sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1]):
        if order is None or path in OFFLINE_SKIPPED:
            continue
        try:
            pipelines.append(build_from_crawler(load_object(path), crawler))
        except NotConfigured as exc:
            logger.info("Pipeline %s is switched off: %s", path, exc)
    return pipelines


def _project_settings(timezone: str | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    # Offline, an empty page is reported, not dropped: every input gives a record.
    settings.set("TEXT_DROP_EMPTY", False, priority="cmdline")
    if timezone:
        # UTC timestamps are dated in this zone; without it, dates are kept as the pages wrote them.
        settings.set("DATES_TIMEZONE", timezone, priority="cmdline")
    return settings


def extract_pages(
    inputs: Iterable[PageInput], pipelines: list | None = None, timezone: str | None = None
) -> Iterator[dict]:
    """Yield one export-shaped record (plus ``input``, ``input_error``, ``warnings`` and ``boilerplate_removed``) per input.

    ``timezone`` (an IANA name) is the zone UTC timestamps are dated in; an
    unknown name raises ``SourceError``.
    """
    if timezone:
        zone_named(timezone)
    pipelines = offline_pipelines(_project_settings(timezone)) if pipelines is None else pipelines
    for page in inputs:
        yield extract_page(page, pipelines)


def extract_page(page: PageInput, pipelines: list) -> dict:
    item, input_error = _load(page)
    dropped = None
    for pipeline in pipelines:
        try:
            item = pipeline.process_item(item)
        except DropItem as exc:
            dropped = f"{type(exc).__name__}: {exc}"
            break
    record = export_record(item)
    record["input"] = page.path
    record["dropped"] = dropped
    record["input_error"] = input_error
    record["warnings"] = ([input_error] if input_error else []) + list(ItemAdapter(item).get("warnings") or [])
    # Which recurring blocks of the site the text stage took out of this page (not stored in the archive).
    record["boilerplate_removed"] = list(ItemAdapter(item).get("boilerplate_removed") or [])
    return record


def _load(page: PageInput) -> tuple[ArticleItem, str | None]:
    """The page as an item, and why it could not be read as HTML (``None`` when it could)."""
    problem = None
    body = page.body
    fetched_at = datetime.now(UTC)
    if body is None:
        try:
            body = Path(page.path).read_bytes()
            fetched_at = saved_at(Path(page.path))
        except OSError as exc:
            problem = f"cannot read {page.path}: {exc.strerror or exc}"
            body = b""
    if problem is None and body.startswith(GZIP_MAGIC):
        body, problem = _gunzipped(body)
    if problem is None and not body.strip():
        problem = "empty input"
    elif b"\x00" in body[:4096]:
        problem = "binary input, not HTML"
        body = b""
    decoded = decode_body(body)
    url = page.url or Path(page.path).resolve().as_uri()
    # a text without markup (an article saved as text) is read line by line, its headline found
    page_html = plain_text_page(decoded.text) if is_plain_text(decoded.text) else decoded.text
    item = ArticleItem(
        url=url,
        source="file",
        html=page_html,
        encoding=decoded.encoding,
        encoding_from=decoded.source,
        fetched_at=fetched_at,
    )
    return item, problem


# A page saved compressed (wget --compression, the article-extraction benchmark's .html.gz) is read as the page.
GZIP_MAGIC = b"\x1f\x8b"
# No page is larger; a file that inflates beyond it is refused (the crawl's own download limit).
MAX_PAGE_BYTES = DOWNLOAD_MAXSIZE


def _gunzipped(body: bytes) -> tuple[bytes, str | None]:
    """The page inside gzip-compressed bytes, or no page and why."""
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        page = inflater.decompress(body, MAX_PAGE_BYTES)
    except zlib.error as exc:
        return b"", f"cannot decompress gzip input: {exc}"
    if inflater.unconsumed_tail:
        return b"", f"gzip input inflates beyond {MAX_PAGE_BYTES // 2**20} MiB"
    return page, None


TRUSTED_MTIME_FROM = datetime(2000, 1, 1, tzinfo=UTC)


def saved_at(path: Path) -> datetime:
    """When a saved page was fetched, as far as the file tells: its last change (never before the fetch).

    Relative dates on the page ("3 hours ago", "вчера в 12:05") count back from it, so a page saved
    months ago is not dated to the day ``extract`` runs; a copy made later only moves it nearer today.
    A time before ``TRUSTED_MTIME_FROM`` (files normalised to 1970 by a build or package tool) says
    nothing, and the run's own time stands.
    """
    now = datetime.now(UTC)
    changed = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return min(changed, now) if changed >= TRUSTED_MTIME_FROM else now
