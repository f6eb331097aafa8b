"""Main text and page kind on WCXB (Web Content eXtraction Benchmark), dev and test side by side.

Every page goes through what ``ino-archive extract`` runs (``benchmarks.ino``)
and through trafilatura (default and ``fast=True``) in the same run.  Pages are
split by site (``benchmarks/split.py``, stored in ``benchmarks/data/split.tsv``):
tune on dev, report test.  Scored as WCXB's own ``evaluate.py`` does: per page
the word-bag overlap of the lower-cased ``\\w+`` words of the output and the gold
text, P, R and F1 per page, macro-averaged over pages (an empty gold text
scores 1 for an empty output, else 0).  Main text is scored on every page type
(the ``article`` line is the goal); page kind only for ino-archive (the peers
do not drop pages): articles kept (not dropped, with text) and listing and
collection pages dropped, both over pages with a non-empty gold text.  Titles
(articles with a gold title): the share equal to WCXB's title (lower-cased ``\\w+``
words) and the mean word-bag F1, beside trafilatura's metadata title.  Dates
(articles with a gold publication date): the share found right, beside
htmldate (extensive search, original date), as ``bench_dates`` runs it.

    .venv/bin/python -m benchmarks.bench_wcxb [--data DIR | --data-root DIR] [--quick] [--only ino] [--worst 10]

The data are WCXB's dev split (github.com/Murrough-Foley/web-content-extraction-benchmark,
CC-BY-4.0), re-packed as gold.json.xz + html.tar.xz, expected in DATA_ROOT/wcxb-dev.
"""

from __future__ import annotations

import json
import logging
import lzma
import re
import sys
import tarfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.common import QUICK_PAGES, benchmark_parser, data_folder, write_table  # noqa: E402
from benchmarks.ino import ino_extract, ino_pipelines  # noqa: E402
from benchmarks.split import PARTS, part_of, wcxb_site  # noqa: E402

logger = logging.getLogger(__name__)

DATA_DIR = "wcxb-dev"
DATA_SOURCE = ("WCXB's dev split, github.com/Murrough-Foley/web-content-extraction-benchmark (CC-BY-4.0; "
               "see the set's README for the re-packing: gold.json.xz, html.tar.xz)")
WORD_RE = re.compile(r"\w+")
TYPE_ORDER = ("article", "forum", "product", "collection", "listing", "documentation", "service")
NOT_ARTICLES = ("listing", "collection")


@dataclass
class Page:
    id: str
    page_type: str
    url: str | None
    part: str
    gold: str
    html: bytes
    title: str = ""
    published: str = ""


