"""The static site in headless Chromium: offline search, navigation, and no hostile script runs.

Chromium and its driver are Debian's packages (``chromium``, ``chromium-driver``;
.ci/run installs them), driven through Selenium with the driver's path given,
so nothing is downloaded.  Without them the tests skip, except under CI=true.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from site_fixtures import fill
from sqlalchemy.orm import Session

from archive.db import open_engine
from archive.search import SearchQuery
from archive.site import export_site, make_server

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]


def _missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(path):
            return f"{path} not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site-browser")
    engine = open_engine(f"sqlite:///{folder / 'archive.sqlite3'}")
    try:
        with Session(engine) as session:
            fill(session)
            export_site(session, folder / "site", query=SearchQuery(include_all=True))
    finally:
        engine.dispose()
    return folder / "site"


def by(kind):
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def results(driver):
    return [item.find_element(by("TAG_NAME"), "a").text for item in driver.find_elements(by("CSS_SELECTOR"), "#results li")]


def search_for(driver, words):
    box = driver.find_element(by("ID"), "q")
    box.clear()
    box.send_keys(words)
    return results(driver)


def test_search_russian_and_english_then_follow_a_result_to_a_person(browser, site):
    browser.get((site / "index.html").as_uri())
    found = search_for(browser, "кластерами")
    assert sorted(found) == sorted(["Губернатор открыл кластер", "Кластеры ИНО Томск подвели итоги",
                                    '<script>window.__pwned = "title"</script>Хитрая страница'])
    assert search_for(browser, "university") == ["Universities of Tomsk join INO"]
    assert search_for(browser, "ИНО кластеров") == ["Кластеры ИНО Томск подвели итоги"]
    search_for(browser, "губернаторы")
    browser.find_element(by("CSS_SELECTOR"), "#results li a").click()
    assert browser.find_element(by("TAG_NAME"), "h1").text == "Губернатор открыл кластер"
    browser.find_element(by("LINK_TEXT"), "Сергей Жвачкин").click()
    assert browser.find_element(by("TAG_NAME"), "h1").text == "Сергей Жвачкин"
    assert len(browser.find_elements(by("CSS_SELECTOR"), "figure.timeline svg rect")) == 3


def test_hostile_page_runs_no_script(browser, site):
    # Pages are named by article id, which the store assigns; find the hostile one by its link.
    [page] = [p for p in (site / "articles").glob("*.html") if "https://evil.example/page" in p.read_text(encoding="utf-8")]
    browser.get(page.as_uri())
    assert "<script>" in browser.find_element(by("TAG_NAME"), "h1").text  # shown as text
    for link in browser.find_elements(by("CSS_SELECTOR"), "a"):
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    browser.find_element(by("PARTIAL_LINK_TEXT"), "Злоумышленник").click()  # the person page of a hostile name
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    browser.back()
    assert browser.execute_script("return typeof window.__pwned") == "undefined"


def test_search_works_when_served_over_http(browser, site):
    server = make_server(site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        browser.get(f"http://127.0.0.1:{server.server_address[1]}/index.html?q=universities")
        assert results(browser) == ["Universities of Tomsk join INO"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
