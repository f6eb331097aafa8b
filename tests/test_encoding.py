"""Bytes to text: BOM, then HTTP header, then meta charset, then Cyrillic-aware detection."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from scraper.decode import decode_body

RUSSIAN = "<html><body><p>Томская область: инновационный кластер ИНО Томск и губернатор.</p></body></html>"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-8"])
def test_undeclared_russian_page_is_detected(encoding):
    decoded = decode_body(RUSSIAN.encode(encoding))
    assert decoded.text == RUSSIAN
    assert decoded.encoding == encoding
    assert decoded.source == "detected"


def test_bom_wins_over_header_and_meta():
    body = codecs.BOM_UTF8 + '<meta charset="cp1251"><p>Привет</p>'.encode()
    decoded = decode_body(body, "text/html; charset=koi8-r")
    assert (decoded.source, decoded.encoding) == ("bom", "utf-8")
    assert "Привет" in decoded.text and not decoded.text.startswith("\ufeff")


def test_header_wins_over_meta():
    body = '<meta charset="utf-8"><p>Привет</p>'.encode("cp1251")
    decoded = decode_body(body, "text/html; charset=windows-1251")
    assert decoded.source == "header"
    assert "Привет" in decoded.text


def test_meta_charset_is_used_without_header():
    body = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><p>Привет</p>'.encode("cp1251")
    decoded = decode_body(body, "text/html")
    assert decoded.source == "meta"
    assert "Привет" in decoded.text


def test_header_contradicted_by_bytes_falls_through_to_detection():
    decoded = decode_body(RUSSIAN.encode("cp1251"), "text/html; charset=utf-8")
    assert decoded.text == RUSSIAN


def test_western_page_is_not_mistaken_for_cyrillic():
    text = "<p>Café à la crème brûlée, Müller Straße, garçon</p>"
    assert decode_body(text.encode("cp1252")).text == text


# --- declarations the bytes contradict, on the project's fixture pages --------------
# KOI8-R has no em dash; the rest of the page is in every Cyrillic code page.
FIXTURE = (Path(__file__).parent / "pages" / "inotomsk_ru" / "it-forum.html").read_text(encoding="utf-8").replace("—", "-")
HEADLINE = "В Томске прошёл форум информационных технологий"


def declared_without_meta(encoding: str) -> bytes:
    """The fixture page in ``encoding``, its own <meta charset> removed (the header decides)."""
    return FIXTURE.replace('<meta charset="utf-8" />', "").encode(encoding)


def test_koi8_r_declared_in_meta_is_used():
    body = FIXTURE.replace('<meta charset="utf-8" />', '<meta charset="koi8-r" />').encode("koi8_r")
    decoded = decode_body(body, "text/html")
    assert (decoded.source, decoded.encoding) == ("meta", "koi8-r")
    assert HEADLINE in decoded.text


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_undeclared_fixture_page_is_detected(encoding):
    decoded = decode_body(declared_without_meta(encoding))
    assert decoded.encoding == encoding
    assert decoded.text == FIXTURE.replace('<meta charset="utf-8" />', "")


def test_header_windows_1251_but_utf8_bytes_is_read_as_utf8():
    decoded = decode_body(declared_without_meta("utf-8"), "text/html; charset=windows-1251")
    assert decoded.encoding == "utf-8"
    assert HEADLINE in decoded.text and "РўРѕРјСЃРє" not in decoded.text


def test_header_koi8_r_but_cp1251_bytes_is_read_as_cp1251():
    decoded = decode_body(declared_without_meta("cp1251"), "text/html; charset=koi8-r")
    assert decoded.encoding == "cp1251"
    assert HEADLINE in decoded.text


def test_server_default_latin1_header_on_a_cp1251_page_is_overruled():
    decoded = decode_body(declared_without_meta("cp1251"), "text/html; charset=ISO-8859-1")
    assert decoded.encoding == "cp1251"
    assert HEADLINE in decoded.text


def test_header_utf8_but_cp1251_bytes_with_utf8_meta_is_detected():
    body = FIXTURE.encode("cp1251")  # still says <meta charset="utf-8">
    decoded = decode_body(body, "text/html; charset=utf-8")
    assert (decoded.source, decoded.encoding) == ("detected", "cp1251")
    assert HEADLINE in decoded.text


def test_western_page_declared_windows_1251_is_not_turned_cyrillic():
    text = "<p>Café à la crème brûlée, Müller Straße, garçon, déjà vu, naïve façade</p>"
    assert decode_body(text.encode("cp1252"), "text/html; charset=windows-1251").text == text
