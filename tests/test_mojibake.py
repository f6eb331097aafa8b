"""Mojibake (UTF-8 Russian read as windows-1251 or windows-1252) is repaired or flagged, never stored silently."""

from __future__ import annotations

from pathlib import Path

from scrapy.utils.test import get_crawler

from pipelines.text import TextPipeline
from scraper.decode import repair_mojibake
from scraper.decode.mojibake import Repair
from scraper.items import ArticleItem

PAGE = (Path(__file__).parent / "pages" / "inotomsk_ru" / "it-forum.html").read_text(encoding="utf-8")
HEADLINE = "В Томске прошёл форум информационных технологий"
FIRST_PARAGRAPH = "В Томске завершился форум информационных технологий"


def as_cp1251(text: str) -> str:
    """What a CMS that read UTF-8 as windows-1251 wrote: "РўРѕРјСЃРє"."""
    return text.encode("utf-8").decode("cp1251", "replace")


def as_cp1252(text: str) -> str:
    """UTF-8 read as windows-1252, undefined bytes as a browser shows them: "Ð¢Ð¾Ð¼Ñ\x81Ðº"."""
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in text.encode("utf-8"))


def extracted(html: str) -> ArticleItem:
    return TextPipeline().process_item(ArticleItem(url="https://www.ino-tomsk.ru/news/it-forum", html=html))


def test_utf8_read_as_cp1251_is_repaired_and_flagged():
    assert "РўРѕРјСЃРє" in as_cp1251("Томск")
    item = extracted(as_cp1251(PAGE))
    assert item.title == HEADLINE
    assert item.text.startswith(FIRST_PARAGRAPH)
    assert any("repaired mojibake (utf-8 read as cp1251)" in warning for warning in item.warnings)


def test_utf8_read_as_cp1252_is_repaired_and_flagged():
    item = extracted(as_cp1252(PAGE))
    assert item.title == HEADLINE
    assert item.text.startswith(FIRST_PARAGRAPH)
    assert any("utf-8 read as cp1252" in warning for warning in item.warnings)


def test_repaired_page_is_what_the_later_stages_read():
    item = extracted(as_cp1251(PAGE))
    assert item.html == PAGE


def test_mojibake_that_lost_bytes_is_flagged_as_not_repaired():
    # windows-1252 without a glyph for 0x81, 0x8D, 0x8F, 0x90, 0x9D: those bytes are gone.
    broken = PAGE.encode("utf-8").decode("cp1252", "ignore")
    item = extracted(broken)
    assert any("could not be repaired" in warning for warning in item.warnings)


def test_the_examples_from_the_wild_are_repaired():
    assert repair_mojibake("Ð¢Ð¾Ð¼ÑÐº").text == "Томск"
    assert repair_mojibake("РўРѕРјСЃРє").text == "Томск"


def test_clean_russian_page_is_left_alone_without_warnings():
    item = extracted(PAGE)
    assert item.warnings == []
    assert item.html == PAGE


def test_russian_words_that_look_like_pairs_are_not_touched():
    text = "Сёмин и Ретро-Сё приехали в «ТУСУР» на Сёмгу-2016."
    assert repair_mojibake(text).text == text
    assert repair_mojibake(text).repaired == 0


def test_repairs_are_counted():
    crawler = get_crawler()
    crawler.stats.open_spider()
    TextPipeline.from_crawler(crawler).process_item(ArticleItem(url="https://x.ru/1", html=as_cp1251(PAGE)))
    assert crawler.stats.get_value("pipelines/text/mojibake_repaired") == 1


def test_misread_curly_quotes_and_dashes_on_a_page_whose_letters_are_right_are_repaired():
    # A CMS that stored "’ “ ” —" as UTF-8 read as Latin-1 ("â\x80\x99") or windows-1252 ("â€”").
    english = (Path(__file__).parent / "pages" / "text_inotomsk_en_news.html").read_text(encoding="utf-8")
    paragraph = "<p>It’s “a centre for the whole region” — the rector said, and it’s open to every student.</p>"
    misread = paragraph.replace("’", "\u00e2\x80\x99").replace("“", "\u00e2\x80\x9c").replace("”", "\u00e2\x80\x9d")
    misread = misread.replace("—", as_cp1252("—"))
    item = TextPipeline().process_item(ArticleItem(url="https://en.example.org/news/smart-materials",
                                                   html=english.replace("<p>The equipment of the centre", misread + "<p>The equipment of the centre", 1)))
    assert "It’s “a centre for the whole region” — the rector said, and it’s open to every student." in item.text
    assert any("repaired mojibake (utf-8 read as cp1252)" in warning for warning in item.warnings)


def test_letters_next_to_what_looks_like_punctuation_are_left_alone():
    text = "ESPAÑA, château » fin, «в „Газпроме“»"
    assert repair_mojibake(text) == Repair(text)


ENGLISH_STORY = ("The cluster's café for start-ups opened on Monday\u00a0— “a place to meet,” its founder said. "
                 "Its menu is printed on recycled paper® and costs 5\u00a0€ a cup. ") * 3


def test_latin_letters_symbols_and_spaces_read_as_cp1252_are_repaired():
    # A CMS that encoded its UTF-8 twice: "cafÃ©", "paperÂ®", "MondayÂ\xa0", "â€œa place".
    page = (f"<html><head><title>The cluster's café for start-ups opens – Tomsk Start-up News</title></head><body>"
            f"<h1>The cluster's café for start-ups opens</h1>"
            f"<p>{ENGLISH_STORY}</p><p>{ENGLISH_STORY}</p></body></html>")
    item = TextPipeline().process_item(ArticleItem(url="https://startups.example.ru/cafe", html=as_cp1252(page)))
    assert item.title == "The cluster's café for start-ups opens"
    assert item.text.startswith("The cluster's café for start-ups opened on Monday — “a place to meet,” its founder")
    assert "recycled paper® and costs 5 € a cup" in item.text
    assert "Ã" not in item.text and "Â" not in item.text


def test_mojibake_in_a_pages_json_is_repaired_too():
    # The story only in JSON-LD, its mojibake escaped there (out of reach of the repair of the HTML).
    import json

    body = json.dumps({"@type": "NewsArticle", "headline": as_cp1252("The cluster's café for start-ups opens"),
                       "articleBody": as_cp1252(ENGLISH_STORY)}, ensure_ascii=True)
    page = f'<html><body><script type="application/ld+json">{body}</script><div id="app"></div></body></html>'
    item = TextPipeline().process_item(ArticleItem(url="https://startups.example.ru/cafe", html=page))
    assert item.text.startswith("The cluster's café for start-ups opened on Monday — “a place to meet,”")
    assert "costs 5 € a cup" in item.text and "Ã" not in item.text and "Â" not in item.text
    assert item.title == "The cluster's café for start-ups opens"
