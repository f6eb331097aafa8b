"""The held-out split of the public evaluation sets (benchmarks/split.py, benchmarks/data/split.tsv)."""

from __future__ import annotations

from benchmarks.factrueval import Text
from benchmarks.factrueval import parts as factrueval_parts
from benchmarks.split import SPLIT_FILE, draw, hashed_part, part_of, site_of, stored_split


def test_every_site_is_in_one_part_only():
    lines = [line.split("\t") for line in SPLIT_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    sites = [site for site, _ in lines]
    assert len(sites) == len(set(sites))
    assert {part for _, part in lines} == {"dev", "test"}


def test_drawing_again_keeps_the_stored_split_and_places_a_new_site_the_same_way_twice():
    known = stored_split()
    assert draw(set(known), known) == known
    grown = {*known, "new-site.example"}
    assert draw(grown, known) == draw(grown, known)


def test_pages_of_one_site_share_a_part_whatever_their_host():
    assert site_of("https://news.bbc.co.uk/a") == site_of("https://www.bbc.co.uk/b") == "bbc.co.uk"
    assert part_of("https://news.bbc.co.uk/a") == part_of("https://www.bbc.co.uk/b")


def test_an_unknown_site_is_placed_by_its_seeded_hash():
    assert part_of("https://never-seen.example/a") == hashed_part("never-seen.example")


def test_factrueval_texts_fall_in_two_halves_the_same_way_whatever_their_order():
    texts = [Text(f"book_{n}", "", ()) for n in range(1, 123)]
    halves = factrueval_parts(texts)
    again = factrueval_parts(list(reversed(texts)))
    assert {t.name for t in halves["dev"]} == {t.name for t in again["dev"]}
    assert not {t.name for t in halves["dev"]} & {t.name for t in halves["test"]}
    assert (len(halves["dev"]), len(halves["test"])) == (61, 61)
