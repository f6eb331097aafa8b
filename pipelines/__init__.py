"""Extract: Scrapy item pipelines, one stage per module, ordered by ``ITEM_PIPELINES`` in settings.

``text`` (100), ``language`` (200), ``dates`` (300), ``entities`` (400),
``relevance`` (500), ``dedup`` (600), ``entities_archive`` (650), ``store``
(700); ``guard`` records a stage's error on the item, ``exceptions`` names
the reasons a page is dropped.  The pure extraction functions the stages
call live in ``pipelines.extractors`` (no Scrapy, no database), so the
offline ``extract``, ``reprocess`` and the benchmarks run the same code.

May import: ``scraper`` (the item, the sources' rules, decoding) and
``archive`` (to store and to read what was learned).
"""
