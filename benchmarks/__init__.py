"""Load benchmarks of Dimos: ``python -m benchmarks.run`` (see docs/performance.md)."""
