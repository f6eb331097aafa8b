"""`ino-archive extract` on an article saved as plain text: headline, date and paragraphs found as on the page."""

from __future__ import annotations

import json

from click.testing import CliRunner
from helpers import PAGES

from archive.cli import main


def extracted(path) -> dict:
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_seed_saved_as_text_comes_out_with_its_headline_date_and_article():
    # the project's seed as it was given: phone, "14 martha 2016", headline, six paragraphs, a contact form's error
    record = extracted(PAGES / "seed_sherpaspro_313.txt")
    assert record["title"] == "Clusters and INO Tomsk: creating the route for followers"
    assert record["published"] == "2016-03-14"
    text = record["text"]
    assert text.startswith("On 10-11 of March of 2016 Evgeniya Shamis acted as a moderator")
    assert text.endswith("More information on INO Tomsk can be found at www.ino-tomsk.ru .")
    assert text.count("\n\n") == 5  # six paragraphs
    assert "7050" not in text and "martha" not in text and "Sorry" not in text and "Try again" not in text
    assert {"Andrey Antonov", "Oleg Fomichev", "Evgeniya Shamis"} <= set(record["people"])


def test_russian_text_in_windows_1251_gets_its_headline_and_dateline(tmp_path):
    saved = tmp_path / "news.txt"
    story = ("В Томске прошло заседание фармацевтического кластера, на котором участники подвели итоги года "
             "и обсудили планы на следующий.")
    saved.write_bytes(f"26 мая 2011\nКластер подвёл итоги года\n{story}\n".encode("cp1251"))
    record = extracted(saved)
    assert record["title"] == "Кластер подвёл итоги года"
    assert record["published"] == "2011-05-26"
    assert record["text"] == story


def test_text_that_opens_with_its_story_is_all_article_and_has_no_title(tmp_path):
    saved = tmp_path / "note.txt"
    first = "The Tomsk region presented its clusters to the ministry, and the ministry approved the plan."
    second = "The next session will be held in the autumn, the organisers said."
    saved.write_text(f"{first}\n\n{second}\n", encoding="utf-8")
    record = extracted(saved)
    assert record["title"] is None
    assert record["text"] == f"{first}\n\n{second}"
