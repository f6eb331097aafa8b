"""Word clusters as features of the English recogniser: the token embedding of ``models/en_ner``.

A Brown cluster groups words that occur in the same contexts (surnames with
surnames, countries with countries), learned from a large unannotated corpus.
A word's cluster is a path in a binary tree; its first bits are a coarse
group, all of them a fine one.  The recogniser embeds, besides spaCy's usual
hashed features (the word's norm, prefix, suffix and shape), the cluster path
cut at a few lengths, so a name it never saw in training is read like the
names of its cluster ("Takagi" like "Smith").

The clusters are spaCy's English ``lexeme_cluster`` table (from the
``spacy-lookups-data`` package, used by ``training/train_en_ner.py``); the
trained model keeps them in its vocabulary's lookups, so nothing beyond the
model's folder is read at run time.  The table stores a path with its first
bit lowest, so a path's first ``n`` bits are its value masked to ``n`` bits.
This module registers the embedding with spaCy; it must be imported before the
model is loaded.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy
from spacy.attrs import LOWER, ORTH
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array

from pipelines.extractors.entities.word_pieces import piece_vectors_layer

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from spacy.tokens import Doc

CLUSTER_TABLE = "lexeme_cluster"
# v2: v1 (hash and cluster embeddings, no longer shipped) with the word-piece vectors (``word_pieces``) beside them.
ARCHITECTURE = "ino_archive.ClusterHashEmbed.v2"


def cluster_columns(clusters: numpy.ndarray, lengths: Sequence[int]) -> numpy.ndarray:
    """One column per path length: the path's first ``n`` bits, marked with ``n`` (0 where a word has no cluster).

    >>> cluster_columns(numpy.array([0b1011, 0], dtype="uint64"), (2, 4)).tolist()
    [[7, 27], [0, 0]]
    """
    columns = numpy.zeros((len(clusters), len(lengths)), dtype="uint64")
    known = clusters != 0
    for index, length in enumerate(lengths):
        mask = numpy.uint64((1 << length) - 1)
        columns[known, index] = (clusters[known] & mask) | numpy.uint64(1 << length)
    return columns


def doc_clusters(doc: Doc) -> numpy.ndarray:
    """Each token's cluster, from the vocabulary's table: the word as written, else lower-cased, else 0."""
    table = doc.vocab.lookups.get_table(CLUSTER_TABLE, None)
    words = doc.to_array([ORTH, LOWER])
    if table is None or not len(words):
        return numpy.zeros(len(doc), dtype="uint64")
    get = OrderedDict.get  # the table's keys are the words' hashes already: skip its per-key string lookup
    return numpy.array([get(table, int(orth), 0) or get(table, int(lower), 0) for orth, lower in words], dtype="uint64")


def cluster_features(attrs: Sequence[str], lengths: Sequence[int]) -> Model[list[Doc], list]:
    """spaCy's feature extraction (``attrs``) with the cluster path columns after them."""

    def forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list, Callable]:
        features = []
        for doc in docs:
            columns = numpy.hstack([doc.to_array(list(attrs)).reshape(len(doc), len(attrs)),
                                    cluster_columns(doc_clusters(doc), lengths)])
            features.append(model.ops.asarray2i(columns, dtype="uint64"))
        return features, lambda d_features: []

    return Model("extract_features_with_clusters", forward)


@registry.architectures(ARCHITECTURE)
def cluster_piece_embed(
    width: int, attrs: list[str], rows: list[int], cluster_lengths: list[int], cluster_rows: list[int],
    piece_dims: int,
) -> Model:
    """Hash embeddings of ``attrs`` and of the cluster path cut at ``cluster_lengths`` (spaCy's ``MultiHashEmbed``
    with the cluster columns added) and each word's ``piece_dims``-dimension word-piece vector, mixed by one
    maxout layer."""
    if len(rows) != len(attrs) or len(cluster_rows) != len(cluster_lengths):
        raise ValueError("one row count is needed for each attribute and each cluster length")
    tables = [*rows, *cluster_rows]
    embeddings = [
        HashEmbed(width, size, column=index, seed=8 + index, dropout=0.0) for index, size in enumerate(tables)
    ]
    hashed = chain(cluster_features(attrs, cluster_lengths), list2ragged(), with_array(concatenate(*embeddings)))
    return chain(
        concatenate(hashed, chain(piece_vectors_layer(piece_dims), list2ragged())),
        with_array(Maxout(width, width * len(embeddings) + piece_dims, nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
