"""The people of the tests, as fixtures and as functions for every app's tests.

Fixtures (loaded by the root conftest): ``citizen`` and ``other_citizen`` (residents with a
confirmed email), ``clerk`` (staff, news editor) and ``admin_user`` (a superuser with every
foundation role), both with an authenticator app; ``citizen_client``, ``clerk_client`` and
``admin_client_`` logged in as them; ``municipality``, the demo municipality.

Functions, for the staff an app's own roles need: ``staff(email, *roles)``, ``login(user)``,
``verified(user)``, and ``confirmed_it_is_them(client, user)`` for pages that ask again.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from dimos.accounts.models import User
from dimos.accounts.services import sync_roles
from dimos.testing.factories import UserFactory

# Every test staff member's authenticator secret (``dimos totp`` and the browser tests use it).
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def verified(user: User) -> User:
    """The person's email address, confirmed, as after the link in the sign-up email."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def staff(email: str, *roles: str, superuser: bool = False) -> User:
    """A staff member with these roles (groups) and an authenticator app set up."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.models import Group

    sync_roles()
    user = verified(
        UserFactory.create(email=email, is_staff=True, is_superuser=superuser, first_name="Staff")
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    TOTP.activate(user, STAFF_TOTP_SECRET)
    return user


def login(user: User) -> Client:
    """A test client logged in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def confirmed_it_is_them(
    client: Client, user: Any, *, method: str = "password", ago: int = 0
) -> None:
    """Record in the client's session that ``user`` just proved it is them, as allauth does
    after its reauthentication page (``method="password"``) or an eID login
    (``method="socialaccount"``), ``ago`` seconds back."""
    record: dict[str, Any] = {"method": method, "at": time.time() - ago}
    if method == "password":
        record["reauthenticated"] = True
    session = client.session
    session["account_authentication_methods"] = [record]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture
def citizen(db: Any) -> User:
    return verified(
        UserFactory.create(email="alice@example.org", first_name="Alice", last_name="Resident")
    )


@pytest.fixture
def other_citizen(db: Any) -> User:
    return verified(
        UserFactory.create(email="bob@example.org", first_name="Bob", last_name="Neighbour")
    )


@pytest.fixture
def clerk(db: Any) -> User:
    return staff("clerk@example.org", "news_editor")


@pytest.fixture
def admin_user(db: Any) -> User:
    return staff(
        "admin@example.org",
        "staff_admin",
        "auditor",
        "platform_operator",
        "news_editor",
        superuser=True,
    )


@pytest.fixture
def citizen_client(citizen: User) -> Client:
    return login(citizen)


@pytest.fixture
def clerk_client(clerk: User) -> Client:
    return login(clerk)


@pytest.fixture
def admin_client_(admin_user: User) -> Client:
    return login(admin_user)


@pytest.fixture
def municipality(db: Any) -> Any:
    from dimos.core.demo import seed_municipality

    return seed_municipality()
