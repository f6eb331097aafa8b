"""An archive for the static-site tests: Russian and English articles, people, and a hostile page."""

from __future__ import annotations

from datetime import date

from archive_fixtures import make_item

from archive.store import item_to_record, upsert_articles
from scraper.items import Mention

HOSTILE_TITLE = '<script>window.__pwned = "title"</script>Хитрая страница'
HOSTILE_TEXT = (
    'Текст <img src=x onerror="window.__pwned = \'img\'"> о кластере.\n'
    '<a href="javascript:window.__pwned=\'link\'">нажми</a> <svg onload="window.__pwned=\'svg\'"></svg>'
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
