"""The static site in headless Chromium: the query page (search, filters, chart, facets, paging, language),
offline from disk and served by `ino-archive serve --db`, and no hostile script runs.

Chromium and its driver are Debian's packages (``chromium``, ``chromium-driver``;
.ci/run installs them), driven through Selenium with the driver's path given,
so nothing is downloaded.  Without them the tests skip, except under CI=true.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import time
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from helpers import run_cli
from site_fixtures import (
    HOSTILE_PERSON,
    RESEARCH_COUNT,
    fill_research,
    is_russian,
    names_cluster,
    names_governor,
    served,
)
from sqlalchemy.orm import Session

from archive.db import open_engine
from archive.search import SearchQuery
from archive.site import export_site

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--window-size=1200,1600"]
# The site fixture: 4 site articles (3 name clusters in Russian) and the research articles.
CLUSTER_RU = 3 + sum(1 for k in range(RESEARCH_COUNT) if names_cluster(k) and is_russian(k))
ALL_ARTICLES = 4 + RESEARCH_COUNT


def _missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(path):
            return f"{path} not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed (pip install -e '.[test]')"
    return None


def _driver(profile, language: str = "en-US"):
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}", f"--lang={language}"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": language,
                                              "download.default_directory": str(profile / "downloads")})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = _driver(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def research_site(folder):
    """The research archive in ``folder`` and its site (``folder/site``): (database path, site folder)."""
    db = folder / "archive.sqlite3"
    engine = open_engine(f"sqlite:///{db}")
    try:
        with Session(engine) as session:
            fill_research(session)
            export_site(session, folder / "site", query=SearchQuery(include_all=True))
    finally:
        engine.dispose()
    return db, folder / "site"


@pytest.fixture(scope="module")
def archive_and_site(tmp_path_factory):
    return research_site(tmp_path_factory.mktemp("site-browser"))


@pytest.fixture(scope="module")
def site(archive_and_site):
    return archive_and_site[1]


@pytest.fixture(params=["disk", "serve --db"])
def page_url(request, archive_and_site):
    """The query page opened from disk, and served with answers from the database."""
    db, site = archive_and_site
    if request.param == "disk":
        yield (site / "index.html").as_uri()
        return
    with served(site, db) as base:
        yield f"{base}/index.html"


def by(kind):
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def answered(driver, before=None, timeout=20):
    """Wait until the page has answered (again, when ``before`` is the previous answer's mark)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mark, pending = driver.execute_script("const root = document.documentElement;"
                                              "return [root.getAttribute('data-answered'), root.getAttribute('data-pending')]")
        if mark and mark != before and not pending:  # the final answer: no phrase still being checked
            return mark
        time.sleep(0.05)
    raise AssertionError(f"the page did not answer: {driver.find_element(by('ID'), 'status').text!r}")


def mark(driver):
    return driver.execute_script("return document.documentElement.getAttribute('data-answered')")


def open_page(driver, url):
    driver.get(url)
    return answered(driver)


def results(driver):
    return [item.find_element(by("TAG_NAME"), "a").text for item in driver.find_elements(by("CSS_SELECTOR"), "#results li")]


def status(driver):
    return driver.find_element(by("ID"), "status").text


def search_for(driver, words):
    from selenium.webdriver.common.keys import Keys

    before = mark(driver)
    box = driver.find_element(by("ID"), "q")
    box.clear()
    box.send_keys(words + Keys.ENTER)
    answered(driver, before)
    return results(driver)


def url_params(driver):
    return parse_qs(urlsplit(driver.current_url).query)


def chart_rows(driver):
    """The chart's numbers as its table shows them: [(period, matches, total, share)]."""
    rows = []
    for row in driver.find_elements(by("CSS_SELECTOR"), "#chart-data tbody tr"):
        cells = [cell.get_attribute("textContent") for cell in row.find_elements(by("TAG_NAME"), "td")]
        rows.append(tuple(cells))
    return rows


def test_russian_oblique_case_finds_the_nominative(browser, page_url):
    open_page(browser, page_url)
    found = search_for(browser, "кластерами")
    assert "Губернатор открыл кластер" in found  # the title says кластер, the query кластерами
    assert status(browser).startswith(f"{CLUSTER_RU} articles found")
    marked = [m.text for m in browser.find_elements(by("CSS_SELECTOR"), "#results p.snippet mark")]
    assert set(marked) <= {"кластер", "кластеров", "кластере", "Кластеры"} and "кластеров" in marked
    assert search_for(browser, "university") == ["Universities of Tomsk join INO"]
    assert search_for(browser, '"ИНО Томск" -погода') == ["Кластеры ИНО Томск подвели итоги"]
    assert url_params(browser)["q"] == ['"ИНО Томск" -погода']
    mode = "" if page_url.startswith("file:") else " (answered by the database)"
    assert status(browser) == f"1 articles found{mode}"  # two words: exact, no notice
    search_for(browser, '"прошла встреча номер"')  # three words: checked in the texts, exact too
    assert status(browser) == f"20 articles found{mode}"



