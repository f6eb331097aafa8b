"""An archive for the static-site tests: Russian and English articles, people, and a hostile page."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date, timedelta

from archive_fixtures import make_item

from archive.db import open_engine
from archive.site import make_server
from archive.store import item_to_record, upsert_articles
from scraper.items import Mention

HOSTILE_TITLE = '<script>window.__pwned = "title"</script>Хитрая страница'
HOSTILE_TEXT = (
    'Текст <img src=x onerror="window.__pwned = \'img\'"> о кластере.\n'
    '<a href="javascript:window.__pwned=\'link\'">нажми</a> <svg onload="window.__pwned=\'svg\'"></svg>\n'
    "Перевёрнуто: \u202eтекст\u202c, звонок \u0007 и ноль \u200b."  # bidi override, a control character
)
HOSTILE_PERSON = '<b onmouseover="window.__pwned=1">Злоумышленник</b>'


def site_items():
    zhvachkin = Mention("person", "Сергей Жвачкин", "Сергей Жвачкин")
    tsu = Mention("org", "Tomsk State University", "TSU")
    return [
        make_item(1, title="Кластеры ИНО Томск подвели итоги", text="Шесть кластеров выросли.\n\nЖвачкин доволен.",
                  published=date(2016, 3, 14), mentions=[zhvachkin], people=["Сергей Жвачкин"], organisations=[]),
        make_item(2, title="Губернатор открыл кластер", text="Сергей Жвачкин открыл новый кластер.",
                  published=date(2016, 5, 2), mentions=[zhvachkin, tsu], people=["Сергей Жвачкин"],
                  organisations=["Tomsk State University"]),
        make_item(3, title="Universities of Tomsk join INO", text="Tomsk universities signed the agreement.",
                  language="en", source="ino-tomsk-en", published=date(2017, 1, 20), mentions=[tsu],
                  people=[], organisations=["Tomsk State University"]),
        make_item(4, url="javascript:window.__pwned='url'", canonical_url="https://evil.example/page",
                  title=HOSTILE_TITLE, text=HOSTILE_TEXT, published=date(2017, 2, 1),
                  mentions=[Mention("person", HOSTILE_PERSON, "Злоумышленник")], people=[HOSTILE_PERSON],
                  organisations=[]),
    ]


def fill(session) -> None:
    upsert_articles(session, [item_to_record(item) for item in site_items()])
    session.commit()


# --- a research archive: 30 more articles over 20 months, for queries, facets, timelines and paging ---------

RESEARCH_START = date(2016, 1, 5)
RESEARCH_COUNT = 30


def research_day(k: int) -> date:
    return RESEARCH_START + timedelta(days=20 * k)


def is_russian(k: int) -> bool:
    return k % 3 != 2


def names_cluster(k: int) -> bool:
    """Article k speaks of clusters (in an oblique case in Russian: кластеров)."""
    return k % 2 == 0


def names_governor(k: int) -> bool:
    return k % 4 == 0 and is_russian(k)


def names_tsu(k: int) -> bool:
    return k % 5 == 0


def research_items():
    zhvachkin = Mention("person", "Сергей Жвачкин", "Сергея Жвачкина", 0, 15, "губернатор Томской области")
    tsu_ru = Mention("org", "Tomsk State University", "ТГУ", 0, 3)
    tsu_en = Mention("org", "Tomsk State University", "TSU", 0, 3)
    antonov = Mention("person", "Андрей Антонов", "A. Antonov", 0, 10, "rector")
    tomsk = Mention("place", "Томск", "Томске", 0, 6)
    items = []
    for k in range(RESEARCH_COUNT):
        russian = is_russian(k)
        if russian:
            title = f"Сводка {k}: " + ("развитие кластеров" if names_cluster(k) else "погода и дороги")
            text = f"В Томске прошла встреча номер {k}." + (" Обсудили работу кластеров." if names_cluster(k) else "")
        else:
            title = f"Digest {k}: " + ("the clusters grow" if names_cluster(k) else "roads and weather")
            text = f"Meeting number {k} took place." + (" Clusters were discussed." if names_cluster(k) else "")
        mentions, people, orgs = [], [], []
        if names_governor(k):
            mentions.append(zhvachkin)
            people.append("Сергей Жвачкин")
        if names_tsu(k):
            mentions.append(tsu_ru if russian else tsu_en)
            orgs.append("Tomsk State University")
        if not russian:
            mentions.append(antonov)
            people.append("Андрей Антонов")
        places = ["Томск"] if russian else []
        if russian:
            mentions.append(tomsk)
        items.append(make_item(
            100 + k, title=title, text=text, language="ru" if russian else "en",
            source="tomsk-news" if russian else "ino-tomsk-en", published=research_day(k),
            mentions=mentions, people=people, organisations=orgs, places=places,
        ))
    return items


def fill_research(session) -> None:
    """The four site articles and the thirty research articles, linked as at the end of a crawl (aliases)."""
    from archive.entities import relink_archive

    upsert_articles(session, [item_to_record(item) for item in site_items() + research_items()])
    session.commit()
    relink_archive(session)
    session.commit()


@contextmanager
def served(site, db=None, settle=False):
    """`ino-archive serve SITE [--db DB]` in a thread on a free port; yields its base URL."""
    engine = open_engine(f"sqlite:///{db}", create=False) if db else None
    server = make_server(site, port=0, engine=engine, settle=settle)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        if engine is not None:
            engine.dispose()
