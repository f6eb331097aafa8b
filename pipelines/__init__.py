"""Item pipelines: one stage per module, ordered by ``ITEM_PIPELINES`` in settings.

Pure extraction functions live in ``pipelines.extractors`` so the CLI, the
benchmarks and the pipelines share one implementation.
"""