def cli_count(db, words):
    """How many articles ``ino-archive search`` finds for ``words`` in the whole archive."""
    result = run_cli("search", words, "--all", "--db", str(db), "--format", "json", "--limit", "10000")
    assert result.returncode == 0, result.stderr
    return len(json.loads(result.stdout))


def test_a_phrase_finds_its_words_only_next_to_each_other(browser, archive_and_site, page_url):
    db, _ = archive_and_site
    open_page(browser, page_url)
    # Every Russian research article says "В Томске прошла встреча": both words, never next to each other.
    assert search_for(browser, '"Томске встреча"') == [] and cli_count(db, '"Томске встреча"') == 0
    assert status(browser).startswith("Nothing found.")
    search_for(browser, '"прошла встреча"')
    expected = cli_count(db, '"прошла встреча"')
    mode = "" if page_url.startswith("file:") else " (answered by the database)"
    assert status(browser) == f"{expected} articles found{mode}"  # exact: no approximate-phrase notice
    assert status(browser).startswith("20 articles found")


def test_a_long_phrase_is_exact_though_its_word_pairs_meet_apart(browser, archive_and_site, page_url):
    db, _ = archive_and_site
    open_page(browser, page_url)
    # Article 4 has "номер 4" in its text and "4: развитие" in its title: both pairs, never the phrase.
    assert search_for(browser, '"номер 4 развитие"') == [] and cli_count(db, '"номер 4 развитие"') == 0
    mode = "" if page_url.startswith("file:") else " (answered by the database)"
    assert status(browser) == f"Nothing found.{mode}"  # no approximate-phrase notice
    # A phrase with a word of a single article, in a negation: exact as well.
    query = 'кластеров NOT "прошла встреча номер 4"'
    expected = cli_count(db, query)
    assert len(search_for(browser, query)) == expected == CLUSTER_RU - 1
    assert "Сводка 4: развитие кластеров" not in results(browser)


CHECKING = "1 articles found · checking the phrase in the articles' texts…"
APPROXIMATE = ("1 articles found · a phrase is found approximately (too many articles to check in their texts);"
               " exactly with ino-archive serve --db")


@pytest.mark.parametrize(("first", "later", "final", "found"), [
    (0, 40, "Nothing found.", []),  # past the first blocks: the pairs' answer, then the checked one
    (0, 0, APPROXIMATE, ["Сводка 4: развитие кластеров"]),  # past every limit: the pairs' answer stays, said so
])
def test_a_phrase_past_the_block_limit_is_answered_from_its_pairs_first(browser, tmp_path, monkeypatch,
                                                                           first, later, final, found):
    from archive.site import build

    monkeypatch.setattr(build, "PHRASE_BLOCKS", first)
    monkeypatch.setattr(build, "PHRASE_BLOCKS_LATER", later)
    _, site = research_site(tmp_path)
    open_page(browser, (site / "index.html").as_uri())
    browser.execute_script(
        "window.__statuses = []; const node = document.getElementById('status');"
        "new MutationObserver(() => window.__statuses.push(node.textContent))"
        ".observe(node, {childList: true, characterData: true, subtree: true});")
    # Article 4 holds both pairs of the phrase ("номер 4" in the text, "4: развитие" in the title), not the phrase.
    assert search_for(browser, '"номер 4 развитие"') == found
    statuses = browser.execute_script("return window.__statuses")
    assert statuses[-1] == status(browser) == final
    assert (CHECKING in statuses) == (later > 0)
    search_for(browser, '"прошла встреча"')  # two frequent words: the pairs are exact, no notice
    assert status(browser) == "20 articles found"


