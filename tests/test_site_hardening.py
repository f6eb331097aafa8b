"""The static site and `serve` after the red-team pass (issue 16, item 19)."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import pytest
from archive_fixtures import db_url, engine, session  # noqa: F401  (fixtures)
from click.testing import CliRunner
from site_fixtures import fill

from archive.cli import main
from archive.search import SearchQuery
from archive.site import export_site, make_server
from archive.site.paths import MARKER


def _files(folder) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


def test_a_narrower_re_export_into_the_same_folder_leaves_no_old_page(session, tmp_path):  # noqa: F811
    fill(session)
    out = tmp_path / "site"
    export_site(session, out, query=SearchQuery(include_all=True))
    everything = _files(out)
    assert export_site(session, out, query=SearchQuery(lang="en"))["articles"] == 1
    narrow = _files(out)
    fresh = tmp_path / "fresh"
    export_site(session, fresh, query=SearchQuery(lang="en"))
    assert narrow == _files(fresh)  # exactly what a fresh export writes: the earlier pages are gone
    assert len(everything - narrow) > 0
    assert MARKER in narrow


def _serve(folder, host="127.0.0.1"):
    server = make_server(folder, host, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def test_serve_lists_no_folder(session, tmp_path):  # noqa: F811
    fill(session)
    out = tmp_path / "site"
    export_site(session, out, query=SearchQuery(include_all=True))
    server, thread = _serve(out)
    port = server.server_address[1]
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/people/") as page:  # a folder with its index page
            assert page.status == 200
        for folder in ("/assets/", "/articles/"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{folder}").close()
            refused.value.close()
            assert refused.value.code == 404
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_serve_on_every_address_warns_before_serving(session, tmp_path, monkeypatch):  # noqa: F811
    fill(session)
    out = tmp_path / "site"
    export_site(session, out, query=SearchQuery(include_all=True))

    import archive.site

    real = archive.site.make_server
    monkeypatch.setattr(archive.site, "make_server", lambda *args, **kwargs: _Stopping(real(*args, **kwargs)))
    result = CliRunner().invoke(main, ["serve", str(out), "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "Warning: serving on 0.0.0.0: anyone who can reach this machine can read the archive"
        " (the default, 127.0.0.1, serves this machine only)"
    )
    quiet = CliRunner().invoke(main, ["serve", str(out), "--port", "0"])
    assert "Warning" not in quiet.stderr


class _Stopping:
    """A server whose serve_forever is Ctrl-C at once."""

    def __init__(self, server):
        self.server = server
        self.server_address = server.server_address

    def serve_forever(self):
        raise KeyboardInterrupt

    def server_close(self):
        self.server.server_close()
