"""Stage 3: publication dates, signal by signal, and what must never be a date."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path

import lxml.html
import pytest
from scrapy.utils.test import get_crawler

from pipelines import dates as dates_stage
from pipelines.dates import DatesPipeline
from pipelines.extractors.dates import (
    TOMSK_TZ,
    find_published,
    month_number,
    parse_date_text,
)
from scraper.decode import page_tree, parse_html
from scraper.items import ArticleItem

PAGES = Path(__file__).parent / "pages"
NOW = datetime(2024, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=7)))
TODAY = NOW.date()


def published(name: str, *, url: str | None = None, title: str | None = None, zone: tzinfo | None = TOMSK_TZ):
    tree = parse_html((PAGES / name).read_text(encoding="utf-8"))
    return find_published(tree, url=url, title=title, now=NOW, zone=zone)


# --- the seed page --------------------------------------------------------------------
def test_seed_page_is_dated_14_march_2016_from_visible_date():
    found = published(
        "seed_sherpaspro_313.html",
        url="http://sherpaspro.com/news/313/?lang=en",
        title="Clusters and INO Tomsk: creating the route for followers",
    )
    assert (found.date, found.signal) == (date(2016, 3, 14), "visible")


def test_seed_page_is_dated_without_a_title():
    found = published("seed_sherpaspro_313.html")
    assert (found.date, found.signal) == (date(2016, 3, 14), "visible")


# --- signals in order of trust ------------------------------------------------------------
def test_json_ld_date_published_wins_over_meta_when_the_page_shows_it():
    found = published("dates_json_ld.html")
    assert (found.date, found.signal) == (date(2017, 12, 28), "json-ld")


def test_json_ld_date_modified_is_never_used():
    found = published("dates_json_ld_modified_only.html")
    assert found is None


def test_meta_published_time_in_utc_is_converted_to_tomsk_date():
    found = published("dates_meta_utc.html")
    assert (found.date, found.signal) == (date(2016, 3, 15), "meta")


def test_meta_dublin_core_date_issued():
    found = published("dates_meta_dc.html")
    assert (found.date, found.signal) == (date(2015, 6, 3), "meta")


def test_time_element_inside_article_is_used():
    found = published("dates_time_sidebar.html")
    assert (found.date, found.signal) == (date(2016, 9, 14), "time")


def test_russian_abbreviated_month_near_headline():
    found = published("dates_russian_visible.html")
    assert (found.date, found.signal) == (date(2016, 3, 14), "visible")


def test_relative_yesterday_before_headline_uses_fetch_time():
    found = published("dates_relative.html")
    assert (found.date, found.signal) == (date(2024, 3, 1), "visible")


def test_english_byline_with_ordinal_day_and_time():
    found = published("dates_english_byline.html")
    assert (found.date, found.signal) == (date(2016, 3, 25), "visible")


def test_url_date_is_the_last_resort():
    found = published("dates_event_in_body.html", url="https://example.org/news/2016/03/12/session/")
    assert (found.date, found.signal) == (date(2016, 3, 12), "url")


@pytest.mark.parametrize(
    "url",
    [
        "https://x.ru/2017/09/14/a.html", "https://x.ru/news/20170914/", "https://x.ru/n/2017-09-14-a",
        "https://x.de/meldungen/14-09-2017",
    ],
)
def test_url_date_shapes(url):
    found = find_published(None, url=url, now=NOW)
    assert (found.date, found.signal) == (date(2017, 9, 14), "url")


# --- never a publication date -----------------------------------------------------------------
def test_sidebar_news_date_is_ignored():
    assert published("dates_sidebar_only.html") is None


def test_copyright_footer_year_is_not_a_date():
    assert published("dates_copyright_only.html") is None


def test_event_date_in_article_body_is_not_the_publication_date():
    assert published("dates_event_in_body.html") is None


def test_date_after_now_is_rejected():
    assert parse_date_text("14 марта 2025", TODAY) is None


def test_date_before_1990_is_rejected():
    assert parse_date_text("14 March 1989", TODAY) is None


# --- text forms ---------------------------------------------------------------------------------
def test_garbled_month_martha_is_march():
    assert parse_date_text("14 martha 2016", TODAY) == date(2016, 3, 14)


@pytest.mark.parametrize(
    ("word", "month"),
    [
        ("марта", 3), ("март", 3), ("мар.", 3), ("марте", 3), ("мая", 5), ("май", 5),
        ("сентября", 9), ("сент.", 9), ("декабрём", 12), ("March", 3), ("Mar", 3),
        ("Sept.", 9), ("marta", 3), ("fevralya", 2), ("yanvarya", 1), ("aprelya", 4),
        ("maya", 5), ("iyunya", 6), ("iyulya", 7), ("avgusta", 8), ("sentyabrya", 9),
        ("oktyabrya", 10), ("noyabrya", 11), ("dekabrya", 12),
    ],
)
def test_month_names_in_any_case_and_script(word, month):
    assert month_number(word) == month


def test_words_that_only_start_like_months_are_not_months():
    assert parse_date_text("5 marines 2016", TODAY) is None


def test_english_month_first_with_ordinal():
    assert parse_date_text("March 25th, 2016", TODAY) == date(2016, 3, 25)


def test_day_month_year_with_time():
    assert parse_date_text("25 March 2016 17:44", TODAY) == date(2016, 3, 25)


def test_dotted_numeric_date_is_day_first():
    assert parse_date_text("14.03.2016, 12:05", TODAY) == date(2016, 3, 14)


def test_iso_date():
    assert parse_date_text("2016-03-14", TODAY) == date(2016, 3, 14)


def test_today_is_the_fetch_date():
    assert parse_date_text("Сегодня, 09:30", TODAY) == TODAY


def test_year_less_russian_date_takes_the_fetch_year():
    assert parse_date_text("14 февраля, 12:05", TODAY) == date(2024, 2, 14)


def test_year_less_date_after_fetch_date_is_last_year():
    assert parse_date_text("14 марта", TODAY) == date(2023, 3, 14)


# --- the pipeline ---------------------------------------------------------------------------------
def test_pipeline_fills_published_and_signal():
    item = ArticleItem(
        url="http://sherpaspro.com/news/313/?lang=en",
        html=(PAGES / "seed_sherpaspro_313.html").read_text(encoding="utf-8"),
        fetched_at=NOW,
    )
    DatesPipeline().process_item(item)
    assert (item.published, item.published_from) == (date(2016, 3, 14), "visible")


def test_pipeline_dates_the_spiders_tree_of_the_page_and_leaves_it_unchanged(monkeypatch):
    html = (PAGES / "seed_sherpaspro_313.html").read_text(encoding="utf-8")
    tree = page_tree(html)  # as the spider and the text stage leave it
    before = lxml.html.tostring(tree)
    dated = []

    def find_and_note(page, **options):
        dated.append(page)
        return find_published(page, **options)

    monkeypatch.setattr(dates_stage, "find_published", find_and_note)
    item = DatesPipeline().process_item(ArticleItem(url="http://sherpaspro.com/news/313/?lang=en", html=html))
    assert item.published == date(2016, 3, 14)
    assert len(dated) == 1 and dated[0] is tree, "the page was parsed again"
    assert lxml.html.tostring(tree) == before, "later stages would read a changed page"


def test_pipeline_counts_signal_in_stats():
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()
    pipeline = DatesPipeline.from_crawler(crawler)
    html = (PAGES / "dates_meta_dc.html").read_text(encoding="utf-8")
    pipeline.process_item(ArticleItem(url="https://x.ru/a", html=html, fetched_at=NOW))
    assert crawler.stats.get_value("pipelines/date/from/meta") == 1


def test_pipeline_counts_missing_date():
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()
    pipeline = DatesPipeline.from_crawler(crawler)
    item = ArticleItem(url="https://x.ru/a", html="<html><body><p>no date</p></body></html>")
    pipeline.process_item(item)
    assert item.published is None
    assert crawler.stats.get_value("pipelines/date/missing") == 1


# --- beyond the headline: other languages, layouts and fallbacks ----------------------------------
def test_german_date_in_date_marked_element_away_from_headline():
    found = published("dates_german_marked.html")
    assert (found.date, found.signal) == (date(2009, 8, 6), "marked")


def test_layout_classes_on_body_and_wrapper_do_not_hide_the_date():
    found = published("dates_body_layout_class.html")
    assert (found.date, found.signal) == (date(2019, 2, 10), "time")


def test_broken_json_ld_still_gives_date_published():
    found = published("dates_json_ld_broken.html")
    assert (found.date, found.signal) == (date(2020, 10, 26), "json-ld")


def test_unmarked_byline_text_right_after_headline():
    found = published("dates_byline_unmarked.html")
    assert (found.date, found.signal) == (date(2014, 1, 22), "text")


def test_year_less_event_date_in_title_is_not_a_date():
    assert published("dates_title_yearless_event.html") is None


def test_abbr_published_title_in_blog_post_footer():
    found = published("dates_abbr_published.html")
    assert (found.date, found.signal) == (date(2016, 12, 23), "time")


def test_url_date_wins_over_timestamp_one_day_off():
    found = published("dates_meta_utc.html", url="https://x.ru/news/2016/03/14/late-night/")
    assert (found.date, found.signal) == (date(2016, 3, 14), "url")


def test_zone_none_keeps_the_written_date():
    found = published("dates_meta_utc.html", zone=None)
    assert (found.date, found.signal) == (date(2016, 3, 14), "meta")


@pytest.mark.parametrize(
    ("word", "month"),
    [("Oktober", 10), ("Dezember", 12), ("août", 8), ("juin", 6), ("marzo", 3),
     ("giugno", 6), ("maart", 3), ("listopada", 11), ("Mrz.", 3)],
)
def test_month_names_in_other_languages(word, month):
    assert month_number(word) == month


def test_german_day_with_dot():
    assert parse_date_text("Veröffentlicht am 6. August 2009", TODAY) == date(2009, 8, 6)


def test_spanish_de_between_parts():
    assert parse_date_text("14 de marzo de 2016", TODAY) == date(2016, 3, 14)


def test_cjk_year_month_day():
    assert parse_date_text("2020年2月19日 20:29", TODAY) == date(2020, 2, 19)


def test_year_less_date_can_be_refused():
    assert parse_date_text("14 марта", TODAY, yearless=False) is None


def test_source_date_selector_wins_over_generic_signals():
    from pipelines.dates import DatesPipeline
    from scraper.items import ArticleItem
    from scraper.sources import compile_rules

    html = (
        '<html><head><meta property="article:published_time" content="2019-01-01T10:00:00+07:00"></head>'
        '<body><h1>Кластер</h1><span class="pub">Опубликовано: 14 марта 2016</span><p>Текст.</p></body></html>'
    )
    rules = {"mysite": compile_rules("mysite", {"date": "span.pub"})}
    item = DatesPipeline(rules=rules).process_item(ArticleItem(url="http://x.ru/a", source="mysite", html=html))
    assert (item.published.isoformat(), item.published_from) == ("2016-03-14", "selector")
    other = DatesPipeline(rules=rules).process_item(ArticleItem(url="http://x.ru/a", source="other", html=html))
    assert (other.published.isoformat(), other.published_from) == ("2019-01-01", "meta")


# --- signals added for the htmldate evaluation set (issue 3) ---------------------------------------
def test_bare_meta_date_yields_to_the_time_element_in_the_article():
    found = published("dates_meta_bare_date.html")
    assert (found.date, found.signal) == (date(2022, 1, 25), "time")


def test_bare_meta_date_is_used_when_the_page_shows_no_date():
    found = published("dates_meta_bare_date_only.html")
    assert (found.date, found.signal) == (date(2022, 1, 15), "meta")


def test_pubdate_time_outside_article_wins_over_teaser_articles():
    found = published("dates_pubdate_outside_article.html")
    assert (found.date, found.signal) == (date(2019, 6, 9), "time")


def test_teasers_sharing_one_pubdate_do_not_date_the_page():
    found = published("dates_teasers_share_pubdate.html")
    assert (found.date, found.signal) == (date(2019, 6, 28), "time")


def test_news_footer_inside_the_article_holds_its_date():
    found = published("dates_news_footer_in_article.html")
    assert (found.date, found.signal) == (date(2022, 1, 21), "time")


def test_headline_is_found_when_title_and_heading_write_the_dash_and_quotes_differently():
    # Otherwise the column's teaser headings ("Кластер «Фарма»", a part of the title) were taken for it.
    found = published("dates_headline_dash_differs_from_title.html")
    assert (found.date, found.signal) == (date(2023, 10, 31), "visible")


def test_a_page_without_h1_or_a_heading_named_in_the_title_is_dated_next_to_its_first_heading():
    found = published("dates_headline_is_h4_without_h1.html")
    assert (found.date, found.signal) == (date(2021, 10, 16), "visible")


def test_page_builder_blocks_are_read_by_their_kind_not_as_widgets():
    # Elementor calls every block "elementor-widget-…": the article's date sits in one
    # ("…-shortcode"), the teasers of other articles in another ("…-posts").
    found = published("dates_page_builder_widgets.html")
    assert (found.date, found.signal) == (date(2019, 10, 19), "time")


def test_published_time_meta_written_with_an_arabic_month_name_is_read():
    found = published("dates_meta_arabic_words.html")
    assert (found.date, found.signal) == (date(2020, 10, 7), "meta")


def test_when_json_ld_and_published_time_meta_disagree_the_date_the_page_shows_decides():
    # (JSON-LD's date shown on the page: test_json_ld_date_published_wins_over_meta_when_the_page_shows_it)
    found = published("dates_jsonld_meta_disagree_page_shows_meta.html")
    assert (found.date, found.signal) == (date(2022, 1, 6), "meta")


def test_a_month_named_twice_levantine_and_egyptian_is_read_with_its_year():
    # Without the second name the date was read year-less: 24 April of the current year.
    found = published("dates_arabic_month_named_twice.html")
    assert (found.date, found.signal) == (date(2020, 4, 24), "visible")


def test_an_embedded_tweet_does_not_date_the_article():
    found = published("dates_embedded_tweet.html", url="https://news.example/2020/01/02/governor-visits/")
    assert (found.date, found.signal) == (date(2020, 1, 2), "url")


def test_a_json_ld_timestamp_one_day_off_the_shown_date_gives_way_to_it():
    # 10:35 PM in Los Angeles is 06:35 UTC the next day; the page shows the 8th (and an update on the 9th).
    found = published("dates_utc_timestamp_one_day_off_shown_date.html", zone=None)
    assert (found.date, found.signal) == (date(2023, 11, 8), "visible")


def test_a_url_one_day_before_the_date_the_page_shows_does_not_override_it():
    # The URL was made the day before the article went out; the page shows the 19th.
    found = published("dates_url_day_before_shown_date.html",
                      url="https://elpais.com/elpais/2020/02/18/ciencia/1582045946_459487.html")
    assert (found.date, found.signal) == (date(2020, 2, 19), "json-ld")


def test_a_time_element_in_utc_is_dated_by_the_day_its_own_text_shows():
    found = published("dates_time_utc_attribute_other_day_than_text.html", zone=None)
    assert (found.date, found.signal) == (date(2023, 11, 2), "time")


def test_metadata_aside_inside_the_article_is_read_and_comments_are_not():
    found = published("dates_article_meta_aside.html")
    assert (found.date, found.signal) == (date(2023, 10, 18), "time")


def test_url_date_gives_the_year_of_a_year_less_visible_date():
    found = published("dates_yearless_visible.html", url="https://x.de/2014/05/18/alles-neu/")
    assert (found.date, found.signal) == (date(2014, 5, 18), "url")


def test_date_after_a_datum_label_away_from_the_headline():
    found = published("dates_label_datum.html")
    assert (found.date, found.signal) == (date(2022, 2, 3), "label")


def test_published_label_inside_comments_is_ignored():
    assert published("dates_label_in_comments.html") is None


def test_dateline_opening_the_body_after_the_lead():
    found = published("dates_dateline.html")
    assert (found.date, found.signal) == (date(2022, 1, 27), "text")


def test_dateline_with_the_place_before_the_date_opens_the_body():
    found = published("dates_dateline_with_place.html")
    assert (found.date, found.signal) == (date(2016, 3, 14), "text")


def test_event_date_opening_the_body_without_dash_is_not_a_dateline():
    assert published("dates_body_opens_with_event_date.html") is None


def test_lead_image_url_dates_a_page_without_other_dates():
    found = published("dates_lead_image_url.html")
    assert (found.date, found.signal) == (date(2016, 5, 4), "image")


def test_publish_date_in_page_data_script_and_not_its_modified_date():
    found = published("dates_script_page_data.html")
    assert (found.date, found.signal) == (date(2019, 10, 19), "script")


def test_comment_thread_of_article_elements_is_still_a_comment_zone():
    assert published("dates_comment_articles.html") is None


def test_date_in_author_box_away_from_the_headline():
    found = published("dates_author_box.html")
    assert (found.date, found.signal) == (date(2010, 12, 29), "marked")


def test_complete_date_near_headline_beats_a_year_less_one():
    found = published("dates_complete_beats_yearless.html")
    assert (found.date, found.signal) == (date(2020, 4, 24), "visible")


def test_date_in_info_box_away_from_the_headline():
    found = published("dates_info_box.html")
    assert (found.date, found.signal) == (date(2019, 5, 12), "marked")


def test_more_articles_section_after_the_text_is_ignored():
    assert published("dates_more_articles_section.html") is None


def test_visible_date_next_to_an_h4_headline():
    found = published("dates_h4_headline.html")
    assert (found.date, found.signal) == (date(2023, 11, 1), "visible")


def test_comments_inside_the_article_element_are_still_ignored():
    assert published("dates_comments_inside_article.html") is None


def test_sidebar_class_on_the_page_wrapper_names_the_layout_not_a_zone():
    found = published("dates_wrapper_named_sidebar.html")
    assert found.date == date(2017, 8, 8)


def test_sidebar_inside_the_article_holds_its_date():
    found = published("dates_sidebar_in_article.html")
    assert (found.date, found.signal) == (date(2019, 5, 23), "label")


def test_romanian_month_names():
    assert parse_date_text("duminică, 20 septembrie 2020 16:20", TODAY) == date(2020, 9, 20)


def test_date_split_over_spans_reads_as_shown():
    # <span>Apr</span> <span>04</span><span>2013</span>: the spans' texts run together as "Apr 042013".
    found = published("dates_split_spans.html")
    assert (found.date, found.signal) == (date(2013, 4, 4), "visible")


def test_headline_matches_the_social_title_when_the_page_title_is_the_site_name():
    found = published("dates_og_title_headline.html")
    assert (found.date, found.signal) == (date(2018, 5, 6), "visible")


def test_year_less_deadline_near_the_headline_loses_to_a_complete_date_elsewhere():
    found = published("dates_yearless_deadline.html")
    assert found.date == date(2020, 2, 23)


# --- pages nobody tuned on (issue 14) ----------------------------------------------------------------


def test_timestamp_with_its_own_offset_keeps_the_day_it_was_written():
    # 22:46 in Buenos Aires is already the next day in Tomsk; the article came out on the 3rd.
    found = published("dates_offset_timestamp.html", zone=TOMSK_TZ)
    assert (found.date, found.signal) == (date(2022, 5, 3), "meta")


def test_two_digit_year_after_an_apostrophe_is_read():
    found = published("dates_two_digit_year.html", zone=None)
    assert (found.date, found.signal) == (date(2011, 9, 15), "marked")


def test_regional_dateline_with_commas_opens_the_body():
    found = published("dates_regional_dateline.html", zone=None)
    assert (found.date, found.signal) == (date(2011, 5, 26), "text")


def test_hours_ago_counts_back_from_the_fetch_time_in_the_pages_zone():
    tree = parse_html((PAGES / "dates_hours_ago.html").read_text(encoding="utf-8"))
    fetched = datetime(2024, 3, 15, 1, 0, tzinfo=timezone.utc)
    # 01:00 UTC minus 5 hours is the day before; in Tomsk (08:00) it is the same day.
    assert find_published(tree, now=fetched, zone=None).date == date(2024, 3, 14)
    assert find_published(tree, now=fetched, zone=TOMSK_TZ).date == date(2024, 3, 15)


def test_a_date_after_the_fetch_time_is_never_returned():
    assert published("dates_future_only.html", zone=None) is None


def test_a_source_dates_utc_timestamps_in_its_zone_and_other_pages_keep_them_as_written():
    html = (PAGES / "dates_meta_utc.html").read_text(encoding="utf-8")  # 2016-03-14T22:30:00Z
    pipeline = DatesPipeline.from_crawler(get_crawler())
    tomsk = pipeline.process_item(ArticleItem(url="https://www.ino-tomsk.ru/news/news/view-news/-/a", source="ino-tomsk-ru",
                                              html=html, fetched_at=NOW))
    adhoc = pipeline.process_item(ArticleItem(url="https://example.org/a", source="example.org", html=html, fetched_at=NOW))
    assert (tomsk.published, adhoc.published) == (date(2016, 3, 15), date(2016, 3, 14))


def test_extract_dates_in_the_zone_given_with_timezone():
    from helpers import run_cli

    page = str(PAGES / "dates_meta_utc.html")
    as_written = run_cli("extract", page)
    in_tomsk = run_cli("extract", page, "--timezone", "Asia/Tomsk")
    unknown = run_cli("extract", page, "--timezone", "Mars/Base")
    assert '"published": "2016-03-14"' in as_written.stdout
    assert '"published": "2016-03-15"' in in_tomsk.stdout
    assert (unknown.returncode, unknown.stderr.strip()) == (
        1, "Error: unknown time zone 'Mars/Base' (expected an IANA name such as 'Asia/Tomsk')")


def test_relative_text_of_a_time_element_gives_way_to_its_datetime():
    # "a day ago" counts from the fetch; the attribute names the day whenever the page is read
    found = published("dates_labelled_relative_time.html")
    assert (found.date, found.signal) == (date(2023, 12, 19), "time")


def test_the_word_today_in_a_sentence_is_no_date():
    assert published("dates_today_in_prose.html") is None


def test_extract_counts_relative_dates_back_from_when_the_page_was_saved(tmp_path):
    # a page saved on 2 March 2024 that says "вчера в 12:05" was published on 1 March 2024, whenever extract runs
    import os

    from helpers import run_cli

    saved = tmp_path / "relative.html"
    saved.write_bytes((PAGES / "dates_relative.html").read_bytes())
    moment = datetime(2024, 3, 2, 10, 0, tzinfo=timezone.utc).timestamp()
    os.utime(saved, (moment, moment))
    assert '"published": "2024-03-01"' in run_cli("extract", str(saved)).stdout


def test_extract_of_a_file_stamped_1970_keeps_dates_up_to_now(tmp_path):
    import os

    from helpers import run_cli

    saved = tmp_path / "meta.html"
    saved.write_bytes((PAGES / "dates_meta_utc.html").read_bytes())
    os.utime(saved, (1, 1))  # build and package tools normalise times to the epoch
    assert '"published": "2016-03-14"' in run_cli("extract", str(saved)).stdout