def test_a_facet_click_adds_the_filter_to_the_url_and_narrows_the_results(browser, page_url):
    open_page(browser, f"{page_url}?q={quote('кластерами')}")
    before = mark(browser)
    facet = browser.find_element(by("CSS_SELECTOR"), '.facet[data-facet="person"] a[data-value="Sergey Zhvachkin"]')
    assert facet.find_element(by("XPATH"), "..").text == "Sergey Zhvachkin 8"
    facet.click()
    answered(browser, before)
    assert url_params(browser) == {"q": ["кластерами"], "person": ["Sergey Zhvachkin"]}
    # The governor's research articles about clusters, and the two site articles naming him.
    expected = sum(1 for k in range(RESEARCH_COUNT) if names_cluster(k) and names_governor(k)) + 2
    assert status(browser).startswith(f"{expected} articles found")
    assert len(results(browser)) == expected
    chips = [c.text for c in browser.find_elements(by("CSS_SELECTOR"), "#active li")]
    assert chips == ["query: кластерами×", "person: Sergey Zhvachkin×"]
    before = mark(browser)
    browser.find_element(by("CSS_SELECTOR"), '#active button[data-filter="person"]').click()
    answered(browser, before)
    assert url_params(browser) == {"q": ["кластерами"]}
    assert status(browser).startswith(f"{CLUSTER_RU} articles found")
    before = mark(browser)
    browser.back()  # the view is in the history
    answered(browser, before)
    assert url_params(browser)["person"] == ["Sergey Zhvachkin"]


@pytest.mark.parametrize("by_period", ["month", "year", "week"])
def test_chart_numbers_equal_the_timeline_command(browser, archive_and_site, page_url, by_period):
    db, _ = archive_and_site
    open_page(browser, f"{page_url}?q={quote('кластерами OR university')}&by={by_period}")
    shown = chart_rows(browser)
    result = run_cli("timeline", "кластерами OR university", "--by", by_period, "--all", "--db", str(db),
                     "--format", "csv")
    assert result.returncode == 0, result.stderr
    expected = [(row["period"], row["matches"], row["total"], f"{float(row['share']):.4f}")
                for row in csv.DictReader(io.StringIO(result.stdout))]
    assert shown == expected
    assert len(shown) == {"month": 20, "year": 2, "week": 84}[by_period]  # 2016-01-05 … 2017-08-07


def test_paging_reaches_the_last_result(browser, page_url):
    open_page(browser, f"{page_url}?since=2016&sort=date")
    assert status(browser).startswith(f"{ALL_ARTICLES} articles found")
    seen = results(browser)
    while browser.find_elements(by("CSS_SELECTOR"), "#pager a.next"):
        before = mark(browser)
        browser.find_element(by("CSS_SELECTOR"), "#pager a.next").click()
        answered(browser, before)
        seen += results(browser)
    assert len(seen) == ALL_ARTICLES and len(set(seen)) == ALL_ARTICLES
    assert seen[0] == "Digest 29: roads and weather" and seen[-1] == "Сводка 0: развитие кластеров"
    assert url_params(browser)["page"] == ["2"]
    assert browser.find_element(by("CSS_SELECTOR"), "#pager .page-of").text == "Page 2 of 2"


def test_interface_switches_language_and_remembers_it(browser, site):
    open_page(browser, (site / "index.html").as_uri())
    assert browser.find_element(by("CSS_SELECTOR"), "header nav").text == "Years Sources Languages People Organisations"
    switch = browser.find_element(by("ID"), "ui-lang")
    assert switch.text == "Русский"
    before = mark(browser)
    switch.click()
    answered(browser, before)
    assert browser.find_element(by("CSS_SELECTOR"), "header nav").text == "Годы Источники Языки Люди Организации"
    assert status(browser) == f"Введите слово для поиска по {ALL_ARTICLES} статьям."
    search_for(browser, "кластерами")
    assert status(browser).startswith(f"Найдено статей: {CLUSTER_RU}")
    browser.get((site / "people" / "index.html").as_uri())  # another page keeps the choice
    assert browser.find_element(by("TAG_NAME"), "h1").text == "Люди"
    browser.find_element(by("ID"), "ui-lang").click()
    assert browser.find_element(by("TAG_NAME"), "h1").text == "People"


def test_a_russian_browser_gets_the_russian_interface(site, tmp_path):
    driver = _driver(tmp_path / "profile", "ru-RU")
    try:
        open_page(driver, (site / "index.html").as_uri())
        assert driver.find_element(by("CSS_SELECTOR"), "header .home").text == "Архив ИНО Томск"
        assert driver.find_element(by("ID"), "ui-lang").text == "English"
    finally:
        driver.quit()


