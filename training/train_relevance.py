"""Learn the relevance score's weights on the development part of the labelled set.

    .venv/bin/python training/train_relevance.py [--write]

Reads ``benchmarks/data/relevance/pages.jsonl`` (built by
``benchmarks/build_relevance_set.py``), counts each development page's
evidence with the product's own functions
(``pipelines.extractors.relevance.find_evidence``: programme mentions,
sentences naming the Tomsk world and innovation together, places elsewhere),
fits a logistic regression (L2 0.01, full-batch gradient descent from zero,
so the result is the same on every run) and prints the weights and the
development figures; ``--write`` puts the weights into the ``[model]`` table of
``pipelines/data/relevance.toml``.  The test part is never read here;
``benchmarks/bench_entities.py`` reports it.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from pipelines.extractors.relevance import DEFAULT_PATH, find_evidence, load_model, relevance_features  # noqa: E402

PAGES = REPO_ROOT / "benchmarks" / "data" / "relevance" / "pages.jsonl"
L2 = 0.01
STEPS = 20_000
RATE = 0.1
NAMES = ("programme", "together", "elsewhere")


def development_pages() -> list[dict]:
    pages = [json.loads(line) for line in PAGES.read_text(encoding="utf-8").splitlines()]
    return [page for page in pages if page["part"] == "dev"]


def fit(rows: list[tuple[int, ...]], labels: list[int]) -> tuple[list[float], float]:
    """Logistic regression by full-batch gradient descent (no dependency beyond Python)."""
    weights, bias = [0.0] * len(rows[0]), 0.0
    for _ in range(STEPS):
        gradient, gradient_bias = [0.0] * len(weights), 0.0
        for row, label in zip(rows, labels, strict=True):
            z = bias + sum(w * x for w, x in zip(weights, row, strict=True))
            error = 1 / (1 + math.exp(-z)) - label
            gradient = [g + error * x for g, x in zip(gradient, row, strict=True)]
            gradient_bias += error
        weights = [w - RATE * (g / len(rows) + L2 * w) for w, g in zip(weights, gradient, strict=True)]
        bias -= RATE * gradient_bias / len(rows)
    return weights, bias


def write(weights: list[float], bias: float, pages: int) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    values = "\n".join(f"{name} = {weight:.3f}" for name, weight in zip(NAMES, weights, strict=True))
    block = f"[model]\n# learned by training/train_relevance.py: {pages} dev pages, L2 {L2}\nbias = {bias:.3f}\n{values}\n"
    text = re.sub(r"\[model\]\n(?:#.*\n)?bias = .*\n(?:(?:programme|together|elsewhere) = .*\n)+", block, text)
    DEFAULT_PATH.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write the weights into relevance.toml")
    args = parser.parse_args(argv)
    model = load_model()
    pages = development_pages()
    rows = [relevance_features(find_evidence(p["title"], p["text"], model), model.cap) for p in pages]
    labels = [int(p["label"] == "relevant") for p in pages]
    weights, bias = fit(rows, labels)
    print("weights:", dict(zip(NAMES, (round(w, 3) for w in weights), strict=True)), "bias:", round(bias, 3))
    predicted = [bias + sum(w * x for w, x in zip(weights, row, strict=True)) >= 0 for row in rows]
    right = sum(p == bool(label) for p, label in zip(predicted, labels, strict=True))
    print(f"development part: {right}/{len(pages)} right")
    if args.write:
        write(weights, bias, len(pages))
        print(f"written to {DEFAULT_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
