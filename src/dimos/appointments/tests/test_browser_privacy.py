"""Browser walk of confidential counselling: a resident books a session, the counsellor opens
it and blocks a time, the supervisor reads the confidential log, a KEP clerk and the auditor
see nothing of it. axe-core on every staff page; screenshots at phone and desktop size."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from dimos.appointments.models import Booking, Slot
from dimos.appointments.tests.factories import make_setup, working_day
from dimos.core.tests.factories import UserFactory
from dimos.portal.tests.test_browser import assert_no_violations, log_in_as, seed, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: Any) -> Path:
    folder = Path(os.environ.get("DIMOS_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots")) / (
        "counselling-privacy"
    )
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nScreenshots of the counselling privacy walk: {folder}")
    return folder


def _look(page: Page, shots: Path, name: str) -> None:
    """Check the page with axe-core, then keep it at phone and desktop size."""
    assert_no_violations(page)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(shots / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _staff_page(page: Page, live_server: Any, user: Any) -> Page:
    context = page.context.browser.new_context(locale="en-GB")  # type: ignore[union-attr]
    context.set_default_timeout(15_000)
    use_language(context, live_server, "en")
    log_in_as(context, live_server, user)
    return context.new_page()


def test_counselling_stays_with_the_counsellor_and_the_supervisor(
    page: Page, live_server: Any, shots: Path
) -> None:
    from dimos.conftest import _staff

    seed()
    counsellor = _staff("counsellor@example.org", "counsellor")
    counsellor.first_name, counsellor.last_name = "Eleni", "Counsellor"
    counsellor.save()
    supervisor = _staff("supervisor@example.org", "counselling_supervisor")
    supervisor.first_name, supervisor.last_name = "Sofia", "Supervisor"
    supervisor.save()
    counselling = make_setup(
        desks=1, slug="counselling", centre_slug="community", confidential=True, staff=counsellor
    )
    counselling.service.supervisors.add(supervisor)
    kep = make_setup(desks=1)
    clerk = _staff("kep@example.org", "kep_clerk")
    kep.centre.clerks.add(clerk)
    auditor = _staff("auditor@example.org", "auditor", superuser=True)

    # The resident books a session.
    resident = UserFactory.create(
        email="maria@example.org", first_name="Maria", last_name="Private", preferred_language="en"
    )
    use_language(page.context, live_server, "en")
    log_in_as(page.context, live_server, resident)
    page.goto(live_server.url + "/appointments/support/")
    page.get_by_role("link", name=counselling.service.name_en).first.click()
    day = working_day()
    page.locator(f'a:has(time[datetime="{day.isoformat()}"])').click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Confirm the appointment").click()
    reference = page.locator("[data-reference]").inner_text()
    booking = Booking.objects.get(reference=reference)

    # The counsellor opens it, and blocks another time.
    desk = _staff_page(page, live_server, counsellor)
    desk.goto(live_server.url + "/staff/appointments/sessions/")
    _look(desk, shots, "01-counsellor-sessions")
    desk.get_by_role("link", name="Maria Private").click()
    expect(desk.get_by_text("Maria Private").first).to_be_visible()
    desk.goto(live_server.url + f"/staff/appointments/sessions/times/?day={day.isoformat()}")
    _look(desk, shots, "02-counsellor-times")
    free = Slot.objects.filter(service=counselling.service, starts_at__date=day).exclude(
        pk=booking.slot_id
    )
    first_free = free.order_by("starts_at").first()
    assert first_free is not None
    desk.get_by_role(
        "button", name=f"Block {first_free.starts_at.astimezone().strftime('%H:%M')}"
    ).click()
    first_free.refresh_from_db()
    assert first_free.blocked
    desk.context.close()

    # The supervisor reads who booked and who opened it, as sentences.
    lead = _staff_page(page, live_server, supervisor)
    lead.goto(live_server.url + "/staff/appointments/sessions/")
    lead.get_by_role("link", name="Confidential audit log").click()
    expect(lead.get_by_text(f"Maria Private booked appointment {booking.pk}")).to_be_visible()
    expect(lead.get_by_text(f"Eleni Counsellor opened session {booking.pk}")).to_be_visible()
    expect(lead.get_by_text("Eleni Counsellor closed the time")).to_be_visible()
    _look(lead, shots, "03-supervisor-confidential-log")
    use_language(lead.context, live_server, "el")
    lead.reload()
    expect(lead.get_by_text(f"Maria Private έκλεισε το ραντεβού {booking.pk}")).to_be_visible()
    _look(lead, shots, "03-supervisor-confidential-log-el")
    lead.context.close()

    # The auditor's log has nothing about it; the confidential one is closed to them.
    log = _staff_page(page, live_server, auditor)
    log.goto(
        live_server.url + f"/staff/audit/?target_type=appointments.booking&target_id={booking.pk}"
    )
    expect(log.get_by_text("0 entries")).to_be_visible()
    _look(log, shots, "04-auditor-log-filtered")
    log.goto(live_server.url + "/staff/audit/")
    expect(log.get_by_text("Maria Private")).to_have_count(0)
    expect(log.get_by_text("Eleni Counsellor")).to_have_count(0)  # her times too
    _look(log, shots, "05-auditor-log")
    response = log.goto(live_server.url + "/staff/audit/confidential/")
    assert response is not None and response.status == 403
    log.context.close()

    # The KEP clerk sees their centre's day and books for callers, never counselling.
    kep_page = _staff_page(page, live_server, clerk)
    kep_page.goto(live_server.url + f"/staff/appointments/?day={day.isoformat()}")
    expect(kep_page.get_by_text(reference)).to_have_count(0)
    _look(kep_page, shots, "06-clerk-day")
    kep_page.goto(live_server.url + "/staff/appointments/caller/")
    options = kep_page.locator("#id_service option").all_inner_texts()
    assert counselling.service.name_en not in options
    _look(kep_page, shots, "07-clerk-caller")
    kep_page.goto(live_server.url + "/staff/appointments/feed/")
    kep_page.get_by_role("button", name="Make a calendar link").click()
    expect(kep_page.get_by_role("heading", name="Your new calendar link")).to_be_visible()
    _look(kep_page, shots, "08-clerk-feed-link")
    assert Group.objects.get(name="kep_clerk") in clerk.groups.all()
    kep_page.context.close()
