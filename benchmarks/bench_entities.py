"""Measure the entity stage on the project's gold set: accuracy, linking and speed.

For each language and kind (person, org, place): precision, recall and F1 of
mentions, a mention counting when its span and kind equal the gold's.  The
linking step (``entities_link.link_names`` over every name the stage found in
the whole set, as ``ino-archive entities --relink`` does over an archive) is
scored on pairs of correctly found mentions of one kind: precision and recall
of "same entity", false merges, and recall on variant pairs (same entity,
different surface: "A.Antonov" / "Андрей Антонов").  Speed is characters per
second of the whole stage per language (median of ``--repeat`` runs after a
warm-up), with natasha's NER alone (segment + NER) measured in the same run
on the same Russian text as the peer.

    .venv/bin/python benchmarks/bench_entities.py [--data DIR] [--repeat 5] [--quick] [--errors]

The gold set is written for this project and ships in the repository
(benchmarks/data/entities_gold/, format in its README.md), so ``--data``
defaults there.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from archive.knowledge import link_names, load_gazetteer  # noqa: E402
from pipelines.extractors.entities import extract_entities, natasha_models  # noqa: E402

DEFAULT_DATA = REPO_ROOT / "benchmarks" / "data" / "entities_gold"
FILES = {"seed.txt": "en", "en.txt": "en", "ru.txt": "ru"}
MARK = re.compile(r"\[([^\]]+)\]\((person|org|place):([\w-]+)\)")
KINDS = ("person", "org", "place")


@dataclass(frozen=True)
class GoldMention:
    kind: str
    entity: str
    surface: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    language: str
    text: str
    gold: tuple[GoldMention, ...]


def parse_gold(marked: str) -> tuple[str, tuple[GoldMention, ...]]:
    """Plain text and gold mentions of one marked paragraph."""
    text, gold, position = [], [], 0
    cursor = 0
    for match in MARK.finditer(marked):
        text.append(marked[position : match.start()])
        cursor += match.start() - position
        surface, kind, entity = match.groups()
        gold.append(GoldMention(kind, entity, surface, cursor, cursor + len(surface)))
        text.append(surface)
        cursor += len(surface)
        position = match.end()
    text.append(marked[position:])
    return "".join(text), tuple(gold)


def load_paragraphs(folder: Path) -> list[Paragraph]:
    paragraphs = []
    for name, language in FILES.items():
        content = (folder / name).read_text(encoding="utf-8")
        lines = [line for line in content.splitlines() if not line.startswith("#")]
        for block in "\n".join(lines).split("\n\n"):
            if block.strip():
                paragraphs.append(Paragraph(language, *parse_gold(block.strip())))
    return paragraphs


def score_mentions(paragraphs, found) -> dict[tuple[str, str], Counter]:
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for paragraph, mentions in zip(paragraphs, found, strict=True):
        gold = {(g.kind, g.start, g.end) for g in paragraph.gold}
        system = {(m.kind, m.start, m.end) for m in mentions}
        for kind in KINDS:
            g = {x for x in gold if x[0] == kind}
            s = {x for x in system if x[0] == kind}
            counts[(paragraph.language, kind)].update(tp=len(g & s), fp=len(s - g), fn=len(g - s))
    return counts


def prf(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_linking(paragraphs, found) -> Counter:
    """Pairwise linking counts over correctly found mentions, after archive-wide linking."""
    names = Counter((m.kind, m.name) for mentions in found for m in mentions)
    canonical = link_names(names, load_gazetteer(), names)
    matched = []
    for paragraph, mentions in zip(paragraphs, found, strict=True):
        by_span = {(m.kind, m.start, m.end): m for m in mentions}
        for g in paragraph.gold:
            m = by_span.get((g.kind, g.start, g.end))
            if m is not None:
                matched.append((g, canonical[(m.kind, m.name)]))
    counts: Counter = Counter()
    for (g1, c1), (g2, c2) in combinations(matched, 2):
        if g1.kind != g2.kind:
            continue
        same_gold, same_system = g1.entity == g2.entity, c1 == c2
        counts["tp" if same_gold and same_system else "fp" if same_system else "fn" if same_gold else "tn"] += 1
        if same_gold and g1.surface != g2.surface:
            counts["variant_pairs"] += 1
            counts["variant_linked"] += same_system
    return counts


def timed(function, texts, repeat: int) -> tuple[float, float]:
    """Seconds for the first pass over ``texts`` (cold caches) and the median of ``repeat`` later passes."""
    begin = time.perf_counter()
    for text in texts:
        function(text)
    cold = time.perf_counter() - begin
    runs = []
    for _ in range(repeat):
        begin = time.perf_counter()
        for text in texts:
            function(text)
        runs.append(time.perf_counter() - begin)
    return cold, statistics.median(runs)


def natasha_ner(text: str):
    import natasha

    models = natasha_models()
    doc = natasha.Doc(text)
    doc.segment(models.segmenter)
    doc.tag_ner(models.ner_tagger)
    return doc.spans


def speed(paragraphs, repeat: int) -> dict[str, tuple[float, float]]:
    """Characters per second, (first pass, later passes), per language and for the peer."""
    extract_entities("Томск", "ru")  # load the models outside the timing
    rates = {}
    runs = {f"entity stage, {lang}": (lambda t, lang=lang: extract_entities(t, lang), lang) for lang in ("en", "ru")}
    runs["natasha NER alone (peer), ru"] = (natasha_ner, "ru")
    for name, (function, language) in runs.items():
        texts = [p.text for p in paragraphs if p.language == language]
        chars = sum(map(len, texts))
        natasha_models().parse.cache_clear()  # the first pass starts with no memoised word
        cold, warm = timed(function, texts, repeat)
        rates[name] = (chars / cold, chars / warm)
    return rates


def report(paragraphs, found, rates, show_errors: bool) -> None:
    counts = score_mentions(paragraphs, found)
    print(f"gold: {sum(len(p.gold) for p in paragraphs)} mentions in {len(paragraphs)} paragraphs "
          f"({Counter(p.language for p in paragraphs)})")
    print(f"{'language':<9}{'kind':<8}{'gold':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for (language, kind), c in sorted(counts.items()):
        p, r, f = prf(c)
        print(f"{language:<9}{kind:<8}{c['tp'] + c['fn']:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    link = score_linking(paragraphs, found)
    p, r, _ = prf(link)
    variant = link["variant_linked"] / link["variant_pairs"] if link["variant_pairs"] else 0.0
    print(f"linking (pairs of correctly found mentions): precision {p:.3f}, recall {r:.3f}, "
          f"false merges {link['fp']}, variant-pair recall {variant:.3f} "
          f"({link['variant_linked']}/{link['variant_pairs']})")
    for name, (cold, warm) in rates.items():
        print(f"speed: {name}: {warm:,.0f} chars/s (first pass, cold caches: {cold:,.0f})")
    if show_errors:
        print_errors(paragraphs, found)


def print_errors(paragraphs, found) -> None:
    for paragraph, mentions in zip(paragraphs, found, strict=True):
        gold = {(g.kind, g.start, g.end) for g in paragraph.gold}
        system = {(m.kind, m.start, m.end) for m in mentions}
        for kind, start, end in sorted(system - gold, key=lambda x: x[1]):
            print(f"  FP {paragraph.language} {kind:<6} {paragraph.text[start:end]!r}")
        for kind, start, end in sorted(gold - system, key=lambda x: x[1]):
            print(f"  FN {paragraph.language} {kind:<6} {paragraph.text[start:end]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help=f"gold folder (default {DEFAULT_DATA})")
    parser.add_argument("--data-root", type=Path, default=None, help="ignored: the gold set ships in the repository")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs (median reported)")
    parser.add_argument("--quick", action="store_true", help="one timing run")
    parser.add_argument("--errors", action="store_true", help="list every false positive and negative")
    args = parser.parse_args(argv)
    folder = args.data or DEFAULT_DATA
    if not (folder / "en.txt").exists():
        print(f"no gold set in {folder}; it ships in benchmarks/data/entities_gold/", file=sys.stderr)
        return 2
    paragraphs = load_paragraphs(folder)
    found = [extract_entities(p.text, p.language) for p in paragraphs]
    rates = speed(paragraphs, 1 if args.quick else max(1, args.repeat))
    report(paragraphs, found, rates, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
