"""``ino-archive serve DIR``: the static site over HTTP, on 127.0.0.1 by default.

A plain threaded ``http.server`` limited to one folder, adding the site's
Content-Security-Policy as a header too.  For looking at a site locally, not
for the open internet.
"""

from __future__ import annotations

import functools
import logging
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError
from archive.localsite import LocalHTTPServer
from archive.site.build import CSP

logger = logging.getLogger(__name__)


class SiteHandler(SimpleHTTPRequestHandler):
    """Files of one folder, with the CSP header; quiet unless logging asks."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        logger.info("%s " + format, self.address_string(), *args)


def make_server(folder: Path | str, host: str = "127.0.0.1", port: int = 8000) -> LocalHTTPServer:
    """A server for ``folder`` (not yet serving); port 0 picks a free port."""
    folder = Path(folder)
    if not (folder / "index.html").is_file():
        raise ArchiveError(f"{folder} has no index.html; write a site with `ino-archive export site` first")
    handler = functools.partial(SiteHandler, directory=str(folder.resolve()))
    try:
        return LocalHTTPServer((host, port), handler)  # a browser opens several connections at once
    except OSError as exc:
        raise ArchiveError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
