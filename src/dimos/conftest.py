"""Shared test fixtures: personas and API clients; the browser's come from dimos.testing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from dimos.accounts.models import User
from dimos.accounts.services import sync_roles
from dimos.core.tests.factories import UserFactory
from dimos.core.tests.nominatim import nominatim  # noqa: F401 - a fixture for every test
from dimos.core.tests.processes import migrated_sqlite, process_site  # noqa: F401
from dimos.core.tests.s3server import private_s3, s3_server  # noqa: F401

# browser, new_context, page, no_js_page and the screenshots' summary line.
pytest_plugins = ["dimos.testing.pytest_plugin"]


def _verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def citizen(db: Any) -> User:
    return _verified(
        UserFactory.create(email="alice@example.org", first_name="Alice", last_name="Resident")
    )


@pytest.fixture
def other_citizen(db: Any) -> User:
    return _verified(
        UserFactory.create(email="bob@example.org", first_name="Bob", last_name="Neighbour")
    )


def _staff(email: str, *roles: str, superuser: bool = False) -> User:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.models import Group

    sync_roles()
    user = _verified(
        UserFactory.create(email=email, is_staff=True, is_superuser=superuser, first_name="Staff")
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def clerk(db: Any) -> User:
    return _staff("clerk@example.org", "news_editor")


@pytest.fixture
def admin_user(db: Any) -> User:
    return _staff(
        "admin@example.org",
        "staff_admin",
        "auditor",
        "platform_operator",
        "news_editor",
        superuser=True,
    )


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def citizen_client(citizen: User) -> Client:
    return _login(citizen)


@pytest.fixture
def clerk_client(clerk: User) -> Client:
    return _login(clerk)


@pytest.fixture
def admin_client_(admin_user: User) -> Client:
    return _login(admin_user)


@pytest.fixture
def municipality(db: Any) -> Any:
    from dimos.core.demo import seed_municipality

    return seed_municipality()


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
