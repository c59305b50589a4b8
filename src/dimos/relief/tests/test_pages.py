"""The pages: asking online, the helpline's intake, the board, the request, the courier."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dimos.core.audit import AuditEntry
from dimos.relief import consent
from dimos.relief.models import Beneficiary, ReliefRequest
from dimos.relief.tests.conftest import INSIDE, OUTSIDE, tomorrow
from dimos.testing.personas import login

pytestmark = pytest.mark.django_db


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "relation": "relative",
        "full_name": "Ευανθία Ρεσιντέντ",
        "address": "Μεραρχίας 40, Σέρρες",
        "lat": INSIDE[0],
        "lon": INSIDE[1],
        "phone": "6944111222",
        "household_size": 1,
        "vulnerabilities": ["65plus"],
        "language": "el",
        "access_notes": "Ring twice",
        "kinds": ["medicine"],
        "pharmacy": "Pharmacy of the square",
        "barcodes": "1234567890\n2345678901",
        "day": tomorrow().isoformat(),
        "window": "morning",
        "consent": "on",
        "consent_version": consent.CURRENT,
        "submission_key": "a" * 32,
    }
    data.update(changes)
    return data


def test_the_public_page_is_in_the_catalogue(client: Client, municipality: Any) -> None:
    answer = client.get("/relief/")
    assert answer.status_code == 200
    assert "/relief/" in client.get("/services/").content.decode()


def test_the_public_page_says_how_long_the_data_is_kept(
    client: Client, municipality: Any, settings: Any
) -> None:
    settings.DIMOS_RELIEF_RETENTION_MONTHS = 6
    settings.DIMOS_RELIEF_UNHELPED_RETENTION_DAYS = 45
    client.cookies["dimos_language"] = "en"
    page = client.get("/relief/").content.decode()
    assert "erased 6 months after the last help was brought" in page
    assert "erased 45 days after the last request ended" in page


def test_a_resident_asks_for_her_mother(resident_client: Client, municipality: Any) -> None:
    answer = resident_client.post("/relief/ask/", _form())
    req = ReliefRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/relief/mine/{req.pk}/"
    assert req.needs.get().barcodes == ["1234567890", "2345678901"]
    page = resident_client.get(answer["Location"]).content.decode()
    assert "Received" in page
    # The same form sent again (a double click, a retry) answers the same request.
    again = resident_client.post("/relief/ask/", _form())
    assert again["Location"] == answer["Location"] and ReliefRequest.objects.count() == 1


def test_the_form_refuses_an_address_outside_and_text_in_barcodes(
    resident_client: Client, municipality: Any
) -> None:
    answer = resident_client.post("/relief/ask/", _form(lat=OUTSIDE[0], lon=OUTSIDE[1]))
    assert answer.status_code == 400
    assert "outside the municipality" in answer.content.decode()
    answer = resident_client.post("/relief/ask/", _form(barcodes="photo.jpg"))
    assert answer.status_code == 400 and "only the numbers" in answer.content.decode()
    assert not Beneficiary.objects.exists()


def test_asking_twice_for_the_same_day_says_it_was_merged(
    resident_client: Client, municipality: Any
) -> None:
    resident_client.post("/relief/ask/", _form())
    beneficiary = Beneficiary.objects.get()
    # Online, a second form is a new beneficiary record; the helpline reuses the record.
    assert beneficiary.requests.count() == 1


def test_someone_else_cannot_see_a_request(asked: Any, other_citizen: Any) -> None:
    client = login(other_citizen)
    assert client.get(f"/relief/mine/{asked.pk}/").status_code == 404


def test_the_helpline_reuses_a_beneficiary_and_merges_the_day(
    coordinator_client: Client, asked: Any
) -> None:
    found = coordinator_client.get("/staff/relief/new/?q=Ευανθία").content.decode()
    assert f"?beneficiary={asked.beneficiary.pk}" in found
    answer = coordinator_client.post(
        f"/staff/relief/new/?beneficiary={asked.beneficiary.pk}",
        {
            "beneficiary": asked.beneficiary.pk,
            "relation": "self",
            "kinds": ["food"],
            "food_claim": "unsure",
            "day": asked.day.isoformat(),
            "window": "morning",
            "consent_version": consent.CURRENT,
        },
    )
    assert answer.status_code == 302
    assert ReliefRequest.objects.count() == 1
    assert sorted(n.kind for n in asked.needs.all()) == ["food", "medicine"]
    page = coordinator_client.get(answer["Location"]).content.decode()
    assert "the needs were added to it" in page


def test_the_helpline_needs_the_consent_for_a_new_person(
    coordinator_client: Client, municipality: Any
) -> None:
    data = _form(caller_name="", caller_phone="")
    del data["consent"]
    answer = coordinator_client.post("/staff/relief/new/", data)
    assert answer.status_code == 400 and "consent" in answer.content.decode()
    answer = coordinator_client.post("/staff/relief/new/", _form())
    assert answer.status_code == 302
    assert Beneficiary.objects.get().consent_method == "phone"


def test_the_board_and_the_request_are_for_coordinators_and_audited(
    coordinator_client: Client, asked: Any, citizen: Any, courier: Any
) -> None:
    board = coordinator_client.get("/staff/relief/")
    assert board.status_code == 200 and asked.reference in board.content.decode()
    page = coordinator_client.get(f"/staff/relief/{asked.pk}/").content.decode()
    assert "Ring twice, third floor" in page
    assert AuditEntry.objects.filter(action="relief.viewed", target_id=str(asked.pk)).exists()
    for outsider in (citizen, courier):
        client = login(outsider)
        assert client.get(f"/staff/relief/{asked.pk}/").status_code in (302, 403)
        assert client.get("/staff/relief/").status_code in (302, 403)


def test_the_board_shows_fifty_a_page_and_a_change_at_once(
    coordinator_client: Client, citizen: Any, coordinator: Any
) -> None:
    from dimos.relief.tests.conftest import ask, mother

    made = [ask(citizen, person=mother(full_name=f"Person {i}")).request for i in range(51)]
    first = coordinator_client.get("/staff/relief/").content.decode()
    assert first.count('href="/staff/relief/') - first.count('href="/staff/relief/new') >= 50
    assert "Page 1 of 2" in first and "?page=2" in first
    second = coordinator_client.get("/staff/relief/?page=2").content.decode()
    assert "Page 2 of 2" in second
    shown = sum(r.reference in first for r in made) + sum(r.reference in second for r in made)
    assert shown == 51
    # The board is kept rendered, but a change of a request shows on the next load.
    from dimos.relief import services

    services.accept(req=made[0], actor=coordinator)
    page = coordinator_client.get("/staff/relief/").content.decode()
    counts = page[page.index('id="relief-counts"') : page.index("</table>")]
    assert ">50<" in counts and ">1<" in counts  # 50 received, 1 accepted
    # A page beyond the last shows the last; text where a number belongs does not break it.
    assert coordinator_client.get("/staff/relief/?page=9").status_code == 200
    assert coordinator_client.get("/staff/relief/?page=x&district=abc").status_code == 200


def test_a_coordinator_accepts_and_schedules(
    coordinator_client: Client, asked: Any, courier: Any
) -> None:
    coordinator_client.post(f"/staff/relief/{asked.pk}/accept/")
    answer = coordinator_client.post(
        f"/staff/relief/{asked.pk}/schedule/",
        {"day": asked.day.isoformat(), "window": "afternoon", "courier": courier.pk},
    )
    assert answer.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "scheduled" and asked.delivery.assigned_to == courier
    page = coordinator_client.get(answer["Location"]).content.decode()
    assert "was sent to the person by SMS" in page
    refused = coordinator_client.post(f"/staff/relief/{asked.pk}/decline/", {"reason": ""})
    assert refused.status_code == 400


def test_the_courier_completes_with_the_code(scheduled: Any, courier: Any) -> None:
    req, code = scheduled
    client = login(courier)
    client.cookies["dimos_language"] = "en"
    visit = client.get(f"/staff/relief/{req.pk}/visit/")
    assert visit.status_code == 200 and "Ring twice, third floor" in visit.content.decode()
    wrong = client.post(f"/staff/relief/{req.pk}/visit/code/", {"code": "99999"})
    assert wrong.status_code == 400 and "Tries left" in wrong.content.decode()
    done = client.post(f"/staff/relief/{req.pk}/visit/code/", {"code": code})
    assert done.status_code == 302
    req.refresh_from_db()
    assert req.status == "delivered"


def test_another_courier_cannot_open_the_visit(scheduled: Any) -> None:
    from dimos.testing.personas import staff

    req, _code = scheduled
    client = login(staff("other-courier@example.org", "delivery_staff"))
    assert client.get(f"/staff/relief/{req.pk}/visit/").status_code == 404
