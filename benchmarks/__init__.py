"""Benchmarks for evreader: a deterministic corpus generator and the benchmark runner.

`python -m benchmarks.generate --articles N --out DIR` writes a synthetic EV-news corpus;
`python -m benchmarks.run` (what `make bench` calls) measures indexing, start-up, search
and filtering on it. See benchmarks/README.md.
"""
