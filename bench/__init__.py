"""Benchmarks (not tests): a talent generator and timed search runs. See docs/benchmarks.md."""
