"""Real-browser tests: the resident journey, keyboard and no-JavaScript use, and axe-core.

They drive Debian's headless Chromium through the ``browser``/``page`` fixtures of
``src/dimos/conftest.py`` against pytest-django's ``live_server``. The server runs in a thread
of this process, so it shares the test database (hence transactional tests) and the locmem
email outbox.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The factories' password (dimos.core.tests.factories.UserFactory).
FACTORY_PASSWORD = "correct-horse-battery-9"

PUBLIC_PAGES = [
    "/",
    "/services/",
    "/search/?q=news",
    "/news/",
    "/news/online-services-launch/",
    "/accessibility/",
    "/accessibility/settings/",
    "/privacy/",
    "/terms/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/this-page-does-not-exist/",
]
CITIZEN_PAGES = ["/my/", "/my/profile/", "/my/privacy/", "/my/notifications/"]
STAFF_PAGES = ["/staff/", "/staff/team/", "/staff/audit/", "/staff/notifications/"]

_axe = Axe()


# --- Helpers ----------------------------------------------------------------------------------


def seed(*, emergency: bool = False) -> None:
    """The demo municipality and news; with ``emergency``, its red announcement banner too."""
    from django.core.cache import cache

    from dimos.core.demo import seed_municipality
    from dimos.portal.demo import seed_news

    municipality = seed_municipality()
    seed_news()
    if emergency:
        municipality.emergency_message_el = "Διακοπή νερού στο κέντρο έως τις 14:00."
        municipality.emergency_message_en = "No water in the town centre until 14:00."
        municipality.save()
    cache.clear()  # the municipality profile is cached


def use_language(context: BrowserContext, live_server: Any, code: str) -> None:
    """Choose the language as the language button would: with Django's language cookie."""
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": live_server.url}]
    )


def log_in_as(context: BrowserContext, live_server: Any, user: User) -> None:
    """Give the browser a session of ``user`` (a staff user's TOTP is enrolled, not asked)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def axe_report(page: Page) -> str:
    """axe-core's WCAG 2.1 A/AA violations on the page, one line per element; "" if none."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    lines = []
    for violation in results.response["violations"]:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append("      " + node["failureSummary"].replace("\n", " "))
    return f"{page.url}\n" + "\n".join(lines) if lines else ""


def assert_no_violations(page: Page) -> None:
    report = axe_report(page)
    assert not report, report


