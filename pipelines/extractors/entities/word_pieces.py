"""Pretrained word-piece vectors as features of the English recogniser (``models/en_ner``).

The recogniser is trained on about a million annotated tokens; a name it never
saw is otherwise read only from its spelling, shape and Brown cluster
(``word_clusters``).  These vectors bring what a large pretrained encoder knows
about words: each word piece of all-MiniLM-L6-v2's vocabulary has a small
vector distilled from the encoder (``training/distill_wordpiece.py``), and a word
is the mean of its pieces' vectors, so every word has one ("Choinzonov" =
"choi" + "##nzo" + "##nov").

The pieces and vectors live in the model's vocabulary lookups (put there by
``training/train_en_ner.py``), so nothing beyond the model's folder is read at
run time.  A word is split as the encoder's tokenizer does (lower-cased, accents
dropped, longest known piece first, ``[UNK]`` when a part matches no piece).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

import numpy
from spacy.attrs import LOWER
from thinc.api import Model

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc
    from spacy.vocab import Vocab

PIECES_TABLE = "wordpiece_rows"
VECTORS_TABLE = "wordpiece_vectors"
UNKNOWN = "[UNK]"
CONTINUATION = "##"
# The encoder's tokenizer gives [UNK] for a longer word; so do we.
MAX_WORD_CHARS = 100
# Words remembered per process (a crawl meets new words without end); the memory is cleared when full, so it
# holds at most this many words and one doc's new ones (50,000 x 64 float32: 12.8 MB).
CACHE_WORDS = 50_000


def plain_lower(word: str) -> str:
    """The word as the uncased encoder reads it: lower-cased, accents dropped ("Škoda" -> "skoda")."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def split_pieces(word: str, rows: dict[str, int]) -> list[str]:
    """The word's pieces, longest known piece first (the encoder's WordPiece split of one word).

    >>> split_pieces("unhappily", {"un": 0, "##happ": 1, "##ily": 2, "##h": 3})
    ['un', '##happ', '##ily']
    >>> split_pieces("qx", {"q": 0})
    ['[UNK]']
    """
    if len(word) > MAX_WORD_CHARS:
        return [UNKNOWN]
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else CONTINUATION + word[start:end]
            if piece in rows:
                break
            end -= 1
        if end == start:
            return [UNKNOWN]
        pieces.append(piece)
        start = end
    return pieces or [UNKNOWN]


class PieceVectors:
    """Word vectors as the mean of their pieces' vectors, remembered per word."""

    def __init__(self, rows: dict[str, int], vectors: numpy.ndarray) -> None:
        self.rows = rows
        self.vectors = vectors
        self.zero = numpy.zeros(vectors.shape[1], dtype="float32")
        # Words met so far: a word's key -> its row in ``known`` (one matrix, so a doc is one fancy index).
        self.index: dict[int, int] = {}
        self.known = numpy.zeros((0, vectors.shape[1]), dtype="float32")

    @classmethod
    def from_vocab(cls, vocab: Vocab) -> PieceVectors | None:
        """The vectors the model's vocabulary keeps, or None when it keeps none."""
        if not vocab.lookups.has_table(PIECES_TABLE) or not vocab.lookups.has_table(VECTORS_TABLE):
            return None
        rows = dict(vocab.lookups.get_table(PIECES_TABLE)["rows"])
        stored = vocab.lookups.get_table(VECTORS_TABLE)
        shape = (len(rows), int(stored["dims"]))
        vectors = numpy.frombuffer(stored["data"], dtype="float16").reshape(shape).astype("float32")
        return cls(rows, vectors)

    def word(self, text: str) -> numpy.ndarray:
        """The mean of the word's pieces' vectors (the zero vector for a blank)."""
        plain = plain_lower(text).strip()
        if not plain:
            return self.zero
        return self.vectors[[self.rows.get(piece, 0) for piece in split_pieces(plain, self.rows)]].mean(axis=0)

    def doc(self, doc: Doc) -> numpy.ndarray:
        """One row per token of ``doc``."""
        if len(self.index) >= CACHE_WORDS:
            self.index = {}
        keys = doc.to_array([LOWER]).tolist()
        index = self.index
        new = [key for key in dict.fromkeys(keys) if key not in index]
        if new:
            size = len(index)
            needed = size + len(new)
            if needed > len(self.known):  # grow by doubling (each word copied O(1) times), up to the memory's size
                grown = numpy.zeros((max(needed, min(2 * needed, CACHE_WORDS)), self.known.shape[1]), dtype="float32")
                grown[:size] = self.known[:size]
                self.known = grown
            strings = doc.vocab.strings
            for row, key in enumerate(new, size):
                index[key] = row
                self.known[row] = self.word(strings[key])
        return self.known[[index[key] for key in keys]]


def piece_vectors_layer(dims: int) -> Model[list[Doc], list]:
    """Each doc's tokens as their word-piece vectors (fixed: no gradient reaches them)."""

    loaded: dict[int, PieceVectors] = {}  # by the vocabulary's identity; not in the model's attrs, which are saved

    def forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list, Callable]:
        arrays = []
        for doc in docs:
            table = loaded.get(id(doc.vocab))
            if table is None:
                table = PieceVectors.from_vocab(doc.vocab)
                if table is None or table.vectors.shape[1] != dims:
                    raise ValueError(f"the model's vocabulary holds no {dims}-dimension word-piece vectors")
                loaded[id(doc.vocab)] = table
            arrays.append(model.ops.asarray2f(table.doc(doc)))
        return arrays, lambda d_arrays: []

    return Model("word_piece_vectors", forward)
