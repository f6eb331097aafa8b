"""Main-text extraction (pipelines.extractors.maintext) and the TextPipeline."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from scrapy.utils.test import get_crawler

from pipelines.exceptions import EmptyPage
from pipelines.extractors.maintext import (
    extract_main_text,
    is_boilerplate_line,
    strip_phones,
)
from pipelines.text import TextPipeline
from scraper.decode import page_tree, parse_html
from scraper.items import ArticleItem

PAGES = Path(__file__).parent / "pages"
SEED_URL = "http://sherpaspro.com/news/313/?lang=en"
INO_URL = (
    "http://www.ino-tomsk.ru/en/news/news/view-news/-/asset_publisher/Ab3dEfGhIjKl/content/"
    "tomsk-polytechnic-launches-a-centre-for-smart-materials"
)
RU_URL = "https://tomsk.gov.ru/news/front/view/id/71234?utm_source=vk"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def main_text(name: str) -> str:
    return extract_main_text(parse_html(page(name))).text


@pytest.fixture(scope="module")
def seed_text() -> str:
    return main_text("seed_sherpaspro_313.html")


@pytest.fixture(scope="module")
def ino_text() -> str:
    return main_text("text_inotomsk_en_news.html")


@pytest.fixture(scope="module")
def ru_text() -> str:
    return main_text("text_region_ru_news.html")


def seed_paragraphs() -> list[str]:
    # The .txt rendering starts with phone, date and headline; the article follows.
    lines = page("seed_sherpaspro_313.txt").splitlines()
    start = lines.index("Clusters and INO Tomsk: creating the route for followers") + 1
    return [line for line in lines[start:] if line.strip() and not line.startswith(("Sorry", "Try again"))]


# --- the seed page ---------------------------------------------------------------
def test_seed_text_has_all_six_article_paragraphs(seed_text):
    paragraphs = seed_paragraphs()
    assert len(paragraphs) == 6
    for paragraph in paragraphs:
        assert paragraph in seed_text


def test_seed_text_starts_and_ends_with_the_article(seed_text):
    assert seed_text.startswith("On 10-11 of March of 2016 Evgeniya Shamis")
    assert seed_text.endswith("www.ino-tomsk.ru .")


def test_seed_paragraphs_are_separated_by_blank_lines(seed_text):
    assert seed_text.count("\n\n") == 5
    assert "\n\n\n" not in seed_text


def test_seed_text_has_no_phone_number(seed_text):
    assert "+7 (925) 862 7050" not in seed_text
    assert "862 7050" not in seed_text


def test_seed_text_has_no_form_messages(seed_text):
    assert "Sorry, your message has not been sent" not in seed_text
    assert "Try again later" not in seed_text
    assert "Your message has been sent" not in seed_text


def test_seed_text_has_no_contact_block_menu_or_footer(seed_text):
    for boilerplate in ("Contact us", "Back to news", "Services", "All rights reserved", "Sherpa's Pro"):
        assert boilerplate not in seed_text


def test_seed_text_has_no_headline(seed_text):
    assert "creating the route for followers" not in seed_text


def test_seed_link_density_is_low():
    assert extract_main_text(parse_html(page("seed_sherpaspro_313.html"))).link_density < 0.05


def test_extraction_does_not_modify_the_callers_tree():
    tree = parse_html(page("seed_sherpaspro_313.html"))
    before = len(tree.xpath("//*"))
    extract_main_text(tree)
    assert len(tree.xpath("//*")) == before


# --- an ino-tomsk.ru (Liferay) page ----------------------------------------------
def test_ino_tomsk_text_is_the_article(ino_text):
    assert ino_text.startswith("Tomsk Polytechnic University has opened a centre for smart materials")
    assert ino_text.endswith("of this site.")
    assert ino_text.count("\n\n") == 4


def test_ino_tomsk_text_skips_facts_column_in_same_css_class(ino_text):
    assert "INO Tomsk in ten facts" not in ino_text
    assert "Every fifth resident of Tomsk" not in ino_text
    assert "10. The aim of INO Tomsk" not in ino_text


def test_ino_tomsk_text_skips_related_news_social_links_and_footer(ino_text):
    for boilerplate in ("Related news", "top 300 of world rankings", "Twitter", "Lenin Square", "51-05-15"):
        assert boilerplate not in ino_text


# --- a Russian regional-administration page --------------------------------------
def test_russian_text_is_the_article(ru_text):
    assert ru_text.startswith("Делегация Томской области представила на форуме «Технопром»")
    assert ru_text.endswith("— подчеркнул губернатор Томской области Сергей Жвачкин.")


def test_russian_text_skips_sidebar_news_cookie_banner_and_comments(ru_text):
    for boilerplate in ("Губернатор провёл совещание", "Все новости", "cookie", "Комментарии", "Отличная новость"):
        assert boilerplate not in ru_text


def test_russian_text_skips_share_links_and_print_version(ru_text):
    for boilerplate in ("Поделиться", "ВКонтакте", "Версия для печати"):
        assert boilerplate not in ru_text


def test_russian_text_has_no_phone_numbers_or_hidden_messages(ru_text):
    assert "51-32-22" not in ru_text
    assert "Телефон для справок" not in ru_text
    assert "Ваше сообщение отправлено" not in ru_text


# --- a listing page --------------------------------------------------------------
def test_listing_link_density_is_much_higher_than_an_articles():
    listing = extract_main_text(parse_html(page("text_listing_ru.html")))
    article = extract_main_text(parse_html(page("text_region_ru_news.html")))
    assert listing.link_density > 0.3
    assert article.link_density < 0.1


def test_listing_text_skips_menu_and_pagination():
    text = main_text("text_listing_ru.html")
    assert "Кластеры" not in text
    assert "Центр будет разрабатывать материалы" in text


# --- small helpers and edge cases -------------------------------------------------
@pytest.mark.parametrize(
    "phone",
    ["+7 (925) 862 7050", "8 (3822) 51-32-22", "+7 3822 51 32 22", "(3822) 51-32-22", "тел.: 8-3822-513222"],
)
def test_strip_phones_removes_common_formats(phone):
    assert strip_phones(f"Звоните {phone} сегодня") == "Звоните сегодня"


def test_strip_phones_keeps_years_and_amounts():
    text = "В 2016–2017 годах вложено 3 000 000 рублей, 10-11 марта."
    assert strip_phones(text) == text


@pytest.mark.parametrize(
    "line",
    [
        "Sorry, your message has not been sent.",
        "Try again later.",
        "Ваше сообщение отправлено",
        "Сообщение не отправлено, повторите попытку позже",
        "Поделиться:",
        "Мы используем файлы cookie, чтобы сайт работал лучше.",
        "© 2016 INO Tomsk. All rights reserved.",
        "Get the latest updates right in your inbox. Subscribe to NJ.com’s newsletters.",
        "Sign up for our newsletter for mental health tips, updates, and events",
        "Follow us on Telegram",
        "Подписывайтесь на наш канал в Telegram",
        "You may also like...",
        "Related articles:",
        "Читайте также:",
        "More Great WIRED Stories",
        "Related: PPE Inspections and Why They’re Important",
        "Читайте также: В Томске открылся новый корпус ТПУ",
        "Advertisement",
        "Реклама",
        "Read full review",
        "View Full Profile",
        "Table of Contents",
        "Содержание",
        "Recommended Reading",
        "Нашли ошибку? Выделите фрагмент текста и нажмите Ctrl+Enter",
        "Found a typo? Select it and press Ctrl + Enter.",
        "При использовании материалов ссылка на ino.tomsk.ru обязательна.",
        "Перепечатка материалов без согласия редакции запрещена.",
        "paul.takahashi@chron.com",
        "twitter.com/paultakahashi",
        "Have a tip? Amy Kuperinsky may be reached at akuperinsky@njadvancemedia.com. Follow her on Twitter.",
    ],
)
def test_boilerplate_lines_are_recognised(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Twelve people signed up for my newsletter in the past week.",
        "I built my newsletter with two things: my voice and a repeatable system.",
        "About 2 million households subscribe to the service, the company said.",
        "Related companies in the cluster reported more orders.",
        "More than 40 startups applied.",
        "Advertising revenue grew by a third.",
        "The minister did not read the full report before the vote.",
        "Contents of the new law were published on Monday.",
        "В новой версии редактора текст отправляется сочетанием Ctrl+Enter.",
        "Использование материалов исследования поможет кластеру.",
        "Questions can be sent to the press office, which said it would answer by Friday.",
    ],
)
def test_article_sentences_about_subscriptions_and_related_things_are_kept(line):
    assert not is_boilerplate_line(line)


def test_long_article_paragraph_mentioning_sharing_is_kept():
    paragraph = "Share of exports grew, " + "and the cluster reported strong results, " * 6
    assert not is_boilerplate_line(paragraph)


def test_names_linked_to_tag_pages_stay_in_their_sentence_but_screen_reader_text_goes():
    story = "<p>" + "The tour starts in spring and takes in forty cities across the country. " * 3 + "</p>"
    html = (
        "<html><body><article><h1>Band to tour</h1>"
        '<p><span class="s1">The <a href="/t/doobie-brothers/" id="auto-tag_doobie-brothers">Doobie Brothers</a> '
        'will unite with former frontman <a href="/t/michael-mcdonald/" class="tag-link">Michael McDonald</a> for a '
        '2020 North American tour<span class="sr-only"> (opens in a new window)</span> celebrating the band’s 50th '
        "anniversary, the group said on Tuesday.</span></p>"
        f"{story}{story}"
        '<div class="tags"><a href="/t/rock">Rock</a> <a href="/t/tours">Tours</a></div>'
        "</article></body></html>"
    )
    text = extract_main_text(parse_html(html)).text
    assert text.startswith("The Doobie Brothers will unite with former frontman Michael McDonald for a 2020 North "
                           "American tour celebrating the band’s 50th anniversary")
    assert "opens in a new window" not in text and "Rock" not in text


def test_a_call_to_action_box_after_the_story_leaves_the_text():
    story = "<p>" + "The cluster opened its laboratory in Tomsk and will test sensors there this year. " * 3 + "</p>"
    box = ("<div class='zone-custom-cta-letter'><h5>A Word to Our Loyal Readers</h5>"
           "<p>Support us and make a difference for readers everywhere. We do this work every day at no cost to you, "
           "but it is far from free to produce.</p><p>Editorial</p><p>Anna Petrova</p><p>Ivan Sidorov</p></div>")
    html = f"<html><body><article><h1>Laboratory opens</h1>{story}{story}{box}</article></body></html>"
    text = extract_main_text(parse_html(html)).text
    assert text.startswith("The cluster opened its laboratory")
    assert "Loyal Readers" not in text and "Support us" not in text and "Anna Petrova" not in text


def test_stories_listed_under_a_related_heading_leave_the_text_and_a_see_also_list_stays():
    story = "<p>" + "The cluster opened its laboratory in Tomsk and will test sensors there this year. " * 3 + "</p>"
    related = ("<ul><li>Startups must unionize, <a href='/s/1'>says a founder</a></li>"
               "<li>Paid ads are not the problem. <a href='/s/2'>Our perceptions are</a></li>"
               "<li>The plan to boost drone batteries <a href='/s/3'>with a jet</a></li></ul>")
    html = (f"<html><body><article><h1>Laboratory opens</h1>{story}{story}"
            f"<div class='heading-h3'>More Great Tomsk Stories</div>{related}"
            f"<h2>See also</h2>{related}</article></body></html>")
    text = extract_main_text(parse_html(html)).text
    assert text.count("Startups must unionize") == 1 and text.count("Paid ads are not the problem") == 1
    assert "More Great Tomsk Stories" not in text


def test_page_without_text_gives_none():
    assert extract_main_text(parse_html("<html><body><nav><a href='/'>Home</a></nav></body></html>")) is None
    assert extract_main_text(None) is None


def test_div_with_loose_text_and_line_breaks_is_extracted():
    html = (
        "<body><div class='menu'><a href='/a'>A</a> <a href='/b'>B</a></div><table><tr>"
        "<td>Первый абзац новости, достаточно длинный, чтобы считаться текстом.<br><br>"
        "Второй абзац новости, тоже длинный и с запятыми, как положено.</td></tr></table></body>"
    )
    text = extract_main_text(parse_html(html)).text
    assert text.split("\n\n") == [
        "Первый абзац новости, достаточно длинный, чтобы считаться текстом.",
        "Второй абзац новости, тоже длинный и с запятыми, как положено.",
    ]


# --- the pipeline ----------------------------------------------------------------
def test_pipeline_fills_the_text_block():
    item = ArticleItem(url=SEED_URL + "&utm_source=x", html=page("seed_sherpaspro_313.html"))
    TextPipeline().process_item(item)
    assert item.title == "Clusters and INO Tomsk: creating the route for followers"
    assert item.canonical_url == SEED_URL
    assert item.text.startswith("On 10-11 of March")
    assert item.link_density is not None and item.link_density < 0.05


def test_pipeline_reuses_the_spiders_tree_of_the_page_and_leaves_it_unchanged():
    html = page("seed_sherpaspro_313.html")
    tree = page_tree(html)  # as the spider leaves it after finding the page's links
    before = lxml.html.tostring(tree)
    TextPipeline().process_item(ArticleItem(url=SEED_URL, html=html))
    assert page_tree(html) is tree, "the page was parsed again"
    assert lxml.html.tostring(tree) == before, "later stages would read a changed page"


def test_pipeline_uses_og_url_when_canonical_is_the_homepage():
    item = ArticleItem(url=RU_URL, html=page("text_region_ru_news.html"))
    TextPipeline().process_item(item)
    assert item.canonical_url == "https://tomsk.gov.ru/news/front/view/id/71234"


@pytest.mark.parametrize("html", ["", "   ", "<html><body><nav>Menu</nav></body></html>", "%PDF-1.4 \ufffd\ufffd‡€‰¤¶§™\ufffd" * 20])
def test_pipeline_drops_empty_or_garbage_page(html):
    with pytest.raises(EmptyPage):
        TextPipeline().process_item(ArticleItem(url=INO_URL, html=html))


def test_pipeline_counts_empty_pages():
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()
    pipeline = TextPipeline.from_crawler(crawler)
    with pytest.raises(EmptyPage):
        pipeline.process_item(ArticleItem(url=INO_URL, html=""))
    assert crawler.stats.get_value("pipelines/text/empty") == 1


def test_pipeline_without_drop_keeps_garbage_with_a_warning():
    item = ArticleItem(url=INO_URL, html="\x00\x01")
    TextPipeline(drop_empty=False).process_item(item)
    assert item.text == ""
    assert item.title is None
    assert item.canonical_url == INO_URL
    assert item.warnings and item.warnings[0].startswith("text:")


def test_text_drop_empty_setting_maps_to_drop_empty():
    crawler = get_crawler(settings_dict={"TEXT_DROP_EMPTY": False})
    assert TextPipeline.from_crawler(crawler).drop_empty is False
    assert TextPipeline.from_crawler(get_crawler()).drop_empty is True


def test_pipeline_accepts_a_plain_dict_item():
    item = {"url": SEED_URL, "html": page("seed_sherpaspro_313.html")}
    TextPipeline().process_item(item)
    assert item["title"].startswith("Clusters and INO Tomsk")


# --- pages nobody tuned on (issue 14): one fixture page each, through what `extract` runs ----------


def extracted(name: str, url: str) -> dict:
    """The record `ino-archive extract tests/pages/NAME.html --url URL` prints."""
    from scraper.run import PageInput, extract_pages

    return next(extract_pages([PageInput(str(PAGES / f"{name}.html"), url)]))


def test_listing_of_teasers_is_dropped_as_a_listing():
    # Dated teasers with their own headline, category, one sentence and "Read more »": a section front.
    record = extracted("text_listing_of_teasers", "https://cluster.example.org/news/")
    assert record["dropped"] == "ListingPage: listing page, followed but not stored: https://cluster.example.org/news/"


def test_of_two_stories_on_a_page_the_headlines_story_is_kept():
    record = extracted("text_two_articles", "https://news.example.org/2024/04/technopark-opens-a-ceramics-workshop")
    assert record["title"] == "Technopark opens a ceramics workshop"
    assert "The Tomsk technopark opened a workshop for technical ceramics on Thursday" in record["text"]
    assert record["text"].endswith("the first orders came from the polytechnic university and two pharmaceutical companies.")
    assert "robotics" not in record["text"]


def test_lead_paragraph_above_the_body_is_kept():
    record = extracted("text_lead_paragraph", "https://tpu.example.org/news/university-launches-a-hydrogen-energy-centre")
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[0] == ("Tomsk Polytechnic University has opened a research centre for hydrogen energy that "
                             "will work with three industrial partners from the region.")
    assert len(paragraphs) == 5
    assert "Governor visits the technopark" not in record["text"]


def test_first_paragraph_in_a_block_with_a_drop_cap_modifier_class_is_kept():
    # The first block is "block-text block-text_initial-letter", the rest "block-text"; the headline differs from
    # the page's title, so nothing but the blocks' kind ties the first paragraph to the story.
    record = extracted("text_drop_cap_first_paragraph", "https://news.example.ru/economy/2024/05/tomsk-plant-sensors")
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[0].startswith("Томский приборный завод запустил линию по выпуску медицинских датчиков давления.")
    assert len(paragraphs) == 6
    assert "Читайте также" not in record["text"]


def test_story_beside_a_headline_in_a_removed_entry_header_keeps_its_opening_paragraphs():
    # WordPress: the headline sits in "header.entry-header", which goes as a page header; the body holds four
    # opening paragraphs, then a longer group block of steps that alone would score highest.
    record = extracted("text_headline_in_entry_header", "https://home.example.org/refinishing-vintage-furniture/")
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[0].startswith("Do you have an old chest of drawers from a grandmother's house")
    assert "Photograph the piece before you start" in paragraphs[-1]
    assert len(paragraphs) == 20
    assert "May 14, 2024 by Anna" not in record["text"]
    assert "Popular posts" not in record["text"]


def test_article_nested_in_a_newsletter_popup_left_open_is_found():
    # The popup's <aside> and the page's <header> are never closed, so the parser nests the whole page in them;
    # dropping them as a sidebar and a page header would leave nothing.
    record = extracted("text_article_inside_unclosed_popup", "https://siberia-style.example/five-places-in-tomsk/")
    assert record["dropped"] is None
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[0].startswith("Clothes made in Tomsk are easier to find than most people think.")
    assert paragraphs[-1] == "Prices in all five shops were checked in August and may have changed since."
    assert "2. Sibirskaya Sherst" in paragraphs
    for boilerplate in ("Get our weekly letter", "Popular posts", "All rights reserved", "Siberia Style"):
        assert boilerplate not in record["text"]


def test_section_titles_of_a_page_builder_article_are_kept_in_their_place():
    # Elementor: every block is a "widget" (a word that usually marks a sidebar's box), the section titles too.
    record = extracted("text_page_builder_section_titles", "https://warmhome.example/how-to-keep-a-house-warm/")
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[0].startswith("Tomsk has long winters, and a house loses most of its heat")
    assert [paragraphs.index(title) for title in ("Windows first", "Then the attic", "Do not forget the basement")] == [2, 5, 8]
    assert len(paragraphs) == 11
    for boilerplate in ("Join 15,000 readers", "Popular posts", "A post about saving energy"):
        assert boilerplate not in record["text"]


def test_a_run_of_teasers_of_the_sites_other_pages_inside_the_story_is_left_out():
    # "Most read": thumbnails linking to other pages of the site, each with a kicker and a line of teaser.
    record = extracted("text_most_read_teasers", "https://www.siberiatech.example/news/2024/03/tomsk-startup-ships-lab-sensors")
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[0].startswith("A startup from the Tomsk technopark has shipped its first batch")
    assert not {"Most read in technology", "HARD STUFF"} & set(paragraphs)
    assert "rover" not in record["text"]
    # cards with thumbnails linking to another site (the kits on sale) are the article's own
    assert paragraphs[-1] == "Spare hydrogen sensor head for any of the kits, sold one at a time"
    assert len(paragraphs) == 9


def test_a_code_block_named_by_its_language_is_the_articles_and_the_language_menu_is_not():
    record = extracted("text_code_block", "https://dev.example.org/notes/how-the-archive-finds-slow-queries")
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[2] == "EXPLAIN ANALYZE SELECT title FROM articles WHERE published >= '2016-01-01';"
    assert len(paragraphs) == 4
    assert "Русский" not in record["text"]


def test_table_rows_are_kept_one_line_each():
    record = extracted("text_table", "https://region.example.org/news/cluster-companies-grew-their-exports")
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[2:9] == [
        "Cluster 2022 2023", "Pharmaceuticals 3.1 3.9", "Information technology 5.4 6.8", "Nuclear technologies 2.2 2.5",
        "Forestry 4.0 4.3", "Oil and gas 2.6 2.7", "Medicine 0.7 0.8",
    ]
    assert paragraphs[-1].startswith("The department expects exports to reach 25 billion roubles")


def test_a_single_post_with_many_comments_is_an_article():
    from pipelines.extractors.pagekind import page_kind

    story = "".join(f"<p>Paragraph {n} of the post tells how the cluster's laboratory was built, who paid for it "
                    "and what it will test in its first year of work in the technopark.</p>" for n in range(4))
    comments = "".join(f"<div class='comment'><a href='/u/{n}'>Reader {n}</a><p>Comment {n}: good news for the "
                       "region, thanks.</p><a href='#reply-{n}'>Reply</a></div>" for n in range(12))
    html = f"<html><body><h1>Cluster opens a laboratory</h1>{story}<div class='comments'>{comments}</div></body></html>"
    assert page_kind(parse_html(html), "https://blog.example.org/cluster-opens-a-laboratory") == "article"


def test_a_page_of_one_long_table_is_an_article():
    from pipelines.extractors.pagekind import page_kind

    rows = "".join(f"<tr><td><a href='/company/{n}'>Company {n}</a></td><td>{n * 3}</td><td>Tomsk</td></tr>"
                   for n in range(40))
    html = (f"<html><body><h1>Cluster members in 2024</h1><p>The table lists every member company of the cluster "
            f"with its staff.</p><table>{rows}</table></body></html>")
    assert page_kind(parse_html(html), "https://cluster.example.org/members-in-2024") == "article"


def test_pipeline_leaves_the_pages_date_stamp_out_of_the_text_but_keeps_dates_inside_it():
    story = "<p>" + "The council met on Tuesday and voted for the new technology park. " * 3 + "</p>"
    html = (
        "<html><body><article><h1>Council backs the park</h1>"
        "<p>Updated 5:27 am CST, Wednesday, November 20, 2019</p>"
        f"{story}<p>March 3, 2019</p>{story}<p>Date: June 8-11, 2026</p>"
        "<p>Обновлено 14 марта 2016 в 12:00</p></article></body></html>"
    )
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()
    item = ArticleItem(url="https://example.org/news/council-backs-the-park", html=html)
    TextPipeline.from_crawler(crawler).process_item(item)
    paragraphs = item.text.split("\n\n")
    assert "Updated" not in item.text and "Обновлено" not in item.text
    assert paragraphs[1] == "March 3, 2019", "a date between paragraphs is not the page's stamp"
    assert paragraphs[-1] == "Date: June 8-11, 2026", "an event's date is text"
    assert crawler.stats.get_value("pipelines/text/date_stamps_removed") == 2


def test_short_paragraphs_of_a_page_builder_article_are_kept_in_their_place():
    # Elementor gives each paragraph its own "widget" block; a short one (a sentence or two) is named like a sidebar's
    # box and holds too little text to be kept on its own, but it is of the kind of the story's other blocks.
    record = extracted("text_page_builder_short_text_blocks", "https://makers.example/notes/bluetooth-room-tracking/")
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[0].startswith("At the Tomsk makerspace we wanted the lights")
    assert paragraphs[1].startswith("Each board costs about five hundred roubles")
    assert paragraphs[3:5] == ["Powering the boards", "A board listens all the time, so it needs steady power. "
                                                         "The smallest phone chargers are enough for it."]
    assert paragraphs[-1].startswith("Next winter we will try the same boards in the greenhouse")
    assert len(paragraphs) == 9
    for boilerplate in ("Popular posts", "A post about the workshop", "Join 2,000 readers"):
        assert boilerplate not in record["text"]


def test_a_block_of_the_storys_kind_nested_in_another_of_its_chunks_is_read_once():
    # Drupal names every field "field": a questions section of the story (a field) holds its answers (fields too).
    from pipelines.extractors.maintext.render import clean_paragraphs, render_blocks
    from pipelines.extractors.maintext.select import with_chunks

    answers = "".join(
        f"<div class='accordion-item'><p>Question {n}?</p><div class='field field--name-field-answer'>"
        f"<p>The answer to question {n}, long enough to be a paragraph of the story on its own.</p></div></div>"
        for n in range(1, 4)
    )
    body = parse_html(
        "<body><div class='main'><div class='field field--name-body'><p>" + "The story's first part. " * 12 + "</p></div></div>"
        "<div class='ad'>Advertisement</div>"
        f"<section class='faq'><div class='field field--name-field-faq'><h2>Questions</h2>{answers}</div></section></body>"
    ).find(".//body")
    container = body.find(".//div[@class='field field--name-body']")
    paragraphs = list(clean_paragraphs(render_blocks(with_chunks(body, [container], container))))
    assert paragraphs[0].startswith("The story's first part.")
    assert [p for p in paragraphs if p.startswith("The answer to question")] == [
        f"The answer to question {n}, long enough to be a paragraph of the story on its own." for n in range(1, 4)
    ]


def test_the_numbered_steps_of_a_how_to_are_kept_in_their_place():
    # A block of the story's kind whose paragraphs are numbered is a box of facts when they are short, and the steps
    # of a how-to when each is a sentence or more.
    record = extracted("text_numbered_steps", "https://makers.example/notes/flashing-the-room-sensors/")
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[1] == "The steps"
    assert [p[:3] for p in paragraphs[2:8]] == ["1. ", "2. ", "3. ", "4. ", "5. ", "6. "]
    assert paragraphs[8:] and paragraphs[-1].startswith("The server finds the new board by itself")
    assert len(paragraphs) == 10


def test_a_story_the_page_carries_twice_is_read_once():
    # Webflow-style pages carry the story once per screen size; when both copies are chosen, the text says it once.
    from pipelines.extractors.maintext.render import clean_paragraphs, render_blocks
    from pipelines.extractors.maintext.select import first_copies

    story = ("<div class='rte w-richtext'><p>Twelve startups showed their products to investors.</p>"
             "<p>The jury chose the silo sensors.</p></div>")
    body = parse_html(f"<body><div class='desktop'>{story}</div><div class='mobile'>{story}</div>"
                      "<div class='rte w-richtext'><p>The fund offered the best teams a place.</p></div></body>").find(".//body")
    blocks = body.findall(".//div[@class='rte w-richtext']")
    assert list(clean_paragraphs(render_blocks(first_copies(blocks)))) == [
        "Twelve startups showed their products to investors.", "The jury chose the silo sensors.",
        "The fund offered the best teams a place.",
    ]


def test_trafilaturas_text_stops_where_the_story_starts_over_but_keeps_lines_a_plan_repeats():
    from pipelines.extractors.maintext.peer import without_second_copy

    story = ["Tomsk startups at the winter demo day", "Twelve startups showed their products.",
             "The jury chose the sensors.", "The fund offered a place to five teams."]
    assert without_second_copy(story + story) == story
    plan = ["Week one", "Pre-workout meal", "Eat an hour before.", "Monday: run", "Pre-workout meal", "Eat an hour before.",
            "Tuesday: swim", "Pre-workout meal", "Eat an hour before."]
    assert without_second_copy(plan) == plan


def test_a_short_title_the_story_says_twice_stays_twice():
    # A review's "Pros" over each product is the story's own, not a second copy of it.
    from pipelines.extractors.maintext.select import first_copies

    body = parse_html("<body><h3>Pros</h3><p>The first sensor is cheap and reads the grain at twenty depths.</p>"
                      "<h3>Pros</h3><p>The second sensor runs for two winters on one battery.</p></body>").find(".//body")
    parts = list(body)
    assert [part.text_content() for part in first_copies(parts)] == [part.text_content() for part in parts]


def test_a_sentence_mostly_under_its_link_stays_and_a_labelled_link_goes():
    # A reporter links most of a sentence to its source; a "Read more:" link and a paragraph that is only a link are
    # the site's pointers to other stories.
    text = extracted("text_linked_sentences", "https://wire.example.ru/news/court-reopens-grant-case")["text"]
    assert "The case had been closed in 2021 but was reopened this autumn after the regional prosecutor" in text
    assert "the third closed in the spring of last year, when its founders moved to Novosibirsk." in text
    assert "Auditors finish the review" not in text
    assert "Cluster fund names a new director" not in text
    assert text.endswith("expect the case to take most of the coming year.")


def test_posts_the_story_quotes_stay_and_its_share_box_goes():
    # Embedded posts are the story's quotes, however their wrapper is named; share buttons are not.
    text = extracted("text_embedded_posts", "https://daily.example.ru/2025/11/19/slogan/")["text"]
    assert "Honestly the best slogan the region has had in years." in text
    assert "Will try again in December." in text
    assert "— Pavel Sokolov (@psokolov) November 19, 2025" in text
    assert "Share on" not in text
    assert text.endswith("Last year's programme chose twelve teams out of ninety applications.")


def test_a_story_that_react_streams_in_late_is_read_in_its_place():
    # A browser runs the page's inline React calls, which move the hidden segments into the templates marking their
    # places; the story is the page's text, its "Loading" skeleton is not.
    record = extracted("text_react_streamed", "https://technotes.example.ru/news/cluster-day-2025")
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[0].startswith("Fourteen young companies of the Tomsk region presented their products")
    assert paragraphs[1].startswith("The jury gave its first prize to a maker of soil sensors")
    assert paragraphs[2].startswith("Each of the winners receives a place in the region's accelerator")
    assert paragraphs[3].startswith("The organisers plan to hold the next cluster day in the spring")
    assert len(paragraphs) == 4
    assert record["published"].startswith("2025-11-18")


def test_streamed_calls_that_name_no_template_leave_the_page_as_it_is():
    from scraper.decode.streamed import reveal_streamed

    page = parse_html('<body><p>Story.</p><div hidden id="S:0"><p>Late.</p></div>'
                      '<script>$RC("B:9","S:0");$RS("S:7","P:7")</script></body>')
    assert reveal_streamed(page) == 0
    assert page.find(".//div[@id='S:0']").text_content() == "Late."


def test_a_streamed_page_with_reacts_external_runtime_is_read_in_its_place():
    # Under a strict content policy React writes its instructions as templates instead of inline calls.
    from pipelines.extractors.maintext import extract_main_text

    story = "".join(f"<p>Paragraph {n} of the story about the cluster's new laboratory, long enough to count.</p>"
                    for n in range(1, 4))
    page = parse_html(f'<body><h1>The new laboratory</h1><main><!--$?--><template id="B:0"></template>'
                      f'<p>Loading…</p><!--/$--></main><div hidden id="S:0"><article>{story}</article></div>'
                      '<template data-rci="" data-bid="B:0" data-sid="S:0"></template></body>')
    text = extract_main_text(page, "https://lab.example.ru/news/new-laboratory").text
    assert text.startswith("Paragraph 1 of the story") and "Paragraph 3" in text and "Loading" not in text


def test_trafilaturas_text_keeps_the_story_above_a_headline_said_again_below_it():
    # The headline stands in the page's header, apart from the story, and again below the story: trafilatura's
    # text starts with the story, which our own text confirms, so what comes before its headline line stays.
    from pipelines.extractors.maintext.peer import peer_text

    page = parse_html((PAGES / "text_headline_repeated_below.html").read_text(encoding="utf-8"))
    url, headline = "https://labnotes.example.ru/sample-jars/", "Where to keep the lab's sample jars"
    own = extract_main_text(page, url).text
    text = peer_text(page, url, [], headline, own)
    assert text.startswith("Every laboratory that takes soil and water samples in the field")
    assert "Label before you freeze" in text
    assert "Where to keep the lab's sample jars" not in text
    assert peer_text(page, url, [], headline).startswith("Have a tip of your own?")  # without ours: cut there


def test_a_section_named_as_the_story_does_not_cut_trafilaturas_text_but_a_box_above_the_headline_goes():
    # Lines above trafilatura's headline line that our own text also has are the story (a section bears the story's
    # name); lines it has not are a box above the story (ino-tomsk.ru's facts column).
    from pipelines.extractors.maintext.dom import squash
    from pipelines.extractors.maintext.peer import after_headline

    opening = "Thank you for joining the cluster's monthly letter on science and industry in the region."
    story = [opening, "Two principles help most.", "Field sensors", "The sensors are checked every spring.",
             "Soil probes go deeper than the old ones, and the growers read them from their phones."]
    ours = squash(" ".join([opening, "Two principles help most.", *story[3:]]))
    assert after_headline(story, "field sensors", ours) == [line for line in story if line != "Field sensors"]
    boxed = ["INO Tomsk in ten facts", "1. The programme joins the region's universities and companies.",
             "Field sensors", *story[3:]]
    assert after_headline(boxed, "field sensors", ours) == story[3:]


def test_a_sentence_that_starts_like_a_share_button_is_the_storys():
    # "Like" and "Share" open share buttons' labels, and sentences too.
    for sentence in ("Like most service businesses, there's a wide variety of software companies to choose from.",
                     "Share prices of the cluster's members rose for the third week.",
                     "Share of homes that sold above asking (2024)"):
        assert not is_boilerplate_line(sentence), sentence
    for label in ("Share", "Share on Facebook", "SHARE THIS ARTICLE", "Like 12",
                  "Like this story? Share it with a friend!", "Поделиться"):
        assert is_boilerplate_line(label), label


def test_answers_that_open_with_a_click_are_the_pages_text_and_a_hidden_menu_is_not():
    text = extracted("text_faq_answers_collapsed", "https://cluster.example.ru/news/grant-questions")["text"]
    assert "Any company registered in the Tomsk region for less than five years" in text
    assert "Up to three million roubles, paid in two parts" in text
    assert "Grants" not in text.split("\n\n")
    assert text.endswith("the first payments are planned for April.")
