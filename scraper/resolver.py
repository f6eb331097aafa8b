"""The DNS resolver every connection goes through: non-public answers are refused unless allowed.

Checking a host name in a middleware and connecting later resolves the name
twice, and a hostile name can answer a public address to the check and a
private one to the connection (DNS rebinding).  Installed as Scrapy's
``TWISTED_DNS_RESOLVER``, :class:`GuardedResolver` is the reactor's name
resolver, so the addresses it hands out are the only ones any connection is
made to, redirect hops and retries included.  Private, loopback, link-local
and cloud-metadata answers are dropped; a name left with no address fails to
resolve (``CannotResolveHostError``), which
:class:`~scraper.downloadermiddlewares.ssrf.SsrfGuardMiddleware` turns into a
refused request with its reason.  The lookups themselves are Scrapy's default
(``CachingThreadedResolver``: IPv4, ``DNS_TIMEOUT``, ``DNSCACHE_*``); cached or
fresh, every answer is checked.

``ARCHIVE_ALLOW_PRIVATE`` lifts the guard; ``ARCHIVE_ALLOW_HOSTS`` (exact
``host:port``) lets one local fixture through.  ``ARCHIVE_RESOLVER_HOSTS``
maps names to fixed answers instead of asking DNS (a list answers its entries
in turn, one per lookup, the last one repeating) so tests can play a
rebinding name without any query leaving the machine.
"""

from __future__ import annotations

import ipaddress
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from scrapy.resolver import CachingThreadedResolver, HostResolution
from twisted.internet._resolver import SimpleResolverComplexifier
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import (
    IHostnameResolver,
    IHostResolution,
    IResolutionReceiver,
)
from zope.interface import implementer, provider

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from twisted.internet.interfaces import IAddress

logger = logging.getLogger(__name__)

# Names refused lately, with the address that got them refused (read by the SSRF middleware for its reason).
REFUSED_MEMORY = 1000


