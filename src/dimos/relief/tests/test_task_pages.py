"""Volunteers' task pages and the coordinators' side: what each person sees, and the forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dimos.core.models import AuditEntry
from dimos.relief.models import ClaimStatus, TaskClaim
from dimos.testing.personas import login
from dimos.volunteers.models import VolunteerHours

pytestmark = pytest.mark.django_db

PRIVATE = ("Μεραρχίας 40", "Ευανθία", "Ring twice", "6944")


def _client(user: Any) -> Client:
    client = login(user)
    client.cookies["dimos_language"] = "en"
    return client


def _shows_nothing_private(html: str) -> None:
    for text in PRIVATE:
        assert text not in html, text


def test_someone_who_is_not_a_volunteer_is_shown_how_to_become_one(
    resident_client: Client, open_task: Any
) -> None:
    page = resident_client.get("/relief/tasks/")
    assert page.status_code == 200 and "Become a volunteer" in page.content.decode()
    req, _code = open_task
    assert resident_client.get(f"/relief/tasks/{req.pk}/").status_code == 404


def test_the_volunteer_sees_the_district_until_they_take_it_then_the_address(
    open_task: Any, volunteer: Any, other_volunteer: Any
) -> None:
    req, code = open_task
    vera = _client(volunteer.user)
    listed = vera.get("/relief/tasks/").content.decode()
    assert req.reference in listed and "Serres" in listed and "Medicine from a pharmacy" in listed
    _shows_nothing_private(listed)
    before = vera.get(f"/relief/tasks/{req.pk}/").content.decode()
    _shows_nothing_private(before)
    assert "Pharmacy of the square" not in before and "1234567890" not in before
    taken = vera.post(f"/relief/tasks/{req.pk}/accept/")
    assert taken.status_code == 302 and taken["Location"] == f"/relief/tasks/{req.pk}/"
    after = vera.get(f"/relief/tasks/{req.pk}/").content.decode()
    assert "Μεραρχίας 40" in after and "Ring twice, third floor" in after
    assert "Pharmacy of the square" in after and "1234567890" in after
    assert AuditEntry.objects.filter(action="relief.viewed", actor=volunteer.user).exists()
    # The other volunteer: not in their list, no page, a clear refusal.
    otto = _client(other_volunteer.user)
    _shows_nothing_private(otto.get("/relief/tasks/").content.decode())
    assert req.reference not in otto.get("/relief/tasks/").content.decode()
    assert otto.get(f"/relief/tasks/{req.pk}/").status_code == 404
    refused = otto.post(f"/relief/tasks/{req.pk}/accept/", follow=True)
    assert "Someone else has already taken this task." in refused.content.decode()
    assert TaskClaim.objects.get().volunteer == volunteer
    # Neither their phone nor the other's is on any page of the other.
    assert "6977" not in after

    # Done with the code; then done again is refused clearly; then the hours.
    done = vera.post(f"/relief/tasks/{req.pk}/done/code/", {"code": code})
    assert done.status_code == 302
    assert TaskClaim.objects.get().status == ClaimStatus.DELIVERED
    again = vera.post(f"/relief/tasks/{req.pk}/done/code/", {"code": code})
    assert again.status_code == 400 and "This task is already done." in again.content.decode()
    assert vera.post(f"/relief/tasks/{req.pk}/hours/", {"hours": "0"}).status_code == 400
    logged = vera.post(f"/relief/tasks/{req.pk}/hours/", {"hours": "1.5", "description": ""})
    assert logged.status_code == 302
    assert VolunteerHours.objects.get(volunteer=volunteer).reference == req.reference
    history = vera.get("/relief/tasks/history/").content.decode()
    assert req.reference in history and "Hours given in all: 1.5" in history
    _shows_nothing_private(history)


def test_handing_back_needs_a_reason(open_task: Any, volunteer: Any) -> None:
    req, _code = open_task
    vera = _client(volunteer.user)
    vera.post(f"/relief/tasks/{req.pk}/accept/")
    empty = vera.post(f"/relief/tasks/{req.pk}/hand-back/", {"reason": ""})
    assert empty.status_code == 400 and "govgr-error-summary" in empty.content.decode()
    back = vera.post(f"/relief/tasks/{req.pk}/hand-back/", {"reason": "I am ill"})
    assert back.status_code == 302
    assert TaskClaim.objects.get().status == ClaimStatus.HANDED_BACK
    page = vera.get(f"/relief/tasks/{req.pk}/").content.decode()
    _shows_nothing_private(page)
    assert "Take this task" in page  # offered again, to them too


def test_declining_takes_it_off_my_list(open_task: Any, volunteer: Any) -> None:
    req, _code = open_task
    vera = _client(volunteer.user)
    assert vera.post(f"/relief/tasks/{req.pk}/decline/").status_code == 302
    assert req.reference not in vera.get("/relief/tasks/").content.decode()


def test_the_volunteer_page_and_my_account_link_to_the_tasks(
    open_task: Any, volunteer: Any
) -> None:
    vera = _client(volunteer.user)
    me = vera.get("/volunteers/me/").content.decode()
    assert "/relief/tasks/" in me and "Tasks near me" in me
    account = vera.get("/my/").content.decode()
    assert "/relief/tasks/" in account and "1 you can take" in account


def test_a_coordinator_gives_the_task_and_the_board_shows_who_holds_it(
    open_task: Any, volunteer: Any, coordinator_client: Client
) -> None:
    req, _code = open_task
    page = coordinator_client.get(f"/staff/relief/{req.pk}/").content.decode()
    assert "Give the task to a volunteer" in page and volunteer.full_name in page
    bad = coordinator_client.post(f"/staff/relief/{req.pk}/assign/", {"volunteer": "999"})
    assert bad.status_code == 400
    given = coordinator_client.post(
        f"/staff/relief/{req.pk}/assign/", {"volunteer": str(volunteer.pk)}
    )
    assert given.status_code == 302
    held = TaskClaim.objects.get()
    assert held.volunteer == volunteer and held.assigned_by is not None
    board = coordinator_client.get("/staff/relief/").content.decode()
    assert volunteer.full_name in board and "volunteer" in board
    detail = coordinator_client.get(f"/staff/relief/{req.pk}/").content.decode()
    assert "holds this task" in detail and "Give the task to a volunteer" not in detail


def test_the_kept_list_follows_the_volunteer_and_the_tasks_at_once(
    open_task: Any, volunteer: Any, other_volunteer: Any
) -> None:
    """The tasks offered are kept between loads; each change shows on the next one."""
    req, _code = open_task
    vera, otto = _client(volunteer.user), _client(other_volunteer.user)
    assert req.reference in vera.get("/relief/tasks/").content.decode()
    assert req.reference in otto.get("/relief/tasks/").content.decode()
    # Vera no longer helps in that district: gone from her list.
    districts = list(volunteer.districts.all())
    volunteer.districts.clear()
    assert req.reference not in vera.get("/relief/tasks/").content.decode()
    volunteer.districts.set(districts)
    page = vera.get("/relief/tasks/").content.decode()
    assert req.reference in page and 'name="csrfmiddlewaretoken"' in page
    # Otto takes it (with the form the kept page carries): gone from Vera's list at once.
    assert otto.post(f"/relief/tasks/{req.pk}/accept/").status_code == 302
    assert req.reference not in vera.get("/relief/tasks/").content.decode()
