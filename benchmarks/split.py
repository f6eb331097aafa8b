"""The held-out split: every public set's pages go to *dev* or *test* by site, the same in every run.

A site is a registered domain (``www.bbc.co.uk`` and ``news.bbc.co.uk`` are
``bbc.co.uk``), so no site has pages in both parts, across all the sets
together: a domain in the htmldate set and in WCXB is dev in both or test in
both.  The parts are drawn once with a fixed seed (``SEED``) and stored as
data, ``benchmarks/data/split.tsv`` (domain, part), so every run and every
machine sees the same split.  Tune on dev only; test is for reporting.

    .venv/bin/python -m benchmarks.split [--data-root DIR]    # (re)draw the stored split

Re-drawing keeps every domain already in the file where it is and places
only new domains (a set that grew), with the same seeded draw.  A domain the
file does not know (a set updated since) is placed by a seeded hash of its
name, so it is still the same in every run; the benchmarks warn about it.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import logging
import random
import sys
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.common import DEFAULT_DATA_ROOT  # noqa: E402

logger = logging.getLogger(__name__)

SPLIT_FILE = Path(__file__).resolve().parent / "data" / "split.tsv"
SEED = 14
TEST_SHARE = 0.5
PARTS = ("dev", "test")


@functools.cache
def _extractor():
    import tldextract

    # The suffix list shipped with tldextract: never fetched, the same everywhere.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def site_of(url_or_host: str) -> str:
    """The registered domain of a URL or host name.

    >>> site_of("https://news.bbc.co.uk/2/hi/world.stm")
    'bbc.co.uk'
    >>> site_of("www.Example.com")
    'example.com'
    """
    host = urlsplit(url_or_host).hostname if "://" in url_or_host else url_or_host
    host = (host or "").lower().strip(".")
    parts = _extractor()(host)
    return parts.top_domain_under_public_suffix or host


def hashed_part(site: str) -> str:
    """The part of a site the stored split does not know: a seeded hash, stable across runs."""
    digest = hashlib.blake2b(f"{SEED}|{site}".encode(), digest_size=8).digest()
    return "test" if int.from_bytes(digest, "big") / 2**64 < TEST_SHARE else "dev"


@functools.cache
def stored_split(path: Path = SPLIT_FILE) -> dict[str, str]:
    """The stored split: site → "dev" | "test"."""
    parts = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            site, part = line.split("\t")
            parts[site] = part
    return parts


_unknown_warned: set[str] = set()


def part_of(url_or_host: str) -> str:
    """"dev" or "test" for the page's site."""
    site = site_of(url_or_host)
    part = stored_split().get(site)
    if part is None:
        if site not in _unknown_warned:
            _unknown_warned.add(site)
            logger.warning("site %s is not in %s; placed by its hash", site, SPLIT_FILE.name)
        part = hashed_part(site)
    return part


def all_sites(data_root: Path) -> set[str]:
    """The sites of every page of the three public sets under ``data_root`` (those present)."""
    sites: set[str] = set()
    aeb = data_root / "article-extraction-benchmark" / "ground-truth.json"
    if aeb.exists():
        sites |= {site_of(r["url"]) for r in json.loads(aeb.read_text(encoding="utf-8")).values()}
    labels = data_root / "htmldate-eval" / "labels.json"
    if labels.exists():
        sites |= {site_of(url) for url in json.loads(labels.read_text(encoding="utf-8"))}
    wcxb = data_root / "wcxb-dev" / "pages.tsv"
    if wcxb.exists():
        for line in wcxb.read_text(encoding="utf-8").splitlines()[1:]:
            page_id, _, domain, url = line.split("\t")
            sites.add(wcxb_site(page_id, domain, url))
    return sites


def wcxb_site(page_id: str, domain: str | None, url: str | None) -> str:
    """A WCXB page's site; the three pages without an address are each a site of their own."""
    if url or domain:
        return site_of(url or domain)
    return f"wcxb-{page_id}"


def draw(sites: set[str], known: dict[str, str]) -> dict[str, str]:
    """Place every new site: the sorted new sites shuffled with ``SEED``, the first ``TEST_SHARE`` to test."""
    new = sorted(sites - set(known))
    random.Random(SEED).shuffle(new)
    cut = round(len(new) * TEST_SHARE)
    return known | {site: "test" for site in new[:cut]} | {site: "dev" for site in new[cut:]}


def write_split(parts: dict[str, str], path: Path = SPLIT_FILE) -> None:
    lines = [f"# site\tpart (drawn by benchmarks/split.py, seed {SEED}; do not edit by hand)"]
    lines += [f"{site}\t{parts[site]}" for site in sorted(parts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    known = stored_split() if SPLIT_FILE.exists() else {}
    parts = draw(all_sites(args.data_root), known)
    write_split(parts)
    counts = {part: sum(value == part for value in parts.values()) for part in PARTS}
    logger.info("%d sites (%s) written to %s", len(parts), ", ".join(f"{k} {v}" for k, v in counts.items()), SPLIT_FILE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
