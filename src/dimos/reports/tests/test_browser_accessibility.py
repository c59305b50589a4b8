"""The reports' pages in a real browser: no WCAG violations (axe-core) in Greek and English,
and a resident reports a problem by tapping the map on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from dimos.accounts.models import User
from dimos.reports.demo import seed_categories
from dimos.reports.models import Category, Report, Status
from dimos.reports.services import Location, change_status, submit_report
from dimos.testing.browser import (
    assert_pages_accessible,
    click_visible,
    fill_visible,
    log_in_as,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["el", "en"])
def test_report_page_has_no_wcag_violations(
    page: Page, live_server: Any, clerk: User, language: str
) -> None:

    seed()
    seed_categories()
    report, _ = submit_report(
        category=Category.objects.get(code="pothole"),
        location=Location(lat=41.10, lon=23.56, address="Μεραρχίας 10"),
        email="someone@example.org",
        source="phone",
        description="Λακκούβα μπροστά στο σχολείο",
    )
    change_status(report=report, to=Status.ACKNOWLEDGED, actor=clerk, note="Το είδαμε.")
    use_language(page.context, live_server, language)
    assert_pages_accessible(page, live_server, [f"/reports/{report.pk}/"], language)


@pytest.mark.parametrize("language", ["el", "en"])
def test_reports_back_office_has_no_wcag_violations(
    page: Page, live_server: Any, admin_user: User, clerk: User, language: str
) -> None:

    seed()
    seed_categories()
    admin_user.groups.add(Group.objects.get(name="reports_manager"))
    report, _ = submit_report(
        category=Category.objects.get(code="street-light"),
        location=Location(lat=41.10, lon=23.56, address="Βενιζέλου 3"),
        email="someone@example.org",
        source="phone",
    )
    change_status(report=report, to=Status.ACKNOWLEDGED, actor=clerk, note="Το είδαμε.")
    log_in_as(page.context, live_server, admin_user)
    use_language(page.context, live_server, language)
    assert_pages_accessible(
        page, live_server, ["/staff/reports/", f"/staff/reports/{report.pk}/"], language
    )


@pytest.mark.parametrize("language", ["el", "en"])
def test_report_form_pages_have_no_wcag_violations(
    page: Page, live_server: Any, language: str
) -> None:

    seed()
    seed_categories()
    use_language(page.context, live_server, language)
    assert_pages_accessible(
        page,
        live_server,
        ["/reports/new/", "/reports/new/water-leak/", "/reports/new/gas-smell/"],
        language,
    )


def test_resident_reports_a_problem_by_tapping_the_map(
    page: Page, live_server: Any, citizen: User
) -> None:

    seed()
    seed_categories()
    log_in_as(page.context, live_server, citizen)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/reports/new/pothole/")
    page.locator("#report-map").click(position={"x": 150, "y": 150})
    expect(page.locator("#id_lat")).not_to_have_value("")
    fill_visible(page.locator("#id_description"), "Λακκούβα στη γωνία")
    click_visible(page.get_by_role("button", name="Αποστολή αναφοράς"))
    report = Report.objects.get()
    expect(page).to_have_url(live_server.url + f"/reports/{report.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Λακκούβα στη γωνία")