def assert_pages_accessible(page: Page, live_server: Any, paths: list[str], language: str) -> None:
    """Scan every path and fail with all the violations found, not only the first page's."""
    reports = []
    for path in paths:
        page.goto(live_server.url + path)
        # Each page is scanned as itself (not a redirect to the login page), in the language.
        expect(page).to_have_url(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        reports.append(axe_report(page))
    failures = [report for report in reports if report]
    assert not failures, "\n\n".join(failures)


def header_button(page: Page, name: str) -> Any:
    return page.get_by_role("banner").get_by_role("button", name=name)


def header_link(page: Page, name: str) -> Any:
    return page.get_by_role("banner").get_by_role("link", name=name)


# --- The resident's journey -----------------------------------------------------------------


def test_resident_signs_up_verifies_edits_profile_switches_language_and_downloads_data(
    page: Page, live_server: Any
) -> None:
    seed()
    url = live_server.url
    password = "Kalimera-Serres-2025"

    # Sign up, in Greek (the default language).
    page.goto(url + "/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "el")
    page.locator("#id_email").fill("maria@example.org")
    page.locator("#id_first_name").fill("Μαρία")
    page.locator("#id_last_name").fill("Παπαδοπούλου")
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url + "/accounts/confirm-email/")
    assert_no_violations(page)

    # The verification email links to the confirmation page of this server.
    links = [
        match.group(0)
        for message in mail.outbox
        if message.to == ["maria@example.org"]
        for match in [re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)]
        if match
    ]
    assert len(links) == 1, [message.body for message in mail.outbox]
    assert links[0].startswith(url)
    page.goto(links[0])
    assert_no_violations(page)
    page.locator("main form button[type=submit]").click()

    # Confirming logs the resident in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION).
    expect(page).to_have_url(url + "/my/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Μαρία Παπαδοπούλου")
    assert User.objects.get(email="maria@example.org").emailaddress_set.get().verified

    # Log out with the header button, then log in again with the password.
    page.locator("header form[action='/accounts/logout/'] button").click()
    expect(page).to_have_url(url + "/")
    expect(page.get_by_role("banner").locator("a[href='/accounts/login/']")).to_be_visible()
    page.goto(url + "/accounts/login/")
    page.locator("#id_login").fill("maria@example.org")
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url + "/my/")

    # Edit the profile: phone, address, SMS notifications.
    page.goto(url + "/my/profile/")
    page.locator("#id_phone").fill("+30 6912345678")
    page.locator("#id_address").fill("Μεραρχίας 10, Σέρρες")
    page.locator("#id_notify_sms").check()
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(url + "/my/profile/")
    expect(page.locator(".govgr-notification-banner--success")).to_be_visible()
    expect(page.locator("#id_phone")).to_have_value("+30 6912345678")
    expect(page.locator("#id_notify_sms")).to_be_checked()

    # Switch to English with the header's language link.
    header_link(page, "English").click()
    expect(page).to_have_url(url + "/my/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(header_button(page, "Log out")).to_be_visible()
    expect(header_link(page, "Ελληνικά")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Profile and notifications")

    # Download "my data" as JSON.
    page.goto(url + "/my/privacy/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    with open(download.path(), encoding="utf-8") as file:
        data = json.load(file)
    account = data["account"]
    assert account["email"] == "maria@example.org"
    assert (account["first_name"], account["last_name"]) == ("Μαρία", "Παπαδοπούλου")
    assert account["phone"] == "+30 6912345678"
    assert account["address"] == "Μεραρχίας 10, Σέρρες"
    assert account["notify_sms"] is True
    assert account["email_addresses"] == [
        {"email": "maria@example.org", "verified": True, "primary": True}
    ]


# --- Keyboard and no JavaScript -------------------------------------------------------------


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(
    page: Page, live_server: Any
) -> None:
    seed()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip_link = page.locator("a.govgr--skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visible when focused, hidden otherwise
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main-content")
    expect(page.locator("#main-content")).to_be_focused()


@pytest.fixture
def no_js_page(browser: Any, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}, locale="el-GR"
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_resident_logs_in_and_switches_language_without_javascript(
    no_js_page: Page, live_server: Any, citizen: User
) -> None:
    page = no_js_page
    seed()
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "el")
    page.locator("#id_login").fill(citizen.email)
    page.locator("#id_password").fill(FACTORY_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + "/my/")
    expect(page.get_by_role("main")).to_contain_text("Alice Resident")

    header_link(page, "English").click()
    expect(page).to_have_url(live_server.url + "/my/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("My account")
    header_link(page, "Ελληνικά").click()
    expect(page.locator("html")).to_have_attribute("lang", "el")


# --- axe-core -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["el", "en"])
def test_public_pages_have_no_wcag_violations(page: Page, live_server: Any, language: str) -> None:
    seed()
    use_language(page.context, live_server, language)
    assert_pages_accessible(page, live_server, PUBLIC_PAGES, language)


def test_pages_with_all_display_settings_on_have_no_wcag_violations(
    page: Page, live_server: Any, citizen: User
) -> None:
    seed(emergency=True)
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").locator("a[href^='/accessibility/settings/']").click()
    main = page.get_by_role("main")
    for option in ("dimos-large-text", "dimos-high-contrast", "dimos-dyslexia"):
        main.locator(f"input[value={option}]").check()
    main.locator("button[type=submit]").click()
    expect(page).to_have_url(live_server.url + "/")
    for option in ("dimos-large-text", "dimos-high-contrast", "dimos-dyslexia"):
        expect(page.locator("html")).to_contain_class(option)
    assert_pages_accessible(page, live_server, ["/", "/news/", "/accounts/signup/"], "el")
    log_in_as(page.context, live_server, citizen)
    assert_pages_accessible(page, live_server, CITIZEN_PAGES, "el")


def test_emergency_announcement_has_no_wcag_violations(page: Page, live_server: Any) -> None:
    seed(emergency=True)
    page.goto(live_server.url + "/")
    expect(page.locator(".dimos-emergency")).to_be_visible()
    assert_no_violations(page)


@pytest.mark.parametrize("language", ["el", "en"])
def test_account_pages_have_no_wcag_violations(
    page: Page, live_server: Any, citizen: User, language: str
) -> None:
    from dimos.core.notifications import notify

    seed()
    # Unread notifications show the header badge, the "New" tags and the mark-read button.
    notify(kind="accounts.welcome", recipient=citizen, url="/my/")
    use_language(page.context, live_server, language)
    log_in_as(page.context, live_server, citizen)
    assert_pages_accessible(page, live_server, CITIZEN_PAGES, language)


def seed_staff_records(admin: User, clerk: User) -> None:
    """An audit entry and a failed delivery, so the staff tables have rows and buttons."""
    from dimos.core import audit
    from dimos.core.models import Delivery, Notification

    audit.record(action="accounts.roles_changed", actor=admin, target=clerk)
    notification = Notification.objects.create(
        recipient=clerk, kind="accounts.welcome", subject="Welcome", body="Hello", language="el"
    )
    Delivery.objects.create(
        notification=notification,
        channel=Delivery.Channel.EMAIL,
        address=clerk.email,
        status=Delivery.Status.FAILED,
        attempts=5,
        last_error="Connection refused",
    )


@pytest.mark.parametrize("language", ["el", "en"])
def test_staff_pages_have_no_wcag_violations(
    page: Page, live_server: Any, admin_user: User, clerk: User, language: str
) -> None:
    seed()
    seed_staff_records(admin_user, clerk)
    use_language(page.context, live_server, language)
    log_in_as(page.context, live_server, admin_user)
    assert_pages_accessible(page, live_server, STAFF_PAGES, language)


def test_forms_showing_errors_have_no_wcag_violations(
    page: Page, live_server: Any, citizen: User
) -> None:
    seed()
    url = live_server.url
    # A failed login: the error summary without field errors.
    page.goto(url + "/accounts/login/")
    page.locator("#id_login").fill(citizen.email)
    page.locator("#id_password").fill("not-the-password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".govgr-error-summary")).to_be_visible()
    assert_no_violations(page)
    # An empty sign-up: an error on every field.
    page.goto(url + "/accounts/signup/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_email_error")).to_be_visible()
    assert_no_violations(page)
    # A profile with a bad phone number.
    log_in_as(page.context, live_server, citizen)
    page.goto(url + "/my/profile/")
    page.locator("#id_phone").fill("call me")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("#id_phone")).to_have_attribute("aria-invalid", "true")
    assert_no_violations(page)


def assert_fits_the_screen(page: Page) -> None:
    """Nothing makes the page scroll sideways (WCAG 1.4.10, reflow)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_home_page_on_a_phone_has_no_wcag_violations(page: Page, live_server: Any) -> None:
    seed()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    assert_no_violations(page)
    assert_fits_the_screen(page)


def test_staff_tables_on_a_phone_scroll_inside_the_page(
    page: Page, live_server: Any, admin_user: User, clerk: User
) -> None:
    seed()
    seed_staff_records(admin_user, clerk)
    log_in_as(page.context, live_server, admin_user)
    page.set_viewport_size({"width": 390, "height": 844})
    for path in STAFF_PAGES:
        page.goto(live_server.url + path)
        assert_no_violations(page)
        assert_fits_the_screen(page)


@pytest.mark.parametrize("language", ["el", "en"])
def test_report_page_has_no_wcag_violations(
    page: Page, live_server: Any, clerk: User, language: str
) -> None:
    from dimos.reports.demo import seed_categories
    from dimos.reports.models import Category, Status
    from dimos.reports.services import Location, change_status, submit_report

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
    from django.contrib.auth.models import Group

    from dimos.reports.demo import seed_categories
    from dimos.reports.models import Category, Status
    from dimos.reports.services import Location, change_status, submit_report

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
    from dimos.reports.demo import seed_categories

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
    from dimos.reports.demo import seed_categories
    from dimos.reports.models import Report

    seed()
    seed_categories()
    log_in_as(page.context, live_server, citizen)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/reports/new/pothole/")
    page.locator("#report-map").click(position={"x": 150, "y": 150})
    expect(page.locator("#id_lat")).not_to_have_value("")
    page.locator("#id_description").fill("Λακκούβα στη γωνία")
    page.get_by_role("button", name="Αποστολή αναφοράς").click()
    report = Report.objects.get()
    expect(page).to_have_url(live_server.url + f"/reports/{report.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Λακκούβα στη γωνία")
