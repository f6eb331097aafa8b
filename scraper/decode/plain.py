"""Plain text given where a page was expected (an article's text saved from a browser or another tool), as a page.

``ino-archive extract`` reads files; a file with no HTML markup in it is
such a text.  Read as HTML it would be one paragraph: no headline, no
date line of its own, its first line run into the next.  So each line
becomes a paragraph, and the headline is looked for among the opening
lines: the first line that reads as one (``HEADLINE_MIN_WORDS`` words or
more, at most ``HEADLINE_MAX_CHARS`` characters, no sentence or clause
ending) and is followed by a longer line.  It becomes the page's title and
``<h1>``; the lines above it (a phone number, a date, a section's name)
become the page's header, where the date stage reads them and the text
stage leaves them out, as on the page the text was copied from.  Without
such a line, every line is the article's.
"""

from __future__ import annotations

import html
import re

# A tag, a comment or a declaration: HTML (or XML) writes them, a plain text does not ("<john@example.org>" is no tag).
MARKUP = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<!--|<!doctype|<\?xml", re.IGNORECASE)
MARKUP_SEARCH_CHARS = 65536
HEADLINE_SEARCH_LINES = 4
HEADLINE_MIN_WORDS = 3
HEADLINE_MAX_CHARS = 200
# A line that ends so goes on, or closes a sentence: a paragraph, never a headline.
CLAUSE_ENDS = ".,;:"
WORD = re.compile(r"[^\W\d_]{2,}")


def is_plain_text(text: str) -> bool:
    """True when the text has no HTML markup: no tag among the first ``MARKUP_SEARCH_CHARS`` characters.

    >>> is_plain_text("14 March 2016\\nA headline\\nWrite to <ed@example.org>."), is_plain_text("<em>The</em> story.")
    (True, False)
    """
    return bool(text.strip()) and MARKUP.search(text, 0, MARKUP_SEARCH_CHARS) is None


def plain_text_page(text: str) -> str:
    """The text as an HTML page: a header of the lines above the headline, the headline, a paragraph per line.

    >>> print(plain_text_page("+7 (925) 862 7050\\n14 March 2016\\nClusters and INO Tomsk meet\\n\\nThe session was led by A. Antonov."))
    <html><head><title>Clusters and INO Tomsk meet</title></head><body>
    <header><p>+7 (925) 862 7050</p>
    <p>14 March 2016</p></header>
    <article><h1>Clusters and INO Tomsk meet</h1>
    <p>The session was led by A. Antonov.</p></article>
    </body></html>
    """
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    headline = headline_index(lines)
    title = f"<title>{html.escape(lines[headline])}</title>" if headline is not None else ""
    header = "" if not headline else "<header>" + "\n".join(_paragraph(line) for line in lines[:headline]) + "</header>\n"
    story = lines if headline is None else lines[headline + 1 :]
    heading = "" if headline is None else f"<h1>{html.escape(lines[headline])}</h1>\n"
    body = heading + "\n".join(_paragraph(line) for line in story)
    return f"<html><head>{title}</head><body>\n{header}<article>{body}</article>\n</body></html>"


def headline_index(lines: list[str]) -> int | None:
    """Which of the opening lines is the headline (``None``: none reads as one).

    >>> headline_index(["14 March 2016", "Clusters and INO Tomsk meet", "The session was led by A. Antonov, who spoke."])
    1
    >>> headline_index(["The session was led by A. Antonov.", "He spoke of the clusters and their plans."]) is None
    True
    """
    for index, line in enumerate(lines[:HEADLINE_SEARCH_LINES]):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            len(WORD.findall(line)) >= HEADLINE_MIN_WORDS
            and len(line) <= HEADLINE_MAX_CHARS
            and line[-1] not in CLAUSE_ENDS
            and len(following) > len(line)
        ):
            return index
    return None


def _paragraph(line: str) -> str:
    return f"<p>{html.escape(line)}</p>"
