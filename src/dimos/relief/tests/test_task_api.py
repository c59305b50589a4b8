"""Volunteers' tasks through the API: list, accept, complete with the code, hand back, hours,
and the coordinators' assignment; refusals in the platform's error shape, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dimos.core.models import AuditEntry
from dimos.relief.models import TaskClaim
from dimos.testing.personas import login

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(
        f"/api/v1/relief{path}", json.dumps(body or {}), content_type="application/json"
    )


def test_a_volunteer_lists_takes_completes_and_logs_hours(
    open_task: Any, volunteer: Any, other_volunteer: Any
) -> None:
    req, code = open_task
    vera = login(volunteer.user)
    listed = vera.get("/api/v1/relief/tasks").json()
    assert [t["id"] for t in listed["items"]] == [req.pk]
    item = listed["items"][0]
    assert item["district"] == "serres" and item["status"] == "open"
    assert "Μεραρχίας" not in json.dumps(listed, ensure_ascii=False)
    before = vera.get(f"/api/v1/relief/tasks/{req.pk}").json()
    assert before["place"] is None and before["details"] == []
    taken = _post(vera, f"/tasks/{req.pk}/accept")
    assert taken.status_code == 200
    assert taken.json()["place"]["address"] == "Μεραρχίας 40, Σέρρες"
    assert taken.json()["details"][0]["barcodes"] == ["1234567890"]
    assert AuditEntry.objects.filter(action="relief.viewed", actor=volunteer.user).exists()
    # The other volunteer: 409 in the error shape, and no address at any point.
    otto = login(other_volunteer.user)
    refused = _post(otto, f"/tasks/{req.pk}/accept")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "taken"
    assert otto.get(f"/api/v1/relief/tasks/{req.pk}").status_code == 404
    assert otto.get("/api/v1/relief/tasks").json()["items"] == []
    mine = vera.get("/api/v1/relief/tasks/mine").json()["items"]
    assert [(t["id"], t["status"]) for t in mine] == [(req.pk, "active")]
    wrong = _post(vera, f"/tasks/{req.pk}/complete", {"code": "0000" if code != "0000" else "1"})
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "wrong_code"
    done = _post(vera, f"/tasks/{req.pk}/complete", {"code": code})
    assert done.status_code == 200 and done.json()["status"] == "delivered"
    twice = _post(vera, f"/tasks/{req.pk}/complete", {"code": code})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "done"
    hours = _post(vera, f"/tasks/{req.pk}/hours", {"hours": "2"})
    assert hours.status_code == 201 and hours.json()["hours_logged"] == "2.00"
    again = _post(vera, f"/tasks/{req.pk}/hours", {"hours": "2"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "logged"
    bad = _post(vera, f"/tasks/{req.pk}/hours", {"hours": "nope"})
    assert bad.status_code == 422 and "error" in bad.json()


def test_handing_back_and_declining(open_task: Any, volunteer: Any) -> None:
    req, _code = open_task
    vera = login(volunteer.user)
    assert _post(vera, f"/tasks/{req.pk}/hand-back", {"reason": "x"}).status_code == 403
    _post(vera, f"/tasks/{req.pk}/accept")
    empty = _post(vera, f"/tasks/{req.pk}/hand-back", {"reason": " "})
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "reason"
    back = _post(vera, f"/tasks/{req.pk}/hand-back", {"reason": "Ill"})
    assert back.status_code == 200 and back.json()["status"] == "handed_back"
    assert back.json()["place"] is None
    assert _post(vera, f"/tasks/{req.pk}/decline").status_code == 204
    assert vera.get("/api/v1/relief/tasks").json()["items"] == []


def test_who_is_not_a_volunteer_is_refused(open_task: Any, citizen: Any, client: Client) -> None:
    req, _code = open_task
    resident = login(citizen)
    answer = resident.get("/api/v1/relief/tasks")
    assert answer.status_code == 403 and "error" in answer.json()
    assert _post(resident, f"/tasks/{req.pk}/accept").status_code == 403
    assert resident.get(f"/api/v1/relief/tasks/{req.pk}").status_code == 403
    assert client.get("/api/v1/relief/tasks").status_code == 401
    huge = resident.get("/api/v1/relief/tasks/99999999999999999999")
    assert 400 <= huge.status_code < 500 and "error" in huge.json()


def test_a_coordinator_assigns_through_the_api(
    open_task: Any, volunteer: Any, coordinator_client: Client, citizen: Any
) -> None:
    req, _code = open_task
    choices = coordinator_client.get(f"/api/v1/relief/staff/requests/{req.pk}/volunteers")
    assert choices.json() == [{"id": volunteer.pk, "name": volunteer.full_name}]
    unsuited = _post(coordinator_client, f"/staff/requests/{req.pk}/assign", {"volunteer_id": 9})
    assert unsuited.status_code == 400 and unsuited.json()["error"]["code"] == "invalid"
    given = _post(
        coordinator_client, f"/staff/requests/{req.pk}/assign", {"volunteer_id": volunteer.pk}
    )
    assert given.status_code == 200 and given.json()["status"] == "active"
    assert TaskClaim.objects.get().assigned_by is not None
    again = _post(
        coordinator_client, f"/staff/requests/{req.pk}/assign", {"volunteer_id": volunteer.pk}
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "taken"
    resident = login(citizen)
    refused = _post(resident, f"/staff/requests/{req.pk}/assign", {"volunteer_id": volunteer.pk})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    missing = _post(coordinator_client, "/staff/requests/999999/assign", {"volunteer_id": 1})
    assert missing.status_code == 404
