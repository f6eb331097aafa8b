"""Fetch: the Scrapy project (``scrapy crawl news`` works from the repository root), and the runs that drive it.

* ``settings`` – the project settings: components, their order, the defaults;
* ``items`` – ``ArticleItem``, the dataclass that flows from the spider through
  every pipeline to the store;
* ``sources`` (+ ``sources.toml``) – the configured sites and their rules;
* ``spiders`` – the one config-driven spider (``news``);
* ``decode`` – bytes → text → tree, shared with the stages;
* ``downloadermiddlewares``, ``spidermiddlewares``, ``extensions`` – Scrapy
  components, one per module, switched on in ``settings``;
* ``distributed`` – several workers on one Redis frontier;
* ``resolver`` – the DNS resolver that refuses private addresses;
* ``runtime`` – process tuning during a crawl (garbage collector freeze);
* ``run`` – crawl, demo, extract, reprocess, import: the code that runs
  Scrapy and the pipelines, called by the command line.

May import: ``archive`` (the library, to record fetches and raw captures).
Never ``pipelines``: settings name them, Scrapy loads them.
"""
