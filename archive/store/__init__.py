"""Writing what a crawl found: articles, their earlier versions, and the crawl's own records.

Modules (public names are imported from ``archive.store``):

* ``records`` – from a pipeline item to a database record (``item_to_record``)
  and from a row to an export row; the content hashes dedup and the store share;
* ``articles`` – idempotent upserts: articles on ``canonical_url``, entities,
  mentions, sources;
* ``article_versions`` – earlier versions of an article, kept before it is overwritten;
* ``pages`` – every fetched URL: validators, body hash, kind, gone pages;
* ``failures`` – pages that could not be fetched or processed, with the reason;
* ``aliases`` – one article per text: copies under other URLs folded into
  it (``article_urls``), its URL chosen by a rule, not by arrival order;
* ``runs`` – the crawl log, one ``crawl_runs`` row per crawl, recorded when
  it starts and marked interrupted when its process died;
* ``boilerplate`` – the recurring blocks the text stage learned per source.

Functions take a ``Session``; the caller owns it (opens, commits, closes).
May import: ``archive.db``, ``archive.models``, ``archive.errors``, ``archive.knowledge``.
"""

from archive.store.aliases import Folded, fold_copies, record_aliases, url_rank
from archive.store.article_versions import article_history, keep_versions
from archive.store.articles import (
    UpsertCounts,
    replace_mentions,
    upsert_articles,
    upsert_entities,
    upsert_sources,
)
from archive.store.boilerplate import load_blocks, save_blocks
from archive.store.failures import failures_by_stage, record_failures
from archive.store.pages import ARTICLE, Seen, load_seen, mark_articles, record_fetches
from archive.store.records import (
    ARTICLE_EXPORT_FIELDS,
    LIST_FIELDS,
    content_hash,
    export_record,
    export_row,
    has_content,
    item_to_record,
)
from archive.store.runs import (
    INTERRUPTED,
    RUNNING,
    counts_from_stats,
    finish_run,
    last_runs,
    mark_interrupted,
    record_run,
    start_run,
)

__all__ = [
    "ARTICLE",
    "ARTICLE_EXPORT_FIELDS",
    "INTERRUPTED",
    "LIST_FIELDS",
    "RUNNING",
    "Folded",
    "Seen",
    "UpsertCounts",
    "article_history",
    "content_hash",
    "counts_from_stats",
    "export_record",
    "export_row",
    "failures_by_stage",
    "finish_run",
    "fold_copies",
    "has_content",
    "item_to_record",
    "keep_versions",
    "last_runs",
    "load_blocks",
    "load_seen",
    "mark_articles",
    "mark_interrupted",
    "record_aliases",
    "record_failures",
    "record_fetches",
    "record_run",
    "replace_mentions",
    "save_blocks",
    "start_run",
    "upsert_articles",
    "upsert_entities",
    "upsert_sources",
    "url_rank",
]
