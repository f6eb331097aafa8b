"""Crawler extensions, one per module, switched on in ``EXTENSIONS``: ``progress`` (a live line on a
terminal), ``failures`` (the failures table), ``heap`` (the garbage-collector freeze, ``scraper.runtime``)."""
