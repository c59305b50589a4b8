"""The whole reporting journey in a real browser, on a phone: a resident reports a pothole
with a photo from where they stand, a clerk acknowledges it and fixes it from the back office,
and the resident follows the timeline and receives the emails. axe-core checks each page."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.testing.browser import (
    PHONE,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    select_visible,
    upload_visible,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HERE = {"latitude": 41.0921, "longitude": 23.5478}  # inside the demo municipality
JOURNEY = "report-a-problem"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 90, 90)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    """A phone that knows where it is (the resident allowed the location)."""
    return new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="el-GR",
        geolocation=HERE,
        permissions=["geolocation"],
    )


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
    for step, path in (
        ("1-map", "/reports/map/"),
        ("2-list", "/reports/"),
        ("3-choose", "/reports/new/"),
    ):
        resident.goto(url + path)
        look(resident, JOURNEY, step)

    # Choose the category, take the place from the phone, describe it, attach a photo.
    click_visible(resident.get_by_role("link", name="Λακκούβα στον δρόμο"))
    expect(resident).to_have_url(url + "/reports/new/pothole/")
    look(resident, JOURNEY, "4-form")
    click_visible(resident.get_by_role("button", name="Χρήση της θέσης μου"))
    expect(resident.locator("#id_lat")).to_have_value("41.092100")
    expect(resident.locator("#id_lon")).to_have_value("23.547800")
    fill_visible(resident.locator("#id_description"), "Βαθιά λακκούβα μπροστά στο σχολείο")
    upload_visible(
        resident,
        resident.locator("#id_photos"),
        [{"name": "pothole.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}],
    )
    look(resident, JOURNEY, "5-form-filled")
    click_visible(resident.get_by_role("button", name="Αποστολή αναφοράς"))
    report = Report.objects.get()
    expect(resident).to_have_url(url + f"/reports/{report.pk}/")
    assert report.reporter == citizen and report.status == Status.OPEN
    assert ReportPhoto.objects.filter(report=report).count() == 1
    expect(resident.get_by_role("main").get_by_role("img").first).to_be_visible()
    look(resident, JOURNEY, "6-report-sent")

    # The clerk, at a desk: the queue, the report, acknowledge with a response template.
    log_in_as(page.context, live_server, clerk)
    page.goto(url + "/staff/reports/")
    look(page, JOURNEY, "7-staff-queue")
    click_visible(page.get_by_role("link", name=f"#{report.pk}"))
    expect(page).to_have_url(url + f"/staff/reports/{report.pk}/")
    look(page, JOURNEY, "8-staff-report")
    select_visible(page.locator("#id_status"), value="acknowledged")
    select_visible(page.locator("#id_template"), label="Παραλαβή")
    # The template, filled in for this report, lands in the note box to edit.
    expect(page.locator("#id_note")).to_have_value(
        re.compile(rf"^Λάβαμε την αναφορά σας #{report.pk} \(Λακκούβα στον δρόμο, ")
    )
    click_visible(page.get_by_role("button", name="Αποθήκευση κατάστασης"))
    expect(page.get_by_role("status")).to_be_visible()

    # … and later, fixed, with a note of its own.
    select_visible(page.locator("#id_status"), value="fixed")
    fill_visible(page.locator("#id_note"), "Η λακκούβα επιστρώθηκε σήμερα το πρωί.")
    click_visible(page.get_by_role("button", name="Αποθήκευση κατάστασης"))
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
    look(resident, JOURNEY, "9-report-fixed")

    # … and was told by email at each step, in Greek, with the link to it.
    to_resident = [m for m in mail.outbox if citizen.email in m.to]
    bodies = "\n".join(str(m.body) for m in to_resident)
    assert len(to_resident) >= 2
    assert f"Λάβαμε την αναφορά σας #{report.pk}" in bodies
    assert "Η λακκούβα επιστρώθηκε σήμερα το πρωί." in bodies
    assert f"/reports/{report.pk}/" in bodies


def _marker_images_loaded(page: Page, box: str = "#report-map") -> None:
    pin = page.locator(f"{box} img.leaflet-marker-icon")
    expect(pin).to_be_visible()
    expect(pin).to_have_js_property("complete", True)
    assert pin.evaluate("img => img.naturalWidth") > 0, pin.get_attribute("src")


def test_map_pins_load_when_static_files_have_hashed_names_as_in_production(
    production_static_site: str, new_context: Callable[..., BrowserContext], clerk: User
) -> None:
    # (The site first: its server stops after the browser has closed its connections.)
    from dimos.reports.demo import DEPARTMENTS, seed_categories
    from dimos.reports.models import Category
    from dimos.reports.services import Location, submit_report
    from dimos.testing.browser import assert_no_broken_images

    seed()
    seed_categories()
    technical = DEPARTMENTS["dept-technical"]
    clerk.groups.add(*Group.objects.filter(name__in=["reports_clerk", technical]))
    report, _ = submit_report(
        category=Category.objects.get(code="pothole"),
        location=Location(lat=41.0921, lon=23.5478, address="Μεραρχίας 10"),
        email="someone@example.org",
        source="phone",
    )
    site = production_static_site
    page = new_context(site=site).new_page()

    # The resident's form: a tap on the map drops the pin.
    page.goto(site + "/reports/new/pothole/")
    assert ".css" in (page.locator("link[href*='leaflet']").get_attribute("href") or "")
    assert "leaflet.css" not in (page.locator("link[href*='leaflet']").get_attribute("href") or "")
    page.locator("#report-map").click(position={"x": 150, "y": 150})
    _marker_images_loaded(page)
    assert_no_broken_images(page)

    # The report's public page shows its place with the pin.
    page.goto(f"{site}/reports/{report.pk}/")
    _marker_images_loaded(page, "#report-location")
    assert_no_broken_images(page)

    # The clerk's "move the pin" map shows the report's pin as it opens.
    log_in_as(page.context, site, clerk)
    page.goto(f"{site}/staff/reports/{report.pk}/")
    _marker_images_loaded(page)
    assert_no_broken_images(page)


def _assert_labels_apart(page: Page) -> None:
    """No two cluster labels overlap on the screen (each one readable)."""
    boxes = [b for b in (c.bounding_box() for c in page.locator(".dimos-cluster-count").all()) if b]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"]
                or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"]
                or b["y"] + b["height"] <= a["y"]
            )
            assert apart, f"cluster labels overlap: {a} and {b}"


@pytest.mark.parametrize("language", ["el", "en"])
def test_reported_problems_are_found_and_explained_on_the_map(
    page: Page, live_server: Any, language: str
) -> None:
    from dimos.reports.demo import generate_reports, seed_categories
    from dimos.reports.models import Report
    from dimos.testing.browser import use_language

    seed()
    seed_categories()
    generate_reports(60, seed=7, days=60)
    use_language(page.context, live_server, language)
    journey = f"reported-problems-{language}"
    url = live_server.url
    words = {"el": "αναφορές", "en": "reports"}[language]

    # From the home page to the map of reported problems.
    page.goto(url + "/")
    look(page, journey, "1-home")
    click_visible(page.locator("main a[href='/reports/map/']"))
    expect(page).to_have_url(url + "/reports/map/")
    clusters = page.locator(".dimos-cluster-count")
    expect(clusters.first).to_be_visible()
    for text in clusters.all_inner_texts():
        assert re.fullmatch(rf"\d+ {words}", text), text  # never a bare number
    _assert_labels_apart(page)
    expect(page.locator("#cluster-status")).to_contain_text(words)
    expect(page.locator(".dimos-legend")).to_be_visible()
    look(page, journey, "2-map")

    # A report's page: its place on a map, and the way back to the others.
    report = Report.objects.order_by("pk").first()
    page.goto(f"{url}/reports/{report.pk}/")
    expect(page.locator("#report-location img.leaflet-marker-icon")).to_be_visible()
    look(page, journey, "3-report")
    click_visible(page.locator("main a[href^='/reports/map/?lat=']"))
    expect(page.locator("#cluster-map")).to_be_visible()
    look(page, journey, "4-map-near-the-report")

    # The report form asks whether it is already reported; the gas leak says call 199.
    page.goto(url + "/reports/new/")
    look(page, journey, "5-choose")
    page.goto(url + "/reports/new/pothole/")
    expect(
        page.locator(".govgr-inset-text a[href^='/reports/map/?category=pothole']")
    ).to_be_visible()
    look(page, journey, "6-form")
    page.goto(url + "/reports/new/gas-smell/")
    expect(page.locator(".govgr-warning-text a[href='tel:199']")).to_be_visible()
    look(page, journey, "7-gas-smell")


@pytest.mark.parametrize("language", ["el", "en"])
def test_the_dashboard_maps_where_reports_gather_and_charts_the_trend(
    page: Page, live_server: Any, admin_user: User, language: str
) -> None:
    from dimos.reports.demo import seed_categories, seed_reports
    from dimos.testing.browser import use_language

    seed()
    seed_categories()
    seed_reports()
    admin_user.groups.add(Group.objects.get(name="reports_manager"))
    use_language(page.context, live_server, language)
    log_in_as(page.context, live_server, admin_user)
    journey = f"dashboard-{language}"
    page.goto(live_server.url + "/staff/reports/dashboard/")

    charts = page.locator("figure.dimos-chart")
    expect(charts).to_have_count(2)
    for figure in charts.all():
        expect(figure.locator("svg[role=img]")).to_be_visible()
        expect(figure.locator("table tbody tr").first).to_be_visible()
    expect(page.locator("#dashboard-map path.leaflet-interactive").first).to_be_visible()
    look(page, journey, "1-dashboard")

    with page.expect_download() as download:
        click_visible(charts.first.locator("a[href*='format=png']"))
    assert download.value.suggested_filename == "reports-by-month.png"
    with page.expect_download() as download:
        click_visible(charts.first.locator("a[href*='format=csv']"))
    assert download.value.suggested_filename == "reports-by-month.csv"


def test_following_a_report_shows_it_and_can_be_undone(
    page: Page, live_server: Any, citizen: User
) -> None:
    from dimos.reports.models import Subscription
    from dimos.reports.tests.factories import ReportFactory

    seed()
    report = ReportFactory.create()
    log_in_as(page.context, live_server, citizen)
    journey = "follow-a-report"
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    click_visible(
        page.get_by_role("button", name="Έχω το ίδιο πρόβλημα: παρακολούθηση αυτής της αναφοράς")
    )
    expect(page.locator("#follow .govgr-tag")).to_have_text("Παρακολουθείτε αυτή την αναφορά")
    look(page, journey, "1-following")
    assert Subscription.objects.filter(report=report, user=citizen).exists()
    click_visible(page.get_by_role("button", name="Διακοπή παρακολούθησης της αναφοράς"))
    expect(page.get_by_text("Δεν παρακολουθείτε πλέον αυτή την αναφορά.")).to_be_visible()
    expect(
        page.get_by_role("button", name="Έχω το ίδιο πρόβλημα: παρακολούθηση αυτής της αναφοράς")
    ).to_be_visible()
    look(page, journey, "2-stopped")
    assert not Subscription.objects.filter(report=report, user=citizen).exists()
