"""Browser walk of confidential counselling: a resident books a session, the counsellor opens
it and blocks a time, the supervisor reads the confidential log (in English and Greek), a KEP
clerk and the auditor see nothing of it. Every staff page is looked at (axe-core, phone fit)
and kept as screenshots at phone and desktop size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dimos.appointments.models import Booking, Slot
from dimos.appointments.tests.factories import make_setup, working_day
from dimos.testing.browser import click_visible, log_in_as, look, use_language
from dimos.testing.data import seed
from dimos.testing.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "counselling-privacy"


def test_counselling_stays_with_the_counsellor_and_the_supervisor(
    page: Page, live_server: Any, new_context: Callable[..., BrowserContext]
) -> None:
    from dimos.testing.personas import staff

    def staff_page(user: Any) -> Page:
        context = new_context(locale="en-GB")
        use_language(context, live_server, "en")
        log_in_as(context, live_server, user)
        return context.new_page()

    seed()
    counsellor = staff("counsellor@example.org", "counsellor")
    counsellor.first_name, counsellor.last_name = "Eleni", "Counsellor"
    counsellor.save()
    supervisor = staff("supervisor@example.org", "counselling_supervisor")
    supervisor.first_name, supervisor.last_name = "Sofia", "Supervisor"
    supervisor.save()
    counselling = make_setup(
        desks=1, slug="counselling", centre_slug="community", confidential=True, staff=counsellor
    )
    counselling.service.supervisors.add(supervisor)
    kep = make_setup(desks=1)
    clerk = staff("kep@example.org", "kep_clerk")
    kep.centre.clerks.add(clerk)
    auditor = staff("auditor@example.org", "auditor", superuser=True)

    # The resident books a session.
    resident = UserFactory.create(
        email="maria@example.org", first_name="Maria", last_name="Private", preferred_language="en"
    )
    use_language(page.context, live_server, "en")
    log_in_as(page.context, live_server, resident)
    page.goto(live_server.url + "/appointments/support/")
    click_visible(page.get_by_role("link", name=counselling.service.name_en).first)
    day = working_day()
    click_visible(page.locator(f'a:has(time[datetime="{day.isoformat()}"])'))
    choice = page.get_by_role("radio").first
    if not choice.is_checked():
        click_visible(choice)
    click_visible(page.get_by_role("button", name="Continue"))
    click_visible(page.get_by_role("button", name="Confirm the appointment"))
    reference = page.locator("[data-reference]").inner_text()
    booking = Booking.objects.get(reference=reference)

    # The counsellor opens it, and blocks another time.
    desk = staff_page(counsellor)
    desk.goto(live_server.url + "/staff/appointments/sessions/")
    look(desk, JOURNEY, "1-counsellor-sessions")
    click_visible(desk.get_by_role("link", name="Maria Private"))
    expect(desk.get_by_text("Maria Private").first).to_be_visible()
    desk.goto(live_server.url + f"/staff/appointments/sessions/times/?day={day.isoformat()}")
    look(desk, JOURNEY, "2-counsellor-times")
    free = Slot.objects.filter(service=counselling.service, starts_at__date=day).exclude(
        pk=booking.slot_id
    )
    first_free = free.order_by("starts_at").first()
    assert first_free is not None
    at = first_free.starts_at.astimezone().strftime("%H:%M")
    click_visible(desk.get_by_role("button", name=f"Block {at}"))
    first_free.refresh_from_db()
    assert first_free.blocked

    # The supervisor reads who booked and who opened it, as sentences, in English and Greek.
    lead = staff_page(supervisor)
    lead.goto(live_server.url + "/staff/appointments/sessions/")
    click_visible(lead.get_by_role("link", name="Confidential audit log"))
    expect(lead.get_by_text(f"Maria Private booked appointment {booking.pk}")).to_be_visible()
    expect(lead.get_by_text(f"Eleni Counsellor opened session {booking.pk}")).to_be_visible()
    expect(lead.get_by_text("Eleni Counsellor closed the time")).to_be_visible()
    look(lead, JOURNEY, "3-supervisor-confidential-log")
    use_language(lead.context, live_server, "el")
    lead.reload()
    expect(lead.get_by_text(f"Maria Private έκλεισε το ραντεβού {booking.pk}")).to_be_visible()
    look(lead, JOURNEY, "4-supervisor-confidential-log-greek")

    # The auditor's log has nothing about it; the confidential one is closed to them.
    log = staff_page(auditor)
    log.goto(
        live_server.url + f"/staff/audit/?target_type=appointments.booking&target_id={booking.pk}"
    )
    expect(log.get_by_text("0 entries")).to_be_visible()
    look(log, JOURNEY, "5-auditor-log-filtered")
    log.goto(live_server.url + "/staff/audit/")
    expect(log.get_by_text("Maria Private")).to_have_count(0)
    expect(log.get_by_text("Eleni Counsellor")).to_have_count(0)  # her times too
    look(log, JOURNEY, "6-auditor-log")
    response = log.goto(live_server.url + "/staff/audit/confidential/")
    assert response is not None and response.status == 403

    # The KEP clerk sees their centre's day and books for callers, never counselling.
    kep_page = staff_page(clerk)
    kep_page.goto(live_server.url + f"/staff/appointments/?day={day.isoformat()}")
    expect(kep_page.get_by_text(reference)).to_have_count(0)
    look(kep_page, JOURNEY, "7-clerk-day")
    kep_page.goto(live_server.url + "/staff/appointments/caller/")
    options = kep_page.locator("#id_service option").all_inner_texts()
    assert counselling.service.name_en not in options
    look(kep_page, JOURNEY, "8-clerk-caller")
    kep_page.goto(live_server.url + "/staff/appointments/feed/")
    click_visible(kep_page.get_by_role("button", name="Make a calendar link"))
    expect(kep_page.get_by_role("heading", name="Your new calendar link")).to_be_visible()
    look(kep_page, JOURNEY, "9-clerk-feed-link")
