"""Decode page bytes to text: BOM, then HTTP header, then meta charset, then detection.

Scrapy's own fallback guesses cp1252 for undeclared single-byte pages, which
turns the windows-1251 pages of old Russian CMSs into mojibake.  Detection here
knows the Cyrillic code pages: it scores each candidate by how much of the
decoded text is made of plausible Russian or Latin letters.

A declaration is a claim the bytes can contradict.  A UTF-8 claim fails on
bytes that are not UTF-8.  A single-byte claim (windows-1251, KOI8-R,
ISO-8859-1 …) never fails to decode, so it is checked: bytes that are valid
UTF-8 with non-ASCII characters are UTF-8 (chance never makes them so), and a
code page that reads the text much less plausibly than another is wrong
(cp1251 sent as KOI8-R, or a server's default ISO-8859-1).  A contradicted
declaration is skipped; the next signal, or detection, decides.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    resolve_encoding,
)

logger = logging.getLogger(__name__)

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Tried in order after UTF-8; the first two are the Russian web's legacy code pages.
SINGLE_BYTE_CANDIDATES = ("cp1251", "koi8_r", "cp1252")
# The most frequent Russian letters (о е а и н т с р в л) in lower case: real
# Russian text decoded with the right code page is full of them.
_COMMON_RU = set("оеаинтсрвлкмдпуяыь")
# How much more plausible another code page must read the bytes to overrule a declared one.
CONTRADICTION_MARGIN = 0.25
_WORDS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    source: str  # "bom" | "header" | "meta" | "detected" | "default"


def decode_body(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode ``body`` by the first signal that gives a usable encoding.

    >>> decode_body("Привет, мир".encode("cp1251")).encoding
    'cp1251'
    >>> decode_body(b"abc", "text/html; charset=utf-8").source
    'header'
    """
    for source, encoding in _declared(body, content_type):
        if source != "bom" and _contradicted(body, encoding):
            logger.debug("%s declares %s, the bytes say otherwise", source, encoding)
            continue
        text = _try_decode(body, encoding, strip_bom=source == "bom")
        if text is not None:
            return Decoded(text, encoding, source)
    return _detect(body)


def _contradicted(body: bytes, encoding: str) -> bool:
    """True when a single-byte declaration does not fit the bytes (see the module docstring)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False  # _try_decode refuses it
    if name.startswith("utf") or not _has_non_ascii(body):
        return False
    sample = body[:65536]
    if _is_utf8(sample):
        return True
    declared = _plausibility(sample.decode(name, "replace"))
    best = max(_plausibility(sample.decode(enc, "replace")) for enc in SINGLE_BYTE_CANDIDATES)
    return best - declared >= CONTRADICTION_MARGIN


def _is_utf8(sample: bytes) -> bool:
    """Valid UTF-8, allowing a multi-byte character cut at the sample's end."""
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data"
    return True


def _declared(body: bytes, content_type: str | None):
    bom = _bom_encoding(body)
    if bom:
        yield "bom", bom
    header = http_content_type_encoding(content_type) if content_type else None
    if header:
        yield "header", header
    meta = html_body_declared_encoding(body)
    if meta:
        yield "meta", resolve_encoding(meta) or meta


def _bom_encoding(body: bytes) -> str | None:
    for bom, encoding in BOMS:
        if body.startswith(bom):
            return encoding
    return None


def _try_decode(body: bytes, encoding: str, *, strip_bom: bool = False) -> str | None:
    try:
        text = body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    return text.lstrip("\ufeff") if strip_bom else text


def _detect(body: bytes) -> Decoded:
    try:
        return Decoded(body.decode("utf-8"), "utf-8", "detected" if _has_non_ascii(body) else "default")
    except UnicodeDecodeError:
        pass
    sample = body[:65536]
    best = max(SINGLE_BYTE_CANDIDATES, key=lambda enc: _plausibility(sample.decode(enc, "replace")))
    return Decoded(body.decode(best, "replace"), best, "detected")


def _has_non_ascii(body: bytes) -> bool:
    return not body[:65536].isascii()  # C speed; a generator over the bytes took ~15 ms a page


def _plausibility(text: str) -> float:
    """Average plausibility of the words in ``text`` that have non-ASCII letters.

    A Cyrillic word scores the share of its letters that are common Russian
    letters; a Latin word with accents scores 1; a word mixing ASCII letters
    with Cyrillic ("Cafй", Western text read as cp1251) scores 0.  cp1251 read
    as koi8-r (or the reverse) puts rare letters first, and Russian read as
    cp1252 mixes accented letters with symbols, so the right code page wins.
    """
    scores = [_word_plausibility(word) for word in _WORDS.findall(text) if not word.isascii()]
    return sum(scores) / len(scores) if scores else 0.0


def _word_plausibility(word: str) -> float:
    cyrillic = [c for c in word if "\u0400" <= c <= "\u04ff"]
    if not cyrillic:
        return 1.0 if any(c.isascii() for c in word) else 0.5
    if any(c.isascii() and c.isalpha() for c in word):
        return 0.0
    return sum(1 for c in cyrillic if c.lower() in _COMMON_RU) / len(cyrillic)
