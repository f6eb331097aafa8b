"""Site-level boilerplate learned per source (pipelines.extractors.boilerplate, TextPipeline).

The fixture pages in tests/pages/inotomsk_ru/ are ino-tomsk.ru-style (Liferay)
pages of one source: every page, the listing included, carries the sidebar
"ИНО Томск в десяти фактах" in the same CSS class as the article text, and
every article ends with the same subscription line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from archive_fixtures import db_url  # noqa: F401  (fixture: SQLite and PostgreSQL)
from scrapy.utils.test import get_crawler

from pipelines.extractors.boilerplate import SiteBoilerplate, SourceMemory, block_key
from pipelines.text import TextPipeline
from scraper.decode import parse_html
from scraper.items import ArticleItem

SITE = Path(__file__).parent / "pages" / "inotomsk_ru"
LISTING = "novosti"
ARTICLES = ("tpu-centr-materialov", "farmklaster-plany", "it-forum", "les-i-taiga", "anons-vystavki")
FACTS = ("ИНО Томск в десяти фактах", "Каждый пятый житель Томска", "Цель ИНО Томск")
SUBSCRIBE = "Подпишитесь на рассылку"


def item(name: str, source: str = "ino-tomsk-ru") -> ArticleItem:
    html = (SITE / f"{name}.html").read_text(encoding="utf-8")
    return ArticleItem(url=f"https://www.ino-tomsk.ru/news/news/view-news/-/{name}", source=source, html=html)


def crawl_order(pipeline: TextPipeline) -> dict[str, str]:
    """The listing first (a crawl starts there), then the articles; their texts by name."""
    pipeline.process_item(item(LISTING))
    return {name: pipeline.process_item(item(name)).text for name in ARTICLES}


def test_facts_sidebar_never_reaches_the_text_of_any_article():
    texts = crawl_order(TextPipeline(boilerplate=SiteBoilerplate(min_pages=3)))
    for name, text in texts.items():
        for fact in FACTS:
            assert fact not in text, name


def test_short_article_keeps_only_its_own_paragraph():
    texts = crawl_order(TextPipeline(boilerplate=SiteBoilerplate(min_pages=3)))
    assert texts["anons-vystavki"] == "Выставка инноваций Томской области откроется 12 мая в технопарке, вход свободный."


def test_without_learning_the_short_article_takes_the_facts_for_its_text():
    # What the learning is for: on its own the page's facts box outweighs a short note.
    text = TextPipeline().process_item(item("anons-vystavki")).text
    assert "ИНО Томск в десяти фактах" in text


def test_recurring_subscription_line_goes_once_seen_on_enough_pages():
    texts = crawl_order(TextPipeline(boilerplate=SiteBoilerplate(min_pages=3)))
    # listing (no subscription line), then articles 1 and 2 teach it; from the 3rd on it is gone
    assert SUBSCRIBE in texts["tpu-centr-materialov"]
    for name in ARTICLES[2:]:
        assert SUBSCRIBE not in texts[name], name


def test_article_paragraphs_are_kept():
    texts = crawl_order(TextPipeline(boilerplate=SiteBoilerplate(min_pages=3)))
    assert texts["it-forum"].startswith("В Томске завершился форум информационных технологий")
    assert "Сергей Жвачкин вручил премии" in texts["it-forum"]


def test_sources_are_learned_apart():
    pipeline = TextPipeline(boilerplate=SiteBoilerplate(min_pages=3))
    crawl_order(pipeline)
    # the same short page from a source never seen before: nothing learned there yet
    assert "ИНО Томск в десяти фактах" in pipeline.process_item(item("anons-vystavki", source="other")).text


def test_one_article_under_two_urls_does_not_teach_its_own_paragraphs():
    pipeline = TextPipeline(boilerplate=SiteBoilerplate(min_pages=2))
    first = pipeline.process_item(item("it-forum")).text
    again = item("it-forum")
    again.url += "?utm_source=vk"
    assert pipeline.process_item(again).text == first


def test_memory_is_bounded():
    memory = SourceMemory(min_pages=2, max_blocks=100)
    for page in range(1000):
        memory.learn({block_key(f"block {page} {n}") for n in range(5)}, f"page {page}")
    assert len(memory.candidates) <= 100
    assert len(memory.confirmed) <= 100


def test_block_seen_on_enough_distinct_pages_is_known():
    memory = SourceMemory(min_pages=3, max_blocks=100)
    key = block_key("Подпишитесь на рассылку новостей")
    memory.learn({key}, "page 1")
    memory.learn({key}, "page 1")
    memory.learn({key}, "page 2")
    assert key not in memory
    memory.learn({key}, "page 3")
    assert key in memory


def test_min_pages_below_two_is_refused():
    with pytest.raises(ValueError, match="at least 2"):
        SiteBoilerplate(min_pages=1)


def test_strip_keeps_a_wrappers_other_blocks():
    boilerplate = SiteBoilerplate(min_pages=2)
    html = "<body><div>Подпишитесь на рассылку новостей<p>Статья номер {n}, её собственный текст.</p></div></body>"
    for n in (1, 2):
        body = parse_html(html.format(n=n)).find("body")
        boilerplate.strip(body, "site", f"page {n}")
    assert body.text_content() == "Статья номер 2, её собственный текст."


def test_settings_configure_the_learning():
    crawler = get_crawler(settings_dict={"TEXT_BOILERPLATE_MIN_PAGES": 5, "TEXT_BOILERPLATE_MAX_BLOCKS": 10})
    pipeline = TextPipeline.from_crawler(crawler)
    assert (pipeline.boilerplate.min_pages, pipeline.boilerplate.max_blocks) == (5, 10)
    off = TextPipeline.from_crawler(get_crawler(settings_dict={"TEXT_BOILERPLATE_ENABLED": False}))
    assert off.boilerplate is None


def test_removed_blocks_are_counted():
    crawler = get_crawler(settings_dict={"TEXT_BOILERPLATE_MIN_PAGES": 2})
    crawler.stats.open_spider()
    crawl_order(TextPipeline.from_crawler(crawler))
    assert crawler.stats.get_value("pipelines/text/boilerplate_blocks") > 0


def test_related_news_list_and_site_footer_stay_out_of_the_text():
    texts = crawl_order(TextPipeline(boilerplate=SiteBoilerplate(min_pages=3)))
    for name, text in texts.items():
        assert "Другие новости" not in text, name
        assert "площадь Ленина" not in text, name
        # the other articles' headlines, linked from the related list
        assert "Фармацевтический кластер обсудил" not in text or name == "farmklaster-plany", name


def test_an_articles_lead_quoted_in_other_pages_sidebar_stays_in_the_article():
    lead = "Томский политехнический университет открыл центр умных материалов."
    page = ("<body><div class='article'><h1>{title}</h1><p>{body}</p></div>"
            "<div class='latest'><p>" + lead + "</p></div></body>")
    pipeline = TextPipeline(boilerplate=SiteBoilerplate(min_pages=2))
    for n in (1, 2, 3):
        html = page.format(title=f"Новость {n}", body=f"Собственный текст новости номер {n}, довольно длинный, с запятыми.")
        pipeline.process_item(ArticleItem(url=f"https://x.ru/{n}", source="x", html=html))
    article = page.format(title="ТПУ открыл центр", body=lead).replace("<div class='latest'>", "<div class='latest'>Ещё")
    assert pipeline.process_item(ArticleItem(url="https://x.ru/tpu", source="x", html=article)).text.startswith(lead)


# --- kept between crawls (archive.store.boilerplate) ----------------------------------------------


def _crawl(db, names, persist=True):
    """One crawl's text stage over ``names``, opened and closed as Scrapy does; their texts."""
    pipeline = TextPipeline(boilerplate=SiteBoilerplate(min_pages=2), persist=persist, db=db)
    pipeline.open_spider()
    texts = {name: pipeline.process_item(item(name)).text for name in names}
    pipeline.close_spider()
    return texts


