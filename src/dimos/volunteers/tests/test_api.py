"""The volunteers API: the person's own profile, coordinators' reads, public figures."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dimos.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _patch(client: Client, body: dict[str, Any]) -> Any:
    return client.patch(
        "/api/v1/volunteers/me", data=json.dumps(body), content_type="application/json"
    )


def test_the_person_reads_their_own_profile(resident_client: Client, approved: Any) -> None:
    data = resident_client.get("/api/v1/volunteers/me").json()
    assert data["status"] == "approved"
    assert data["availability"] == ["tue-morning", "thu-evening"]
    assert sorted(data["skills"]) == ["driving", "shopping"]
    assert data["conduct_version"] == 1 and data["conduct_needed"] is None


def test_someone_not_a_volunteer_gets_404_in_the_error_shape(citizen_client: Client) -> None:
    answer = citizen_client.get("/api/v1/volunteers/me")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_anonymous_is_refused(client: Client) -> None:
    answer = client.get("/api/v1/volunteers/me")
    assert answer.status_code == 401
    assert "error" in answer.json()


def test_the_person_updates_their_profile(resident_client: Client, approved: Any) -> None:
    answer = _patch(resident_client, {"has_car": False, "availability": ["sat-afternoon"]})
    assert answer.status_code == 200, answer.content
    assert answer.json()["availability"] == ["sat-afternoon"]
    approved.refresh_from_db()
    assert not approved.has_car


@pytest.mark.parametrize(
    "body",
    [
        {"availability": ["someday-noon"]},
        {"skills": ["juggling"]},
        {"districts": ["atlantis"]},
        {"availability": []},
        {"phone": "1"},
    ],
)
def test_bad_updates_are_400_and_change_nothing(
    resident_client: Client, approved: Any, body: dict[str, Any]
) -> None:
    answer = _patch(resident_client, body)
    assert answer.status_code == 400
    assert set(answer.json()["error"]) == {"code", "message", "details"}
    approved.refresh_from_db()
    assert approved.phone == "6944 555 123" and approved.availability != 0


def test_residents_cannot_list_or_read_volunteers(
    citizen_client: Client, other_citizen: Any, approved: Any
) -> None:
    from dimos.testing.personas import login

    other = login(other_citizen)
    assert other.get("/api/v1/volunteers/").status_code == 403
    answer = other.get(f"/api/v1/volunteers/{approved.pk}")
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"


def test_coordinators_list_filter_and_read_with_audit(
    coordinator_client: Client, coordinator: Any, approved: Any, applicant: Any
) -> None:
    listed = coordinator_client.get("/api/v1/volunteers/", {"status": "approved"}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == approved.pk
    assert "phone" not in listed["items"][0]
    assert coordinator_client.get("/api/v1/volunteers/", {"skill": "teaching"}).json()["count"] == 0
    assert coordinator_client.get("/api/v1/volunteers/", {"status": "nope"}).status_code == 400
    detail = coordinator_client.get(f"/api/v1/volunteers/{approved.pk}").json()
    assert detail["phone"] == "6944 555 123" and detail["email"] == "alice@example.org"
    assert AuditEntry.objects.filter(action="volunteer.viewed", actor=coordinator).count() == 1
    assert coordinator_client.get("/api/v1/volunteers/999999").status_code == 404


def test_public_figures_hold_no_personal_data(client: Client, approved: Any) -> None:
    answer = client.get("/api/v1/volunteers/figures")
    assert answer.status_code == 200
    data = answer.json()
    assert data["active"] == 1 and data["by_district"][0]["active"] == 1
    text = answer.content.decode()
    assert "6944" not in text and "alice" not in text.lower()
