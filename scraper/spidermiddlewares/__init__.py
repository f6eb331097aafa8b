"""Spider middlewares of ino-archive (switched on in ``SPIDER_MIDDLEWARES``)."""
