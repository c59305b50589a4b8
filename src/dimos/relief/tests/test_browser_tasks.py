"""A daughter asks for medicine for her mother online; a coordinator accepts and schedules it
and leaves it open for volunteers; a volunteer sees the task with the district only, takes
it, sees the address and completes it with the mother's code; the daughter is told. A second
volunteer never sees the address. In a real browser, on a phone and a desktop, axe-core on
every page, in English and Greek."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.relief.tests.conftest import INSIDE, make_volunteer
from dimos.testing.browser import (
    check_visible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r":\s(\d{4})(?:\s|$)")
JOURNEY = "relief-volunteer"
ADDRESS = "Merarchias 40"


def test_a_volunteer_takes_the_mothers_medicine_and_brings_it(
    page: Page,
    live_server: Any,
    citizen: User,
    new_context: Callable[..., BrowserContext],
    settings: Any,
) -> None:
    from dimos.core.models import Notification
    from dimos.core.sms import MemorySmsBackend
    from dimos.relief.models import ReliefRequest
    from dimos.testing.personas import staff

    settings.DIMOS_SMS_BACKEND = "dimos.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    seed()
    coordinator = staff("coordinator@example.org", "relief_coordinator")
    vera = make_volunteer("vera@example.org", phone="6977 123 456")
    otto = make_volunteer("otto@example.org", phone="6977 654 321")
    citizen.preferred_language = "en"
    citizen.save()
    url = live_server.url
    daughter = page.context
    use_language(daughter, live_server, "en")
    log_in_as(daughter, live_server, citizen)

    # The daughter asks for her mother's medicine.
    page.goto(url + "/relief/ask/")
    check_visible(page.get_by_label("For a relative"))
    fill_visible(page.get_by_label("Full name of the person to help"), "Evanthia Resident")
    fill_visible(page.get_by_label("Address", exact=True), f"{ADDRESS}, Serres")
    fill_visible(page.get_by_label("Latitude"), str(INSIDE[0]))
    fill_visible(page.get_by_label("Longitude"), str(INSIDE[1]))
    fill_visible(page.get_by_label("Phone of the person to help"), "6944 111 222")
    check_visible(page.get_by_label("Aged 65 or over"))
    check_visible(page.get_by_label("Greek", exact=True))
    fill_visible(page.get_by_label("How to reach the door"), "Ring twice, third floor")
    check_visible(page.get_by_label("Medicine from a pharmacy"))
    fill_visible(page.get_by_label(re.compile(r"^Pharmacy")), "Pharmacy of the square")
    fill_visible(page.get_by_label("Prescription barcodes"), "1234567890")
    check_visible(page.get_by_label("I agree, on behalf of the person helped"))
    click_visible(page.get_by_role("button", name="Send the request"))
    expect(page.locator("#relief-status")).to_have_text("Received")
    req = ReliefRequest.objects.get()

    # The coordinator accepts and schedules it without a courier: open for volunteers.
    office = new_context()
    use_language(office, live_server, "en")
    log_in_as(office, live_server, coordinator)
    desk = office.new_page()
    desk.goto(url + f"/staff/relief/{req.pk}/")
    click_visible(desk.get_by_role("button", name="Accept"))
    click_visible(desk.get_by_role("button", name="Schedule the delivery"))
    expect(desk.locator("#relief-status")).to_have_text("Scheduled")
    expect(desk.get_by_role("heading", name="Give the task to a volunteer")).to_be_visible()
    look(desk, JOURNEY, "01-scheduled-open-for-volunteers")
    codes = [m.group(1) for _to, body in MemorySmsBackend.outbox if (m := CODE.search(body))]
    code = codes[-1]

    # Both volunteers see it with the district only.
    second = new_context()
    use_language(second, live_server, "en")
    log_in_as(second, live_server, otto.user)
    other = second.new_page()
    other.goto(url + "/relief/tasks/")
    expect(other.get_by_role("link", name=req.reference)).to_be_visible()
    expect(other.locator("main")).not_to_contain_text(ADDRESS)

    first = new_context()
    use_language(first, live_server, "en")
    log_in_as(first, live_server, vera.user)
    phone = first.new_page()
    phone.goto(url + "/volunteers/me/")
    look(phone, JOURNEY, "02-volunteer-page")
    click_visible(phone.get_by_role("link", name="Tasks near me"))
    expect(phone.locator("main")).to_contain_text("Serres")
    expect(phone.locator("main")).to_contain_text("Medicine from a pharmacy")
    expect(phone.locator("main")).not_to_contain_text(ADDRESS)
    look(phone, JOURNEY, "03-tasks-near-me")
    click_visible(phone.get_by_role("link", name=req.reference))
    expect(phone.locator("main")).not_to_contain_text(ADDRESS)
    look(phone, JOURNEY, "04-task-before-taking")
    click_visible(phone.get_by_role("button", name="Take this task"))
    expect(phone.locator("#task-address")).to_contain_text(ADDRESS)
    expect(phone.locator("#task-address")).to_contain_text("Ring twice, third floor")
    expect(phone.locator("#task-address")).to_contain_text("1234567890")
    look(phone, JOURNEY, "05-task-taken-address")

    # The second volunteer: too late, and never the address.
    other.reload()
    expect(other.locator("main")).not_to_contain_text(req.reference)
    other.goto(url + f"/relief/tasks/{req.pk}/")
    expect(other.locator("main")).not_to_contain_text(ADDRESS)
    other.goto(url + "/relief/tasks/")
    look(other, JOURNEY, "06-second-volunteer-list")

    # The mother's code: wrong once, then right.
    wrong = "0000" if code != "0000" else "1111"
    fill_visible(phone.get_by_label("The code the person tells you"), wrong)
    click_visible(phone.get_by_role("button", name="Delivered").first)
    expect(phone.get_by_role("alert")).to_contain_text("Tries left: 4")
    look(phone, JOURNEY, "07-wrong-code")
    fill_visible(phone.get_by_label("The code the person tells you"), code)
    click_visible(phone.get_by_role("button", name="Delivered").first)
    expect(phone.locator("#task-status")).to_have_text("Delivered")
    fill_visible(phone.get_by_label("Hours"), "1.5")
    click_visible(phone.get_by_role("button", name="Log the hours"))
    expect(phone.locator("#task-hours")).to_contain_text("1.5")
    look(phone, JOURNEY, "08-done-hours-logged")
    phone.goto(url + "/relief/tasks/history/")
    expect(phone.locator("#hours-total")).to_contain_text("1.5")
    look(phone, JOURNEY, "09-history")

    # The daughter is told; the volunteer's phone is nowhere in what she got or sees.
    told = Notification.objects.filter(
        recipient=citizen, kind="relief.updated", subject__contains="Delivered"
    )
    assert told.exists()
    assert all(
        "6977" not in n.body + n.subject for n in Notification.objects.filter(recipient=citizen)
    )
    page.goto(url + f"/relief/mine/{req.pk}/")
    expect(page.locator("#relief-status")).to_have_text("Delivered")
    expect(page.locator("main")).not_to_contain_text("6977")

    # The coordinators' board shows who held it; the pages in Greek.
    desk.goto(url + "/staff/relief/")
    look(desk, JOURNEY, "10-board")
    use_language(first, live_server, "el")
    phone.goto(url + f"/relief/tasks/{req.pk}/")
    expect(phone.locator("#task-status")).to_have_text("Παραδόθηκε")
    look(phone, JOURNEY, "11-task-greek")
    phone.goto(url + "/relief/tasks/")
    look(phone, JOURNEY, "12-tasks-greek")
    phone.goto(url + "/relief/tasks/history/")
    look(phone, JOURNEY, "13-history-greek")
    use_language(second, live_server, "el")
    other.goto(url + f"/relief/tasks/{req.pk}/")
    expect(other.locator("main")).not_to_contain_text(ADDRESS)
