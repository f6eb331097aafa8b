"""Bytes to text: BOM, then HTTP header, then meta charset, then Cyrillic-aware detection."""

from __future__ import annotations

import codecs

import pytest

from scraper.encoding import decode_body

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
