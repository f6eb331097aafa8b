"""ino-archive as the benchmarks measure it: what ``ino-archive extract`` runs, with the shipped defaults.

``extract`` builds the crawl's item pipelines from the project settings and
runs them on each page (``scraper.run.extract_page``); the benchmarks do the
same, with the same settings, and keep only the stages whose output they
score (text, dates, and the relevance stage that drops listings), since the
entity stages change none of it and would only slow the runs.  One set of
pipelines serves a whole run, as one ``extract`` command over many files:
what the text stage learns of a site's boilerplate carries from page to page.
"""

from __future__ import annotations

from dataclasses import dataclass

from scraper.run import PageInput, extract_page, offline_pipelines

# The stages that decide what is scored: main text, publication date, page kind.
SCORED_STAGES = ("TextPipeline", "DatesPipeline", "RelevancePipeline")


@dataclass(frozen=True)
class InoResult:
    """What ``extract`` gave for one page."""

    text: str
    title: str | None
    published: str | None
    published_from: str | None
    dropped: str | None  # "ListingPage: …" or None
    warnings: tuple[str, ...]

    @property
    def kept(self) -> bool:
        """Stored by a crawl: not dropped, and with a main text (an empty page is dropped as ``EmptyPage``)."""
        return self.dropped is None and bool(self.text)


def ino_pipelines() -> list:
    """The pipelines ``extract`` builds, the scored stages only."""
    return [p for p in offline_pipelines() if type(p).__name__ in SCORED_STAGES]


def ino_extract(pipelines: list, body: bytes | str, url: str | None, name: str = "page") -> InoResult:
    """One page through the pipelines, as ``ino-archive extract FILE --url URL`` runs it."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    record = extract_page(PageInput(path=name, url=url, body=raw), pipelines)
    return InoResult(
        text=record.get("text") or "",
        title=record.get("title"),
        published=record.get("published"),
        published_from=record.get("published_from"),
        dropped=record.get("dropped"),
        warnings=tuple(record.get("warnings") or ()),
    )
