"""Build the labelled relevance set, ``benchmarks/data/relevance/pages.jsonl``, from its sources.

    .venv/bin/python benchmarks/build_relevance_set.py [--eval-root ../shared/eval]

Sources (format and labelling rule in ``benchmarks/data/relevance/README.md``):

* ``search_pages.txt`` – stored public pages, their text as read (the start of
  each page, site furniture left out), with URL, label and a one-line reason;
* ``eval_pages.tsv`` – pages of ``../shared/eval`` (other subjects, Russian and
  English news, technology and startup writing), labelled ``other``; their title
  and text are what ``ino-archive extract`` makes of the saved HTML;
* the seed page (``tests/pages/seed_sherpaspro_313.txt``).

Each page's language is the language stage's decision; each site goes to
``dev`` or ``test`` as a whole (``part``), drawn with a fixed seed and kept
balanced: sites in a seeded order, each to the part with fewer pages of the
site's own majority label.  The output is checked in; run this only to change
the set.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from pipelines.extractors.language import detect_language  # noqa: E402
from scraper.run import PageInput, extract_pages  # noqa: E402

DATA = REPO_ROOT / "benchmarks" / "data" / "relevance"
SEED_PAGE = (REPO_ROOT / "tests" / "pages" / "seed_sherpaspro_313.txt", "http://sherpaspro.com/news/313/?lang=en")
SEED = 15
MAX_TEXT = 4000
LABELS = ("relevant", "other")


def search_pages(path: Path) -> list[dict]:
    """Records of ``search_pages.txt``: ``### url`` then ``label:``, ``why:``, ``title:`` lines, then the text."""
    pages = []
    for block in ("\n" + path.read_text(encoding="utf-8")).split("\n### ")[1:]:
        url, *lines = block.strip().splitlines()
        fields = {}
        while lines and ":" in lines[0] and lines[0].split(":", 1)[0] in ("label", "why", "title"):
            key, value = lines.pop(0).split(":", 1)
            fields[key] = value.strip()
        if fields.get("label") not in LABELS:
            raise ValueError(f"{url}: label must be one of {LABELS}")
        pages.append(_page(url.strip(), "search", fields["label"], fields["why"], fields["title"], "\n".join(lines)))
    return pages


def eval_pages(listing: Path, root: Path) -> list[dict]:
    rows = [line.split("\t") for line in listing.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    pages = []
    with tempfile.TemporaryDirectory() as folder:
        inputs = [PageInput(_saved_html(source, root, Path(folder)), url) for source, url, _, _ in rows]
        for (source, url, label, why), record in zip(rows, extract_pages(inputs), strict=True):
            pages.append(_page(url, f"eval:{source}", label, why, record.get("title") or "", record.get("text") or ""))
    return pages


def _saved_html(source: str, root: Path, folder: Path) -> str:
    """A plain HTML file for ``extract``: gunzipped, or taken out of the wcxb archive."""
    target = folder / (str(abs(hash(source))) + ".html")
    if ".tar.xz:" in source:
        archive, member = source.split(":", 1)
        with tarfile.open(root / archive) as tar:
            target.write_bytes(tar.extractfile(member).read())
    else:
        target.write_bytes(gzip.open(root / source).read())
    return str(target)


def seed_page() -> dict:
    path, url = SEED_PAGE
    lines = path.read_text(encoding="utf-8").splitlines()
    title = next(line for line in lines[2:] if line.strip())
    why = "the seed page: a strategic session on INO Tomsk and its clusters"
    return _page(url, "tests/pages/seed_sherpaspro_313.txt", "relevant", why, title, "\n".join(lines))


def _page(url: str, source: str, label: str, why: str, title: str, text: str) -> dict:
    return {
        "url": url,
        "site": site_of(url),
        "source": source,
        "language": detect_language(f"{title}\n{text}"),
        "label": label,
        "why": why,
        "title": title,
        "text": text[:MAX_TEXT],
    }


def site_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "m.", "amp."):
        host = host.removeprefix(prefix)
    return host


def assign_parts(pages: list[dict]) -> None:
    """Whole sites to dev or test, seeded order, each to the part with fewer pages of its majority label."""
    by_site: dict[str, list[dict]] = {}
    for page in pages:
        by_site.setdefault(page["site"], []).append(page)
    sites = sorted(by_site)
    random.Random(SEED).shuffle(sites)
    counts = {part: Counter() for part in ("dev", "test")}
    for site in sites:
        labels = Counter(p["label"] for p in by_site[site])
        majority = max(LABELS, key=lambda label: (labels[label], label == "relevant"))
        part = min(("dev", "test"), key=lambda name: (counts[name][majority], name != "dev"))
        counts[part].update(labels)
        for page in by_site[site]:
            page["part"] = part


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-root", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    args = parser.parse_args(argv)
    pages = [*search_pages(DATA / "search_pages.txt"), seed_page(), *eval_pages(DATA / "eval_pages.tsv", args.eval_root)]
    if len({p["url"] for p in pages}) != len(pages):
        raise SystemExit("a URL is listed twice")
    assign_parts(pages)
    with open(DATA / "pages.jsonl", "w", encoding="utf-8") as handle:
        for number, page in enumerate(pages, 1):
            handle.write(json.dumps({"id": number, **page}, ensure_ascii=False) + "\n")
    table = Counter((p["part"], p["label"], p["language"]) for p in pages)
    print(f"{len(pages)} pages from {len({p['site'] for p in pages})} sites")
    for key, count in sorted(table.items()):
        print(" ".join(str(k) for k in key), count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
