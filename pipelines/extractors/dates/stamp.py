"""Date stamps in the main text: a paragraph that is only a date ("Updated 1:39 am EST, Wednesday, November 20, 2019").

Such a paragraph opening or closing the text is the page's timestamp, kept in
its own field, not article text; one in the middle of the text (a forum
post's date, a live blog's entry) is left alone, and so is a date with other
words ("Date: June 8-11, 2026" of an event, "Posted on May 3 by Admin").
"""

from __future__ import annotations

import re

from pipelines.extractors.dates.months import month_number

# A stamp is short; an article's paragraph that holds a date is longer.
STAMP_MAX_CHARS = 80
# Paragraphs at each end of the text that may be the page's stamp.
STAMP_EDGE = 2
WORD = re.compile(r"[^\W_]+")
ORDINAL_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)?")
NUMERIC_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}")
CLOCK = re.compile(r"\d{1,2}[:.]\d{2}")
# Words a stamp may hold besides numbers and month names: its label, weekdays, clock and zone words.
STAMP_LABELS = frozenset(
    "last updated update published posted modified created on at "
    "aktualisiert veröffentlicht am um publié le mis à jour "
    "обновлено опубликовано дата публикации обновления в".split()
)
WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье".split()
)
CLOCK_WORDS = frozenset(
    "am pm a m p uhr est edt cst cdt mst mdt pst pdt et ct mt pt gmt utc bst cet cest eet eest msk ist jst "
    "г года".split()
)


def is_date_stamp(paragraph: str) -> bool:
    """True for a short paragraph holding a date (or a labelled time) and nothing else.

    >>> is_date_stamp("Updated 1:39 am EST, Wednesday, November 20, 2019"), is_date_stamp("Aktualisiert: 03.04.2020")
    (True, True)
    >>> is_date_stamp("Updated at 1:23 p.m."), is_date_stamp("Опубликовано 14 марта 2016 в 12:00")
    (True, True)
    >>> is_date_stamp("Date: June 8-11, 2026"), is_date_stamp("In 2019 sales fell"), is_date_stamp("10:32")
    (False, False, False)
    """
    if len(paragraph) > STAMP_MAX_CHARS:
        return False
    number = month = labelled = False
    for word in WORD.findall(paragraph.lower()):
        if ORDINAL_NUMBER.fullmatch(word):
            number = True
        elif word in STAMP_LABELS:
            labelled = True
        elif month_number(word):
            month = True
        elif word not in WEEKDAYS and word not in CLOCK_WORDS:
            return False
    if not number:
        return False
    return month or bool(NUMERIC_DATE.search(paragraph)) or (labelled and bool(CLOCK.search(paragraph)))


def without_date_stamps(text: str) -> tuple[str, int]:
    """``text`` (paragraphs separated by blank lines) without the date stamps among its first and last
    ``STAMP_EDGE`` paragraphs, and how many went; a text that is nothing else stays as it is.

    >>> without_date_stamps("Nov. 20, 2019 5:52 AM EST\\n\\nThe vote was held on Tuesday.\\n\\nMay 2019")
    ('The vote was held on Tuesday.', 2)
    """
    paragraphs = text.split("\n\n")
    edges = set(range(STAMP_EDGE)) | set(range(len(paragraphs) - STAMP_EDGE, len(paragraphs)))
    kept = [p for index, p in enumerate(paragraphs) if index not in edges or not is_date_stamp(p.strip())]
    if not kept or len(kept) == len(paragraphs):
        return text, 0
    return "\n\n".join(kept), len(paragraphs) - len(kept)
