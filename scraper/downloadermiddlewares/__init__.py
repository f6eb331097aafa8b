"""Downloader middlewares, one per module, switched on and ordered in ``DOWNLOADER_MIDDLEWARES``.

``ssrf`` (50) refuses private addresses, ``retryafter`` (560) waits out
``Retry-After``, ``incremental`` (580) asks for known articles conditionally
and records every fetch, ``warc`` (585, 610) keeps every response as WARC.
"""
