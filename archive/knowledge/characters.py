"""Characters crawled text must not carry: terminal controls, bidi overrides, invisible marks, XML's forbidden.

A page can hide ``&#27;[1;32m`` (a terminal colour), an OSC 8 hyperlink
(``ESC ] 8 ;; url ESC \\``), a right-to-left override that shows
``gnp.exe`` as ``exe.png``, zero-width spaces that split a word for the
search but not for the eye, or U+FFFE, which no XML file may contain.  The
text stage cleans the title and main text with ``clean_text`` before any
other stage reads them (so entity offsets point into clean text), the store
cleans every text field again (items built by other code, older archives on
reprocess), and the command line cleans what it prints
(``terminal_text``).  Letters, digits, punctuation, tab and newline are kept:
only characters that are invisible or act on the terminal go.

>>> clean_text("gnp\\u202e.exe\\u200b \\x1b[1;32mgreen\\x1b[0m \\x1b]8;;http://evil.example/\\x1b\\\\link\\x1b]8;;\\x1b\\\\")
'gnp.exe green link'
>>> clean_text("инно\\xadвации\\ufeff\\ufffe\\ttab\\nline")
'инновации\\ttab\\nline'
"""

from __future__ import annotations

import re

# An escape sequence as a whole (so no "[1;32m" is left behind): CSI (ESC [ … final byte, or the 8-bit
# CSI U+009B), OSC / DCS / APC / PM / SOS strings (ESC ] … ended by BEL, ESC \ or the 8-bit ST U+009C),
# and any other two-character ESC sequence.  The 8-bit string openers (U+0090, U+0098, U+009D-U+009F)
# go alone, with the C1 controls: on the web they are curly quotes misread ("â\x80\x9d" is "”" as
# Latin-1), and a string opened at one quote would swallow the text up to the next one.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\-_ -/]?"
)
# Single characters: C0 controls but tab and newline (a carriage return becomes nothing: lines end in
# \n), DEL and C1 controls, bidi embeddings, overrides and isolates, zero-width spaces and joiners,
# the word joiner and invisible operators, the soft hyphen, BOM, interlinear annotations, the
# noncharacters U+FFFE/U+FFFF, and lone surrogates (bytes no decoder could read).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)
# Lines of text keep their form; a form feed or vertical tab between paragraphs becomes a newline.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"})


def clean_text(value: str) -> str:
    """``value`` without escape sequences and invisible or forbidden characters; tab and newline kept."""
    if not value:
        return value
    if value.isprintable():
        return value  # the common case: nothing to remove (tab, newline and all of _INVISIBLE are not printable)
    return _INVISIBLE.sub("", _ESCAPE_SEQUENCE.sub("", value.translate(_LINE_BREAKS)))


def clean_optional(value: str | None) -> str | None:
    return clean_text(value) if value else value


def terminal_text(value: object) -> str:
    """Text safe to print on a terminal: cleaned, and on one line (tab and newline become spaces).

    >>> terminal_text("title\\x1b]0;pwned\\x07\\nsecond line")
    'title second line'
    """
    return " ".join(clean_text("" if value is None else str(value)).split())