def test_a_later_crawl_of_one_new_article_removes_what_earlier_crawls_learned(db_url):  # noqa: F811
    # A cron run fetches only the new article: alone, its facts box would be its text (see above).
    _crawl(db_url, ["tpu-centr-materialov", "farmklaster-plany"])
    text = _crawl(db_url, ["anons-vystavki"])["anons-vystavki"]
    assert text == "Выставка инноваций Томской области откроется 12 мая в технопарке, вход свободный."


def test_learning_is_not_kept_when_switched_off(db_url):  # noqa: F811
    _crawl(db_url, ["tpu-centr-materialov", "farmklaster-plany"], persist=False)
    assert "ИНО Томск в десяти фактах" in _crawl(db_url, ["anons-vystavki"])["anons-vystavki"]


def test_an_archive_that_cannot_be_opened_costs_only_the_memory(tmp_path, caplog):
    broken = tmp_path / "not-a-database.sqlite3"
    broken.write_bytes(b"this is not an SQLite file" * 100)
    before = broken.read_bytes()
    texts = _crawl(str(broken), ["tpu-centr-materialov", "farmklaster-plany", "anons-vystavki"])
    assert FACTS[0] not in texts["anons-vystavki"], "learning within the crawl goes on"
    assert "Could not read the learned boilerplate" in caplog.text
    assert broken.read_bytes() == before