def parsed_ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """``address`` as an IP address: an IPv6 zone (``%eth0``) dropped, an IPv4-mapped IPv6 address as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def is_blocked_ip(address: str) -> bool:
    """True for any address that is not globally routable.

    >>> [is_blocked_ip(a) for a in ("127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "93.184.216.34")]
    [True, True, True, True, False]
    """
    ip = parsed_ip(address)
    return not ip.is_global or ip.is_multicast


# Cloud metadata services: reachable from a VM, and a classic SSRF prize.  --allow-private (for local
# fixtures) does not open them; only an exact ARCHIVE_ALLOW_HOSTS entry (--allow-host) does.
METADATA_ADDRESSES = frozenset({"100.100.100.200", "fd00:ec2::254"})


def is_metadata_ip(address: str) -> bool:
    """True for link-local addresses (169.254.0.0/16, fe80::/10) and the known metadata services.

    >>> [is_metadata_ip(a) for a in ("169.254.169.254", "fe80::1", "fd00:ec2::254", "127.0.0.1", "10.0.0.1")]
    [True, True, True, False, False]
    """
    ip = parsed_ip(address)
    return ip.is_link_local or str(ip) in METADATA_ADDRESSES


def refusal_check(allow_private: bool, allowed_host: bool) -> Callable[[str], bool] | None:
    """Which addresses to refuse: none for an allowed host, metadata ones with --allow-private, else every non-public one."""
    if allowed_host:
        return None
    return is_metadata_ip if allow_private else is_blocked_ip


@implementer(IHostnameResolver)
class GuardedResolver:
    def __init__(
        self,
        reactor: Any,
        allow_private: bool = False,
        allow_hosts: Sequence[str] = (),
        fixed_hosts: dict[str, str | list[str]] | None = None,
        backend: IHostnameResolver | None = None,
    ) -> None:
        self.reactor = reactor
        # Who really asks DNS; every answer it gives, cached or fresh, is checked here.
        self.backend: IHostnameResolver = backend or reactor.nameResolver
        self.allow_private = allow_private
        self.allow_hosts = frozenset(h.lower() for h in allow_hosts)
        self.fixed_hosts = {ascii_host(name): _as_list(answers) for name, answers in (fixed_hosts or {}).items()}
        self._fixed_calls: dict[str, int] = {}
        self.refused: OrderedDict[str, str] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        # Scrapy builds the resolver with the CrawlerProcess (settings only, no stats).
        settings = crawler.settings
        return cls(
            reactor,
            allow_private=settings.getbool("ARCHIVE_ALLOW_PRIVATE"),
            allow_hosts=settings.getlist("ARCHIVE_ALLOW_HOSTS"),
            fixed_hosts=settings.getdict("ARCHIVE_RESOLVER_HOSTS"),
            # Scrapy's default lookups underneath: DNS_TIMEOUT, DNSCACHE_*, a failed lookup fails (never hangs).
            backend=SimpleResolverComplexifier(CachingThreadedResolver.from_crawler(crawler, reactor)),
        )

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(  # noqa: N802 (Twisted's interface)
        self,
        resolutionReceiver: IResolutionReceiver,  # noqa: N803
        hostName: str,  # noqa: N803
        portNumber: int = 0,  # noqa: N803
        addressTypes: Sequence[type[IAddress]] | None = None,  # noqa: N803
        transportSemantics: str = "TCP",  # noqa: N803
    ) -> IHostResolution:
        name = ascii_host(hostName)
        check = refusal_check(self.allow_private, f"{name}:{portNumber}" in self.allow_hosts)
        receiver = _CheckingReceiver(self, resolutionReceiver, name, check)
        if name in self.fixed_hosts:
            return _answer(receiver, hostName, [_address(self._next_fixed(name), portNumber)])
        return self.backend.resolveHostName(receiver, hostName, portNumber, addressTypes, transportSemantics)

    def _next_fixed(self, name: str) -> str:
        answers = self.fixed_hosts[name]
        call = self._fixed_calls.get(name, 0)
        self._fixed_calls[name] = call + 1
        return answers[min(call, len(answers) - 1)]

    def _resolved(self, name: str, kept: list[IAddress], refused: list[str]) -> None:
        if refused:
            self.refused[name] = refused[0]
            self.refused.move_to_end(name)
            while len(self.refused) > REFUSED_MEMORY:
                self.refused.popitem(last=False)
            logger.warning("DNS answer for %s refused: %s is not a public address", name, ", ".join(refused))
        elif kept:
            self.refused.pop(name, None)


@provider(IResolutionReceiver)
class _CheckingReceiver:
    """Passes on the public answers only; remembers what it dropped."""

    def __init__(
        self, resolver: GuardedResolver, receiver: IResolutionReceiver, name: str, check: Callable[[str], bool] | None
    ) -> None:
        self.resolver = resolver
        self.receiver = receiver
        self.name = name
        self.check = check
        self.kept: list[IAddress] = []
        self.refused: list[str] = []

    def resolutionBegan(self, resolution: IHostResolution) -> None:  # noqa: N802
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:  # noqa: N802
        host = getattr(address, "host", "")
        if self.check is not None and self.check(host):
            self.refused.append(host)
            return
        self.kept.append(address)
        self.receiver.addressResolved(address)

    def resolutionComplete(self) -> None:  # noqa: N802
        # A name with one public and one private answer keeps the public one only: connected to, never the other.
        self.resolver._resolved(self.name, self.kept, self.refused)
        self.receiver.resolutionComplete()


def ascii_host(name: str) -> str:
    """The host name as URLs carry it (IDNA, lower case): Twisted hands over internationalised names decoded.

    >>> ascii_host("Пример.рф"), ascii_host("X.org")
    ('xn--e1afmkfd.xn--p1ai', 'x.org')
    """
    try:
        return name.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return name.lower()


def _answer(receiver: IResolutionReceiver, host_name: str, addresses: list[IAddress]) -> IResolutionReceiver:
    receiver.resolutionBegan(HostResolution(host_name))
    for address in addresses:
        receiver.addressResolved(address)
    receiver.resolutionComplete()
    return receiver


def _address(host: str, port: int) -> IAddress:
    return IPv6Address("TCP", host, port) if ":" in host else IPv4Address("TCP", host, port)


def _as_list(answers: str | list[str]) -> list[str]:
    return [answers] if isinstance(answers, str) else list(answers)
