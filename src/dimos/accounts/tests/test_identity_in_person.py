"""A clerk at the desk confirms from an identity document that an account is its owner's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from dimos.accounts import services
from dimos.core.models import AuditEntry, Notification
from dimos.testing.personas import login, staff


@pytest.fixture
def checker(db: Any) -> Any:
    return staff("desk@example.org", "identity_checker")


def test_a_clerk_finds_the_account_and_confirms_the_identity(
    checker: Any, citizen: Any, municipality: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(checker)
    client.cookies["dimos_language"] = "en"
    home = client.get(reverse("portal:staff_home")).content.decode()
    assert reverse("accounts:identity_check") in home
    found = client.get(reverse("accounts:identity_check"), {"email": citizen.email.upper()})
    assert found.status_code == 302
    page = client.get(found["Location"])
    assert citizen.email in page.content.decode() and "not verified" in page.content.decode()
    assert AuditEntry.objects.filter(action="account.identity_looked_up").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            found["Location"],
            {"document": "id_card", "last_four": "4321", "compared": "on"},
        )
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.identity_verified and citizen.identity_provider == services.IN_PERSON
    entry = AuditEntry.objects.get(action="account.identity_confirmed")
    assert entry.details == {"document": "id_card", "last_four": "4321"}
    assert Notification.objects.filter(
        recipient=citizen, kind="accounts.identity_confirmed"
    ).exists()
    assert any(citizen.email in m.to for m in mail.outbox)


def test_the_form_says_what_is_missing(checker: Any, citizen: Any, municipality: Any) -> None:
    client = login(checker)
    client.cookies["dimos_language"] = "en"
    url = reverse("accounts:identity_confirm", args=[citizen.pk])
    response = client.post(url, {"document": "passport", "last_four": "12"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give exactly four letters or digits." in html
    assert "Compare the document with the person first." in html
    citizen.refresh_from_db()
    assert not citizen.identity_verified


def test_an_unknown_address_is_said_plainly(checker: Any, municipality: Any) -> None:
    client = login(checker)
    client.cookies["dimos_language"] = "en"
    response = client.get(reverse("accounts:identity_check"), {"email": "nobody@example.org"})
    assert "No open account has this email address." in response.content.decode()


def test_only_the_role_may_and_no_one_confirms_themself(
    checker: Any, citizen: Any, clerk: Any, municipality: Any
) -> None:
    other = login(clerk)
    assert other.get(reverse("accounts:identity_check")).status_code == 403
    assert login(citizen).get(reverse("accounts:identity_check")).status_code == 403
    assert Client().get(reverse("accounts:identity_check")).status_code == 302  # to log in
    with pytest.raises(services.IdentityCheckRefused):
        services.confirm_identity_in_person(
            person=checker, actor=checker, document="passport", last_four="1234"
        )
