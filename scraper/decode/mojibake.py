"""Find and repair mojibake: UTF-8 Russian (or punctuation, Latin letters and symbols) read as a single-byte code page.

Every Russian letter is two bytes in UTF-8, the first 0xD0 or 0xD1.  Read as
windows-1251 those pairs become "Р"/"С" plus a symbol ("РўРѕРјСЃРє" for
"Томск"); read as windows-1252 or Latin-1 they become "Ð"/"Ñ" plus a symbol
("Ð¢Ð¾Ð¼ÑÐº").  Such pages exist on the web as served (a CMS that encoded
twice), so decoding the bytes right is not enough: the text itself is
checked.  Runs of such pairs are turned back into bytes and decoded as UTF-8;
what cannot be repaired exactly is counted, so the caller can flag it.

Genuine Russian has pairs like "Сё" (Сёмин), so a lone pair is repaired only
when the same text also holds runs of two or more, which real text never has.
A page whose letters are right may still hold misread curly quotes and dashes
("â€™", "вЂ”"): those triples are repaired on their own, and so are misread
Latin letters, symbols and no-break spaces ("cafÃ©", "Â®", "Â\xa0").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 0x80–0xBF (UTF-8 continuation bytes) as each code page shows them.  A byte
# the code page leaves undefined (0x98 in windows-1251; 0x81, 0x8D, 0x8F, 0x90,
# 0x9D in windows-1252) shows as its C1 control character (browsers, Latin-1)
# or as U+FFFD (a strict decoder's replacement), so both map back to it.
_CONTINUATION = range(0x80, 0xC0)
_C1_CONTROLS = {chr(b): b for b in range(0x80, 0xA0)}
_CP1251_BYTES = {bytes([b]).decode("cp1251", "replace"): b for b in _CONTINUATION} | {chr(0x98): 0x98}
_CP1252_BYTES = {bytes([b]).decode("cp1252", "ignore"): b for b in _CONTINUATION} | _C1_CONTROLS
_CP1252_BYTES.pop("", None)


def _class(chars) -> str:
    return "".join(re.escape(char) for char in chars)


@dataclass(frozen=True)
class _Reading:
    """One way UTF-8 gets misread: how its lead bytes and continuation bytes show."""

    kind: str
    leads: dict[str, int]  # two-byte leads: Cyrillic (D0, D1) and Latin-1 punctuation (C2: « » nbsp)
    lead3: str  # the lead of three-byte punctuation (E2: — “ ” … №)
    continuation: dict[str, int]

    def pattern(self) -> re.Pattern[str]:
        cont = f"[{_class(self.continuation)}]"
        return re.compile(f"(?:[{_class(self.leads)}]{cont}|{re.escape(self.lead3)}{cont}{cont})+")

    def table(self) -> dict[str, int]:
        return {**self.continuation, **self.leads, self.lead3: 0xE2}

    def triple(self, seconds: tuple[int, ...]) -> str:
        """One misread three-byte character: the lead, a second byte of ``seconds``, any continuation."""
        second = "".join(re.escape(char) for char, byte in self.continuation.items() if byte in seconds)
        return f"{re.escape(self.lead3)}[{second}][{_class(self.continuation)}]"

    def punctuation(self, seconds: tuple[int, ...]) -> re.Pattern[str]:
        """Runs of misread three-byte punctuation only (``triple``)."""
        return re.compile(f"(?:{self.triple(seconds)})+")


READINGS = (
    _Reading("utf-8 read as cp1251", {"Р": 0xD0, "С": 0xD1, "В": 0xC2}, "в", _CP1251_BYTES),
    _Reading("utf-8 read as cp1252", {"Ð": 0xD0, "Ñ": 0xD1, "Â": 0xC2}, "â", _CP1252_BYTES),
)
_PATTERNS = tuple((reading, reading.pattern(), reading.table()) for reading in READINGS)
# A page with no Russian (or none misread) can still hold misread punctuation: "â€™" or "â\x80\x99" for
# "’", "вЂ”" for "—".  The general punctuation block (U+2010–U+203A: dashes, quotes, ellipsis, bullets)
# is E2 80 xx in UTF-8, and "™", "№" are E2 84 xx; "в„" is left alone in windows-1251, where it may be
# the preposition before a „quote.  Real text never holds these triples.
# Each reading's telltales share a character that real text hardly holds ("Ђ", "â"): a page without it
# needs one scan for a single character, several times faster than one for each telltale.
_PUNCTUATION = tuple(
    (reading, reading.punctuation(seconds), reading.table(), mark, telltales)
    for reading, seconds, mark, telltales in (
        (READINGS[0], (0x80,), "Ђ", ("вЂ",)),
        (READINGS[1], (0x80, 0x84), "â", ("â€", "â\x80", "â„")),
    )
)
# The same misreading of the Latin-1 supplement (C2 xx: no-break space, ©, ®, °, «; C3 xx: é, ä, ü …), alone or
# beside misread punctuation and currency signs (E2 82 xx: "â‚¬" for €): "cats.Â\xa0", "JOHNSONâ€™SÂ®", "cafÃ©".
# "Â" and "Ã" before such a symbol are never real text (Portuguese "NÃO" has a letter after it).
_LATIN = _Reading("utf-8 read as cp1252", {"Â": 0xC2, "Ã": 0xC3}, "â", _CP1252_BYTES)
_LATIN_PATTERN = re.compile(f"(?:[ÂÃ][{_class(_CP1252_BYTES)}]|{_LATIN.triple((0x80, 0x82, 0x84))})+")
_LATIN_MARKS = ("Â", "Ã")
# windows-1252 has no glyph for 0x9D either, so the closing quote ” (E2 80 9D) often comes as "â€" alone, before
# a space or a letter where its third byte should be.
_LOST_9D = re.compile(f"â€(?![{_class(_CP1252_BYTES)}])")
# And a no-break space (C2 A0) misread as "Â\xa0" becomes "Â " once spaces are normalised (a text read from a
# page's JSON): "Â" at a word's end before a space, on a page that holds other such mojibake, goes.
_LOST_A0 = re.compile(r"(?<=\S)Â(?= )")
# windows-1252 has no glyph for 0x81, so "с" (D1 81) often loses its second
# byte on the way: "Ñ" then stands before another lead letter or an ASCII
# character, where a continuation byte (never ASCII) should be.
_LOST_81 = re.compile(r"Ñ(?=[\x00-\x7fÐÑ]|$)")
# Any misread Russian text holds о, е, а or и, the commonest letters, misread;
# real text never does ("ѕ" and "µ" are no Russian letters).  Looking for
# these substrings first keeps clean pages at memchr speed.
_TELLTALES = ("Рѕ", "Рµ", "Р°", "Рё", "Ð¾", "Ðµ", "Ð°", "Ð¸")
# Every telltale starts with one of these: a page without them (most pages
# that are not Russian) needs two scans of one character; a page with them, one search for all eight.
_TELLTALE_LEADS = ("Р", "Ð")
_TELLTALE_RE = re.compile("|".join(map(re.escape, _TELLTALES)))


@dataclass(frozen=True)
class Repair:
    """The text after repair, how many characters were repaired, and what was left suspect."""

    text: str
    repaired: int = 0
    kind: str | None = None
    suspect: int = 0


def repair_mojibake(text: str) -> Repair:
    """Repair UTF-8 misread as windows-1251 or windows-1252; count what stays suspect.

    >>> repair_mojibake("Новости: РўРѕРјСЃРє Рё РёРЅРЅРѕРІР°С†РёРё").text
    'Новости: Томск и инновации'
    >>> repair_mojibake("Ð¢Ð¾Ð¼ÑÐº Ð¸ Ð¸Ð½Ð½Ð¾Ð²Ð°Ñ†Ð¸Ð¸").text
    'Томск и инновации'
    >>> repair_mojibake("Сёмин и Ретро-Сё").repaired
    0
    >>> repair_mojibake("It\u00e2\x80\x99s \u00e2\x80\x9cfine\u00e2\x80\x9d \u00e2\u20ac\u201d really").text
    'It’s “fine” — really'
    >>> repair_mojibake("JOHNSON\u00e2\u20ac\u2122S\u00c2\u00ae: caf\u00c3\u00a9 for cats.\u00c2\u00a0").text
    'JOHNSON’S®: café for cats.\xa0'
    >>> repair_mojibake("SÃO PAULO, Ângela").repaired
    0
    """
    if not any(lead in text for lead in _TELLTALE_LEADS) or _TELLTALE_RE.search(text) is None:
        return _punctuation_repaired(text)
    for reading, pattern, table in _PATTERNS:
        if reading.kind.endswith("cp1252"):
            text_in = _LOST_81.sub("Ñ\x81", text) if "Ð" in text else text
        else:
            text_in = text
        runs = [match.group() for match in pattern.finditer(text_in)]
        if any(len(run) >= 4 for run in runs):
            return _repaired(text_in, reading, pattern, table)
    return _punctuation_repaired(text)


def _punctuation_repaired(text: str) -> Repair:
    """Repair misread punctuation, Latin letters and symbols alone (a page whose Russian letters are right)."""
    if any(mark in text for mark in _LATIN_MARKS) and _LATIN_PATTERN.search(text):
        text = _LOST_9D.sub("â€\x9d", text) if "â€" in text else text
        text = _LOST_A0.sub("", text) if "Â " in text else text
        return _repaired(text, _LATIN, _LATIN_PATTERN, _LATIN.table(), letters=False)
    for reading, pattern, table, mark, telltales in _PUNCTUATION:
        if mark in text and any(telltale in text for telltale in telltales) and pattern.search(text):
            return _repaired(text, reading, pattern, table, letters=False)
    return Repair(text)


def _repaired(
    text: str, reading: _Reading, pattern: re.Pattern[str], table: dict[str, int], letters: bool = True
) -> Repair:
    """Decode every run back; a run that is not valid UTF-8 is left and counted as suspect."""
    repaired = suspect = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal repaired, suspect
        try:
            decoded = bytes(table[char] for char in match.group()).decode("utf-8")
        except UnicodeDecodeError:
            suspect += len(match.group()) // 2
            return match.group()
        repaired += len(decoded)
        return decoded

    fixed = pattern.sub(fix, text)
    # Leads left without their second byte ("Ð" whose byte was lost) stay suspect.
    suspect += sum(fixed.count(lead) for lead in ("Ð", "Ñ")) if letters and reading.kind.endswith("cp1252") else 0
    return Repair(fixed, repaired, reading.kind, suspect)
