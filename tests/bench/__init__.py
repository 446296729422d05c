"""Benchmarks: the kernel against raw pymongo / confluent-kafka on the same servers.

Run with ``python -m tests.bench.run`` (``make bench``); see tests/bench/run.py.
"""
