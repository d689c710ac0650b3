"""Benchmarks that need more than one module: the pages in a real browser."""
