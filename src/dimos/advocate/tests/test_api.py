"""The office's part of the API: one complaint whole (the reading audited) and its decisions,
with the workflow's refusals answered 400 in the API's error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.advocate.models import Status
from dimos.core.models import AuditEntry
from dimos.testing.personas import login

pytestmark = pytest.mark.django_db
BASE = "/api/v1/advocate/office/complaints"


def post(client: Client, url: str, **body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_office_reads_a_complaint_whole_and_the_reading_is_audited(
    office_client: Client, complaint: Any
) -> None:
    answer = office_client.get(f"{BASE}/{complaint.pk}")
    assert answer.status_code == 200
    data = answer.json()
    assert data["name"] == "Ελένη Μαυρίδου" and data["tax_number"] == "094014201"
    assert data["request"].startswith("Issue the certificate")
    assert AuditEntry.objects.filter(
        action="complaint.viewed", target_id=str(complaint.pk)
    ).exists()


def test_only_the_office_reads_or_decides(
    complaint: Any, liaison_client: Client, citizen: User
) -> None:
    for client in (liaison_client, login(citizen)):
        assert client.get(f"{BASE}/{complaint.pk}").status_code == 403
        assert post(client, f"{BASE}/{complaint.pk}/admit").status_code == 403
    assert Client().get(f"{BASE}/{complaint.pk}").status_code == 401


def test_the_office_admits_asks_resumes_and_concludes(
    office_client: Client, complaint: Any
) -> None:
    url = f"{BASE}/{complaint.pk}"
    assert post(office_client, f"{url}/admit").json()["status"] == Status.ADMITTED
    asked = post(office_client, f"{url}/ask", text="Send us your first request, please.")
    assert asked.json()["clock_paused"] is True
    assert post(office_client, f"{url}/resume").json()["clock_paused"] is False
    done = post(
        office_client,
        f"{url}/conclude",
        outcome="resolved",
        answer="The service issued your certificate.",
        recommendation="Answer requests in writing within the deadline.",
    ).json()
    assert done["outcome"] == "resolved" and done["recommendation"]
    refused = post(office_client, f"{url}/write", text="One more thing.")
    assert refused.status_code == 400
    assert "closed" in refused.json()["error"]["message"]


def test_a_complaint_not_admitted_is_rejected_with_the_laws_reason(
    office_client: Client, complaint: Any
) -> None:
    done = post(office_client, f"{BASE}/{complaint.pk}/reject", exclusion="court").json()
    assert done["exclusion"] == "court" and done["status"] == Status.INADMISSIBLE


def test_bad_actions_and_unknown_complaints_get_clear_errors(
    office_client: Client, complaint: Any
) -> None:
    assert post(office_client, f"{BASE}/{complaint.pk}/delete").status_code == 404
    assert post(office_client, f"{BASE}/999999/admit").status_code == 404
    assert office_client.get(f"{BASE}/999999").status_code == 404
    empty = post(office_client, f"{BASE}/{complaint.pk}/ask", text="  ")
    assert empty.status_code == 400
