"""The relief API: the person's own requests, coordinators' reads, errors in the one shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dimos.core.models import AuditEntry
from dimos.relief import consent
from dimos.relief.models import ReliefRequest
from dimos.relief.tests.conftest import INSIDE, OUTSIDE, tomorrow
from dimos.testing.personas import login

pytestmark = pytest.mark.django_db


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "relation": "relative",
        "person": {
            "full_name": "Ευανθία Ρεσιντέντ",
            "address": "Μεραρχίας 40",
            "lat": INSIDE[0],
            "lon": INSIDE[1],
            "phone": "6944111222",
            "vulnerabilities": ["65plus"],
        },
        "needs": [{"kind": "medicine", "pharmacy": "Square", "barcodes": ["1234567890"]}],
        "day": tomorrow().isoformat(),
        "window_start": "09:00",
        "window_end": "13:00",
        "consent_version": consent.CURRENT,
        "submission_key": "api-1",
    }
    body.update(changes)
    return body


def _post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/v1/relief/requests", json.dumps(body), content_type="application/json")


def test_a_person_asks_lists_and_reads_their_requests(
    resident_client: Client, municipality: Any
) -> None:
    made = _post(resident_client, _body())
    assert made.status_code == 201
    data = made.json()
    assert data["status"] == "received" and data["urgent"] and data["reference"].startswith("R-")
    again = _post(resident_client, _body())
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    listed = resident_client.get("/api/v1/relief/requests").json()
    assert [r["id"] for r in listed["items"]] == [data["id"]]
    assert resident_client.get(f"/api/v1/relief/requests/{data['id']}").status_code == 200


def test_errors_are_in_the_error_shape(resident_client: Client, municipality: Any) -> None:
    outside = _post(
        resident_client, _body(person={**_body()["person"], "lat": OUTSIDE[0], "lon": OUTSIDE[1]})
    )
    assert outside.status_code == 400 and outside.json()["error"]["code"] == "outside"
    photo = _body(needs=[{"kind": "medicine", "pharmacy": "X", "barcodes": ["IMG_0001"]}])
    assert _post(resident_client, photo).json()["error"]["code"] == "invalid"
    missing = resident_client.get("/api/v1/relief/requests/999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert not ReliefRequest.objects.exists()


def test_another_person_cannot_read_it(asked: Any, other_citizen: Any) -> None:
    client = login(other_citizen)
    assert client.get(f"/api/v1/relief/requests/{asked.pk}").status_code == 404


def test_coordinators_list_and_read_with_an_audit(
    coordinator_client: Client, asked: Any, citizen: Any
) -> None:
    listed = coordinator_client.get(f"/api/v1/relief/staff/requests?day={asked.day}").json()
    assert [r["id"] for r in listed["items"]] == [asked.pk]
    assert listed["items"][0]["district"] == "serres"
    detail = coordinator_client.get(f"/api/v1/relief/staff/requests/{asked.pk}").json()
    assert detail["beneficiary"]["access_notes"] == "Ring twice, third floor"
    assert AuditEntry.objects.filter(action="relief.viewed").exists()
    resident = login(citizen)
    refused = resident.get(f"/api/v1/relief/staff/requests/{asked.pk}")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert resident.get("/api/v1/relief/staff/requests").status_code == 403


def test_anonymous_is_refused(client: Client) -> None:
    answer = client.get("/api/v1/relief/requests")
    assert answer.status_code == 401 and "error" in answer.json()
    assert client.get("/api/v1/relief/consent").json()["version"] == consent.CURRENT
