"""Train the English named-entity model the package ships (spaCy ``ner`` on a blank English pipeline).

    nice -n 10 .venv/bin/python training/train_en_ner.py [--data ../shared/ner/en] [--work training/.work]

Steps: read the corpora and split them (``training/corpora.py``: three news-like
parts held out as test, one chunk in 20 of the rest as dev, fixed seed), write
spaCy's binary corpora, train with ``training/en_ner.cfg`` (fixed seed, CPU),
copy the best checkpoint (by dev F1) into
``pipelines/extractors/entities/models/en_ner/`` without the files inference
does not need, and score it on the test part (the model alone; the whole
English stage is scored by ``benchmarks/bench_entities.py``).  The figures go to
``training/en_ner_results.json``.  Needs the training corpora, so it is not part
of the product; the product only loads the result.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from training.corpora import SEED, split, text_and_spans  # noqa: E402

CONFIG = REPO_ROOT / "training" / "en_ner.cfg"
# The word pieces' distilled vectors (training/distill_wordpiece.py), checked in.
PIECE_VECTORS = REPO_ROOT / "training" / "data" / "wordpiece_vectors.npz"
MODEL_DIR = REPO_ROOT / "pipelines" / "extractors" / "entities" / "models" / "en_ner"
RESULTS = REPO_ROOT / "training" / "en_ner_results.json"
# Inference needs the config, meta, vocabulary strings, tokenizer and the components' weights.
KEEP = ("config.cfg", "meta.json", "tokenizer", "vocab", "ner", "tok2vec")
# Corpora not trained on by default (see training/README.md for the comparison that chose this).
LEFT_OUT = ""


def to_docbin(nlp, chunks):
    from spacy.tokens import DocBin

    docbin = DocBin(attrs=["ENT_IOB", "ENT_TYPE"])
    for chunk in chunks:
        text, spans = text_and_spans(chunk)
        doc = nlp.make_doc(text)
        ents = [doc.char_span(s, e, label=label, alignment_mode="expand") for s, e, label in spans]
        doc.ents = _non_overlapping([ent for ent in ents if ent is not None])
        docbin.add(doc)
    return docbin


def _non_overlapping(ents):
    kept, taken = [], set()
    for ent in ents:
        if not taken & set(range(ent.start, ent.end)):
            kept.append(ent)
            taken.update(range(ent.start, ent.end))
    return sorted(kept, key=lambda e: e.start)


def prepare(data: Path, work: Path, left_out: tuple[str, ...]) -> dict[str, int]:
    import spacy

    nlp = spacy.blank("en")
    parts = split(data, left_out)
    work.mkdir(parents=True, exist_ok=True)
    for name, chunks in parts.items():
        to_docbin(nlp, chunks).to_disk(work / f"{name}.spacy")
    return {name: sum(len(c.tokens) for c in chunks) for name, chunks in parts.items()}


def add_word_clusters():
    """spaCy's English word clusters (``spacy-lookups-data``), words without one left out, into the vocabulary's
    lookups: the model's embedding reads them and the saved model keeps them."""
    from spacy.lookups import load_lookups

    from pipelines.extractors.entities.word_clusters import CLUSTER_TABLE

    def add(nlp):
        table = load_lookups("en", [CLUSTER_TABLE]).get_table(CLUSTER_TABLE)
        nlp.vocab.lookups.add_table(CLUSTER_TABLE, {key: value for key, value in table.items() if value})
        return nlp

    return add


def add_word_pieces():
    """The word pieces' vectors (``PIECE_VECTORS``) into the vocabulary's lookups, for the same reason."""
    import numpy

    from pipelines.extractors.entities.word_pieces import PIECES_TABLE, VECTORS_TABLE

    def add(nlp):
        stored = numpy.load(PIECE_VECTORS)
        vectors = stored["vectors"].astype("float16")
        nlp.vocab.lookups.add_table(PIECES_TABLE, {"rows": {p: i for i, p in enumerate(stored["pieces"].tolist())}})
        nlp.vocab.lookups.add_table(VECTORS_TABLE, {"dims": vectors.shape[1], "data": vectors.tobytes()})
        return nlp

    return add


def add_word_features():
    """Both: the clusters, then the word pieces."""
    clusters, pieces = add_word_clusters(), add_word_pieces()
    return lambda nlp: pieces(clusters(nlp))


