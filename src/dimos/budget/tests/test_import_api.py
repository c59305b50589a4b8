"""``POST /api/v1/budget/snapshots``: the same import through the platform API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dimos.accounts import services as accounts
from dimos.accounts.models import User
from dimos.budget.models import Snapshot
from dimos.budget.tests.files import EXPENDITURE, csv_bytes, xlsx_bytes
from dimos.core.models import AuditEntry
from dimos.testing.personas import staff

pytestmark = pytest.mark.django_db

URL = "/api/v1/budget/snapshots"


def _token(user: User, admin_user: User) -> str:
    _token, raw = accounts.issue_api_token(user=user, name="erp", actor=admin_user)
    return raw


def _post(raw: str | None, data: bytes, name: str = "ektelesi.csv", **fields: Any) -> Any:
    headers = {"Authorization": f"Bearer {raw}"} if raw else {}
    body = {"year": "2026", "as_of": "2026-10-31", **fields}
    body["file"] = SimpleUploadedFile(name, data)
    return Client().post(URL, body, headers=headers)


@pytest.fixture
def officer(db: Any) -> User:
    return staff("officer@example.org", "budget_officer")


def test_an_officer_imports_a_file_with_a_token(officer: User, admin_user: User) -> None:
    response = _post(_token(officer, admin_user), xlsx_bytes(EXPENDITURE), "ektelesi.xlsx")

    assert response.status_code == 201, response.content
    body = response.json()
    snapshot = Snapshot.objects.get()
    assert body["id"] == snapshot.pk
    assert body["year"] == 2026
    assert body["as_of"] == "2026-10-31"
    assert body["rows"] == 4
    assert body["sha256"] == snapshot.sha256
    assert snapshot.imported_by == officer
    assert AuditEntry.objects.filter(action="budget.snapshot_imported", actor=officer).exists()


def test_a_bad_file_is_answered_400_with_each_line(officer: User, admin_user: User) -> None:
    rows = [list(row) for row in EXPENDITURE]
    rows[0][1] = "6911"
    rows[3][4] = "πολλά"

    response = _post(_token(officer, admin_user), csv_bytes(rows))

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_file"
    assert [d["line"] for d in error["details"]] == [2, 5]
    assert error["details"][0]["message"] == (
        "ο ΚΑΕ 6911 δεν ταιριάζει στην ταξινόμηση: δεν υπάρχει ομάδα 69."
    )
    assert not Snapshot.objects.exists()


def test_the_same_file_twice_is_answered_400(officer: User, admin_user: User) -> None:
    raw = _token(officer, admin_user)
    assert _post(raw, csv_bytes(EXPENDITURE), as_of="2026-09-30").status_code == 201

    response = _post(raw, csv_bytes(EXPENDITURE))

    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["line"] is None
    assert "έχει ήδη εισαχθεί" in response.json()["error"]["details"][0]["message"]
    assert Snapshot.objects.count() == 1


def test_without_credentials_the_answer_is_401() -> None:
    response = _post(None, csv_bytes(EXPENDITURE))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_resident_or_other_staff_is_answered_403(
    citizen: User, clerk: User, admin_user: User
) -> None:
    for user in (citizen, clerk):
        response = _post(_token(user, admin_user), csv_bytes(EXPENDITURE))

        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    assert not Snapshot.objects.exists()


def test_a_file_over_the_limit_is_answered_400(
    officer: User, admin_user: User, settings: Any
) -> None:
    settings.DIMOS_BUDGET_IMPORT_MAX_BYTES = 1_000_000

    response = _post(_token(officer, admin_user), b"x" * 1_500_000)

    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {
            "line": None,
            "message": "Το αρχείο είναι 1,5 MB, περισσότερα από τα 1 MB που επιτρέπονται.",
        }
    ]


def test_a_missing_date_is_answered_422(officer: User, admin_user: User) -> None:
    response = _post(_token(officer, admin_user), csv_bytes(EXPENDITURE), as_of="31/10/2026")

    assert response.status_code == 422
