"""Stage 5: listing pages leave the chain; articles are scored for relevance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from pipelines.exceptions import ListingPage
from pipelines.extractors.relevance import score_relevance
from pipelines.relevance import RelevancePipeline
from scraper.items import ArticleItem

PAGES = Path(__file__).parent / "pages"
SEED = (PAGES / "seed_sherpaspro_313.txt").read_text(encoding="utf-8")
SEED_TITLE = "Clusters and INO Tomsk: creating the route for followers"
RELEVANCE_SET = Path(__file__).parent.parent / "benchmarks" / "data" / "relevance" / "pages.jsonl"
LISTING_TEXT = "\n".join(f"Новость номер {n}: короткий анонс\n14.03.2016" for n in range(12))


# --- scoring ------------------------------------------------------------------------------
def test_seed_page_is_relevant_with_ino_tomsk_first():
    found = score_relevance(SEED_TITLE, SEED)
    assert found.score >= 1.0
    assert found.terms[0] == "INO Tomsk"


def test_tomsk_and_innovation_in_one_sentence_make_a_page_relevant_and_say_so():
    found = score_relevance(None, "Участники томских кластеров встретились.")
    assert (found.score >= 1.0, found.terms) == (True, ["Tomsk + cluster"])


def test_ino_tomsk_with_hyphen_and_case_ending_is_found():
    found = score_relevance(None, "Проекты ИНО-Томска")
    assert (found.score >= 1.0, found.terms) == (True, ["INO Tomsk"])


def test_english_plural_matches():
    assert score_relevance(None, "Two clusters met in Tomsk.").terms == ["Tomsk + cluster"]


def test_terms_match_on_word_boundaries_only():
    assert score_relevance(None, "Subclustering is a statistics method used in Tomsk.").terms == []


def test_capital_acronyms_match_in_capitals_only():
    assert score_relevance(None, "In Tomsk it was cold.").terms == []
    assert score_relevance(None, "Tomsk IT companies grew.").terms == ["Tomsk + electronics and IT"]


def test_tomsk_weather_alone_is_not_relevant():
    assert score_relevance("Погода в Томске", "В Томске завтра дождь.").score < 1.0


def test_innovation_elsewhere_is_not_relevant_and_says_where():
    found = score_relevance(None, "В Тобольске СИБУР создаёт нефтехимический кластер и технопарк.")
    assert (found.score < 1.0, found.terms) == (True, ["elsewhere: Tyumen region"])


def test_tomsk_and_innovation_in_different_sentences_are_not_enough():
    assert score_relevance(None, "Томск — старый город. Кластеры растут по всей стране.").score < 1.0


def test_cluster_name_alone_makes_a_page_relevant():
    found = score_relevance(None, "Предприятия нефтегазового сервиса подписали соглашение.")
    assert (found.score >= 1.0, found.terms) == (True, ["oil and gas services cluster"])


def test_title_is_read_as_a_sentence_of_its_own():
    assert score_relevance("В Томске открылся технопарк", "Церемония прошла утром.").score >= 1.0
    assert score_relevance("В Томске открылся", "технопарк.").score < 1.0


def test_repeated_evidence_is_capped():
    once = "В Томске открылся технопарк. "
    assert score_relevance(None, once * 5).score == score_relevance(None, once * 30).score > score_relevance(None, once).score


def test_score_holds_on_the_labelled_test_part():
    pages = [json.loads(line) for line in RELEVANCE_SET.read_text(encoding="utf-8").splitlines()]
    test = [page for page in pages if page["part"] == "test"]
    predicted = [score_relevance(page["title"], page["text"]).score >= 1.0 for page in test]
    gold = [page["label"] == "relevant" for page in test]
    right = sum(p == g for p, g in zip(predicted, gold, strict=True))
    true_positives = sum(p and g for p, g in zip(predicted, gold, strict=True))
    assert (len(test), right, true_positives, sum(predicted), sum(gold)) == (75, 72, 29, 31, 30)


# --- the pipeline -------------------------------------------------------------------------------
def test_pipeline_marks_relevant_article():
    item = ArticleItem(url="https://x.org/a", title=SEED_TITLE, text=SEED, link_density=0.05)
    RelevancePipeline().process_item(item)
    assert (item.page_type, item.is_relevant) == ("article", True)
    assert item.relevance_terms[0] == "INO Tomsk"


def test_pipeline_keeps_irrelevant_article_flagged():
    item = ArticleItem(url="https://x.org/a", title="Погода", text="В Томске дождь.", link_density=0.0)
    RelevancePipeline().process_item(item)
    assert (item.page_type, item.is_relevant) == ("article", False)


def test_pipeline_drops_listing_page():
    item = ArticleItem(url="https://x.org/news/", text=LISTING_TEXT, link_density=0.7)
    with pytest.raises(ListingPage):
        RelevancePipeline().process_item(item)


def test_pipeline_threshold_comes_from_settings():
    crawler = get_crawler(settings_dict={"RELEVANCE_THRESHOLD": 100.0})
    crawler.stats.open_spider()
    item = ArticleItem(url="https://x.org/a", title=SEED_TITLE, text=SEED, link_density=0.05)
    RelevancePipeline.from_crawler(crawler).process_item(item)
    assert item.is_relevant is False
    assert crawler.stats.get_value("pipelines/relevance/not_relevant") == 1


def test_pipeline_counts_listing_pages():
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()
    item = ArticleItem(url="https://x.org/news/", text=LISTING_TEXT, link_density=0.7)
    with pytest.raises(ListingPage):
        RelevancePipeline.from_crawler(crawler).process_item(item)
    assert crawler.stats.get_value("pipelines/relevance/listing") == 1
