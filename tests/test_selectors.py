"""Per-source selectors (sources config) and the JSON-LD body, tried around the generic extractor."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli
from scrapy.utils.test import get_crawler

from pipelines.extractors.maintext import extract_body
from pipelines.text import TextPipeline
from scraper.decode import parse_html
from scraper.items import ArticleItem
from scraper.sources import SelectorError, SourceError, compile_rules, load_sources

PAGES = Path(__file__).parent / "pages"
SOURCE_TABLE = """
[[source]]
name = "ino-ru"
start_urls = ["https://www.ino-tomsk.ru/news/news"]
allowed_domains = ["ino-tomsk.ru"]
selectors = {{ title = "{title}", body = "{body}" }}
"""


def write_config(tmp_path: Path, title: str, body: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(SOURCE_TABLE.format(title=title, body=body), encoding="utf-8")
    return path


def pipeline_for(config: Path, crawler=None) -> TextPipeline:
    crawler = crawler or get_crawler(settings_dict={"SOURCES_FILE": str(config), "TEXT_BOILERPLATE_ENABLED": False})
    return TextPipeline.from_crawler(crawler)


def short_note() -> ArticleItem:
    html = (PAGES / "inotomsk_ru" / "anons-vystavki.html").read_text(encoding="utf-8")
    return ArticleItem(url="https://www.ino-tomsk.ru/news/news/view-news/-/anons", source="ino-ru", html=html)


def test_css_body_selector_takes_the_article_not_the_facts_box(tmp_path):
    config = write_config(tmp_path, "h3.header-title", "div.asset-content .journal-content-article")
    item = pipeline_for(config).process_item(short_note())
    assert item.text.startswith("Выставка инноваций Томской области откроется 12 мая")
    assert "десяти фактах" not in item.text


def test_xpath_selectors_are_accepted(tmp_path):
    config = write_config(tmp_path, "//h3[@class='header-title']", "//div[@class='asset-content']")
    item = pipeline_for(config).process_item(short_note())
    assert item.title == "Анонс: выставка инноваций откроется в мае"
    assert item.text.startswith("Выставка инноваций")


def test_title_selector_wins_over_the_generic_headline(tmp_path):
    config = write_config(tmp_path, "div#heading .site-name", "div.asset-content")
    assert pipeline_for(config).process_item(short_note()).title == "ИНО Томск"


def test_selector_that_finds_nothing_falls_back_to_the_generic_extractor(tmp_path):
    config = write_config(tmp_path, "h1.nothing", "div.nothing")
    crawler = get_crawler(settings_dict={"SOURCES_FILE": str(config)})
    crawler.stats.open_spider()
    item = pipeline_for(config, crawler).process_item(short_note())
    assert item.title == "Анонс: выставка инноваций откроется в мае"
    assert crawler.stats.get_value("pipelines/text/from/generic") == 1


def test_other_sources_are_not_affected(tmp_path):
    config = write_config(tmp_path, "div#heading .site-name", "div.nothing")
    item = short_note()
    item.source = "another-source"
    assert pipeline_for(config).process_item(item).title == "Анонс: выставка инноваций откроется в мае"


def test_selector_use_is_counted(tmp_path):
    config = write_config(tmp_path, "h3.header-title", "div.asset-content")
    crawler = get_crawler(settings_dict={"SOURCES_FILE": str(config)})
    crawler.stats.open_spider()
    pipeline_for(config, crawler).process_item(short_note())
    assert crawler.stats.get_value("pipelines/text/from/selector") == 1
    assert crawler.stats.get_value("pipelines/text/title_from_selector") == 1


@pytest.mark.parametrize(("field", "selector"), [("body", "div[[["), ("title", "//h3[")])
def test_bad_selector_is_a_config_error_naming_source_and_field(tmp_path, field, selector):
    selectors = {"title": "h1", "body": "div.x", field: selector}
    config = write_config(tmp_path, selectors["title"], selectors["body"])
    with pytest.raises(SourceError, match=f"source ino-ru: {field} selector"):
        load_sources(config)


def test_unknown_selector_field_is_refused():
    with pytest.raises(SelectorError, match="unknown selector field"):
        compile_rules("x", {"headline": "h1"})


def test_bad_selector_gives_one_error_line_in_the_cli(tmp_path):
    config = write_config(tmp_path, "h1", "div[[[")
    result = run_cli("sources", "--sources-file", str(config))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error:") and "body selector" in result.stderr
    assert "Traceback" not in result.stderr


# --- structured data --------------------------------------------------------------
SCRIPT_PAGE = """<html><head><title>Новости</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Томск принял форум", "articleBody": "{body}"}}</script></head>
<body><div id="app"><a href="/">Главная</a></div></body></html>"""
STORY = ("Форум инноваций прошёл в Томске. Участники обсудили развитие кластеров и новые проекты. " * 4).strip()


def test_json_ld_article_body_is_used_when_the_page_renders_it_with_script():
    body = extract_body(parse_html(SCRIPT_PAGE.format(body=STORY)))
    assert body.signal == "json-ld"
    assert body.main.text == STORY


def test_json_ld_teaser_does_not_replace_the_page_text():
    html = SCRIPT_PAGE.format(body="Короткий анонс.").replace(
        "<div id=\"app\">", "<div id=\"app\"><p>" + STORY + "</p>"
    )
    body = extract_body(parse_html(html))
    assert body.signal == "generic"
    assert body.main.text.startswith(STORY)
    assert "Короткий анонс" not in body.main.text


def test_json_ld_body_with_markup_is_rendered_as_paragraphs():
    body = extract_body(parse_html(SCRIPT_PAGE.format(body=f"<p>{STORY}</p><p>{STORY}</p>")))
    assert body.main.text == f"{STORY}\n\n{STORY}"
