"""Refuse requests to private, loopback, link-local and metadata addresses.

A crawled page (or a redirect) can point anywhere; an archive crawler must not
become a way into the machine's own network.  Every request passes here,
redirect hops included, because Scrapy re-schedules redirected requests
through the downloader middlewares.  ``ARCHIVE_ALLOW_PRIVATE = True`` (the
CLI's ``--allow-private``) lifts the guard for tests and the local demo, but
not for link-local and cloud metadata addresses (169.254.169.254): only an
exact ``ARCHIVE_ALLOW_HOSTS`` entry (``--allow-host HOST:PORT``) opens those.

Here: the scheme, literal addresses (``127.0.0.1``, ``[::1]``, ``0x7f000001``)
and ``localhost`` names.  Host names are judged where they are resolved, by
:class:`scraper.resolver.GuardedResolver` at connection time, so the address
checked is the address connected to (no DNS rebinding); its refusals come back
as a failed lookup, which this middleware reports as a refused request.  If
another resolver is installed, names are resolved and checked here instead
(the old, rebindable way) and a warning says so.
"""

from __future__ import annotations

import logging
import socket
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.utils.reactor import is_reactor_installed
from twisted.internet.error import DNSLookupError

from scraper.resolver import GuardedResolver, is_blocked_ip, is_metadata_ip, refusal_check

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")
FIRST_REFUSAL_STAT = "ssrf_first_refusal"  # text, outside the counted "ssrf/" keys
# Names that resolve to loopback without asking DNS (RFC 6761 §6.3).
LOOPBACK_NAMES = ("localhost", ".localhost")
LOOKUP_ERRORS = (CannotResolveHostError, DNSLookupError)


class PrivateAddressRefused(IgnoreRequest):
    """The request's host is, or resolves to, a non-public address."""


class SsrfGuardMiddleware:
    def __init__(self, allow_private: bool = False, stats=None, allow_hosts: list[str] | tuple[str, ...] = ()):
        self.allow_private = allow_private
        self.stats = stats
        # Exact "host:port" pairs let through (a local test fixture); nothing else private is.
        self.allow_hosts = frozenset(h.lower() for h in allow_hosts)
        self._resolver: GuardedResolver | None | bool = False  # False: not looked up yet

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
        check = refusal_check(self.allow_private, self._allowed_host(parts))
        if check is None or not parts.hostname:
            return None
        blocked = literal_blocked_address(parts.hostname, check)
        if blocked is None and self.guarded_resolver() is None:
            blocked = first_blocked_address(parts.hostname, check)
        if blocked:
            self._refuse(request, refusal_reason(parts.hostname, "is", blocked))
        return None

    def process_exception(self, request, exception):
        """A lookup the guarded resolver emptied is a refused address, not a DNS failure."""
        if not isinstance(exception, LOOKUP_ERRORS):
            return None
        resolver = self.guarded_resolver()
        host = (urlsplit(request.url).hostname or "").lower()
        address = resolver.refused.get(host) if resolver is not None else None
        if address:
            self._refuse(request, refusal_reason(host, "resolves to", address))
        return None

    def guarded_resolver(self) -> GuardedResolver | None:
        """The reactor's name resolver if it is the guarded one, else None (names are then checked here)."""
        if self._resolver is False:
            self._resolver = None
            if is_reactor_installed():
                # Imported here: importing the reactor installs one, which only Scrapy may choose.
                from twisted.internet import reactor

                if isinstance(reactor.nameResolver, GuardedResolver):
                    self._resolver = reactor.nameResolver
                else:
                    logger.warning("TWISTED_DNS_RESOLVER is not scraper.resolver.GuardedResolver: host names are "
                                   "checked before connecting only, open to DNS rebinding")
        return self._resolver

    def _allowed_host(self, parts) -> bool:
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        return f"{parts.hostname}:{port}".lower() in self.allow_hosts

    def _refuse(self, request, reason: str) -> None:
        if self.stats is not None:
            self.stats.inc_value("ssrf/refused")
            if self.stats.get_value(FIRST_REFUSAL_STAT) is None:
                self.stats.set_value(FIRST_REFUSAL_STAT, reason)  # the crawl summary says it when nothing was fetched
        logger.warning("Refused %s: %s", request.url, reason)
        raise PrivateAddressRefused(reason)


def refusal_reason(host: str, verb: str, address: str) -> str:
    """Why ``host`` was refused, and the option that would let it through."""
    if is_metadata_ip(address):
        return (f"{host} {verb} a link-local or cloud metadata address ({address}), refused even with"
                f" --allow-private; name it with --allow-host {host}:PORT to crawl it")
    return f"{host} {verb} a private address ({address}); use --allow-private to crawl it"


def literal_blocked_address(host: str, check: Callable[[str], bool] = is_blocked_ip) -> str | None:
    """The refused address ``host`` is written as (no DNS asked), else None.

    >>> [literal_blocked_address(h) for h in ("10.0.0.1", "0x7f000001", "::1", "localhost", "a.localhost", "x.org")]
    ['10.0.0.1', '127.0.0.1', '::1', '127.0.0.1', '127.0.0.1', None]
    """
    host = host.lower().rstrip(".")
    if host == LOOPBACK_NAMES[0] or host.endswith(LOOPBACK_NAMES[1]):
        return "127.0.0.1" if check("127.0.0.1") else None
    try:
        return host if check(host) else None
    except ValueError:
        pass
    try:
        # inet_aton reads the old shorthand forms (0x7f000001, 2130706433, 127.1) that connect() accepts too.
        address = socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None
    return address if check(address) else None


@lru_cache(maxsize=4096)
def first_blocked_address(host: str, check: Callable[[str], bool] = is_blocked_ip) -> str | None:
    """The first non-public address ``host`` resolves to, else None (only when the guarded resolver is not installed).

    A host that does not resolve is let through: the downloader then fails
    with a DNS error, which is counted and reported like any other.
    """
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None
    return next((info[4][0] for info in infos if check(info[4][0])), None)
