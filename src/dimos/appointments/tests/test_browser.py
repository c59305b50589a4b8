"""Browser test: book a KEP appointment, get the .ics, reschedule, check in; a confidential
session stays hidden from a clerk of another service. axe-core on every booking page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import BrowserContext, Page, expect

from dimos.appointments import services
from dimos.appointments.models import Booking
from dimos.appointments.tests.factories import make_setup, working_day
from dimos.testing.browser import check_visible, click_visible, log_in_as, look, use_language
from dimos.testing.data import seed
from dimos.testing.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


JOURNEY = "appointment"


def test_book_reschedule_check_in_and_confidential_session(
    page: Page, live_server: Any, new_context: Callable[..., BrowserContext]
) -> None:
    from dimos.testing.personas import staff

    seed()
    setup = make_setup(desks=2)
    resident = UserFactory.create(email="maria@example.org", preferred_language="en")
    context = page.context
    use_language(context, live_server, "en")
    log_in_as(context, live_server, resident)

    page.goto(live_server.url + "/appointments/")
    look(page, JOURNEY, "01-services")
    click_visible(page.get_by_role("link", name=setup.service.name_en))
    # One centre offers it: straight to its calendar of days.
    expect(page.get_by_role("heading", name="Choose a day")).to_be_visible()
    look(page, JOURNEY, "02-days")
    day = working_day()
    click_visible(page.locator(f'a:has(time[datetime="{day.isoformat()}"])'))
    expect(page.get_by_role("group", name="Choose a time")).to_be_visible()
    # The times are grouped by part of the day; none is chosen for the person.
    morning = page.get_by_role("group", name="Morning")
    expect(morning).to_be_visible()
    expect(page.locator('input[name="slot"]:checked')).to_have_count(0)
    look(page, JOURNEY, "03-times")
    check_visible(morning.get_by_role("radio").nth(1))
    click_visible(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", name="Confirm your appointment")).to_be_visible()
    look(page, JOURNEY, "04-confirm")
    click_visible(page.get_by_role("button", name="Confirm the appointment"))
    reference = page.locator("[data-reference]").inner_text()
    look(page, JOURNEY, "05-booked")
    booking = Booking.objects.get(reference=reference)
    assert booking.status == "confirmed"
    email = mail.outbox[-1]
    assert reference in email.body and email.attachments[0][0].endswith(".ics")
    with page.expect_download() as download:
        click_visible(page.get_by_role("link", name="Add to my calendar (.ics)"))
    assert download.value.suggested_filename == f"appointment-{reference}.ics"

    # Reschedule to a later day.
    click_visible(page.get_by_role("link", name="Change the time"))
    look(page, JOURNEY, "06-change-the-time")
    later = working_day(after=5)
    click_visible(page.locator(f'a:has(time[datetime="{later.isoformat()}"])'))
    check_visible(page.get_by_role("group", name="Afternoon").get_by_role("radio").first)
    click_visible(page.get_by_role("button", name="Move my appointment to this time"))
    expect(page.get_by_text("Your appointment was moved.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.day == later and booking.reference == reference

    # A KEP clerk checks the resident in.
    clerk = staff("kep@example.org", "kep_clerk")
    clerk.preferred_language = "en"
    clerk.save()
    setup.centre.clerks.add(clerk)
    staff_context = new_context(locale="en-GB")
    staff_page = staff_context.new_page()
    use_language(staff_context, live_server, "en")
    log_in_as(staff_context, live_server, clerk)
    staff_page.goto(
        f"{live_server.url}/staff/appointments/?centre={setup.centre.slug}&day={later.isoformat()}"
    )
    look(staff_page, JOURNEY, "07-desk-day")
    click_visible(staff_page.get_by_role("button", name=f"Check in {reference}"))
    expect(staff_page.get_by_text("Checked in")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == "checked_in"

    # A counselling session is booked; the KEP clerk cannot see it.
    counsellor = staff("counsellor@example.org", "counsellor")
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

    page.goto(live_server.url + "/appointments/support/")
    look(page, JOURNEY, "08-support")


def test_cancelling_asks_first_and_can_be_taken_back(live_server: Any, page: Page) -> None:
    seed()
    setup = make_setup(desks=1)
    resident = UserFactory.create(email="eleni@example.org", preferred_language="el")
    booking = services.book_slot(
        slot_id=setup.slot().slot_id, person=services.Person(user=resident)
    )
    # The question is a page of its own (a link, then a form): no JavaScript needed.
    log_in_as(page.context, live_server, resident)
    manage = f"{live_server.url}/appointments/booking/{booking.reference}/"
    page.goto(manage)
    click_visible(page.get_by_role("link", name="Ακύρωση ραντεβού"))
    expect(page.get_by_role("heading", name="Να ακυρωθεί το ραντεβού;")).to_be_visible()
    look(page, JOURNEY, "09-cancel-question")
    click_visible(page.get_by_role("link", name="Όχι, να μείνει το ραντεβού"))
    expect(page).to_have_url(manage)
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    click_visible(page.get_by_role("link", name="Ακύρωση ραντεβού"))
    click_visible(page.get_by_role("button", name="Ναι, ακύρωση του ραντεβού"))
    expect(page.get_by_text("Το ραντεβού σας ακυρώθηκε.")).to_be_visible()
    look(page, JOURNEY, "10-cancelled")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
