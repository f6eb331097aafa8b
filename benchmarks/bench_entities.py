"""Measure people, organisations, places and relevance on held-out text, and their speed: one command.

    .venv/bin/python benchmarks/bench_entities.py [--data-root ../shared/eval] [--repeat 3] [--quick] [--errors]

Sections, each on text the project never trained on (tuning noted where it was done):

1. **English, held-out corpora** (``../shared/ner/en``: UNER English PUD, GUM
   Wikinews news and interviews, re3d, never trained on; ``training/corpora.py``):
   precision, recall and F1 per kind of the whole English stage
   (``extract_entities``: gazetteer and rules over the shipped model) and of the
   model alone; a mention counts when its span and kind equal the gold's (MISC
   gold is not scored, a system name on it is wrong).
2. **Russian, factRuEval-2016 development set** (``../shared/ner/factrueval-dev``,
   document level, ``benchmarks/factrueval.py``): the Russian stage and natasha's
   NER alone in the same run, on two halves drawn with a fixed seed (``dev``,
   where rules are tuned, and ``test``) and on the whole, and the count of names
   with a word the text does not contain in any dictionary form.  The
   post-processing before the split was developed on the whole set.
3. **INO Tomsk paragraphs** (``benchmarks/data/entities_gold``, written for the
   project in the style of its sources): P/R/F1 per language and kind, and
   cross-article linking.
4. **Relevance** (``benchmarks/data/relevance``): accuracy, precision and recall of
   the shipped score at the shipped threshold on the dev part (weights learned
   there) and on the test part.
5. **Speed**, one process on one core: characters per second of the English
   stage, the English model alone, the Russian stage and natasha's NER alone
   (the peer), median of ``--repeat`` passes after a warm-up pass.
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

import json  # noqa: E402

from archive.knowledge import link_names, load_gazetteer  # noqa: E402
from benchmarks.common import DEFAULT_DATA_ROOT  # noqa: E402
from benchmarks.factrueval import parts as factrueval_parts  # noqa: E402
from benchmarks.factrueval import prf as document_prf  # noqa: E402
from benchmarks.factrueval import read_texts  # noqa: E402
from benchmarks.factrueval import score as document_score  # noqa: E402
from pipelines.extractors.entities import english_model, extract_entities, natasha_models  # noqa: E402
from pipelines.extractors.language import detect_language  # noqa: E402
from pipelines.extractors.relevance import score_relevance  # noqa: E402
from training.corpora import split, text_and_spans  # noqa: E402

DEFAULT_DATA = REPO_ROOT / "benchmarks" / "data" / "entities_gold"
RELEVANCE_SET = REPO_ROOT / "benchmarks" / "data" / "relevance" / "pages.jsonl"
EN_LABELS = {"PER": "person", "ORG": "org", "LOC": "place"}
NATASHA_KINDS = {"PER": "person", "ORG": "org", "LOC": "place"}
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
QUICK_CHUNKS = 150
QUICK_TEXTS = 25
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


def model_alone(text: str) -> list[tuple[str, int, int]]:
    return [(EN_LABELS[e.label_], e.start_char, e.end_char) for e in english_model()(text).ents if e.label_ in EN_LABELS]


# --- 1. English, held-out corpora ------------------------------------------------------------------
def english_heldout(ner_root: Path, quick: bool):
    chunks = split(ner_root / "en")["test"]
    if quick:
        chunks = chunks[::max(1, len(chunks) // QUICK_CHUNKS)]
    docs = [(chunk.corpus, *text_and_spans(chunk)) for chunk in chunks]
    stage = [{(m.kind, m.start, m.end) for m in extract_entities(text, "en")} for _, text, _ in docs]
    alone = [set(model_alone(text)) for _, text, _ in docs]
    return docs, stage, alone


def english_counts(docs, found) -> dict[tuple[str, str], Counter]:
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for (corpus, _, spans), system in zip(docs, found, strict=True):
        gold = {(EN_LABELS[label], start, end) for start, end, label in spans if label in EN_LABELS}
        for kind in KINDS:
            g = {x for x in gold if x[0] == kind}
            s = {x for x in system if x[0] == kind}
            for key in (corpus, "all"):
                counts[(key, kind)].update(tp=len(g & s), fp=len(s - g), fn=len(g - s))
    return counts


def report_english(docs, stage, alone, show_errors: bool) -> None:
    chars = sum(len(text) for _, text, _ in docs)
    print(f"1. English, held-out corpora: {len(docs)} chunks, {chars:,} characters "
          f"({', '.join(f'{c} {n}' for c, n in sorted(Counter(d[0] for d in docs).items()))})")
    print(f"   {'corpus':<13}{'kind':<8}{'gold':>6}   {'ino-archive P/R/F1':<22}{'model alone P/R/F1':<22}")
    ours, model = english_counts(docs, stage), english_counts(docs, alone)
    for key in sorted(ours, key=lambda k: (k[0] != "all", k)):
        c = ours[key]
        print(f"   {key[0]:<13}{key[1]:<8}{c['tp'] + c['fn']:>6}   {_prf_cell(c):<22}{_prf_cell(model[key]):<22}")
    if show_errors:
        for (_, text, spans), system in list(zip(docs, stage, strict=True))[:60]:
            gold = {(EN_LABELS[label], start, end) for start, end, label in spans if label in EN_LABELS}
            for kind, start, end in sorted(system - gold, key=lambda x: x[1]):
                print(f"     FP {kind:<6} {text[start:end]!r}")
            for kind, start, end in sorted(gold - system, key=lambda x: x[1]):
                print(f"     FN {kind:<6} {text[start:end]!r}")


def _prf_cell(c: Counter) -> str:
    p, r, f = prf(c)
    return f"{p:.3f} {r:.3f} {f:.3f}"


# --- 2. Russian, factRuEval dev ---------------------------------------------------------------------
def russian_factrueval(ner_root: Path, quick: bool):
    texts = read_texts(ner_root / "factrueval-dev")
    # the halves are drawn over the whole set, so a quick run's texts keep their part
    part_of = {text.name: part for part, members in factrueval_parts(texts).items() for text in members}
    if quick:
        texts = texts[:QUICK_TEXTS]
    ours = [[(m.kind, m.name, m.start, m.end) for m in extract_entities(t.text, "ru")] for t in texts]
    peer = [_natasha_mentions(t.text) for t in texts]
    return texts, ours, peer, part_of


def _natasha_mentions(text: str) -> list[tuple[str, str, int, int]]:
    """natasha's spans, grouped by their words' first letters (its own normal forms need its morph tagger)."""
    return [
        (NATASHA_KINDS[s.type], " ".join(w[: max(3, len(w) - 2)].casefold() for w in s.text.split()), s.start, s.stop)
        for s in natasha_ner(text)
        if s.type in NATASHA_KINDS
    ]


def invented_names(texts, ours) -> list[tuple[str, str]]:
    """(name, word) for every word of an output name that is no word of the text nor a dictionary form of one."""
    parse = natasha_models().parse
    found = []
    for text, mentions in zip(texts, ours, strict=True):
        allowed = set()
        for word in {_fold(w) for w in WORD.findall(text.text)}:
            allowed.add(word)
            for reading in parse(word):
                if reading.tag.POS in ("NOUN", "ADJF", "PRTF"):
                    allowed.add(_fold(reading.normal_form))
                    form = reading.inflect({"nomn"})
                    if form is not None and form.tag.POS == reading.tag.POS:
                        allowed.add(_fold(form.word))
        for name in {m[1] for m in mentions}:
            found += [(name, w) for w in WORD.findall(name) if _fold(w) not in allowed]
    return found


def _fold(word: str) -> str:
    return word.casefold().replace("ё", "е")


def report_russian(texts, ours, peer, part_of: dict[str, str]) -> None:
    print(f"2. Russian, factRuEval-2016 dev: {len(texts)} texts, "
          f"{sum(len(t.entities) for t in texts)} gold entities (document level), "
          f"split in two halves by a seeded draw (rules tuned on dev only)")
    print(f"   {'part':<6}{'kind':<8}{'gold':>6}   {'ino-archive P/R/F1':<22}{'natasha alone P/R/F1':<22}")
    found = {text.name: (mine, theirs) for text, mine, theirs in zip(texts, ours, peer, strict=True)}
    halves = {part: [t for t in texts if part_of[t.name] == part] for part in ("dev", "test")}
    for part, members in {**halves, "all": texts}.items():
        a = document_score(members, [found[t.name][0] for t in members])
        b = document_score(members, [found[t.name][1] for t in members])
        for kind in KINDS:
            cells = [" ".join(f"{v:.3f}" for v in document_prf(c[kind])) for c in (a, b)]
            print(f"   {part:<6}{kind:<8}{a[kind]['tp'] + a[kind]['fn']:>6}   {cells[0]:<22}{cells[1]:<22}")
    invented = invented_names(texts, ours)
    names = sum(len({m[1] for m in mentions}) for mentions in ours)
    print(f"   names (each text's distinct ones) with a word the text does not contain in any form: {len(invented)} of {names}"
          + (f" ({invented[:5]})" if invented else ""))


# --- 4. Relevance ----------------------------------------------------------------------------------------
def report_relevance() -> None:
    pages = [json.loads(line) for line in RELEVANCE_SET.read_text(encoding="utf-8").splitlines()]
    print(f"4. Relevance: {len(pages)} labelled pages ({Counter(p['language'] for p in pages)}), "
          "split by site; shipped score, threshold 1.0")
    for part in ("dev", "test"):
        c: Counter = Counter()
        for page in (p for p in pages if p["part"] == part):
            predicted = score_relevance(page["title"], page["text"]).score >= 1.0
            gold = page["label"] == "relevant"
            c["tp" if predicted and gold else "fp" if predicted else "fn" if gold else "tn"] += 1
        p, r, _ = prf(c)
        total = sum(c.values())
        note = " (weights learned here)" if part == "dev" else ""
        print(f"   {part:<5} {total:>3} pages, {c['tp'] + c['fn']:>2} relevant: accuracy {(c['tp'] + c['tn']) / total:.3f}, "
              f"precision {p:.3f}, recall {r:.3f}{note}")


# --- 5. Speed ----------------------------------------------------------------------------------------------
def speed(
    en_texts: list[str], ru_texts: list[str], repeat: int, articles: list[str] | None = None
) -> dict[str, tuple[float, float]]:
    """Characters per second, (first pass, median of later passes), per run; models loaded beforehand."""
    extract_entities("Томск", "ru")
    extract_entities("Tomsk", "en")

    def english_stage(text: str) -> list:
        return extract_entities(text, "en")

    runs = {
        "English stage (gazetteer, rules, model)": (english_stage, en_texts),
        "English model alone": (model_alone, en_texts),
    }
    if articles:
        runs["English stage on whole articles (as the crawl gives them)"] = (english_stage, articles)
    runs["Russian stage (natasha, normalisation, gazetteer)"] = (lambda t: extract_entities(t, "ru"), ru_texts)
    runs["natasha NER alone (peer)"] = (natasha_ner, ru_texts)
    rates = {}
    for name, (function, texts) in runs.items():
        chars = sum(map(len, texts))
        natasha_models().parse.cache_clear()  # the first pass starts with no memoised word
        cold, warm = timed(function, texts, repeat)
        rates[name] = (chars / cold, chars / warm)
    return rates


def english_articles(data_root: Path, count: int) -> list[str]:
    """Main texts of English articles (the article-extraction benchmark's gold), to time the stage on what a crawl
    gives it: one whole article per call.  Empty when the set is absent."""
    truth = data_root / "article-extraction-benchmark" / "ground-truth.json"
    if not truth.exists():
        return []
    bodies = [record["articleBody"] for _, record in sorted(json.loads(truth.read_text(encoding="utf-8")).items())]
    return [body for body in bodies if body and detect_language(body) == "en"][:count]


def report(paragraphs, found, show_errors: bool) -> None:
    counts = score_mentions(paragraphs, found)
    print(f"3. INO Tomsk paragraphs (written for the project): {sum(len(p.gold) for p in paragraphs)} mentions "
          f"in {len(paragraphs)} paragraphs ({dict(Counter(p.language for p in paragraphs))})")
    print(f"   {'language':<9}{'kind':<8}{'gold':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for (language, kind), c in sorted(counts.items()):
        p, r, f = prf(c)
        print(f"   {language:<9}{kind:<8}{c['tp'] + c['fn']:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    link = score_linking(paragraphs, found)
    p, r, _ = prf(link)
    variant = link["variant_linked"] / link["variant_pairs"] if link["variant_pairs"] else 0.0
    print(f"   linking (pairs of correctly found mentions): precision {p:.3f}, recall {r:.3f}, "
          f"false merges {link['fp']}, variant-pair recall {variant:.3f} "
          f"({link['variant_linked']}/{link['variant_pairs']})")
    if show_errors:
        print_errors(paragraphs, found)


def print_errors(paragraphs, found) -> None:
    for paragraph, mentions in zip(paragraphs, found, strict=True):
        gold = {(g.kind, g.start, g.end) for g in paragraph.gold}
        system = {(m.kind, m.start, m.end) for m in mentions}
        for kind, start, end in sorted(system - gold, key=lambda x: x[1]):
            print(f"     FP {paragraph.language} {kind:<6} {paragraph.text[start:end]!r}")
        for kind, start, end in sorted(gold - system, key=lambda x: x[1]):
            print(f"     FN {paragraph.language} {kind:<6} {paragraph.text[start:end]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help=f"INO Tomsk gold folder (default {DEFAULT_DATA})")
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT,
                        help="the shared evaluation folder; the NER corpora are its sibling ner/")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs (median reported)")
    parser.add_argument("--quick", action="store_true", help="a sample of each set, one timing run")
    parser.add_argument("--errors", action="store_true", help="list false positives and negatives")
    args = parser.parse_args(argv)
    ner_root = args.data_root.resolve().parent / "ner"
    folder = args.data or DEFAULT_DATA
    if not (folder / "en.txt").exists() or not (ner_root / "en").is_dir():
        print(f"missing data: {folder} or {ner_root}", file=sys.stderr)
        return 2
    docs, stage, alone = english_heldout(ner_root, args.quick)
    report_english(docs, stage, alone, args.errors)
    texts, ours, peer, part_of = russian_factrueval(ner_root, args.quick)
    report_russian(texts, ours, peer, part_of)
    paragraphs = load_paragraphs(folder)
    report(paragraphs, [extract_entities(p.text, p.language) for p in paragraphs], args.errors)
    report_relevance()
    en_texts = [text for _, text, _ in docs][: 40 if args.quick else 400]
    ru_texts = [t.text for t in texts][: 10 if args.quick else 60]
    articles = english_articles(args.data_root, 10 if args.quick else 60)
    rates = speed(en_texts, ru_texts, 1 if args.quick else max(1, args.repeat), articles)
    print(f"5. Speed, one core (English: {sum(map(len, en_texts)):,} characters of held-out text in chunks of at most "
          f"160 tokens, and {sum(map(len, articles)):,} in {len(articles)} whole English articles of the "
          f"article-extraction benchmark; Russian: {sum(map(len, ru_texts)):,} of factRuEval)")
    for name, (cold, warm) in rates.items():
        print(f"   {name}: {warm:,.0f} chars/s (first pass: {cold:,.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
