"""From a raw capture to the item the pipelines take, as the spider would build it."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from archive.warc import Capture
from scraper.decode import decode_body
from scraper.items import ArticleItem
from scraper.sources import Source, SourceError, adhoc_source, load_sources


@cache
def _sources() -> dict[str, Source]:
    try:
        return load_sources(None)
    except SourceError:
        return {}


def capture_to_item(capture: Capture, *, source: str | None = None, fetched_at: datetime | None = None) -> ArticleItem:
    """An ArticleItem for ``capture`` (decoded like a fetched page; URL rules from the named source)."""
    decoded = decode_body(capture.body, capture.header("Content-Type"))
    configured = _sources().get(source or "") or _adhoc(capture.url)
    return ArticleItem(
        url=capture.url,
        source=source or (configured.name if configured else "warc"),
        html=decoded.text,
        encoding=decoded.encoding,
        encoding_from=decoded.source,
        status=capture.status,
        fetched_at=fetched_at or datetime.now(UTC),
        url_kind=configured.url_kind(capture.url) if configured else None,
        language_hint=configured.language if configured else None,
    )


def _adhoc(url: str) -> Source | None:
    try:
        return adhoc_source(url)
    except SourceError:
        return None
