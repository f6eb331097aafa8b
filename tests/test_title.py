"""Headline extraction (pipelines.extractors.title)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extractors.title import extract_title, split_title, strip_site_name
from scraper.decode import parse_html

PAGES = Path(__file__).parent / "pages"


def title_of(html: str) -> str | None:
    return extract_title(parse_html(html))


def title_of_page(name: str) -> str | None:
    return title_of((PAGES / name).read_text(encoding="utf-8"))


def test_seed_title_is_the_headline_not_the_site_or_section():
    assert title_of_page("seed_sherpaspro_313.html") == "Clusters and INO Tomsk: creating the route for followers"


def test_liferay_title_is_the_asset_publisher_heading_not_the_logo():
    assert title_of_page("text_inotomsk_en_news.html") == "Tomsk Polytechnic launches a centre for smart materials"


def test_og_title_is_cleaned_of_the_site_name_suffix():
    expected = "Томские учёные представили проекты ИНО Томск на форуме в Новосибирске"
    assert title_of_page("text_region_ru_news.html") == expected


def test_listing_page_has_no_title():
    assert title_of_page("text_listing_ru.html") is None


def test_json_ld_headline_is_used():
    html = (
        "<html><head><title>Site</title><script type='application/ld+json'>"
        '{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle", "headline": "Tomsk opens a technopark"}]}'
        "</script></head><body><h1>Site</h1></body></html>"
    )
    assert title_of(html) == "Tomsk opens a technopark"


def test_broken_json_ld_is_ignored():
    html = "<title>Tomsk opens a technopark | Site</title><script type='application/ld+json'>{broken</script>"
    assert title_of(html) == "Tomsk opens a technopark"


def test_h1_matching_part_of_title_wins_over_other_headings():
    html = (
        "<title>INO Tomsk | Governor met young scientists</title><body>"
        "<h2>Popular posts</h2><h1>Governor met young scientists</h1><h1>Archive</h1></body>"
    )
    assert title_of(html) == "Governor met young scientists"


def test_logo_h1_inside_header_is_not_the_title():
    html = (
        "<title>Big day for the Tomsk clusters - Tomsk News</title><body>"
        "<header><h1><a href='/'>Tomsk News</a></h1></header><p>Text</p></body>"
    )
    assert title_of(html) == "Big day for the Tomsk clusters"


@pytest.mark.parametrize("html", ["<html><body><p>No title here</p></body></html>", "<title>News</title>"])
def test_no_title_gives_none(html):
    assert title_of(html) is None


def test_none_tree_gives_none():
    assert extract_title(None) is None


def test_russian_quotes_do_not_split_the_title():
    assert split_title("Проект «ИНО Томск» набирает обороты | Томск") == ["Проект «ИНО Томск» набирает обороты", "Томск"]


def test_strip_site_name_removes_generic_prefix():
    assert strip_site_name("Новости :: Губернатор открыл технопарк", frozenset()) == "Губернатор открыл технопарк"


# --- the ino-tomsk.ru-style fixture pages (tests/pages/inotomsk_ru) ------------------
SITE_PAGE = (PAGES / "inotomsk_ru" / "it-forum.html").read_text(encoding="utf-8")
FORUM = "В Томске прошёл форум информационных технологий"


def test_fixture_headline_is_not_the_site_name_nor_the_section():
    # <title>Новости - ИНО Томск</title>, a "ИНО Томск" site-name block, the headline in an h3
    assert title_of(SITE_PAGE) == FORUM


def test_site_name_in_the_only_h1_is_not_the_headline():
    html = SITE_PAGE.replace('<span class="site-name">ИНО Томск</span>', "<h1>ИНО Томск</h1>")
    html = html.replace("<title>Новости - ИНО Томск</title>", f"<title>{FORUM} - ИНО Томск</title>")
    html = html.replace(f'<h3 class="header-title"><span>{FORUM}</span></h3>', "")
    assert title_of(html) == FORUM


def test_browser_title_suffix_and_section_prefix_are_cut():
    html = SITE_PAGE.replace("<title>Новости - ИНО Томск</title>", f"<title>Новости | {FORUM} | ИНО Томск</title>")
    html = html.replace(f'<h3 class="header-title"><span>{FORUM}</span></h3>', "")
    assert title_of(html) == FORUM


def test_section_heading_news_is_not_the_headline():
    html = SITE_PAGE.replace(f'<h3 class="header-title"><span>{FORUM}</span></h3>', '<h2 class="portlet-title">Новости</h2>')
    html = html.replace("<title>Новости - ИНО Томск</title>", f"<title>{FORUM} — ИНО Томск</title>")
    assert title_of(html) == FORUM


def test_listing_page_titled_news_has_no_headline():
    assert title_of_page("inotomsk_ru/novosti.html") is None


def test_og_title_naming_only_the_site_gives_way_to_the_headline():
    html = SITE_PAGE.replace("<head>", '<head><meta property="og:title" content="ИНО Томск" />'
                             '<meta property="og:site_name" content="ИНО Томск" />', 1)
    assert title_of(html) == FORUM


def test_headline_in_the_page_header_is_the_title_not_a_widget_heading():
    # WordPress-style themes put the post's title in the page header (even in a "logo" block); it is the
    # headline, not the site's name, so a sidebar's "Related Articles" heading never takes its place.
    html = (
        "<title>Is it really always the DNS? | APNIC Blog</title>"
        "<meta property='og:title' content='Is it really always the DNS?'>"
        "<header><div class='logo'>Is it really always the DNS?</div><a class='logo' href='/'>APNIC Blog</a></header>"
        "<div class='post'><p>Some text of the post.</p></div>"
        "<aside><h2 class='widget-title'>Related Articles</h2></aside>"
    )
    assert title_of(html) == "Is it really always the DNS?"



def test_headline_as_shown_wins_over_a_search_variant_of_it_but_not_over_another_block():
    page = ("<title>{0} | Acme</title><meta property='og:title' content='{0} | Acme'>"
            "<meta property='og:site_name' content='Acme'><article><h1>{1}</h1></article>")
    # og:title rewords the headline for search; the reader sees the h1
    assert title_of(page.format("Top 11 SEO Strategies for 2025", "11 SEO Strategies to Boost Rankings")) == (
        "11 SEO Strategies to Boost Rankings"
    )
    # an h1 that shares nothing with the declared title is another block's heading
    assert title_of(page.format("Top 11 SEO Strategies for 2025", "0 Comments")) == "Top 11 SEO Strategies for 2025"


def test_site_signature_named_after_the_domain_is_cut_from_the_title():
    html = "<meta property='og:title' content='n8n: A Guide to Workflow Automation | DigitalOcean'><p>Text.</p>"
    page = parse_html(html)
    assert extract_title(page, "https://www.digitalocean.com/community/tutorials/n8n") == "n8n: A Guide to Workflow Automation"
    # without the address nothing says the last part is the site's name
    assert extract_title(page) == "n8n: A Guide to Workflow Automation | DigitalOcean"
