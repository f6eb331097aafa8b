"""From a pipeline item to a database record, and from a row to an export row.

``item_to_record`` is the one place that knows both ``ArticleItem`` and the
``articles`` table; ``ARTICLE_EXPORT_FIELDS`` is the column order every export
uses.  The hashes live here because dedup (pipeline) and the store both need
the same definition.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from itemadapter import ItemAdapter

from archive.knowledge import clean_optional, clean_text

ARTICLE_EXPORT_FIELDS: tuple[str, ...] = (
    "url",
    "canonical_url",
    "source",
    "title",
    "published",
    "published_from",
    "language",
    "people",
    "organisations",
    "places",
    "relevance",
    "is_relevant",
    "relevance_terms",
    "fetched_at",
    "extract_error",
    "text",
)

LIST_FIELDS: frozenset[str] = frozenset({"people", "organisations", "places", "relevance_terms"})

# Fields copied from the item to the article row as they are.
_ARTICLE_FIELDS = (
    "url",
    "source",
    "title",
    "text",
    "language",
    "published",
    "published_from",
    "relevance",
    "is_relevant",
    "encoding",
    "fetched_at",
)

# What "unchanged" means for a re-crawled article: the same content and the
# same extraction results.  Fetch details (fetched_at, the URL variant that
# reached the page, its encoding) are left out: they vary between fetches.
_EXTRACT_HASH_FIELDS = (
    "content_hash",
    "source",
    "title",
    "language",
    "published",
    "published_from",
    "people",
    "organisations",
    "places",
    "relevance",
    "is_relevant",
    "relevance_terms",
    "mentions",
)

_WHITESPACE = re.compile(r"\s+")


def normalise_for_hash(value: str | None) -> str:
    """Casefold and collapse whitespace, so trivial reformatting hashes the same.

    >>> normalise_for_hash("  INO\\n  Томск ")
    'ino томск'
    """
    return _WHITESPACE.sub(" ", (value or "").casefold()).strip()


def content_hash(title: str | None, text: str | None) -> str:
    """sha256 (hex) of the normalised title and text."""
    normalised = f"{normalise_for_hash(title)}\n{normalise_for_hash(text)}"
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def has_content(title: str | None, text: str | None) -> bool:
    """False when both are blank: their hash would match every other blank page."""
    return bool(normalise_for_hash(title) or normalise_for_hash(text))


def item_to_record(item: Any) -> dict[str, Any]:
    """The article row for ``item``, with its mentions under ``"mentions"``.

    The ``canonical_url`` falls back to ``url``; ``content_hash`` is computed
    when the dedup stage did not run.  ``extract_hash`` fingerprints every
    extracted field so the store can skip unchanged articles.
    """
    adapter = ItemAdapter(item)
    record: dict[str, Any] = {name: adapter.get(name) for name in _ARTICLE_FIELDS}
    record["source"] = clean_text(record["source"] or "")
    record["text"] = clean_text(record["text"] or "")
    record["title"] = clean_optional(record["title"])
    record["relevance"] = float(record["relevance"] or 0.0)
    record["is_relevant"] = bool(record["is_relevant"])
    record["published"] = _as_date(record["published"])
    record["canonical_url"] = adapter.get("canonical_url") or adapter["url"]
    for name in LIST_FIELDS:
        record[name] = [clean_text(value) if isinstance(value, str) else value for value in adapter.get(name) or []]
    record["content_hash"] = adapter.get("content_hash") or content_hash(
        record["title"], record["text"]
    )
    record["mentions"] = [mention_to_record(m) for m in adapter.get("mentions") or []]
    record["extract_error"] = extract_error(adapter.get("errors"))
    record["extract_hash"] = extract_hash(record)
    return record


def _as_date(value: Any) -> date | None:
    """Dates pass through; ISO strings (an item built by hand, a feed) are parsed."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def mention_to_record(mention: Any) -> dict[str, Any]:
    """A mention (dataclass or dict) as a plain dict."""
    adapter = ItemAdapter(mention)
    return {
        "kind": adapter["kind"],
        "name": clean_text(adapter["name"]),
        "surface": clean_text(adapter.get("surface") or adapter["name"]),
        "start": adapter.get("start"),
        "end": adapter.get("end"),
        "role": clean_optional(adapter.get("role")),
    }


def extract_error(errors: Mapping[str, str] | None) -> str | None:
    """The stages that raised on the page, as one cell; None when none did.

    >>> extract_error({"date": "ValueError: bad day", "entities": "KeyError: 'x'"})
    "date: ValueError: bad day; entities: KeyError: 'x'"
    """
    return "; ".join(f"{stage}: {message}" for stage, message in errors.items()) if errors else None


def extract_hash(record: Mapping[str, Any]) -> str:
    """sha256 over the fields that decide whether an article changed."""
    fingerprint = {name: record.get(name) for name in _EXTRACT_HASH_FIELDS}
    # Only when set, so clean articles keep the hashes they had before the column existed,
    # and a reprocess that clears the error counts as a change.
    if record.get("extract_error"):
        fingerprint["extract_error"] = record["extract_error"]
    payload = json.dumps(fingerprint, sort_keys=True, ensure_ascii=False, default=_json_default)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _json_default(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")


def iso_date(value: date | None) -> str | None:
    """'2016-03-14' or None."""
    return value.isoformat() if value is not None else None


def iso_datetime(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with an explicit offset, or None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def export_record(item: Any) -> dict[str, Any]:
    """An item as the JSON object exports write (``ARTICLE_EXPORT_FIELDS``), without a database."""
    return export_row(item_to_record(item))


def export_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """An article row as JSON-ready values, in ``ARTICLE_EXPORT_FIELDS`` order.

    Lists stay lists (the CSV writer joins them); dates become ISO strings.
    """
    out = {name: row[name] for name in ARTICLE_EXPORT_FIELDS}
    out["published"] = iso_date(out["published"])
    out["fetched_at"] = iso_datetime(out["fetched_at"])
    for name in LIST_FIELDS:
        out[name] = list(out[name] or [])
    return out
