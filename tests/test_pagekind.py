"""Page kind (issue 14): what a crawl keeps as an article and drops as a listing, one fixture page per signal.

Each page goes through what ``ino-archive extract FILE --url URL`` runs; a
dropped listing says so in ``dropped``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.run import PageInput, extract_pages

PAGES = Path(__file__).parent / "pages"


def extracted(name: str, url: str) -> dict:
    """The record `ino-archive extract tests/pages/NAME.html --url URL` prints."""
    return next(extract_pages([PageInput(str(PAGES / f"{name}.html"), url)]))


@pytest.mark.parametrize(("page", "url"), [
    # Eight product cards, each with its name, price and "Add to cart"; the address reads like an article's.
    pytest.param("kind_shop_grid", "https://shop.example.org/kitchen-and-home-goods-from-tomsk", id="shop grid"),
    # A shop's category: two paragraphs about the goods above six priced items and a "Price, low to high" sort.
    pytest.param("kind_catalog_sorted_by_price", "https://wood.example.org/kitchenware", id="sorted by price"),
    # A podcast's episode list: a one-line intro, then eight episodes, each linking to its own page on the site with
    # two long paragraphs of description.  Those paragraphs are the teasers' text, not an article's.
    pytest.param("kind_episode_list", "https://podcasts.example.org/shows/tomsk-science-weekly", id="episode list"),
])
def test_a_listing_is_dropped_whatever_its_address_or_paragraphs_say(page, url):
    record = extracted(page, url)
    assert record["dropped"] == f"ListingPage: listing page, followed but not stored: {url}"


def test_a_single_post_with_many_comments_is_kept():
    # Four paragraphs of a post, then twelve comments, each with its author's link, a date and a reply link.
    record = extracted("kind_post_with_comments", "https://blog.example.org/lab-opens")
    assert record["dropped"] is None
    assert record["text"].startswith("The pharmaceutical cluster of the Tomsk region opened a testing laboratory")
    assert "Reader" not in record["text"] and "Great news for the region" not in record["text"]


def test_a_long_table_with_a_link_in_every_row_is_an_article():
    # One short paragraph, then a table of 24 member companies, each row linking to the company's site,
    # under a one-word address that says nothing about the page.
    record = extracted("kind_long_table", "https://cluster.example.org/members")
    assert record["dropped"] is None
    assert "| Tomsk Instrument Plant | Instruments | 900 | Profile |" in record["text"]


def test_blocks_whose_links_leave_the_site_keep_their_paragraphs_as_an_article():
    # The same shape, eight blocks with two long paragraphs each, but every block links to a map on another site:
    # a guide's sections, not teasers of the site's own pages.
    record = extracted("kind_guide_of_places", "https://guide.example.org/walks/green-walks")
    assert record["dropped"] is None
    assert "Lagerny Garden is one of the walks we like best in the city." in record["text"]
