"""Refuse requests to private, loopback, link-local and metadata addresses.

A crawled page (or a redirect) can point anywhere; an archive crawler must not
become a way into the machine's own network.  Every request passes here,
redirect hops included, because Scrapy re-schedules redirected requests
through the downloader middlewares.  ``ARCHIVE_ALLOW_PRIVATE = True`` (the
CLI's ``--allow-private``) lifts the guard for tests and the local demo.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")


class PrivateAddressRefused(IgnoreRequest):
    """The request's host is, or resolves to, a non-public address."""


class SsrfGuardMiddleware:
    def __init__(self, allow_private: bool = False, stats=None, allow_hosts: list[str] | tuple[str, ...] = ()):
        self.allow_private = allow_private
        self.stats = stats
        # Exact "host:port" pairs let through (a local test fixture); nothing else private is.
        self.allow_hosts = frozenset(h.lower() for h in allow_hosts)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            allow_private=settings.getbool("ARCHIVE_ALLOW_PRIVATE"),
            stats=crawler.stats,
            allow_hosts=settings.getlist("ARCHIVE_ALLOW_HOSTS"),
        )

    def process_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme not in ALLOWED_SCHEMES:
            self._refuse(request, f"scheme {parts.scheme!r} is not http or https")
        if self.allow_private or not parts.hostname or self._allowed_host(parts):
            return None
        blocked = first_blocked_address(parts.hostname)
        if blocked:
            self._refuse(request, f"{parts.hostname} is a private address ({blocked}); use --allow-private to crawl it")
        return None

    def _allowed_host(self, parts) -> bool:
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        return f"{parts.hostname}:{port}".lower() in self.allow_hosts

    def _refuse(self, request, reason: str) -> None:
        if self.stats is not None:
            self.stats.inc_value("ssrf/refused")
        logger.warning("Refused %s: %s", request.url, reason)
        raise PrivateAddressRefused(reason)


def is_blocked_ip(address: str) -> bool:
    """True for any address that is not globally routable.

    >>> [is_blocked_ip(a) for a in ("127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "93.184.216.34")]
    [True, True, True, True, False]
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


@lru_cache(maxsize=4096)
def first_blocked_address(host: str) -> str | None:
    """The first non-public address ``host`` is or resolves to, else None.

    A host that does not resolve is let through: the downloader then fails
    with a DNS error, which is counted and reported like any other.
    """
    try:
        return host if is_blocked_ip(host) else None
    except ValueError:
        pass  # not a literal address: resolve it
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None
    return next((info[4][0] for info in infos if is_blocked_ip(info[4][0])), None)
