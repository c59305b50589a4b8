"""A parent adds two children, registers one to a full lesson (waitlisted) and one to a lesson
with places (confirmed, the link visible only to them); another family cancels and the
waitlisted child is promoted and told; the teacher takes attendance; the parent downloads the
certificate of attendance — in a real browser, on a phone and a desktop, axe-core on every
page, in English and in Greek."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.testing.browser import (
    SCREENSHOTS,
    check_visible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "activities"
LINK = "https://meet.jit.si/serres-english-songs-secret"


def test_a_family_registers_two_children_a_place_frees_and_a_certificate_follows(
    page: Page,
    live_server: Any,
    citizen: User,
    new_context: Callable[..., BrowserContext],
) -> None:
    from dimos.activities import services
    from dimos.activities.models import Registration
    from dimos.activities.tests.conftest import child_of, family, make_programme
    from dimos.core.models import Notification
    from dimos.testing.personas import staff

    seed()
    teacher = staff("teacher@example.org", "activities_organiser")
    now = timezone.now()
    painting = make_programme(teacher, capacity=1, age_min=6, age_max=10)
    english = make_programme(
        teacher,
        title_el="Αγγλικά με τραγούδια",
        title_en="English with songs",
        subject="languages",
        age_min=5,
        age_max=9,
        capacity=10,
        video_url=LINK,
        first_start=(now - dt.timedelta(minutes=30)).replace(second=0, microsecond=0),
        repeat="weekly",
        repeat_until=(now + dt.timedelta(days=21)).date(),
        skip_holidays=False,
    )
    other = family("other-family@example.org")
    taken = services.register(programme=painting, account=other, child=child_of(other, "Άρης"))
    url = live_server.url
    home = page.context
    use_language(home, live_server, "en")
    log_in_as(home, live_server, citizen)

    # The parent adds two children: a missing consent is refused and the form kept.
    page.goto(url + "/activities/family/")
    look(page, JOURNEY, "01-family-empty")
    year = timezone.localdate().year
    fill_visible(page.get_by_role("textbox", name="Child's first name"), "Eleni")
    fill_visible(page.get_by_label("Year of birth", exact=True), str(year - 8))
    click_visible(page.get_by_role("button", name="Add the child"))
    expect(page.get_by_role("alert")).to_contain_text("Give your consent")
    look(page, JOURNEY, "02-family-consent-missing")
    check_visible(page.get_by_label("I am the child's parent or guardian", exact=False))
    click_visible(page.get_by_role("button", name="Add the child"))
    expect(page.locator("#children")).to_contain_text("Eleni")
    fill_visible(page.get_by_role("textbox", name="Child's first name"), "Giorgos")
    fill_visible(page.get_by_label("Year of birth", exact=True), str(year - 6))
    check_visible(page.get_by_label("I am the child's parent or guardian", exact=False))
    click_visible(page.get_by_role("button", name="Add the child"))
    expect(page.locator("#children")).to_contain_text("Giorgos")
    look(page, JOURNEY, "03-family-two-children")

    # The catalogue, filtered by age without JavaScript's help: both lessons fit an 8-year-old.
    page.goto(url + "/activities/")
    fill_visible(page.get_by_label("Child's age"), "8")
    click_visible(page.get_by_role("button", name="Filter"))
    expect(page.get_by_role("link", name="Painting for children")).to_be_visible()
    expect(page.get_by_text("Full: waitlist")).to_be_visible()
    look(page, JOURNEY, "04-catalogue")

    # Eleni to the full painting lesson: the waitlist, number 1.
    click_visible(page.get_by_role("link", name="Painting for children"))
    look(page, JOURNEY, "05-full-lesson")
    click_visible(page.get_by_role("link", name="Register a child"))
    check_visible(page.get_by_label("Eleni", exact=False))
    look(page, JOURNEY, "06-register-waitlist")
    click_visible(page.get_by_role("button", name="Join the waitlist"))
    expect(page.get_by_text("Eleni is on the waitlist, number 1")).to_be_visible()
    look(page, JOURNEY, "07-mine-waitlisted")

    # Giorgos to the English lesson with places: confirmed, and the link shows for them only.
    page.goto(url + f"/activities/{english.pk}/")
    expect(page.locator("#session-link")).to_have_count(0)
    click_visible(page.get_by_role("link", name="Register a child"))
    check_visible(page.get_by_label("Giorgos", exact=False))
    click_visible(page.get_by_role("button", name="Register"))
    expect(page.get_by_text("Giorgos has a place in “English with songs”.")).to_be_visible()
    page.goto(url + f"/activities/{english.pk}/")
    expect(page.locator("#session-link")).to_have_attribute("href", LINK)
    look(page, JOURNEY, "08-lesson-with-link")
    stranger = new_context()
    use_language(stranger, live_server, "en")
    anonymous = stranger.new_page()
    anonymous.goto(url + f"/activities/{english.pk}/")
    assert LINK not in anonymous.content()
    feed = anonymous.request.get(url + "/activities/calendar.ics").text()
    assert "BEGIN:VEVENT" in feed and LINK not in feed

    # The other family cancels: Eleni is offered the place and told; the parent confirms.
    services.cancel_registration(registration=taken, actor=other)
    offered = Notification.objects.get(recipient=citizen, kind="activities.offered")
    assert "Eleni" in offered.body
    page.goto(url + "/activities/mine/")
    look(page, JOURNEY, "09-mine-offered")
    click_visible(page.get_by_role("button", name="Confirm the place of Eleni"))
    expect(page.get_by_text("The place is confirmed.")).to_be_visible()
    eleni = Registration.objects.get(child__first_name="Eleni")
    assert eleni.status == "confirmed"

    # The teacher takes attendance of the English lesson's first session.
    office = new_context()
    use_language(office, live_server, "en")
    log_in_as(office, live_server, teacher)
    desk = office.new_page()
    desk.goto(url + "/staff/activities/")
    look(desk, JOURNEY, "10-staff-programmes")
    click_visible(desk.get_by_role("link", name="English with songs"))
    expect(desk.locator("#placed-table")).to_contain_text("Giorgos")
    look(desk, JOURNEY, "11-staff-programme")
    click_visible(desk.get_by_role("link", name="Attendance", exact=False).first)
    check_visible(desk.get_by_label("Giorgos", exact=False))
    look(desk, JOURNEY, "12-attendance")
    click_visible(desk.get_by_role("button", name="Save the attendance"))
    expect(desk.get_by_text("Attendance saved: 1 present.")).to_be_visible()

    # The parent downloads Giorgos's certificate of attendance.
    page.goto(url + "/activities/mine/")
    with page.expect_download() as download:
        click_visible(page.get_by_role("link", name="Certificate of attendance of Giorgos (PDF)"))
    folder = SCREENSHOTS / JOURNEY
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "certificate.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(folder / "certificate")],
        check=True,
        timeout=60,
    )
    assert Path(str(folder / "certificate") + ".png").exists()
    look(page, JOURNEY, "13-mine-certificate")

    # The same pages in Greek.
    use_language(home, live_server, "el")
    page.goto(url + "/activities/mine/")
    expect(page.get_by_role("heading", name="Οι δραστηριότητές μου")).to_be_visible()
    look(page, JOURNEY, "14-mine-greek")
    page.goto(url + "/activities/")
    look(page, JOURNEY, "15-catalogue-greek")
    page.goto(url + f"/activities/{english.pk}/")
    look(page, JOURNEY, "16-lesson-greek")
    use_language(office, live_server, "el")
    desk.goto(url + f"/staff/activities/{english.pk}/")
    look(desk, JOURNEY, "17-staff-programme-greek")
