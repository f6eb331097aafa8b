"""Publication dates after a "published" label: "Datum:", "Veröffentlicht am", "Опубликовано".

Never after "Updated:" or "Stand:", which name a later change.  The answer is
counted under the element that holds the date: "time" or "marked" when the
label only chose a ``<time>`` or date-marked element, else "label".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lxml import etree

from pipelines.extractors.dates.page import PublishedDate
from pipelines.extractors.dates.parse import counts_from_fetch, parse_date_text, parse_machine_date
from pipelines.extractors.dates.visible import SHORT_TEXT
from pipelines.extractors.dates.zones import ZoneCache, is_date_marked

if TYPE_CHECKING:
    from datetime import date

    from pipelines.extractors.dates.page import Page

PUBLISHED_LABEL = re.compile(
    r"(?<![^\W\d_])(?:published(?:\s+on)?|posted(?:\s+on)?|publication\s+date|date\s+published|datum"
    r"|ver(?:ö|oe)ffentlicht(?:\s+am)?|ver(?:ö|oe)ffentlichung|erschienen(?:\s+am)?|erstellt(?:\s+am)?"
    r"|опубликовано|дата\s+публикации|дата|publié\s+le|mis\s+en\s+ligne(?:\s+le)?|mise\s+en\s+ligne"
    r"|publicado(?:\s+el)?|pubblicato(?:\s+il)?"
    r"|gepubliceerd(?:\s+op)?|opublikowano)(?![^\W\d_])\s*:?",
    re.IGNORECASE,
)
# Body texts: plain strings to scan quickly, the same texts as nodes once a label is seen.
BODY_STRINGS = etree.XPath("//body//text()[normalize-space()]", smart_strings=False)
BODY_TEXTS = etree.XPath("//body//text()[normalize-space()]", smart_strings=True)
# A label's date is in its own text or in the next few text nodes; the
# element holding it (or its parent) names the signal counted.
LABEL_REACH = 2
LABEL_HOLDER_LEVELS = 2


def from_label(page: Page) -> PublishedDate | None:
    """A date right after a "published" label, anywhere outside the excluded zones."""
    return _labelled(page, page.zones)


def _labelled(page: Page, zones: ZoneCache) -> PublishedDate | None:
    strings = BODY_STRINGS(page.tree)
    texts = None
    for index, string in enumerate(strings):
        # (Template indentation does not make a text long.)
        if (len(string) > SHORT_TEXT and len(string.strip()) > SHORT_TEXT) or (
            match := PUBLISHED_LABEL.search(string)
        ) is None:
            continue
        texts = texts if texts is not None else BODY_TEXTS(page.tree)
        text = texts[index]
        parent = text.getparent()
        if parent is None or zones.excluded(parent):
            continue
        following = [(string[match.end():], text)]
        following += [(node, node) for node in texts[index + 1 : index + 1 + LABEL_REACH]]
        for candidate, node in following:
            if (found := _shown_or_machine(page, candidate, node)) is not None:
                return PublishedDate(found, _holder_signal(node))
    return None


def _shown_or_machine(page: Page, text: str, node: Any) -> date | None:
    """The day a labelled text shows; when it is counted from the fetch time ("a day ago"), the day of the
    ``<time datetime>`` holding it, which does not depend on when the page was read."""
    shown = parse_date_text(text, page.today, yearless=False)
    if shown is None or not counts_from_fetch(text, page.today):
        return shown
    return _machine_date(page, node) or shown


def _machine_date(page: Page, text: Any) -> date | None:
    """The machine date of the ``<time datetime>`` holding a labelled text, if any."""
    value = next((element.get("datetime") for element in _holders(text)
                  if element.tag == "time" and element.get("datetime")), None)
    return parse_machine_date(value, page.today, page.zone) if value else None


def _holders(text: Any) -> list[Any]:
    """The element holding a text node and its ancestors, ``LABEL_HOLDER_LEVELS`` of them at most."""
    holder = text.getparent()
    if holder is not None and text.is_tail:
        holder = holder.getparent()
    return [holder, *holder.iterancestors()][:LABEL_HOLDER_LEVELS] if holder is not None else []


def _holder_signal(text: Any) -> str:
    """The signal named after the element holding a labelled date (a text node)."""
    for element in _holders(text):
        if element.tag == "time":
            return "time"
        if is_date_marked(element):
            return "marked"
    return "label"
