"""Pure extraction functions: HTML or text in, plain values out; no Scrapy, no database.

* ``maintext`` – the article's main text (strip, score, select, render) and
  the body from the best signal;
* ``title`` – the headline, not the site's or the section's name;
* ``canonical`` – one URL per article;
* ``boilerplate`` – blocks that recur on many pages of one source;
* ``dates`` – the publication date cascade;
* ``language`` – Russian, English or other;
* ``entities`` – people, organisations, places and the dates a text names;
* ``pagekind`` – article or listing, from what the page declares, its address and its structure;
* ``relevance`` – whether a page is an article about INO Tomsk.

Each function returns ``None`` (or an empty list) when nothing matches.
May import: ``archive.knowledge``, ``scraper.decode``, ``scraper.sources``,
``scraper.items``, ``scraper.runtime``.
"""
