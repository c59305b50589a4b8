"""Dimos: an open-source digital city hall."""

__version__ = "0.1.0"
