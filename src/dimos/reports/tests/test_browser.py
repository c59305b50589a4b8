"""The whole reporting journey in a real browser, on a phone: a resident reports a pothole
with a photo from where they stand, a clerk acknowledges it and fixes it from the back office,
and the resident follows the timeline and receives the emails. axe-core checks each page."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.portal.tests.test_browser import assert_no_violations, log_in_as, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HERE = {"latitude": 41.0921, "longitude": 23.5478}  # inside the demo municipality
PHONE = {"width": 390, "height": 844}


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 90, 90)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[BrowserContext]:
    """A phone that knows where it is (the resident allowed the location)."""
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="el-GR",
        geolocation=HERE,
        permissions=["geolocation"],
    )
    context.set_default_timeout(15_000)
    # No map tiles here (no internet): refuse them at once instead of waiting.
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    yield context
    context.close()


def test_pothole_reported_on_a_phone_is_acknowledged_fixed_and_followed(
    phone: BrowserContext, page: Page, live_server: Any, citizen: User, clerk: User
) -> None:
    from dimos.reports.demo import seed_categories, seed_response_templates
    from dimos.reports.models import Report, ReportPhoto, Status

    seed()
    seed_categories()
    seed_response_templates()
    from dimos.reports.demo import DEPARTMENTS

    technical = DEPARTMENTS["dept-technical"]
    clerk.groups.add(*Group.objects.filter(name__in=["reports_clerk", technical]))
    url = live_server.url

    # The resident, on the phone: the public map and list first.
    log_in_as(phone, live_server, citizen)
    resident = phone.new_page()
    for path in ("/reports/map/", "/reports/", "/reports/new/"):
        resident.goto(url + path)
        assert_no_violations(resident)

    # Choose the category, take the place from the phone, describe it, attach a photo.
    resident.get_by_role("link", name="Λακκούβα στον δρόμο").click()
    expect(resident).to_have_url(url + "/reports/new/pothole/")
    assert_no_violations(resident)
    resident.get_by_role("button", name="Χρήση της θέσης μου").click()
    expect(resident.locator("#id_lat")).to_have_value("41.092100")
    expect(resident.locator("#id_lon")).to_have_value("23.547800")
    resident.locator("#id_description").fill("Βαθιά λακκούβα μπροστά στο σχολείο")
    resident.locator("#id_photos").set_input_files(
        files=[{"name": "pothole.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    resident.get_by_role("button", name="Αποστολή αναφοράς").click()
    report = Report.objects.get()
    expect(resident).to_have_url(url + f"/reports/{report.pk}/")
    assert report.reporter == citizen and report.status == Status.OPEN
    assert ReportPhoto.objects.filter(report=report).count() == 1
    expect(resident.get_by_role("main").get_by_role("img").first).to_be_visible()
    assert_no_violations(resident)

    # The clerk, at a desk: the queue, the report, acknowledge with a response template.
    log_in_as(page.context, live_server, clerk)
    page.goto(url + "/staff/reports/")
    assert_no_violations(page)
    page.get_by_role("link", name=f"#{report.pk}").click()
    expect(page).to_have_url(url + f"/staff/reports/{report.pk}/")
    assert_no_violations(page)
    page.locator("#id_status").select_option("acknowledged")
    page.locator("#id_template").select_option(label="Παραλαβή")
    # The template, filled in for this report, lands in the note box to edit.
    expect(page.locator("#id_note")).to_have_value(
        re.compile(rf"^Λάβαμε την αναφορά σας #{report.pk} \(Λακκούβα στον δρόμο, ")
    )
    page.get_by_role("button", name="Αποθήκευση κατάστασης").click()
    expect(page.get_by_role("status")).to_be_visible()

    # … and later, fixed, with a note of its own.
    page.locator("#id_status").select_option("fixed")
    page.locator("#id_note").fill("Η λακκούβα επιστρώθηκε σήμερα το πρωί.")
    page.get_by_role("button", name="Αποθήκευση κατάστασης").click()
    expect(page.get_by_role("status")).to_be_visible()
    report.refresh_from_db()
    assert report.status == Status.FIXED

    # The resident sees the whole story on the report's page …
    resident.reload()
    main = resident.get_by_role("main")
    expect(main).to_contain_text("Παρελήφθη")
    expect(main).to_contain_text(f"Λάβαμε την αναφορά σας #{report.pk}")
    expect(main).to_contain_text("Επιλύθηκε")
    expect(main).to_contain_text("Η λακκούβα επιστρώθηκε σήμερα το πρωί.")
    assert_no_violations(resident)

    # … and was told by email at each step, in Greek, with the link to it.
    to_resident = [m for m in mail.outbox if citizen.email in m.to]
    bodies = "\n".join(str(m.body) for m in to_resident)
    assert len(to_resident) >= 2
    assert f"Λάβαμε την αναφορά σας #{report.pk}" in bodies
    assert "Η λακκούβα επιστρώθηκε σήμερα το πρωί." in bodies
    assert f"/reports/{report.pk}/" in bodies
