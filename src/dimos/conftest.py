"""The suite's own fixtures; the personas and the browser's come from dimos.testing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dimos.core.tests.nominatim import nominatim  # noqa: F401 - a fixture for every test
from dimos.testing.processes import migrated_sqlite, process_site  # noqa: F401
from dimos.testing.s3server import private_s3, s3_server  # noqa: F401

# citizen, clerk, admin_user, their clients and municipality; eid; browser, new_context, page,
# no_js_page and the screenshots' summary line.
pytest_plugins = ["dimos.testing.personas", "dimos.testing.eid", "dimos.testing.pytest_plugin"]


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_guard() -> Iterator[None]:
    """Transactional tests empty every table after each test (Django's flush: DELETE on
    SQLite, TRUNCATE on PostgreSQL). The audit log refuses both in the database (ADR 0005), so
    the test runner's flush, and only it, lifts the guard for its own statements."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from dimos.core.tests.dbguard import audit_guard_lifted

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: Any, sql_list: Any) -> None:
        with audit_guard_lifted(self.connection):
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Rate limits and the municipality profile live in the cache: no test sees another's.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
