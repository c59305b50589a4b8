"""A daughter asks for medicine for her mother online; a coordinator accepts and schedules it;
the courier completes it with the mother's code; the daughter is told. In a real browser,
looked at on a phone and a desktop and checked by axe-core on every page (English and Greek)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.relief.tests.conftest import INSIDE
from dimos.testing.browser import (
    check_visible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    select_visible,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The code a text message gives the beneficiary: "…for the delivery: 1234" in their language.
CODE = re.compile(r":\s(\d{4})(?:\s|$)")

JOURNEY = "relief"


def test_a_daughter_asks_for_medicine_and_the_courier_brings_it(
    page: Page,
    live_server: Any,
    citizen: User,
    new_context: Callable[..., BrowserContext],
    settings: Any,
) -> None:
    from dimos.core.models import Notification
    from dimos.core.sms import MemorySmsBackend

    settings.DIMOS_SMS_BACKEND = "dimos.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    from dimos.relief.models import ReliefRequest
    from dimos.testing.personas import staff

    seed()
    coordinator = staff("coordinator@example.org", "relief_coordinator")
    courier = staff("courier@example.org", "delivery_staff")
    courier.first_name, courier.last_name = "Kostas", "Courier"
    courier.save()
    citizen.preferred_language = "en"
    citizen.save()
    url = live_server.url
    daughter = page.context
    use_language(daughter, live_server, "en")
    log_in_as(daughter, live_server, citizen)

    # The daughter finds the service and asks for her mother's medicine.
    page.goto(url + "/relief/")
    look(page, JOURNEY, "01-start")
    click_visible(page.get_by_role("link", name="Ask for help"))
    look(page, JOURNEY, "02-ask-form")
    check_visible(page.get_by_label("For a relative"))
    fill_visible(page.get_by_label("Full name of the person to help"), "Evanthia Resident")
    fill_visible(page.get_by_label("Address", exact=True), "Merarchias 40, Serres")
    fill_visible(page.get_by_label("Latitude"), str(INSIDE[0]))
    fill_visible(page.get_by_label("Longitude"), str(INSIDE[1]))
    fill_visible(page.get_by_label("Phone of the person to help"), "6944 111 222")
    check_visible(page.get_by_label("Aged 65 or over"))
    check_visible(page.get_by_label("Greek", exact=True))
    fill_visible(page.get_by_label("How to reach the door"), "Ring twice, third floor")
    check_visible(page.get_by_label("Medicine from a pharmacy"))
    fill_visible(page.get_by_label(re.compile(r"^Pharmacy")), "Pharmacy of the square")
    # A photo's name instead of the numbers: refused, with what was filled in kept.
    fill_visible(page.get_by_label("Prescription barcodes"), "IMG_2041.jpg")
    check_visible(page.get_by_label("I agree, on behalf of the person helped"))
    click_visible(page.get_by_role("button", name="Send the request"))
    expect(page.get_by_role("alert")).to_contain_text("only the numbers")
    look(page, JOURNEY, "03-ask-error")
    fill_visible(page.get_by_label("Prescription barcodes"), "1234567890\n2345678901")
    check_visible(page.get_by_label("I agree, on behalf of the person helped"))
    click_visible(page.get_by_role("button", name="Send the request"))
    expect(page.locator("#relief-status")).to_have_text("Received")
    look(page, JOURNEY, "04-received")
    req = ReliefRequest.objects.get()

    # The coordinator sees it on the board, accepts and schedules it with the courier.
    office = new_context()
    use_language(office, live_server, "en")
    log_in_as(office, live_server, coordinator)
    desk = office.new_page()
    desk.goto(url + "/staff/relief/")
    look(desk, JOURNEY, "05-board")
    click_visible(desk.get_by_role("link", name=req.reference))
    expect(desk.locator("#beneficiary")).to_contain_text("Ring twice, third floor")
    look(desk, JOURNEY, "06-request")
    click_visible(desk.get_by_role("button", name="Accept"))
    expect(desk.locator("#relief-status")).to_have_text("Accepted")
    select_visible(desk.get_by_label("Courier"), label="Kostas Courier")
    click_visible(desk.get_by_role("button", name="Schedule the delivery"))
    expect(desk.locator("#relief-status")).to_have_text("Scheduled")
    expect(desk.get_by_text("was sent to the person by SMS")).to_be_visible()
    look(desk, JOURNEY, "07-scheduled")
    # The code is stored only sealed: read it from the text message the mother got.
    codes = [m.group(1) for _to, body in MemorySmsBackend.outbox if (m := CODE.search(body))]
    code = codes[-1]
    assert code not in Notification.objects.get(kind="relief.code").subject

    # The courier opens the visit, tries a wrong code, then the mother's code.
    van = new_context()
    use_language(van, live_server, "en")
    log_in_as(van, live_server, courier)
    phone = van.new_page()
    phone.goto(url + "/staff/relief/courier/")
    look(phone, JOURNEY, "08-courier-visits")
    click_visible(phone.get_by_role("link", name=req.reference))
    expect(phone.locator("#beneficiary")).to_contain_text("Merarchias 40")
    look(phone, JOURNEY, "09-visit")
    wrong = "0000" if code != "0000" else "1111"
    fill_visible(phone.get_by_label("The code the person tells you"), wrong)
    click_visible(phone.get_by_role("button", name="Delivered").first)
    expect(phone.get_by_role("alert")).to_contain_text("Tries left: 4")
    fill_visible(phone.get_by_label("The code the person tells you"), code)
    click_visible(phone.get_by_role("button", name="Delivered").first)
    expect(phone.locator("#relief-status")).to_have_text("Delivered")
    look(phone, JOURNEY, "10-delivered")

    # The daughter is told, and sees it; in Greek too.
    assert Notification.objects.filter(
        recipient=citizen, kind="relief.updated", subject__contains="Delivered"
    ).exists()
    page.goto(url + f"/relief/mine/{req.pk}/")
    expect(page.locator("#relief-status")).to_have_text("Delivered")
    look(page, JOURNEY, "11-daughter-sees-delivered")
    use_language(daughter, live_server, "el")
    page.goto(url + f"/relief/mine/{req.pk}/")
    expect(page.locator("#relief-status")).to_have_text("Παραδόθηκε")
    look(page, JOURNEY, "12-delivered-greek")
    page.goto(url + "/relief/")
    look(page, JOURNEY, "13-start-greek")
    page.goto(url + "/my/")
    look(page, JOURNEY, "14-my-account-panel")
