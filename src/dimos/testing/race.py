"""Races between database transactions, for the tests of capacity guarantees (appointments'
seats, activities' places): each attempt in its own thread and connection.

On SQLite the race must run on a file database, as in production (WAL, BEGIN IMMEDIATE). The
test database is in memory with a shared cache, where a second writer fails at once with
"table is locked" instead of waiting: that would test the test set-up, not Dimos.
:func:`on_a_file_database` copies the in-memory database to a file for the test and restores
it afterwards; on PostgreSQL it does nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


@contextmanager
def on_a_file_database(tmp_path: Path) -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    settings_dict = connection.settings_dict
    memory_name = settings_dict["NAME"]
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    # Keeps the shared in-memory database alive while Django's connection points elsewhere.
    keeper = sqlite3.connect(memory_name, uri=True)
    settings_dict["NAME"] = str(path)
    connection.close()
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.ensure_connection()
        keeper.close()
