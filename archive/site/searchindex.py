"""The offline search index of the static site: stems → articles, as a .js data file.

A ``.js`` file that sets ``window.INO_SEARCH`` works from disk (``fetch`` of
``file://`` does not) and under a strict Content-Security-Policy (it is a
script from the site itself, not an inline one).  The browser cannot run
the Snowball stemmer, so the index carries ``forms``: every word form seen in
the archive (folded) → its stem; a form the archive never saw is stemmed in
JavaScript by cutting endings until a known stem is left.
"""

from __future__ import annotations

import json
from collections import defaultdict

from archive.knowledge import fold, stem, words
from archive.site.data import Summary


class SearchIndexBuilder:
    """Collects stems per article while the article pages are written."""

    def __init__(self) -> None:
        self.docs: list[list[object]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.forms: dict[str, str] = {}

    def add(self, article: Summary, path: str, title: str | None, text: str | None) -> None:
        number = len(self.docs)
        published = article.published.isoformat() if article.published else ""
        self.docs.append([path, article.title, published, article.language, article.source])
        stems = set()
        for word in words(title) + words(text):
            folded, stemmed = fold(word), stem(word)
            stems.add(stemmed)
            if folded != stemmed:
                self.forms.setdefault(folded, stemmed)
        for stemmed in stems:
            self.postings[stemmed].append(number)

    def to_js(self) -> str:
        """``window.INO_SEARCH = {...};`` with compact JSON."""
        data = {"docs": self.docs, "stems": self.postings, "forms": self.forms}
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        # "</" cannot end anything in a .js file, but keep the file safe to inline anyway.
        return "window.INO_SEARCH = " + payload.replace("</", "<\\/") + ";\n"
