"""Read the English NER corpora of ``../shared/ner/en`` and split them into train, dev and test.

The corpora are ``token<TAB>tag`` IOB2 files over PER/ORG/LOC/MISC, one
sentence a block, documents after ``-DOCSTART-`` lines (format in
``../shared/ner/en/README.md``).  Sentences are grouped into chunks of whole
sentences from one document (at most ``CHUNK_TOKENS`` tokens), so the model
sees some context, and written back as running text with spaces guessed from
the tokens, so that training goes through the same tokenizer the product
runs (spaCy aligns the gold spans to its own tokens).

Held out as test, never trained or tuned on (closest to the archive's news):

* ``uner_en_pud`` – news and Wikipedia sentences (Universal NER, English PUD);
* ``gum_wiki`` documents 1–43 – Wikinews news and interviews (GUM);
* ``re3d`` – government press releases (its labels include descriptions,
  "Foreign Secretary" as PER, so its figures understate the model).

Every other chunk is training data, except one in ``DEV_SHARE`` (chosen with a
fixed seed), which is the development set that picks the best checkpoint.
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK_TOKENS = 160
DEV_SHARE = 20
SEED = 15
# (corpus, first document, last document) held out as test; None = every document.
TEST_PARTS = (("uner_en_pud", None, None), ("gum_wiki", 1, 43), ("re3d", None, None))
CORPORA = (
    "uner_en_pud", "gum_wiki", "re3d", "redocred", "crossner", "uner_en_ewt", "btc", "wnut17",
    "sec_filings", "litbank",
)
# Tokens written without a space before them, and tokens followed by none.
NO_SPACE_BEFORE = frozenset(
    ", . ; : ! ? ) ] } % ” ’ 's 'S n't N'T 're 've 'll 'd 'm ’s ... '' -".split()
) | {"'"}
NO_SPACE_AFTER = frozenset("( [ { “ ‘ $ # @ ``".split())


@dataclass(frozen=True)
class Chunk:
    """Consecutive sentences of one document: tokens, IOB2 tags and where they come from."""

    corpus: str
    document: int
    tokens: tuple[str, ...]
    tags: tuple[str, ...]


def read_documents(path: Path) -> Iterator[list[list[tuple[str, str]]]]:
    """Documents of one corpus file, each a list of sentences of (token, tag)."""
    document: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                if sentence:
                    document.append(sentence)
                    sentence = []
                if document:
                    yield document
                document = []
            elif not line:
                if sentence:
                    document.append(sentence)
                sentence = []
            else:
                token, tag = line.split("\t")
                sentence.append((token, tag))
    if sentence:
        document.append(sentence)
    if document:
        yield document


def chunks(folder: Path, corpus: str) -> Iterator[Chunk]:
    """Chunks of whole sentences, at most ``CHUNK_TOKENS`` tokens unless a sentence is longer."""
    for number, document in enumerate(read_documents(folder / f"{corpus}.conll.gz"), start=1):
        pending: list[tuple[str, str]] = []
        for sentence in document:
            if pending and len(pending) + len(sentence) > CHUNK_TOKENS:
                yield _chunk(corpus, number, pending)
                pending = []
            pending.extend(sentence)
        if pending:
            yield _chunk(corpus, number, pending)


def _chunk(corpus: str, document: int, rows: list[tuple[str, str]]) -> Chunk:
    return Chunk(corpus, document, tuple(t for t, _ in rows), tuple(g for _, g in rows))


def is_test(chunk: Chunk) -> bool:
    for corpus, first, last in TEST_PARTS:
        if chunk.corpus == corpus and (first is None or first <= chunk.document <= last):
            return True
    return False


def split(folder: Path, left_out: tuple[str, ...] = ()) -> dict[str, list[Chunk]]:
    """{"train", "dev", "test"} chunks; the dev draw is fixed by ``SEED``; ``left_out`` corpora are
    neither trained nor developed on (the test part stays the same)."""
    parts: dict[str, list[Chunk]] = {"train": [], "dev": [], "test": []}
    draw = random.Random(SEED)
    for corpus in CORPORA:
        for chunk in chunks(folder, corpus):
            if is_test(chunk):
                parts["test"].append(chunk)
            elif corpus in left_out:
                continue
            elif draw.randrange(DEV_SHARE) == 0:
                parts["dev"].append(chunk)
            else:
                parts["train"].append(chunk)
    return parts


def spaces(tokens: tuple[str, ...]) -> list[bool]:
    """Whether each token is followed by a space in running text (a guess from the tokens)."""
    out = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        out.append(
            following is not None and token not in NO_SPACE_AFTER and following not in NO_SPACE_BEFORE
        )
    return out


def text_and_spans(chunk: Chunk) -> tuple[str, list[tuple[int, int, str]]]:
    """The chunk as running text and its gold spans as (start, end, label) character offsets."""
    pieces, offsets, position = [], [], 0
    for token, space in zip(chunk.tokens, spaces(chunk.tokens), strict=True):
        offsets.append((position, position + len(token)))
        pieces.append(token + (" " if space else ""))
        position += len(token) + (1 if space else 0)
    spans: list[tuple[int, int, str]] = []
    for index, tag in enumerate(chunk.tags):
        if tag.startswith("B-") or (tag.startswith("I-") and (not spans or index == 0 or chunk.tags[index - 1] == "O")):
            spans.append((offsets[index][0], offsets[index][1], tag[2:]))
        elif tag.startswith("I-"):
            start, _, label = spans[-1]
            spans[-1] = (start, offsets[index][1], label)
    return "".join(pieces), spans
