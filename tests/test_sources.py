"""The sources config: shipped sources, URL rules, unknown names, user-edited files."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from archive.cli import main
from scraper.sources import SourceError, adhoc_source, load_sources, select_sources


def test_shipped_config_has_the_fields_real_sources():
    sources = load_sources()
    assert {"ino-tomsk-en", "ino-tomsk-ru", "sherpaspro", "duma-en"} <= sources.keys()
    russian = [s for s in sources.values() if s.language == "ru"]
    assert len(russian) >= 4
    assert all(s.start_urls and s.allowed_domains for s in sources.values())


def test_seed_url_is_a_sherpaspro_article():
    sherpa = load_sources()["sherpaspro"]
    assert sherpa.url_kind("http://sherpaspro.com/news/313/?lang=en") == "article"
    assert sherpa.url_kind("http://sherpaspro.com/news/?lang=en") == "listing"


def test_ino_tomsk_english_news_pattern():
    ino = load_sources()["ino-tomsk-en"]
    url = "https://www.ino-tomsk.ru/en/news/news/view-news/-/asset_publisher/abc/content/clusters"
    assert ino.url_kind(url) == "article"
    assert ino.allows(url)
    assert not ino.allows("https://evil.example.org/en/news/news/view-news/-/x")


def test_unknown_source_names_the_known_ones():
    with pytest.raises(SourceError, match="known sources: .*sherpaspro"):
        select_sources(load_sources(), ["nope"])


def test_adhoc_source_follows_only_its_host():
    source = adhoc_source("http://127.0.0.1:8000/index.html")
    assert source.should_follow("http://127.0.0.1:8000/news/1.html")
    assert not source.should_follow("http://example.org/news/1.html")


def test_user_config_file_adds_a_source(tmp_path):
    config = tmp_path / "sources.toml"
    config.write_text(
        '[[source]]\nname = "mine"\nlanguage = "ru"\nstart_urls = ["https://example.org/news"]\n'
        'allowed_domains = ["example.org"]\narticle_patterns = [\'/news/\\d+\']\n',
        encoding="utf-8",
    )
    assert load_sources(config)["mine"].url_kind("https://example.org/news/12") == "article"


def test_bad_pattern_in_config_is_a_clear_error(tmp_path):
    config = tmp_path / "sources.toml"
    config.write_text('[[source]]\nname = "bad"\narticle_patterns = ["("]\n', encoding="utf-8")
    with pytest.raises(SourceError, match="bad URL pattern"):
        load_sources(config)


def test_sources_command_lists_them():
    result = CliRunner().invoke(main, ["sources"])
    assert result.exit_code == 0
    assert "sherpaspro" in result.output and "http://sherpaspro.com/news/?lang=en" in result.output