def test_hovering_the_chart_shows_the_numbers(browser, site):
    from selenium.webdriver.common.action_chains import ActionChains

    open_page(browser, (site / "index.html").as_uri() + f"?q={quote('кластерами')}&by=year")
    area = browser.find_element(by("CSS_SELECTOR"), "#chart rect.hover-area")
    ActionChains(browser).move_to_element_with_offset(area, -area.rect["width"] // 2 + 2, 0).perform()
    tooltip = browser.find_element(by("ID"), "tooltip")
    assert tooltip.is_displayed()
    assert tooltip.text == "2016\nкластерами: 9 articles / 21 all (42.9%)"


def downloaded(browser, button, path):
    browser.find_element(by("ID"), button).click()
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return path.read_bytes()


def test_chart_downloads_as_csv_svg_and_png(browser, site, tmp_path):
    import struct

    open_page(browser, (site / "index.html").as_uri() + f"?q={quote('кластерами')}&vs=university&by=year")
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    rows = list(csv.DictReader(io.StringIO(downloaded(browser, "dl-csv", tmp_path / "attention.csv").decode("utf-8"))))
    assert [(r["period"], r["query"], r["matches"], r["total"], r["share"]) for r in rows] == [
        ("2016", "кластерами", "9", "21", "0.4286"), ("2017", "кластерами", "4", "13", "0.3077"),
        ("2016", "university", "0", "21", "0.0000"), ("2017", "university", "1", "13", "0.0769"),
    ]
    svg = downloaded(browser, "dl-svg", tmp_path / "attention.svg").decode("utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.count("<polyline") == 2
    assert ">кластерами</text>" in svg and ">university</text>" in svg  # the legend
    png = downloaded(browser, "dl-png", tmp_path / "attention.png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1520, 480)  # twice 760 x 240


def test_query_bounds_of_the_library_hold_in_the_browser(browser, site):
    open_page(browser, (site / "index.html").as_uri())
    search_for(browser, "кластер " * 1000)
    assert status(browser) == "Error: the query is longer than 2000 characters"
    search_for(browser, " ".join(f"w{n}" for n in range(33)))
    assert status(browser) == "Error: the query has more than 32 distinct terms"
    search_for(browser, " ".join(["кластер"] * 40))  # one term, repeated: within the bounds
    assert status(browser).startswith(f"{CLUSTER_RU} articles found")


def test_hostile_page_runs_no_script(browser, site):
    # Pages are named by article id, which the store assigns; find the hostile one by its link.
    [page] = [p for p in (site / "articles").glob("*.html") if "https://evil.example/page" in p.read_text(encoding="utf-8")]
    browser.get(page.as_uri())
    assert "<script>" in browser.find_element(by("TAG_NAME"), "h1").text  # shown as text
    for link in browser.find_elements(by("CSS_SELECTOR"), "a"):
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    text = browser.find_element(by("CSS_SELECTOR"), "div.text").get_attribute("textContent")
    # Bidi overrides, control and zero-width characters never reach the page: the store removed them.
    assert "Перевёрнуто: текст, звонок  и ноль ." in text
    assert not {"\u202e", "\u202c", "\u0007", "\u200b"} & set(text)
    browser.find_element(by("PARTIAL_LINK_TEXT"), "Злоумышленник").click()  # the person page of a hostile name
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    browser.back()
    assert browser.execute_script("return typeof window.__pwned") == "undefined"


def test_hostile_archive_strings_and_queries_stay_text_on_the_query_page(browser, page_url):
    hostile_query = '<img src=x onerror="window.__pwned=1"> \u202eкластер\u0007'
    open_page(browser, f"{page_url}?q={quote('кластере')}&vs={quote(hostile_query)}")
    assert HOSTILE_PERSON in [a.text for a in browser.find_elements(by("CSS_SELECTOR"), '.facet[data-facet="person"] a')]
    assert any(title.startswith("<script>") for title in results(browser))
    assert browser.find_elements(by("CSS_SELECTOR"), "#results img, #results svg, #facets b, #chart img") == []
    hostile = browser.find_element(by("XPATH"), "//ol[@id='results']/li[a[starts-with(., '<script>')]]")
    assert "<img src=x onerror=" in hostile.find_element(by("CSS_SELECTOR"), "p.snippet").get_attribute("textContent")
    assert browser.execute_script("return typeof window.__pwned") == "undefined"


def test_search_works_when_served_without_a_database(browser, site):
    with served(site) as base:
        open_page(browser, f"{base}/index.html?q=universities")
        assert results(browser) == ["Universities of Tomsk join INO"]
        assert browser.execute_script("return document.documentElement.getAttribute('data-mode')") == "static"
