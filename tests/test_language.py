"""Language decision (pipelines.extractors.language) and the LanguagePipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from pipelines.extractors import language as language_module
from pipelines.extractors.language import (
    detect_language,
    langdetect_decision,
    script_decision,
)
from pipelines.extractors.maintext import extract_main_text
from pipelines.language import LanguagePipeline
from pipelines.text import TextPipeline
from scraper.decode import parse_html
from scraper.items import ArticleItem

PAGES = Path(__file__).parent / "pages"
RUSSIAN = (
    "Делегация Томской области представила на форуме в Новосибирске двенадцать проектов, "
    "созданных в рамках программы ИНО Томск. Среди них разработки в области новых материалов."
)
ENGLISH = (
    "On 10-11 of March of 2016 Evgeniya Shamis acted as a moderator of the strategic session "
    "devoted to development of INO Tomsk and its clusters."
)
GERMAN = (
    "Die Universität Tomsk hat ein neues Zentrum für intelligente Werkstoffe eröffnet. "
    "Es soll mit Partnern aus der Industrie zusammenarbeiten und neue Materialien entwickeln."
)
UKRAINIAN = "Томська область представила на форумі дванадцять проєктів, створених у рамках програми. Це важливі розробки."


def page_text(name: str) -> str:
    return extract_main_text(parse_html((PAGES / name).read_text(encoding="utf-8"))).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [(RUSSIAN, "ru"), (ENGLISH, "en"), (GERMAN, "other"), (UKRAINIAN, "other")],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   \n ", None])
def test_empty_text_has_no_language(text):
    assert detect_language(text) is None


def test_digits_only_text_is_other():
    assert detect_language("2016 — 2017, 100 000; 42") == "other"


def test_clear_russian_and_english_are_decided_by_script_alone():
    assert script_decision(RUSSIAN) == "ru"
    assert script_decision(ENGLISH) == "en"


def test_short_or_mixed_text_is_left_to_langdetect():
    assert script_decision("ИНО Томск") is None
    assert script_decision(GERMAN) is None


def test_langdetect_is_deterministic():
    text = "Tomsk INO clusters Томск"
    assert len({langdetect_decision(text) for _ in range(5)}) == 1


def test_langdetect_profiles_are_not_loaded_at_import():
    # functools.cache: nothing cached until the first undecided text.
    language_module.detector_factory.cache_clear()
    detect_language(RUSSIAN)
    assert language_module.detector_factory.cache_info().currsize == 0


def test_seed_page_is_english():
    assert detect_language(page_text("seed_sherpaspro_313.html")) == "en"


def test_russian_page_is_russian_despite_english_words():
    text = page_text("text_region_ru_news.html") + "\n\nSend message. Your name. Contact us. Sorry, not sent."
    assert detect_language(text) == "ru"


def test_russian_article_with_english_brand_names_stays_russian():
    text = RUSSIAN + " Компании Microsoft, Google и IBM открыли офисы в Tomsk Special Economic Zone."
    assert detect_language(text) == "ru"


def test_text_in_other_scripts_is_not_english_despite_latin_brand_names():
    # Japanese with a few Latin words: the Latin letters are a small share of all letters.
    text = "Kindle書籍を読む場合は、一般的にスマホやタブレットなどのモバイル端末で読むことが多いと思いますが、" * 3
    assert detect_language(text) == "other"


def test_russian_fixture_page_declared_english_is_russian():
    # The ino-tomsk.ru pages declare lang="en-US" on every language version.
    html = (PAGES / "inotomsk_ru" / "it-forum.html").read_text(encoding="utf-8")
    assert 'lang="en-US"' in html
    item = TextPipeline().process_item(ArticleItem(url="https://www.ino-tomsk.ru/news/it-forum", html=html))
    assert LanguagePipeline().process_item(item).language == "ru"


def test_english_page_declared_russian_is_english():
    html = (PAGES / "seed_sherpaspro_313.html").read_text(encoding="utf-8")
    html = html.replace('<html lang="en">', '<html lang="ru">', 1)
    assert '<html lang="ru">' in html
    item = TextPipeline().process_item(ArticleItem(url="http://sherpaspro.com/news/313/", html=html))
    assert LanguagePipeline().process_item(item).language == "en"


# --- the pipeline ----------------------------------------------------------------
def test_pipeline_fills_language_and_counts_it():
    crawler = get_crawler()
    crawler.stats.open_spider()
    pipeline = LanguagePipeline.from_crawler(crawler)
    item = pipeline.process_item(ArticleItem(url="http://x.ru/1", text=RUSSIAN))
    assert item.language == "ru"
    assert crawler.stats.get_value("pipelines/language/ru") == 1


def test_pipeline_falls_back_to_title_then_hint():
    assert LanguagePipeline().process_item(ArticleItem(url="u", title=ENGLISH)).language == "en"
    assert LanguagePipeline().process_item(ArticleItem(url="u", language_hint="ru")).language == "ru"
    assert LanguagePipeline().process_item(ArticleItem(url="u")).language is None


def test_pipeline_text_overrides_the_hint():
    item = ArticleItem(url="u", text=ENGLISH, language_hint="ru")
    assert LanguagePipeline().process_item(item).language == "en"
