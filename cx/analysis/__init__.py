"""Analyses on top of the metric engine: segments, correlation, key drivers, trends.

Pure functions: numbers come from the engine (sufficient statistics) or from a narrow DuckDB
fetch built with the engine's own filter compiler; statistics from cx.stats. Each returns a tidy
table with stable column names plus a one-line reading for the UI.
"""
