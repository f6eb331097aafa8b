"""The static archive site: a folder of HTML pages a researcher can copy, host or open from disk.

``export_site(session, folder)`` (``archive.site.build``) writes:

* ``index.html`` – offline search, browsing by year, source and language;
* ``articles/<id>.html`` – one page per article;
* ``people/``, ``orgs/`` – a page per person and organisation with its
  articles and a timeline of mentions per month (inline SVG);
* ``years/``, ``sources/``, ``languages/`` – browse lists;
* ``assets/`` – the stylesheet, ``search.js`` and the search index as a
  ``.js`` data file.

Safety: templates autoescape every value, links to originals are kept only
for http(s) URLs, every page carries a Content-Security-Policy that allows
scripts from the site's own files only (no inline script, no event handler
attributes), and every file name is a slug written inside the folder.
``serve`` serves a folder on 127.0.0.1 (the site, and the demo's sample pages).

Modules: ``build`` (writing), ``data`` (what the site shows), ``paths``
(slugs, safe writes), ``searchindex`` (the offline index), ``timeline``
(inline SVG), ``serve``.  May import: ``archive.export``, ``archive.search``,
``archive.models``, ``archive.knowledge``, ``archive.errors``.
"""

from archive.site.build import CSP, export_site
from archive.site.serve import LocalHTTPServer, ServedFolder, exposure_warning, make_server

__all__ = ["CSP", "LocalHTTPServer", "ServedFolder", "exposure_warning", "export_site", "make_server"]
