"""The publication date of an article page.

``find_published`` tries one small function per signal, from the most trusted
to the least (``SIGNALS``): JSON-LD ``datePublished``, specific ``<meta>`` tags,
a date after a "published" label ("Datum:", "Veröffentlicht am",
"Опубликовано"), ``<time>`` and similar machine-readable elements (one element
marked ``pubdate``/``datePublished`` page-wide first), a visible date near the
headline, a bare ``<meta name="date">`` (often the CMS's last change), the
URL, the lead image's URL, the page data in scripts, the first date-marked
element of the page, a dateline or byline right after the headline, the
page title, and last a year-less date near
the headline (often a deadline when the page is dated elsewhere).  Each
returns ``None`` when nothing matches, so the cascade moves on; when none
answers, htmldate (extensive search, on a copy of the page without what
this cascade refuses: ``peer``) is asked, and it also settles a JSON-LD/meta
disagreement the page does not show.  A timestamp with its own offset keeps the day it was written
with; a UTC one is dated in the source's zone (``zone``; none: as written).
The fetch time bounds every date and anchors relative ones ("вчера",
"3 hours ago").
When JSON-LD and ``article:published_time`` disagree, the date the page shows
settles it (one of them was rewritten; neither is right more often).
A complete date in the URL is the site's own local date: it overrides a
machine timestamp that is one day off (a time zone shift; not when the page
shows the timestamp's day) or a year-less visible date given the wrong year;
so does the date shown near the headline over a JSON-LD or meta timestamp
in UTC one day off it (not a date shown as an update).

Modules (public names are imported from ``pipelines.extractors.dates``):

* ``cascade`` – ``find_published``: the signals in order, and the rules that
  settle disagreements between them;
* ``structured`` (JSON-LD, meta, scripts), ``label`` ("published" labels),
  ``time_elements`` (``<time>``, ``itemprop``), ``visible`` (near the headline,
  marked elements, title) and ``url`` – the signals, by kind;
* ``page`` – the page they read and the answer they return;
* ``peer`` – htmldate as the last signal, on a copy of the page without what the cascade refuses;
* ``zones`` – page areas a date may and may not come from;
* ``parse`` – dates written as text or machine values; ``months`` – month
  names in the sources' languages;
* ``stamp`` – a paragraph of the main text that is only the page's date stamp (the text stage drops it).
Dates never come from sidebars, comment threads, widgets or site footers (see
``zones``), never from ``dateModified`` or HTTP headers, and never from
the article body, whose dates are usually event dates (only a dateline that
opens it counts).  Text is read by ``parse.parse_date_text``.
The tree is only read, never changed: it may be the spider's shared tree.

May import: ``scraper.sources`` (selectors).
"""

from pipelines.extractors.dates.cascade import find_published
from pipelines.extractors.dates.months import month_number
from pipelines.extractors.dates.page import PublishedDate
from pipelines.extractors.dates.parse import TOMSK_TZ, parse_date_text
from pipelines.extractors.dates.stamp import is_date_stamp, without_date_stamps

__all__ = [
    "TOMSK_TZ", "PublishedDate", "find_published", "is_date_stamp", "month_number", "parse_date_text",
    "without_date_stamps",
]
