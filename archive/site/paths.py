"""File names for the static site: stable slugs, and writes that cannot leave the folder.

Names come from crawled data (people, organisations, sources), so every file
name is built here from a slug (ASCII letters, digits, a short hash) and
every write is checked to land inside the output folder.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from archive.errors import ExportError

MARKER = ".ino-archive-site"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """A file-name-safe, stable slug; the hash keeps distinct names apart.

    >>> slug("Tomsk State University")
    'tomsk-state-university-4b8c7ee5'
    >>> slug("../../etc/passwd")[:10]
    'etc-passwd'
    """
    readable = _NOT_SLUG.sub("-", name.casefold()).strip("-")[:40].strip("-")
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}" if readable else digest


def prepare_folder(folder: Path) -> Path:
    """Create ``folder``; refuse a non-empty folder that is not an earlier site."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {folder}: {exc.strerror or exc}") from exc
    if any(folder.iterdir()) and not (folder / MARKER).exists():
        raise ExportError(
            f"folder {folder} is not empty and holds no earlier ino-archive site; choose an empty folder"
        )
    clear_previous_site(folder)
    (folder / MARKER).write_text("written by ino-archive export site\n", encoding="utf-8")
    return folder.resolve()


def clear_previous_site(folder: Path) -> int:
    """Empty a folder an earlier ``export site`` wrote (it holds ``MARKER``); how many entries went.

    A re-export with a narrower filter must not leave the earlier export's
    pages behind, reachable from nowhere but still served and searchable.
    Only a folder carrying the marker is touched; symbolic links are removed,
    never followed.
    """
    import shutil

    if not (folder / MARKER).exists():
        return 0
    removed = 0
    try:
        for entry in folder.iterdir():
            if entry.name == MARKER:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
    except OSError as exc:
        raise ExportError(f"cannot clear the earlier site in {folder}: {exc.strerror or exc}") from exc
    return removed


def write_file(root: Path, relative: str, content: str) -> None:
    """Write ``content`` at ``root/relative``, which must stay inside ``root``."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise ExportError(f"refusing to write {relative!r}: outside {root}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
