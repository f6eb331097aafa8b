"""Month names and abbreviations in the languages of the sources, and ``month_number``.

One row per language, January to December; Russian is matched by stem so every
grammatical case matches, and transliterated or machine-garbled Russian
("martha", "fevralya") is read too.
"""

from __future__ import annotations

import re

# --- month names: one row per language, January to December ----------------------
MONTH_NAMES = (
    ("january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"),
    ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
     "september", "oktober", "november", "dezember"),
    ("jänner", "feber", "maerz", "", "", "", "", "", "", "", "", ""),
    ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
     "septembre", "octobre", "novembre", "décembre"),
    ("", "fevrier", "", "", "", "", "", "aout", "", "", "", "decembre"),
    ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
     "septiembre", "octubre", "noviembre", "diciembre"),
    ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
     "settembre", "ottobre", "novembre", "dicembre"),
    ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
     "setembro", "outubro", "novembro", "dezembro"),
    ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
     "september", "oktober", "november", "december"),
    ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
     "september", "oktober", "november", "december"),
    ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
     "września", "października", "listopada", "grudnia"),
    ("ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos",
     "eylül", "ekim", "kasım", "aralık"),
    ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
     "september", "oktober", "november", "desember"),
    ("ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august",
     "septembrie", "octombrie", "noiembrie", "decembrie"),
    ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
     "вересня", "жовтня", "листопада", "грудня"),
    # Arabic (Egypt and the Gulf), the same without hamza, and the one-word Levantine names.
    ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
     "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
    ("", "", "", "ابريل", "", "", "", "اغسطس", "", "اكتوبر", "", ""),
    ("", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "", "", ""),
)
# Abbreviations (a trailing dot is ignored), all languages together.
MONTH_ABBREVIATIONS = (
    ("jan", "janv", "ene", "gen", "jän", "янв"),
    ("feb", "févr", "fevr", "fev", "фев", "февр"),
    ("mar", "mär", "mrz", "mrt", "мар"),
    ("apr", "avr", "abr", "апр"),
    (),
    ("jun", "juin", "giu", "июн"),
    ("jul", "juil", "lug", "июл"),
    ("aug", "ago", "авг"),
    ("sep", "sept", "set", "сен", "сент"),
    ("oct", "okt", "ott", "окт"),
    ("nov", "ноя", "нояб"),
    ("dec", "dez", "dic", "déc", "дек"),
)


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for row in MONTH_NAMES:
        table.update({name: number for number, name in enumerate(row, 1) if name})
    for number, names in enumerate(MONTH_ABBREVIATIONS, 1):
        table.update(dict.fromkeys(names, number))
    return table


MONTHS = _month_table()

# Russian stems take any case ending: марта, марте, мартом; мая, маю, мае.
RU_STEMS = (
    "январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август",
    "сентябр", "октябр", "ноябр", "декабр",
)
RU_MONTH = re.compile(r"^(" + "|".join(RU_STEMS) + r")(ь|я|ю|ем|ём|е|а|у|ом|й)?$")
# Transliterated or machine-garbled Russian: marta, martha, fevralya, iyunya.
TRANSLIT_STEMS = (
    ("yanvar", 1), ("janvar", 1), ("fevral", 2), ("mart", 3), ("aprel", 4),
    ("ma", 5), ("iyun", 6), ("iun", 6), ("iyul", 7), ("iul", 7), ("avgust", 8),
    ("sentyabr", 9), ("sentjabr", 9), ("oktyabr", 10), ("oktjabr", 10),
    ("noyabr", 11), ("nojabr", 11), ("dekabr", 12),
)
TRANSLIT_MONTH = re.compile(
    r"^(" + "|".join(stem for stem, _ in TRANSLIT_STEMS) + r")"
    r"(ya|ia|ja|iya|e|a|ha|y|i|u|om|')?$"
)
TRANSLIT_NUMBERS = dict(TRANSLIT_STEMS)


def month_number(word: str) -> int | None:
    """Return the month (1–12) a word names, in any language of the tables.

    >>> month_number("марта"), month_number("Sept."), month_number("martha")
    (3, 9, 3)
    >>> month_number("Oktober"), month_number("août"), month_number("marzo")
    (10, 8, 3)
    """
    word = word.lower().rstrip(".").replace("ё", "е")
    if word in MONTHS:
        return MONTHS[word]
    if match := RU_MONTH.match(word):
        return RU_STEMS.index(match.group(1)) + 1 if len(word) > 2 else None
    if match := TRANSLIT_MONTH.match(word):
        return TRANSLIT_NUMBERS[match.group(1)] if len(word) > 2 else None
    return None
