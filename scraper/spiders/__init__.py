"""The spiders: ``news``, the one config-driven spider (listings, pagination, sitemaps, feeds → one item per page)."""
