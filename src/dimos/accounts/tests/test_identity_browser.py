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
