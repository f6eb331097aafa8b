"""DNS rebinding: the address checked is the address connected to, for every connection."""

from __future__ import annotations

import json

import pytest
from fault_crawl import query
from helpers import run_cli
from mockserver import MockServer
from twisted.internet.address import IPv4Address

from scraper.resolver import GuardedResolver

REBINDING = "rebind.test"
PUBLIC = "93.184.216.34"


class NoDns:
    """Stands for the system resolver: any query reaching it is a test failure (nothing may leave the machine)."""

    def resolveHostName(self, receiver, host_name, *args, **kwargs):  # noqa: N802 (Twisted's interface)
        raise AssertionError(f"real DNS asked for {host_name}")


class TwoAnswers:
    """A system resolver answering one public and one private address for every name."""

    def resolveHostName(self, receiver, host_name, port=0, *args, **kwargs):  # noqa: N802
        receiver.resolutionBegan(None)
        receiver.addressResolved(IPv4Address("TCP", PUBLIC, port))
        receiver.addressResolved(IPv4Address("TCP", "10.0.0.7", port))
        receiver.resolutionComplete()
        return receiver


class Reactor:
    def __init__(self, resolver) -> None:
        self.nameResolver = resolver


class Addresses:
    """Collects what the connection would be made to."""

    def __init__(self) -> None:
        self.hosts: list[str] = []
        self.complete = False

    def resolutionBegan(self, resolution):  # noqa: N802
        pass

    def addressResolved(self, address):  # noqa: N802
        self.hosts.append(address.host)

    def resolutionComplete(self):  # noqa: N802
        self.complete = True


def resolve(resolver: GuardedResolver, name: str = REBINDING, port: int = 80) -> list[str]:
    receiver = Addresses()
    resolver.resolveHostName(receiver, name, port)
    assert receiver.complete
    return receiver.hosts


def test_a_name_turning_private_on_the_next_lookup_gets_no_address():
    resolver = GuardedResolver(Reactor(NoDns()), fixed_hosts={REBINDING: [PUBLIC, "127.0.0.1"]})
    assert resolve(resolver) == [PUBLIC]
    assert resolve(resolver) == []
    assert resolver.refused[REBINDING] == "127.0.0.1"


def test_private_answers_are_dropped_from_a_mixed_answer():
    resolver = GuardedResolver(Reactor(TwoAnswers()))
    assert resolve(resolver, "mixed.example") == [PUBLIC]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "fd00::1", "::ffff:127.0.0.1"])
def test_every_kind_of_private_answer_is_refused(address):
    resolver = GuardedResolver(Reactor(NoDns()), fixed_hosts={REBINDING: address})
    assert resolve(resolver) == []


def test_allow_private_and_the_exact_allowed_host_get_private_answers():
    fixed = {REBINDING: "127.0.0.1"}
    assert resolve(GuardedResolver(Reactor(NoDns()), allow_private=True, fixed_hosts=fixed)) == ["127.0.0.1"]
    allowed = GuardedResolver(Reactor(NoDns()), allow_hosts=[f"{REBINDING}:8080"], fixed_hosts=fixed)
    assert resolve(allowed, port=8080) == ["127.0.0.1"]
    assert resolve(allowed, port=8081) == []


def _rebinding_crawl(server, db, *extra):
    """A crawl of the mock site under a name whose fixed DNS answer is the server's loopback address."""
    hosts = json.dumps({REBINDING: "127.0.0.1"})
    return run_cli("crawl", "--url", f"http://{REBINDING}:{server.port}/etag/", "--db", str(db),
                   "-s", f"ARCHIVE_RESOLVER_HOSTS={hosts}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                   *extra, timeout=120)


def test_a_name_resolving_to_loopback_is_never_connected_to(tmp_path):
    db = tmp_path / "archive.sqlite3"
    with MockServer(seed=7) as server:
        result = _rebinding_crawl(server, db)
        asked = [path for path in server.get_json("/__hits")["times"] if path != "/__hits"]
    assert asked == []
    assert result.returncode == 3, result.stderr
    assert "ssrf/refused" in result.stdout
    reasons = [r for (r,) in query(db, f"SELECT reason FROM failures WHERE url LIKE 'http://{REBINDING}:%'")]
    assert reasons and "resolves to a private address (127.0.0.1)" in reasons[0]


def test_a_name_resolving_to_loopback_is_crawled_with_allow_private(tmp_path):
    db = tmp_path / "archive.sqlite3"
    with MockServer(seed=7) as server:
        result = _rebinding_crawl(server, db, "--allow-private")
    assert result.returncode == 0, result.stderr
    stored = [url for (url,) in query(db, "SELECT url FROM articles")]
    assert stored and all(url.startswith(f"http://{REBINDING}:{server.port}/etag/") for url in stored)


# --- issue 16, item 13: --allow-private keeps link-local and cloud metadata addresses refused -----


@pytest.mark.parametrize("address", ["169.254.169.254", "fe80::1", "fd00:ec2::254", "::ffff:169.254.169.254"])
def test_allow_private_still_refuses_link_local_and_metadata_answers(address):
    fixed = {REBINDING: address}
    assert resolve(GuardedResolver(Reactor(NoDns()), allow_private=True, fixed_hosts=fixed)) == []
    named = GuardedResolver(Reactor(NoDns()), allow_private=True, allow_hosts=[f"{REBINDING}:80"], fixed_hosts=fixed)
    assert resolve(named) == [address]


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://100.100.100.200/"])
def test_allow_private_does_not_open_a_literal_metadata_address(url):
    from scrapy import Request

    from scraper.downloadermiddlewares.ssrf import PrivateAddressRefused, SsrfGuardMiddleware

    with pytest.raises(PrivateAddressRefused, match="refused even with --allow-private; name it with --allow-host"):
        SsrfGuardMiddleware(allow_private=True).process_request(Request(url))
    port = 80
    host = url.split("/")[2].strip("[]")
    assert SsrfGuardMiddleware(allow_private=True, allow_hosts=[f"{host}:{port}"]).process_request(Request(url)) is None
    assert SsrfGuardMiddleware(allow_private=True).process_request(Request("http://10.0.0.1/")) is None


def test_crawl_of_a_metadata_name_with_allow_private_is_refused_and_says_how(tmp_path):
    db = tmp_path / "archive.sqlite3"
    hosts = json.dumps({"metadata.test": "169.254.169.254"})
    result = run_cli("crawl", "--url", "http://metadata.test/latest/", "--db", str(db), "--allow-private",
                     "-s", f"ARCHIVE_RESOLVER_HOSTS={hosts}", "-s", "DOWNLOAD_DELAY=0", timeout=120)
    assert result.returncode == 3
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: nothing could be fetched: metadata.test resolves to a link-local or cloud metadata address"
        " (169.254.169.254), refused even with --allow-private; name it with --allow-host metadata.test:PORT to crawl it"
    )