def train(work: Path) -> None:
    from spacy.cli.train import train as spacy_train
    from spacy.util import registry

    import pipelines.extractors.entities.word_clusters  # noqa: F401  (registers the embedding)

    registry.callbacks.register("ino_archive.add_word_features.v1", func=add_word_features)

    overrides = {
        "paths.train": str(work / "train.spacy"),
        "paths.dev": str(work / "dev.spacy"),
        "system.seed": SEED,
    }
    spacy_train(CONFIG, work / "output", use_gpu=-1, overrides=overrides)


def install(work: Path, model_dir: Path) -> int:
    best = work / "output" / "model-best"
    if model_dir.exists():
        shutil.rmtree(model_dir)
    model_dir.mkdir(parents=True)
    for name in KEEP:
        source = best / name
        if source.is_dir():
            shutil.copytree(source, model_dir / name)
        elif source.exists():
            shutil.copy2(source, model_dir / name)
    forget_training_paths(model_dir / "config.cfg")
    return sum(f.stat().st_size for f in model_dir.rglob("*") if f.is_file())


def forget_training_paths(config_file: Path) -> None:
    """Blank the corpora's paths in the shipped config: they name this machine's work folder, which inference never
    reads."""
    from thinc.api import Config

    config = Config().from_disk(config_file, interpolate=False)
    for name in ("train", "dev"):
        config["paths"][name] = None
    config.to_disk(config_file)


def evaluate(data: Path, model_dir: Path) -> dict:
    """The installed model alone on the test part, per corpus and type (exact spans)."""
    import spacy

    import pipelines.extractors.entities.word_clusters  # noqa: F401  (registers the embedding)

    nlp = spacy.load(model_dir)
    counts: dict[str, Counter] = {}
    chars, seconds = 0, 0.0
    for chunk in split(data)["test"]:
        text, spans = text_and_spans(chunk)
        begin = time.perf_counter()
        doc = nlp(text)
        seconds += time.perf_counter() - begin
        chars += len(text)
        gold = set(spans)
        found = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        for label in ("PER", "ORG", "LOC", "MISC"):
            for key in (chunk.corpus, "all"):
                c = counts.setdefault(f"{key} {label}", Counter())
                g = {s for s in gold if s[2] == label}
                f = {s for s in found if s[2] == label}
                c.update(tp=len(g & f), fp=len(f - g), fn=len(g - f))
    scores = {}
    for key, c in sorted(counts.items()):
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        scores[key] = {"gold": c["tp"] + c["fn"], "p": round(p, 3), "r": round(r, 3),
                       "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
    return {"test": scores, "chars_per_second": round(chars / seconds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared" / "ner" / "en")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "training" / ".work")
    parser.add_argument("--evaluate-only", action="store_true", help="score the installed model, train nothing")
    parser.add_argument("--leave-out", default=LEFT_OUT, help=f"corpora not trained on, comma-separated (default {LEFT_OUT})")
    parser.add_argument("--model-dir", type=Path, default=MODEL_DIR, help="where the model goes (default: the package)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the figures go")
    args = parser.parse_args(argv)
    left_out = tuple(name for name in args.leave_out.split(",") if name)
    results: dict = {"left_out": list(left_out)}
    if not args.evaluate_only:
        begin = time.perf_counter()
        results["tokens"] = prepare(args.data, args.work, left_out)
        print(f"corpora: {results['tokens']} tokens", flush=True)
        train(args.work)
        results["training_seconds"] = round(time.perf_counter() - begin)
        results["model_bytes"] = install(args.work, args.model_dir)
        meta = json.loads((args.model_dir / "meta.json").read_text())
        results["dev"] = {k: meta["performance"].get(k) for k in ("ents_p", "ents_r", "ents_f", "ents_per_type")}
    results.update(evaluate(args.data, args.model_dir))
    previous = json.loads(args.results.read_text()) if args.results.exists() and args.evaluate_only else {}
    args.results.write_text(json.dumps({**previous, **results}, indent=1, ensure_ascii=False) + "\n")
    for key, s in results["test"].items():
        print(f"test {key:<18} gold {s['gold']:>5}  P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}")
    print(f"model alone: {results['chars_per_second']:,} chars/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