def load_pages(data: Path, quick: bool) -> list[Page]:
    """Every page with its gold text and part; with ``quick``, a few of each part."""
    gold = json.loads(lzma.decompress((data / "gold.json.xz").read_bytes()))["pages"]
    by_member = {record["html"]: record for record in gold}
    pages = []
    with tarfile.open(data / "html.tar.xz", "r:xz") as archive:
        for member in archive:
            record = by_member.get(member.name)
            if record is None or not member.isfile():
                continue
            site = wcxb_site(record["id"], record.get("domain"), record.get("url"))
            pages.append(Page(record["id"], record["page_type"], record.get("url"), part_of(site),
                              record.get("main_content") or "", archive.extractfile(member).read(),
                              record.get("title") or "", (record.get("publish_date") or "")[:10]))
    pages.sort(key=lambda page: page.id)
    if quick:
        pages = [p for part in PARTS for p in [p for p in pages if p.part == part][:QUICK_PAGES // 2]]
    return pages


def word_scores(gold: str, output: str) -> tuple[float, float, float]:
    """WCXB's per-page precision, recall and F1 of word bags."""
    truth, guess = Counter(WORD_RE.findall(gold.lower())), Counter(WORD_RE.findall(output.lower()))
    if not truth:
        return (1.0, 1.0, 1.0) if not guess else (0.0, 0.0, 0.0)
    if not guess:
        return 0.0, 0.0, 0.0
    overlap = sum((truth & guess).values())
    precision, recall = overlap / sum(guess.values()), overlap / sum(truth.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def peers() -> dict[str, Callable[[Page], str]]:
    """trafilatura default and fast, as the set's README measured them (``extract(html, url=url)``)."""
    try:
        import trafilatura
    except ImportError as exc:
        logger.warning("trafilatura not available (%s); measuring ino only", exc)
        return {}
    return {
        "trafilatura": lambda page: trafilatura.extract(page.html.decode("utf-8", "replace"), url=page.url) or "",
        "trafilatura-fast": lambda page: trafilatura.extract(page.html.decode("utf-8", "replace"), url=page.url,
                                                             fast=True) or "",
    }


def run(pages: list[Page], only_ino: bool) -> tuple[dict[str, list], dict[str, float]]:
    """Outputs per extractor (ino: ``InoResult``; peers: text) and seconds spent, one pass each."""
    pipelines = ino_pipelines()
    extractors: dict[str, Callable[[Page], object]] = {
        "ino-archive": lambda page: ino_extract(pipelines, page.html, page.url, f"wcxb/{page.id}"),
    }
    if not only_ino:
        extractors |= peers()
    outputs: dict[str, list] = {name: [] for name in extractors}
    seconds: dict[str, float] = dict.fromkeys(extractors, 0.0)
    progress = sys.stderr.isatty()
    for number, page in enumerate(pages, 1):
        for name, extractor in extractors.items():
            started = time.perf_counter()
            outputs[name].append(extractor(page))
            seconds[name] += time.perf_counter() - started
        if progress and number % 20 == 0:
            print(f"\rwcxb: {number}/{len(pages)} pages", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return outputs, seconds


def text_of(output: object) -> str:
    return output if isinstance(output, str) else output.text


def text_table(pages: list[Page], outputs: dict[str, list], seconds: dict[str, float]) -> None:
    """F1 (P, R) per extractor and part, for articles and for all pages."""
    rows = []
    for name, results in outputs.items():
        scores = [word_scores(page.gold, text_of(out)) for page, out in zip(pages, results, strict=True)]
        for kind in ("article", "all"):
            row = [name, kind]
            for part in PARTS:
                chosen = [s for page, s in zip(pages, scores, strict=True)
                          if page.part == part and kind in ("all", page.page_type)]
                row += [_mean(s[2] for s in chosen), _mean(s[0] for s in chosen), _mean(s[1] for s in chosen),
                        len(chosen)]
            row.append(len(pages) / seconds[name] if seconds[name] else 0.0)
            rows.append(row)
    headers = ("extractor", "pages", *(f"{part} {m}" for part in PARTS for m in ("F1", "P", "R", "n")), "pages/s")
    write_table(headers, rows, "WCXB main text (word-bag F1, macro over pages)")


def kind_table(pages: list[Page], results: list) -> None:
    """ino-archive's page kind: articles kept, listing/collection pages dropped, per part."""
    rows = []
    for label, types, wanted in (("articles kept", ("article",), True),
                                 ("listing+collection dropped", NOT_ARTICLES, False),
                                 ("listing dropped", ("listing",), False),
                                 ("collection dropped", ("collection",), False)):
        row = [label]
        for part in PARTS:
            chosen = [r for page, r in zip(pages, results, strict=True)
                      if page.part == part and page.page_type in types and page.gold]
            right = sum(r.kept == wanted for r in chosen)
            row += [right / len(chosen) if chosen else 0.0, f"{right}/{len(chosen)}"]
        rows.append(row)
    write_table(("page kind (ino-archive)", *(f"{part} {m}" for part in PARTS for m in ("share", "pages"))), rows,
                "WCXB page kind (pages with a gold text)")


def peer_titles(pages: list[Page]) -> list[str] | None:
    """trafilatura's metadata title of each article page (``None``: trafilatura not available)."""
    try:
        from trafilatura.metadata import extract_metadata
    except ImportError:
        return None
    titles = []
    for page in pages:
        metadata = extract_metadata(page.html.decode("utf-8", "replace"), default_url=page.url) if titled(page) else None
        titles.append((metadata.title if metadata is not None else None) or "")
    return titles


def titled(page: Page) -> bool:
    return page.page_type == "article" and bool(page.title)


def title_scores(gold: str, output: str | None) -> tuple[float, float]:
    """(1.0 when the title's words equal the gold's, else 0.0; word-bag F1) over lower-cased ``\\w+`` words.

    >>> title_scores("Big Day in Tomsk!", "big day in Tomsk"), title_scores("Big day", "Day")
    ((1.0, 1.0), (0.0, 0.6666666666666666))
    """
    ours, theirs = WORD_RE.findall((output or "").lower()), WORD_RE.findall(gold.lower())
    return float(ours == theirs), word_scores(gold, output or "")[2]


def title_table(pages: list[Page], results: list, peer: list[str] | None) -> None:
    """Titles of the article pages, ino-archive beside trafilatura's metadata title, per part."""
    columns = {"ino-archive": [result.title for result in results]}
    if peer is not None:
        columns["trafilatura"] = peer
    rows = part_rows(pages, columns, titled, lambda page, title: title_scores(page.title, title))
    write_table(("extractor", *(f"{part} {m}" for part in PARTS for m in ("exact", "F1", "n"))), rows,
                "WCXB article titles (equal words / word-bag F1 against the gold title)")


def part_rows(pages: list[Page], columns: dict[str, list], chosen: Callable[[Page], bool],
              score: Callable[[Page, object], tuple[float, ...]]) -> list[list]:
    """One row per column: for each part, the mean of each of ``score``'s figures over the chosen pages, and their count."""
    rows = []
    for name, answers in columns.items():
        row = [name]
        for part in PARTS:
            scores = [score(page, answer) for page, answer in zip(pages, answers, strict=True)
                      if page.part == part and chosen(page)]
            width = len(scores[0]) if scores else 1
            row += [*(_mean(s[i] for s in scores) for i in range(width)), len(scores)]
        rows.append(row)
    return rows


def peer_dates(pages: list[Page]) -> list[str] | None:
    """htmldate's date of each dated article page (``None``: htmldate not available)."""
    try:
        from htmldate import find_date
    except ImportError:
        return None
    return [
        (find_date(page.html.decode("utf-8", "replace"), url=page.url, original_date=True, extensive_search=True,
                   outputformat="%Y-%m-%d") or "") if dated(page) else ""
        for page in pages
    ]


def dated(page: Page) -> bool:
    return page.page_type == "article" and bool(page.published)


def date_table(pages: list[Page], results: list, peer: list[str] | None) -> None:
    """Publication dates of the article pages, ino-archive beside htmldate, per part: the share right."""
    columns = {"ino-archive": [result.published or "" for result in results]}
    if peer is not None:
        columns["htmldate-extensive"] = peer
    rows = part_rows(pages, columns, dated, lambda page, found: (float((found or "")[:10] == page.published),))
    write_table(("finder", *(f"{part} {m}" for part in PARTS for m in ("right", "n"))), rows,
                "WCXB article dates (share equal to the gold publication day)")


def worst(pages: list[Page], results: list, count: int, part: str = "dev") -> None:
    """ino-archive's worst articles of a part, to look at by hand (tune on dev only)."""
    ranked = sorted(((word_scores(p.gold, r.text), p, r) for p, r in zip(pages, results, strict=True)
                     if p.part == part and p.page_type == "article"), key=lambda t: t[0][2])
    for (precision, recall, f1), page, result in ranked[:count]:
        sys.stdout.write(f"  {page.id} F1={f1:.2f} P={precision:.2f} R={recall:.2f} "
                         f"{result.dropped or ''} {page.url}\n")


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, data_dir=DATA_DIR)
    parser.add_argument("--only", choices=("ino",), help="skip trafilatura")
    parser.add_argument("--worst", type=int, default=0, help="list ino-archive's N worst dev articles")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    data = data_folder(args, "gold.json.xz", DATA_SOURCE)
    if data is None:
        return 2
    pages = load_pages(data, args.quick)
    outputs, seconds = run(pages, args.only == "ino")
    text_table(pages, outputs, seconds)
    kind_table(pages, outputs["ino-archive"])
    title_table(pages, outputs["ino-archive"], None if args.only == "ino" else peer_titles(pages))
    date_table(pages, outputs["ino-archive"], None if args.only == "ino" else peer_dates(pages))
    if args.worst:
        worst(pages, outputs["ino-archive"], args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
