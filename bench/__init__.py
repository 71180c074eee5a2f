"""Benchmarks for Skills Wallet: `make bench` (or `python -m bench`).

Every figure is a ratio to a baseline measured in the same run on the same
machine; see docs/performance.md for the tables and how to read them.
"""
