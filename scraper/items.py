"""The item that flows from the spider through every pipeline to the store.

One dataclass, read everywhere through ``ItemAdapter``, so exporters and the
store see every declared field even when a stage left it empty.  The spider
fills the *fetch* fields; each pipeline fills only its own block below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class Mention:
    """One named entity found in the main text."""

    kind: str  # "person" | "org" | "place"
    name: str  # canonical name of the entity (after normalisation)
    surface: str  # the text exactly as it stands in the article
    start: int | None = None  # character offsets into ArticleItem.text
    end: int | None = None
    role: str | None = None  # e.g. "Governor of the Tomsk region"
    # People only: the name's parts in the nominative, in the mention's own script.
    first: str | None = None
    middle: str | None = None  # patronymic or second initial
    last: str | None = None


@dataclass
class DateMention:
    """A date or period named in the main text (not the publication date)."""

    surface: str  # the text exactly as it stands in the article
    start: int  # character offsets into ArticleItem.text
    end: int
    date_from: date  # first day of the period named
    date_to: date  # last day (== date_from for a single day)
    precision: str  # "day" | "month" | "year"


@dataclass
class ArticleItem:
    # --- fetch (spider) ---
    url: str
    source: str = ""
    html: str = ""  # decoded page text (see scraper.decode.charset)
    encoding: str | None = None
    encoding_from: str | None = None  # "bom" | "header" | "meta" | "detected" | "default"
    status: int | None = None
    fetched_at: datetime | None = None
    url_kind: str | None = None  # "article" | "listing" | None, from the source's URL rules
    language_hint: str | None = None  # the source's language hint, never trusted over the text

    # --- 1. text ---
    canonical_url: str | None = None
    title: str | None = None
    text: str = ""
    link_density: float | None = None  # share of main-area characters inside links
    boilerplate_removed: list[str] = field(default_factory=list)  # the site's recurring blocks taken out (not stored)
    # --- 2. language ---
    language: str | None = None  # "ru" | "en" | "other"
    # --- 3. dates ---
    published: date | None = None
    published_from: str | None = None  # "json-ld" | "meta" | "time" | "visible" | "url"
    # --- 4. entities ---
    mentions: list[Mention] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    date_mentions: list[DateMention] = field(default_factory=list)
    # --- 5. relevance ---
    page_type: str | None = None  # "article" | "listing"
    relevance: float = 0.0
    is_relevant: bool = False
    relevance_terms: list[str] = field(default_factory=list)
    # --- 6. dedup ---
    content_hash: str | None = None
    # --- diagnostics ---
    warnings: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # stage → "ExcType: message" (pipelines.guard)
