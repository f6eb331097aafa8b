"""Load the sources config and answer URL questions for one source.

The config is TOML (``scraper/sources.toml`` inside the package, or a file the
user names).  A :class:`Source` knows which URLs are articles, which are
listings, and which hosts it may visit; the spider asks, it never decides.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, field
from datetime import tzinfo
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scraper.sources.selectors import SelectorError, SourceRules, compile_rules

logger = logging.getLogger(__name__)


class SourceError(ValueError):
    """The sources config is unreadable, or names something that is not there."""


@dataclass(frozen=True)
class Source:
    name: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    title: str = ""
    language: str | None = None
    article_patterns: tuple[re.Pattern[str], ...] = ()
    listing_patterns: tuple[re.Pattern[str], ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    selectors: dict[str, str] = field(default_factory=dict)
    timezone: str | None = None  # an IANA name ("Asia/Tomsk"): the zone UTC timestamps are read in

    def url_kind(self, url: str) -> str | None:
        """"article", "listing" or None (the source's rules say nothing).

        >>> s = adhoc_source("http://example.org/")
        >>> s.url_kind("http://example.org/news/1") is None
        True
        """
        if any(p.search(url) for p in self.article_patterns):
            return "article"
        if any(p.search(url) for p in self.listing_patterns):
            return "listing"
        return None

    def allows(self, url: str) -> bool:
        """True when ``url`` is http(s) on one of the allowed hosts or their subdomains."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https"):
            return False
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def should_follow(self, url: str) -> bool:
        """Follow article and listing URLs; an ad-hoc source (no patterns) follows all."""
        if not self.allows(url):
            return False
        if not self.article_patterns and not self.listing_patterns:
            return True
        return self.url_kind(url) is not None


def load_sources(path: str | Path | None = None) -> dict[str, Source]:
    """Read the sources config; ``None`` reads the one shipped in the package."""
    try:
        raw = _read_config(path)
        data = tomllib.loads(raw)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read sources config {path or 'sources.toml'}: {exc}") from exc
    sources = [_source_from_table(table) for table in data.get("source", [])]
    names = [s.name for s in sources]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise SourceError(f"duplicate source names in config: {', '.join(sorted(duplicates))}")
    return {s.name: s for s in sources}


def select_sources(sources: dict[str, Source], names: list[str] | tuple[str, ...]) -> list[Source]:
    """The named sources in the order given; an unknown name lists the known ones."""
    unknown = [n for n in names if n not in sources]
    if unknown:
        known = ", ".join(sorted(sources))
        raise SourceError(f"unknown source {', '.join(unknown)!s}; known sources: {known}")
    return [sources[n] for n in names]


def adhoc_source(url: str) -> Source:
    """A source for `crawl --url`: that site's host, every page a candidate."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(f"not an http(s) URL: {url}")
    host = parts.hostname.lower()
    return Source(name=host, title=f"ad hoc: {host}", start_urls=(url,), allowed_domains=(host,))


def _read_config(path: str | Path | None) -> str:
    if path is None:
        return resources.files("scraper").joinpath("sources.toml").read_text(encoding="utf-8")
    return Path(path).read_text(encoding="utf-8")


def _source_from_table(table: dict) -> Source:
    try:
        name = table["name"]
        return Source(
            name=name,
            title=table.get("title", ""),
            language=table.get("language"),
            start_urls=tuple(table.get("start_urls", ())),
            allowed_domains=tuple(d.lower() for d in table.get("allowed_domains", ())),
            article_patterns=_compile(name, table.get("article_patterns", ())),
            listing_patterns=_compile(name, table.get("listing_patterns", ())),
            sitemaps=tuple(table.get("sitemaps", ())),
            feeds=tuple(table.get("feeds", ())),
            selectors=_checked_selectors(name, table.get("selectors", {})),
            timezone=_checked_zone(name, table.get("timezone")),
        )
    except KeyError as exc:
        raise SourceError(f"a [[source]] in the config has no {exc.args[0]!r}") from exc


def _checked_selectors(name: str, selectors: dict) -> dict[str, str]:
    """The source's selectors, after checking that each compiles (a bad one is a SourceError)."""
    try:
        compile_rules(name, selectors)
    except SelectorError as exc:
        raise SourceError(str(exc)) from exc
    return dict(selectors)


def zone_named(name: str | None) -> tzinfo | None:
    """The time zone of an IANA name ("Asia/Tomsk"), ``None`` for none; an unknown name is a ``SourceError``.

    >>> zone_named("Asia/Tomsk").key, zone_named(None)
    ('Asia/Tomsk', None)
    """
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SourceError(f"unknown time zone {name!r} (expected an IANA name such as 'Asia/Tomsk')") from exc


def _checked_zone(name: str, zone: str | None) -> str | None:
    try:
        zone_named(zone)
    except SourceError as exc:
        raise SourceError(f"source {name}: {exc}") from exc
    return zone


def _compile(name: str, patterns) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p) for p in patterns)
    except re.error as exc:
        raise SourceError(f"source {name}: bad URL pattern {exc.pattern!r}: {exc}") from exc


def load_source_rules(sources_file: str | None) -> dict[str, SourceRules]:
    """Compiled selectors and time zones of every configured source that has some.

    A config that cannot be read leaves the generic extractors alone (the
    crawl itself reports the config's errors); a bad selector is an error.
    """
    try:
        sources = load_sources(sources_file)
    except SourceError as exc:
        logger.warning("no per-source selectors: %s", exc)
        return {}
    return {
        name: compile_rules(name, source.selectors, zone_named(source.timezone))
        for name, source in sources.items()
        if source.selectors or source.timezone
    }
