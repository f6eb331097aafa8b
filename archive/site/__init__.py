"""The static archive site: a folder of HTML pages a researcher can copy, host or open from disk.

``export_site(session, folder)`` (``archive.site.build``) writes:

* ``index.html`` – the query page: one query (the search language of
  ``ino-archive search``) with filters in the URL gives attention over time
  (several queries compared; counts and share; CSV, SVG, PNG), facets that
  filter when clicked, and the matching articles with snippets, paged and
  sorted; then browsing by year, source and language;
* ``articles/<id>.html`` – one page per article;
* ``people/``, ``orgs/`` – a page per person and organisation: name
  variants, roles in the texts, mentions per month (inline SVG, labelled
  axes), who appears with them, and the articles;
* ``years/``, ``sources/``, ``languages/`` – browse lists;
* ``assets/`` – the stylesheet, the scripts (``i18n.js``: Russian or English
  by the browser, switchable; ``engine.js``: the search language and the
  index; ``chart.js``; ``app.js``: the query page) and ``index/``, the
  search index split into files loaded on demand (``searchindex``);
* ``site.json`` – the export's filters, for ``serve --db``.

Safety: templates autoescape every value, scripts put archive strings into
pages with ``textContent`` only, links to originals are kept only for
http(s) URLs, every page carries a Content-Security-Policy that allows
scripts from the site's own files only (no inline script, no event handler
attributes), and every file name is a slug written inside the folder.
``serve`` serves a folder on 127.0.0.1 (the site, and the demo's sample
pages); with a database it answers the query page from it (``api``).

Modules: ``build`` (writing), ``data`` (what the site shows), ``paths``
(slugs, safe writes), ``searchindex`` (the offline index), ``timeline``
(inline SVG), ``api`` (the answers of ``serve --db``), ``serve``.
May import: ``archive.export``, ``archive.search``, ``archive.entities``,
``archive.models``, ``archive.knowledge``, ``archive.errors``.
"""

from archive.site.build import CSP, export_site
from archive.site.serve import (
    LocalHTTPServer,
    ServedFolder,
    exposure_warning,
    make_server,
)

__all__ = ["CSP", "LocalHTTPServer", "ServedFolder", "export_site", "exposure_warning", "make_server"]
