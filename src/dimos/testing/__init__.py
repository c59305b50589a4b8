"""Test support shared by every app: browser helpers and fixtures that act as a person would.

Not a test module: apps import from here (``from dimos.testing.browser import …``) and the
root ``conftest.py`` loads the pytest plugin (``dimos.testing.pytest_plugin``) that provides the
``browser``, ``page`` and ``new_context`` fixtures and prints where screenshots were saved.
"""
