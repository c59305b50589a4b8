"""Browser test: book a KEP appointment, get the .ics, reschedule, check in; a confidential
session stays hidden from a clerk of another service. axe-core on every booking page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import Page, expect

from dimos.appointments import services
from dimos.appointments.models import Booking
from dimos.appointments.tests.factories import make_setup, working_day
from dimos.core.tests.factories import UserFactory
from dimos.portal.tests.test_browser import assert_no_violations, log_in_as, seed, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_book_reschedule_check_in_and_confidential_session(page: Page, live_server: Any) -> None:
    from dimos.conftest import _staff

    seed()
    setup = make_setup(desks=2)
    resident = UserFactory.create(email="maria@example.org", preferred_language="en")
    context = page.context
    use_language(context, live_server, "en")
    log_in_as(context, live_server, resident)

    page.goto(live_server.url + "/appointments/")
    assert_no_violations(page)
    page.get_by_role("link", name=setup.service.name_en).click()
    # One centre offers it: straight to its calendar of days.
    expect(page.get_by_role("heading", name="Choose a day")).to_be_visible()
    assert_no_violations(page)
    day = working_day()
    page.locator(f'a:has(time[datetime="{day.isoformat()}"])').click()
    expect(page.get_by_role("group", name="Choose a time")).to_be_visible()
    assert_no_violations(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm your appointment")).to_be_visible()
    assert_no_violations(page)
    page.get_by_role("button", name="Confirm the appointment").click()
    reference = page.locator("[data-reference]").inner_text()
    assert_no_violations(page)
    booking = Booking.objects.get(reference=reference)
    assert booking.status == "confirmed"
    email = mail.outbox[-1]
    assert reference in email.body and email.attachments[0][0].endswith(".ics")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    assert download.value.suggested_filename == f"appointment-{reference}.ics"

    # Reschedule to a later day.
    page.get_by_role("link", name="Change the time").click()
    assert_no_violations(page)
    later = working_day(after=5)
    page.locator(f'a:has(time[datetime="{later.isoformat()}"])').click()
    page.get_by_role("button", name="Move my appointment to this time").click()
    expect(page.get_by_text("Your appointment was moved.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.day == later and booking.reference == reference

    # A KEP clerk checks the resident in.
    clerk = _staff("kep@example.org", "kep_clerk")
    clerk.preferred_language = "en"
    clerk.save()
    staff_context = page.context.browser.new_context(locale="en-GB")  # type: ignore[union-attr]
    staff_page = staff_context.new_page()
    use_language(staff_context, live_server, "en")
    log_in_as(staff_context, live_server, clerk)
    staff_page.goto(
        f"{live_server.url}/staff/appointments/?centre={setup.centre.slug}&day={later.isoformat()}"
    )
    assert_no_violations(staff_page)
    staff_page.get_by_role("button", name=f"Check in {reference}").click()
    expect(staff_page.get_by_text("Checked in")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == "checked_in"

    # A counselling session is booked; the KEP clerk cannot see it.
    counsellor = _staff("counsellor@example.org", "counsellor")
    counselling = make_setup(
        desks=1, slug="counselling", centre_slug="community", confidential=True, staff=counsellor
    )
    session = services.book_slot(
        slot_id=counselling.slot().slot_id,
        person=services.Person(user=resident),
        reason="private matter",
    )
    response = staff_page.goto(f"{live_server.url}/staff/appointments/sessions/{session.pk}/")
    assert response is not None and response.status == 403
    staff_page.goto(
        f"{live_server.url}/staff/appointments/?centre=community&day={session.day.isoformat()}"
    )
    expect(staff_page.get_by_text(session.reference)).to_have_count(0)
    assert Group.objects.get(name="kep_clerk") in clerk.groups.all()
    staff_context.close()

    page.goto(live_server.url + "/appointments/support/")
    assert_no_violations(page)
