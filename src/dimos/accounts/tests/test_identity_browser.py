"""The login page offers the national eID where a gateway is configured, in a real browser.

A resident's certificate page that explains the ways to get verified is in
``certificates/tests/test_identity_browser.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from dimos.testing.browser import click_visible, look, use_language
from dimos.testing.data import seed
from dimos.testing.eid import EID_APP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "identity"


def test_the_login_page_offers_the_eid_when_configured(
    new_context: Callable[..., BrowserContext], live_server: Any, settings: Any
) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [EID_APP]}}
    settings.DIMOS_OIDC_VERIFIED_PROVIDERS = ["eid"]
    seed()
    context = new_context()
    use_language(context, live_server, "en")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    button = page.get_by_role("link", name="Log in with gov.gr")
    expect(button).to_be_visible()
    look(page, JOURNEY, "02-login-with-eid")
    click_visible(button)
    # allauth asks before leaving for the gateway (no login on a bare GET).
    expect(page.get_by_role("button", name="Continue")).to_be_visible()


def test_a_desk_clerk_confirms_a_residents_identity(
    new_context: Callable[..., BrowserContext], live_server: Any
) -> None:
    from dimos.accounts.models import User
    from dimos.testing.browser import check_visible, fill_visible, log_in_as
    from dimos.testing.personas import staff

    seed()
    resident = User.objects.create_user(
        email="eleni@example.org",
        password="x-long-password-1",
        first_name="Ελένη",
        last_name="Παππά",
    )
    clerk = staff("desk@example.org", "identity_checker")
    context = new_context()
    use_language(context, live_server, "en")
    log_in_as(context, live_server, clerk)
    page = context.new_page()
    page.goto(live_server.url + "/staff/")
    click_visible(page.get_by_role("link", name="Confirm a resident's identity"))
    fill_visible(page.get_by_label("The person's email address"), "eleni@example.org")
    look(page, "identity-at-the-desk", "01-find")
    click_visible(page.get_by_role("button", name="Find the account"))
    expect(page.get_by_text("eleni@example.org")).to_be_visible()
    check_visible(page.get_by_label("police identity card"))
    fill_visible(page.get_by_label("Last four characters of its number"), "4321")
    check_visible(page.get_by_label("I compared the photo and the names on the document"))
    look(page, "identity-at-the-desk", "02-confirm")
    click_visible(page.get_by_role("button", name="Confirm the identity"))
    expect(page.get_by_text("The identity of Ελένη Παππά is confirmed.")).to_be_visible()
    look(page, "identity-at-the-desk", "03-confirmed")
    resident.refresh_from_db()
    assert resident.identity_verified
