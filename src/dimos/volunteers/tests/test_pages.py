"""The pages: public, the sign-up, the volunteer's own page, the coordinators' back office."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dimos.core.models import AuditEntry
from dimos.core.selectors import districts
from dimos.testing.personas import login, staff
from dimos.volunteers import services
from dimos.volunteers.models import Status, Volunteer

pytestmark = pytest.mark.django_db


def _apply_data(skills: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "phone": "6944 555 123",
        "languages": ["el"],
        "skills": [skills["shopping"].pk],
        "has_car": "on",
        "districts": [districts().first().pk],  # type: ignore[union-attr]
        "day_1": ["0", "1"],
        "conduct_version": "1",
        "accept_conduct": "on",
    }
    data.update(changes)
    return data


def test_the_public_page_invites_and_shows_figures_without_phones(
    client: Client, approved: Any
) -> None:
    page = client.get("/volunteers/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Log in to apply" in html
    assert approved.phone not in html and "6944" not in html


def test_the_catalogue_lists_the_service(client: Client, skills: Any) -> None:
    page = client.get("/services/", HTTP_ACCEPT_LANGUAGE="en")
    assert "/volunteers/" in page.content.decode()


def test_applying_needs_a_login(client: Client, skills: Any) -> None:
    assert client.get("/volunteers/apply/").status_code == 302


def test_a_resident_applies(resident_client: Client, citizen: Any, skills: Any) -> None:
    page = resident_client.post("/volunteers/apply/", _apply_data(skills))
    assert page.status_code == 302 and page["Location"] == "/volunteers/me/"
    volunteer = Volunteer.objects.get(user=citizen)
    assert volunteer.status == Status.APPLIED and volunteer.has_car
    me = resident_client.get("/volunteers/me/")
    assert "Applied" in me.content.decode()


def test_the_form_says_what_is_missing(resident_client: Client, skills: Any) -> None:
    page = resident_client.post(
        "/volunteers/apply/", _apply_data(skills, accept_conduct="", day_1=[])
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Accept the code of conduct to volunteer." in html
    assert "Choose at least one time in the week" in html
    assert not Volunteer.objects.exists()


def test_the_volunteer_logs_hours_and_edits_details(
    resident_client: Client, approved: Any, skills: Any
) -> None:
    from django.utils import timezone

    page = resident_client.post(
        "/volunteers/me/hours/",
        {"date": timezone.localdate().isoformat(), "hours": "1.5", "description": "Shopping"},
    )
    assert page.status_code == 302
    assert "1.5" in resident_client.get("/volunteers/me/").content.decode()
    data = _apply_data(skills, phone="6977 000 111")
    page = resident_client.post("/volunteers/me/details/", data)
    assert page.status_code == 302
    approved.refresh_from_db()
    assert approved.phone == "6977 000 111"


def test_the_panel_shows_in_my_account(resident_client: Client, approved: Any) -> None:
    page = resident_client.get("/my/")
    assert "My volunteering" in page.content.decode()


def test_the_volunteer_pauses_from_their_page(resident_client: Client, approved: Any) -> None:
    page = resident_client.post("/volunteers/me/pause/", {"reason": "Holidays"})
    assert page.status_code == 302
    approved.refresh_from_db()
    assert approved.status == Status.PAUSED


def test_residents_and_other_staff_cannot_open_the_back_office(
    resident_client: Client, clerk_client: Client, applicant: Any
) -> None:
    for client in (resident_client, clerk_client):
        assert client.get("/staff/volunteers/").status_code in (302, 403)
        assert client.get(f"/staff/volunteers/{applicant.pk}/").status_code in (302, 403)
        assert client.post(f"/staff/volunteers/{applicant.pk}/approve/").status_code in (302, 403)
    applicant.refresh_from_db()
    assert applicant.status == Status.APPLIED


def test_the_queue_lists_applications_and_filters(
    coordinator_client: Client, applicant: Any, skills: Any
) -> None:
    page = coordinator_client.get("/staff/volunteers/")
    assert page.status_code == 200 and "Alice" in page.content.decode()
    page = coordinator_client.get("/staff/volunteers/", {"skill": skills["teaching"].pk})
    assert "Alice" not in page.content.decode()
    page = coordinator_client.get("/staff/volunteers/", {"status": "approved"})
    assert "Alice" not in page.content.decode()


def test_the_staff_home_counts_applications(coordinator_client: Client, applicant: Any) -> None:
    page = coordinator_client.get("/staff/")
    assert "Volunteer applications" in page.content.decode()


def test_viewing_a_volunteer_is_audited(
    coordinator_client: Client, coordinator: Any, applicant: Any
) -> None:
    page = coordinator_client.get(f"/staff/volunteers/{applicant.pk}/")
    assert page.status_code == 200 and "6944" in page.content.decode()
    assert AuditEntry.objects.filter(
        action="volunteer.viewed", actor=coordinator, target_id=str(applicant.pk)
    ).exists()


def test_the_coordinator_vets_and_approves(coordinator_client: Client, applicant: Any) -> None:
    url = f"/staff/volunteers/{applicant.pk}/"
    refused = coordinator_client.post(url + "approve/", follow=True)
    assert "Check the volunteer" in refused.content.decode()
    coordinator_client.post(url + "identity/", {"method": "id_document", "notes": "ID …1234"})
    page = coordinator_client.post(
        url + "document/",
        {"label": "Criminal record", "document": _pdf()},
    )
    assert page.status_code == 302
    coordinator_client.post(url + "approve/")
    applicant.refresh_from_db()
    assert applicant.status == Status.APPROVED
    document = applicant.documents.get()
    download = coordinator_client.get(url + f"documents/{document.pk}/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert AuditEntry.objects.filter(action="volunteer.document_downloaded").exists()


def _pdf() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("record.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")


def test_a_reason_is_needed_to_reject(coordinator_client: Client, applicant: Any) -> None:
    page = coordinator_client.post(f"/staff/volunteers/{applicant.pk}/reject/", {"reason": ""})
    assert page.status_code == 400
    applicant.refresh_from_db()
    assert applicant.status == Status.APPLIED


def test_a_viewer_without_change_cannot_act(applicant: Any) -> None:
    from django.contrib.auth.models import Permission

    viewer = staff("viewer@example.org")
    viewer.user_permissions.add(Permission.objects.get(codename="view_volunteer"))
    client = login(viewer)
    assert client.get(f"/staff/volunteers/{applicant.pk}/").status_code == 200
    assert client.post(f"/staff/volunteers/{applicant.pk}/approve/").status_code == 403


def test_figures_page_draws_charts(coordinator_client: Client, approved: Any) -> None:
    page = coordinator_client.get("/staff/volunteers/figures/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    csv = coordinator_client.get(
        "/staff/volunteers/figures/", {"chart": "volunteers-by-district", "format": "csv"}
    )
    assert csv.status_code == 200 and b"6944" not in csv.content


def test_a_step_by_someone_not_a_volunteer_goes_back(citizen_client: Client) -> None:
    assert services.current_conduct() is None
    assert citizen_client.post("/volunteers/me/pause/").status_code == 302


def test_the_list_and_the_api_take_a_fixed_number_of_queries(
    coordinator_client: Client, municipality: Any, django_assert_max_num_queries: Any
) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.volunteers.demo import seed_skills, seed_volunteers

    seed_accounts()
    seed_skills()
    seed_volunteers()
    with django_assert_max_num_queries(20):
        page = coordinator_client.get("/staff/volunteers/", {"status": "all"})
    assert page.status_code == 200
    with django_assert_max_num_queries(12):
        answer = coordinator_client.get("/api/v1/volunteers/")
    assert answer.status_code == 200 and answer.json()["count"] >= 36
