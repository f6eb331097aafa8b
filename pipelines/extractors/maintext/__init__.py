"""The article's main text, without the site around it.

Four stages, one module each, every one a few small functions over a private
copy of ``<body>``:

1. *strip* (``strip``): remove elements that are never article
   text, by tag, by hidden-ness, and by class/id/role patterns (a menu,
   aside or page header left open, which the parser made the page's
   wrapper, stays);
2. *score* (``score``): a readability-like vote of the
   paragraphs for their containers, weighed by links, class, list-likeness
   and closeness to the headline (found before the stripping too, since its
   block often goes with a page's header);
3. *select* (``select``): the best container plus siblings that
   scored nearly as well, and the article's other chunks (same tag and class,
   modifiers such as ``block-text_initial-letter`` aside);
4. *render* (``render``): paragraphs separated by blank lines,
   without link-dense blocks, phone numbers, form messages and other
   boilerplate lines.

``extract`` runs them in order (``extract_main_text``); ``dom`` holds the
small measures every stage uses (text, links, ancestry); ``body`` picks the
article body from the best signal the page offers (the source's selector,
the generic extraction or trafilatura's, JSON-LD ``articleBody``); ``peer``
asks trafilatura when our text looks short of the article and keeps the
longer of the two; ``teasers`` takes out runs of cards that tease the site's
other pages ("Most read") before the search.  ``prepared_body`` (the page
without menus, sidebars and hidden parts), ``card_kind``, ``links_within``,
``site_host`` and ``text_length`` are public for the page-kind decision.  Public names are imported
from ``pipelines.extractors.maintext``.  Patterns are module-level
constants, from specific to generic.  The caller's tree is never modified.

May import: ``pipelines.extractors.title``, ``scraper.decode``, ``scraper.sources``.
"""

from pipelines.extractors.maintext.body import Body, extract_body
from pipelines.extractors.maintext.extract import (
    MainText,
    extract_main_text,
    main_text_of,
    page_link_density,
)
from pipelines.extractors.maintext.render import is_boilerplate_line, strip_phones
from pipelines.extractors.maintext.strip import prepared_body
from pipelines.extractors.maintext.dom import text_length
from pipelines.extractors.maintext.teasers import card_kind, links_within, site_host

__all__ = [
    "Body",
    "card_kind",
    "MainText",
    "extract_body",
    "extract_main_text",
    "is_boilerplate_line",
    "links_within",
    "main_text_of",
    "page_link_density",
    "prepared_body",
    "site_host",
    "strip_phones",
    "text_length",
]
