"""Clairvoie analytics: the store, the importer, the engine and the figures.

Plain Python over DuckDB. This package never imports streamlit, so the same
code serves the dashboard, the command line and the tests.
"""
