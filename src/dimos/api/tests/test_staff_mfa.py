"""The API's session login keeps the staff MFA rule of the staff pages (issue 9, item 12)."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from dimos.accounts import services
from dimos.accounts.services import sync_roles
from dimos.testing.factories import UserFactory


@pytest.fixture
def staff_without_totp(db):
    sync_roles()
    user = UserFactory.create(email="nototp@example.org", is_staff=True)
    user.groups.set(Group.objects.filter(name="reports_manager"))
    return user


@pytest.fixture
def session(staff_without_totp):
    client = Client()
    client.force_login(staff_without_totp)
    return client


@pytest.mark.parametrize("path", ["/api/v1/reports/stats", "/api/v1/me", "/api/v1/me/export"])
def test_staff_session_without_totp_reaches_no_data(session, path):
    response = session.get(path)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "mfa_required"
    assert error["details"]["setup_url"].startswith("/accounts/")


def test_staff_session_without_totp_cannot_write(session, staff_without_totp):
    response = session.patch("/api/v1/me", {"first_name": "X"}, content_type="application/json")
    assert response.status_code == 403
    staff_without_totp.refresh_from_db()
    assert staff_without_totp.first_name != "X"


def test_staff_with_totp_use_their_session(db):
    from dimos.testing.personas import login, staff

    manager = staff("manager@example.org", "reports_manager")
    assert login(manager).get("/api/v1/reports/stats").status_code == 200


def test_a_token_still_works_for_staff_without_totp(client, staff_without_totp, admin_user):
    _token, raw = services.issue_api_token(user=staff_without_totp, name="bi", actor=admin_user)
    response = client.get("/api/v1/reports/stats", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_residents_sessions_are_unaffected(citizen_client):
    assert citizen_client.get("/api/v1/me").status_code == 200


def test_rule_follows_the_setting(session, settings):
    settings.DIMOS_STAFF_MFA_REQUIRED = False
    assert session.get("/api/v1/me").status_code == 200
