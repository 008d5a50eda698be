"""Incremental Flask-to-FastAPI migration toolkit."""

__version__ = "0.1.0"
