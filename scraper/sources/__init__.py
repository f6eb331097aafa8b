"""The sources config (``scraper/sources.toml``) and the rules it gives each source.

* ``config`` – load the config; a ``Source`` knows its start URLs, allowed
  hosts, which URLs are articles and which are listings;
* ``selectors`` – a source's CSS/XPath selectors for title, date and body,
  compiled once and applied by the text and date stages, and its time zone
  (``timezone``: UTC timestamps on its pages are dated in it).

The spider asks a ``Source``, it never decides; the stages read the compiled
selectors (``load_source_rules``).  Imports nothing else of ino-archive.
"""

from scraper.sources.config import (
    Source,
    SourceError,
    adhoc_source,
    load_source_rules,
    load_sources,
    select_sources,
    zone_named,
)
from scraper.sources.selectors import (
    NO_RULES,
    SelectorError,
    SourceRules,
    compile_rules,
    compile_selector,
    select_elements,
    select_text,
)

__all__ = [
    "NO_RULES",
    "SelectorError",
    "Source",
    "SourceError",
    "SourceRules",
    "adhoc_source",
    "compile_rules",
    "compile_selector",
    "load_source_rules",
    "load_sources",
    "select_elements",
    "select_sources",
    "select_text",
    "zone_named",
]
