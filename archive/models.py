"""The archive's tables as SQLAlchemy 2.x typed models.

Portable across SQLite and PostgreSQL: generic types only, JSON for lists and
counts, and timestamps stored as naive UTC (``UtcDateTime``) so both dialects
return the same aware ``datetime`` values.

``articles.canonical_url`` is the identity of an article: every re-crawl
upserts on it, so the archive never holds two rows for one page.
``content_hash`` (normalised title + text) lets dedup spot the same story
under another URL; ``extract_hash`` covers every extracted field, so an upsert
can tell "unchanged" from "updated" by comparing one column.
The SQLite full-text index (``articles_fts``) lives in ``archive.db``: it is
not a mapped table.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC as a naive timestamp and hands back aware UTC datetimes.

    SQLite has no time zones and PostgreSQL's ``timestamptz`` would depend on
    the session zone; naive UTC behaves the same on both.  Naive inputs are
    taken to be UTC already.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {
        datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class Source(Base):
    """A configured news source; articles refer to it by ``name``."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    language: Mapped[str | None] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class Article(Base):
    """One archived page, keyed by its canonical URL."""

    __tablename__ = "articles"

    # Integer (not BigInteger) so SQLite makes it the rowid the FTS index points at.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True)
    source: Mapped[str] = mapped_column(String(200), index=True, default="")
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(16), index=True)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    published_from: Mapped[str | None] = mapped_column(String(32))
    # Denormalised from the mentions so exports stream one row per article.
    people: Mapped[list[str]] = mapped_column(default=list)
    organisations: Mapped[list[str]] = mapped_column(default=list)
    places: Mapped[list[str]] = mapped_column(default=list)
    relevance: Mapped[float] = mapped_column(Float, default=0.0)
    is_relevant: Mapped[bool] = mapped_column(Boolean, index=True, default=False)
    relevance_terms: Mapped[list[str]] = mapped_column(default=list)
    encoding: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[datetime | None]
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    extract_hash: Mapped[str] = mapped_column(String(64))
    # "stage: ExcType: message; …" for the stages that raised on the page (pipelines.guard); None when all ran.
    extract_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    mentions: Mapped[list[Mention]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class Entity(Base):
    """A person, organisation or place, by its canonical name."""

    __tablename__ = "entities"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_entities_kind_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)


class Mention(Base):
    """One occurrence of an entity in an article's text."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    surface: Mapped[str] = mapped_column(Text)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    role: Mapped[str | None] = mapped_column(Text)

    article: Mapped[Article] = relationship(back_populates="mentions")
    entity: Mapped[Entity] = relationship()


# --- entities (issue 4): aliases, name parts, dates named in the text ------------------


class EntityAlias(Base):
    """Another name an entity goes by; ``key`` is script-neutral (``archive.knowledge.name_keys``)."""

    __tablename__ = "entity_aliases"
    __table_args__ = (UniqueConstraint("entity_id", "alias", name="uq_entity_aliases"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text, index=True)
    origin: Mapped[str] = mapped_column(String(16))  # name | gazetteer | merged | surface


class PersonName(Base):
    """A person entity's canonical name split into its parts."""

    __tablename__ = "person_names"

    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True)
    first: Mapped[str | None] = mapped_column(Text)
    middle: Mapped[str | None] = mapped_column(Text)
    last: Mapped[str | None] = mapped_column(Text)


class DateMention(Base):
    """A date or period named in an article's text, apart from its publication date."""

    __tablename__ = "date_mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    surface: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    date_from: Mapped[date] = mapped_column(Date, index=True)
    date_to: Mapped[date] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(8))  # day | month | year


class CrawlRun(Base):
    """One crawl: when, how it ended, and what it counted.

    Recorded when the crawl starts (``status`` "running", with the process's
    ``host`` and ``pid``) and completed when it ends; a run still "running"
    whose process is gone (killed) is marked "interrupted" by the next crawl
    on its host (``archive.store.runs``).
    """

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(32), index=True)
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    finish_reason: Mapped[str | None] = mapped_column(String(64))
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sources: Mapped[list[str]] = mapped_column(default=list)


# --- operations (issue 6): incremental re-crawl, versions, failures, raw capture ----------


class ArticleUrl(Base):
    """Every URL an article's text was found at (issue 16): its own, and the copies dedup folded into it.

    ``articles.canonical_url`` is chosen among these by a rule that does not
    depend on the order pages arrived in (``archive.store.aliases``);
    ``named`` is set when a page's canonical link named the URL.
    """

    __tablename__ = "article_urls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    named: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class Page(Base):
    """Every URL a crawl has fetched: validators for conditional requests, and its state.

    ``body_hash`` is the sha256 of the raw body, so a re-crawl can tell an
    unchanged page even when the server sends no ETag.  ``gone_at`` is set
    when a page that once answered later answers 404 or 410; its article stays.
    """

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[int | None] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(64))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime | None]
    gone_at: Mapped[datetime | None]


class ArticleVersion(Base):
    """An earlier state of an article, kept when a re-crawl or reprocess changed it."""

    __tablename__ = "article_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    canonical_url: Mapped[str] = mapped_column(Text, index=True)
    extract_hash: Mapped[str] = mapped_column(String(64))
    record: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the article row as it was
    valid_from: Mapped[datetime | None]
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)


class Failure(Base):
    """A page that could not be fetched or processed, and why (one row per URL and stage)."""

    __tablename__ = "failures"
    __table_args__ = (UniqueConstraint("url", "stage", name="uq_failures_url_stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(32))  # fetch | http | extract | store
    reason: Mapped[str] = mapped_column(Text)
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class WarcRecord(Base):
    """Where one capture lives: a WARC file next to the archive, at an offset.

    ``offset``/``length`` span the response (or revisit) record and the request
    record written right after it; ``record_id`` is the response's.
    """

    __tablename__ = "warc_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), unique=True)
    # "response" (a full copy, 2xx or a 3xx redirect) | "revisit" (same payload as an earlier capture)
    record_type: Mapped[str] = mapped_column(String(16), default="response", server_default="response")
    url: Mapped[str] = mapped_column(Text, index=True)
    warc_file: Mapped[str] = mapped_column(Text)  # relative to the WARC folder
    offset: Mapped[int] = mapped_column(BigInteger)
    length: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(Text)
    payload_digest: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(200))
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)


class BoilerplateBlock(Base):
    """A text block one source's pages have shown at one place (``pipelines.extractors.boilerplate``).

    What the text stage learned, kept between crawls: a cron run that fetches
    one new article still knows the sidebar every earlier article carried.
    ``block`` is a stable 64-bit key of the block's text and place;
    ``confirmed`` once seen on enough distinct pages, else ``pages`` lists the
    (hashed) pages it was seen on so far.
    """

    __tablename__ = "boilerplate_blocks"

    source: Mapped[str] = mapped_column(String(200), primary_key=True)
    block: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    confirmed: Mapped[bool] = mapped_column(default=False)
    pages: Mapped[str] = mapped_column(Text, default="")  # space-separated page keys while not confirmed
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)