def test_block_keys_are_the_same_in_every_process():
    # Python's own str hash is salted per process: keys kept in the archive must not be.
    code = ("from pipelines.extractors.boilerplate import block_key, page_blocks; "
            "from scraper.decode.tree import parse_html; "
            "t = parse_html('<html><body><div class=\"a\"><p>ИНО Томск в десяти фактах</p></div></body></html>'); "
            "print(block_key('ИНО Томск', 7), [k for _, k in page_blocks(t.find('body'))])")
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}, cwd=Path(__file__).parent.parent).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1, outputs


# --- what is learned, where, and what the item shows (issue 16, item 12) ---------------------------

VERSION = ("<html><head><title>{title}</title></head><body><div class='site'>"
           "<div class='tagline'><p>Tomsk News: every story of the region, every morning</p></div>"
           "<article><h1>{title}</h1><div class='entry-content'><p>{own}</p>"
           "<p>“We will open the second stage of the technopark in 2025,” the governor told the forum.</p>"
           "</div></article></div></body></html>")


def version(n: int) -> ArticleItem:
    html = VERSION.format(title=f"Technopark news, version {n}",
                          own=f"Version {n} of the story about the technopark's second stage, with its own lead.")
    return ArticleItem(url=f"https://news.example.org/story-{n}", source="news", html=html)


def test_a_quote_two_versions_of_a_story_share_stays_in_both():
    pipeline = TextPipeline(boilerplate=SiteBoilerplate())  # the shipped default: two pages make a template block
    first, second = pipeline.process_item(version(1)), pipeline.process_item(version(2))
    quote = "“We will open the second stage of the technopark in 2025,” the governor told the forum."
    assert quote in first.text
    assert quote in second.text


def test_the_item_lists_the_template_blocks_removed_from_it():
    pipeline = TextPipeline(boilerplate=SiteBoilerplate())
    first, second = pipeline.process_item(version(1)), pipeline.process_item(version(2))
    assert first.boilerplate_removed == []
    assert second.boilerplate_removed == ["Tomsk News: every story of the region, every morning"]


def test_extract_over_unrelated_sites_learns_nothing_across_them(tmp_path):
    from scraper.run import PageInput, extract_pages

    # The same sentence at the same place on two sites' pages: each site has seen it once.
    page = ("<html><body><div class='story'><h1>{title}</h1><p>{own}</p>"
            "<p>The region's innovation programme began in 2011 and now has six clusters.</p></div></body></html>")
    inputs = []
    for n in (1, 2):
        path = tmp_path / f"page{n}.html"
        path.write_text(page.format(title=f"Story {n}", own=f"Story number {n} has a paragraph of its own."),
                        encoding="utf-8")
        inputs.append(PageInput(str(path), f"https://site{n}.example.org/news/{n}"))
    records = list(extract_pages(inputs))
    assert all("began in 2011" in record["text"] for record in records)
    assert [record["boilerplate_removed"] for record in records] == [[], []]


def test_a_call_to_action_every_page_builder_article_ends_with_goes_once_learned():
    # tests/pages/builder_site: two Elementor articles of one site, each paragraph its own short "widget" block,
    # both ending with the same call to action in a text widget like theirs.
    site = Path(__file__).parent / "pages" / "builder_site"
    pipeline = TextPipeline(boilerplate=SiteBoilerplate(min_pages=2))
    texts = [
        pipeline.process_item(ArticleItem(url=f"https://makers.example/notes/{name}/", source="makers",
                                          html=(site / f"{name}.html").read_text(encoding="utf-8"))).text
        for name in ("laser-cutter-table", "thermal-camera")
    ]
    call = "Want the workshop to build something like this for your lab?"
    assert call in texts[0]  # the site's first page: nothing learned yet
    paragraphs = texts[1].split("\n\n")
    assert call not in texts[1]
    assert paragraphs[1] == ("The course takes an hour and is held in the classroom on the first Thursday of every "
                             "month at seven in the evening.")
    assert paragraphs[-1].startswith("Bookings open on the first day of each month")
    assert len(paragraphs) == 6
