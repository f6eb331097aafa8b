"""Page kind (issue 14): what a crawl keeps as an article and drops as a listing, one fixture page per signal.

Each page goes through what ``ino-archive extract FILE --url URL`` runs; a
dropped listing says so in ``dropped``.
"""

from __future__ import annotations

from pathlib import Path

from scraper.run import PageInput, extract_pages

PAGES = Path(__file__).parent / "pages"


def extracted(name: str, url: str) -> dict:
    """The record `ino-archive extract tests/pages/NAME.html --url URL` prints."""
    return next(extract_pages([PageInput(str(PAGES / f"{name}.html"), url)]))


def test_a_shop_grid_with_a_buy_button_per_product_is_dropped_even_under_a_slug_address():
    # Eight product cards, each with its name, price and "Add to cart"; the address reads like an article's.
    url = "https://shop.example.org/kitchen-and-home-goods-from-tomsk"
    record = extracted("kind_shop_grid", url)
    assert record["dropped"] == f"ListingPage: listing page, followed but not stored: {url}"
