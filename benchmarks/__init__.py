"""Benchmarks against public evaluation sets; `python -m benchmarks.run` runs them all (see README)."""
