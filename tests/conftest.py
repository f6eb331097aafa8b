"""Shared fixtures: the local fixture site, and one real crawl of it shared by the session.

Crawls run the real ``ino-archive`` command in a subprocess (Scrapy's reactor
runs once per process) against ``tests/site`` served on 127.0.0.1, port 0.
"""

from __future__ import annotations

import pytest
from archive_fixtures import DIALECTS, pg_schema
from helpers import FAST, SITE, run_cli
from mockserver.localsite import LocalSite


@pytest.fixture(scope="session", autouse=True)
def _no_user_data_folder(tmp_path_factory):
    # Crawls into PostgreSQL keep their WARC files in the user data folder; never the real one.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
        yield


@pytest.fixture(scope="session")
def site():
    with LocalSite(SITE) as served:
        yield served


@pytest.fixture(scope="session")
def crawled(site, tmp_path_factory):
    """One crawl of the fixture site: (db path, the finished process)."""
    db = tmp_path_factory.mktemp("crawl") / "archive.sqlite3"
    result = run_cli("crawl", "--url", site.url("/index.html"), "--db", str(db), "--allow-private", *FAST)
    return db, result


@pytest.fixture(scope="session", params=DIALECTS)
def crawled_on(request, crawled, site):
    """The same crawl into SQLite and into PostgreSQL: (the ``--db`` value, the finished process)."""
    if request.param == "sqlite":
        yield crawled
        return
    with pg_schema() as url:
        yield url, run_cli("crawl", "--url", site.url("/index.html"), "--db", url, "--allow-private", *FAST)


@pytest.fixture(autouse=True)
def _no_default_archive(tmp_path, monkeypatch):
    # A test that forgets --db must not touch the user's real archive.
    monkeypatch.setenv("INO_ARCHIVE_DB", str(tmp_path / "default-archive.sqlite3"))
