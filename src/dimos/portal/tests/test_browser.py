"""Real-browser tests: the resident journey, keyboard and no-JavaScript use, and axe-core.

They drive Debian's headless Chromium through the ``browser``/``page`` fixtures of
``dimos.testing`` against pytest-django's ``live_server``. The server runs in a thread
of this process, so it shares the test database (hence transactional tests) and the locmem
email outbox.
"""

from __future__ import annotations

import json
import re
import zipfile
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from dimos.accounts.models import User
from dimos.testing.browser import (
    FACTORY_PASSWORD,
    assert_fits_the_screen,
    assert_no_violations,
    assert_pages_accessible,
    check_visible,
    click_visible,
    fill_visible,
    header_button,
    header_link,
    log_in_as,
    look,
    use_language,
)
from dimos.testing.data import seed, seed_staff_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


# --- The resident's journey -----------------------------------------------------------------


def test_resident_signs_up_verifies_edits_profile_switches_language_and_downloads_data(
    page: Page, live_server: Any
) -> None:
    seed()
    url = live_server.url
    password = "Kalimera-Serres-2025"
    journey = "resident-account"

    # Sign up, in Greek (the default language).
    page.goto(url + "/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "el")
    look(page, journey, "1-sign-up")
    fill_visible(page.locator("#id_email"), "maria@example.org")
    fill_visible(page.locator("#id_first_name"), "Μαρία")
    fill_visible(page.locator("#id_last_name"), "Παπαδοπούλου")
    fill_visible(page.locator("#id_password1"), password)
    fill_visible(page.locator("#id_password2"), password)
    click_visible(page.locator("main form button[type=submit]"))
    expect(page).to_have_url(url + "/accounts/confirm-email/")
    look(page, journey, "2-check-your-email")

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
    look(page, journey, "3-confirm-email")
    click_visible(page.locator("main form button[type=submit]"))

    # Confirming logs the resident in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION).
    expect(page).to_have_url(url + "/my/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Μαρία Παπαδοπούλου")
    assert User.objects.get(email="maria@example.org").emailaddress_set.get().verified
    look(page, journey, "4-my-account")

    # Log out with the header button, then log in again with the password.
    click_visible(page.locator("header form[action='/accounts/logout/'] button"))
    expect(page).to_have_url(url + "/")
    expect(page.get_by_role("banner").locator("a[href='/accounts/login/']")).to_be_visible()
    page.goto(url + "/accounts/login/")
    fill_visible(page.locator("#id_login"), "maria@example.org")
    fill_visible(page.locator("#id_password"), password)
    click_visible(page.locator("main form button[type=submit]"))
    expect(page).to_have_url(url + "/my/")

    # Edit the profile: phone, address, SMS notifications.
    page.goto(url + "/my/profile/")
    fill_visible(page.locator("#id_phone"), "+30 6912345678")
    fill_visible(page.locator("#id_address"), "Μεραρχίας 10, Σέρρες")
    check_visible(page.locator("#id_notify_sms"))
    click_visible(page.locator("main form[method=post] button[type=submit]"))
    expect(page).to_have_url(url + "/my/profile/")
    expect(page.locator(".govgr-notification-banner--success")).to_be_visible()
    expect(page.locator("#id_phone")).to_have_value("+30 6912345678")
    expect(page.locator("#id_notify_sms")).to_be_checked()
    look(page, journey, "5-profile-saved")

    # Switch to English with the header's language link.
    click_visible(header_link(page, "English"))
    expect(page).to_have_url(url + "/my/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(header_button(page, "Log out")).to_be_visible()
    expect(header_link(page, "Ελληνικά")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Profile and notifications")
    look(page, journey, "6-profile-in-english")

    # Download "my data": a ZIP with data.json.
    page.goto(url + "/my/privacy/")
    look(page, journey, "7-privacy")
    with page.expect_download() as download_info:
        click_visible(page.get_by_role("button", name="Download my data"))
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.path()) as archive:
        data = json.loads(archive.read("data.json"))
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


def test_resident_logs_in_and_switches_language_without_javascript(
    no_js_page: Page, live_server: Any, citizen: User
) -> None:
    page = no_js_page
    seed()
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "el")
    fill_visible(page.locator("#id_login"), citizen.email)
    fill_visible(page.locator("#id_password"), FACTORY_PASSWORD)
    look(page, "login-without-javascript", "01-login")
    click_visible(page.locator("main form button[type=submit]"))
    expect(page).to_have_url(live_server.url + "/my/")
    expect(page.get_by_role("main")).to_contain_text("Alice Resident")
    look(page, "login-without-javascript", "02-my-account")

    click_visible(header_link(page, "English"))
    expect(page).to_have_url(live_server.url + "/my/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("My account")
    click_visible(header_link(page, "Ελληνικά"))
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
    click_visible(page.get_by_role("contentinfo").locator("a[href^='/accessibility/settings/']"))
    main = page.get_by_role("main")
    for option in ("dimos-large-text", "dimos-high-contrast", "dimos-dyslexia"):
        check_visible(main.locator(f"input[value={option}]"))
    click_visible(main.locator("button[type=submit]"))
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
    fill_visible(page.locator("#id_login"), citizen.email)
    fill_visible(page.locator("#id_password"), "not-the-password")
    click_visible(page.locator("main form button[type=submit]"))
    expect(page.locator(".govgr-error-summary")).to_be_visible()
    assert_no_violations(page)
    # An empty sign-up: an error on every field.
    page.goto(url + "/accounts/signup/")
    click_visible(page.locator("main form button[type=submit]"))
    expect(page.locator("#id_email_error")).to_be_visible()
    assert_no_violations(page)
    # A profile with a bad phone number.
    log_in_as(page.context, live_server, citizen)
    page.goto(url + "/my/profile/")
    fill_visible(page.locator("#id_phone"), "call me")
    click_visible(page.locator("main form[method=post] button[type=submit]"))
    expect(page.locator("#id_phone")).to_have_attribute("aria-invalid", "true")
    assert_no_violations(page)


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
