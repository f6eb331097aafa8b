"""From a response's bytes to text and to a parsed tree, the same for the spider and every stage.

* ``charset`` – decode page bytes: BOM, then the HTTP header, then the meta
  charset, then Cyrillic-aware detection (old CMSs serve windows-1251);
* ``mojibake`` – find and repair UTF-8 Russian read as a single-byte code page;
* ``tree`` – parse text into an lxml tree once per page (``page_tree``) or
  afresh (``parse_html``).
* ``plain`` – an article saved as plain text (no markup) as a page: a
  paragraph per line, the headline and the lines above it found.

Imports nothing else of ino-archive.
"""

from scraper.decode.charset import Decoded, decode_body
from scraper.decode.mojibake import repair_mojibake
from scraper.decode.plain import is_plain_text, plain_text_page
from scraper.decode.tree import page_tree, parse_html

__all__ = ["Decoded", "decode_body", "is_plain_text", "page_tree", "parse_html", "plain_text_page", "repair_mojibake"]
