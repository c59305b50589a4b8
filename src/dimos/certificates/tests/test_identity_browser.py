"""A resident who signed up by email asks for a certificate, in a real browser: the page
explains every way to get a verified identity, with the municipality's contacts."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dimos.accounts.models import User
from dimos.certificates.demo import seed_types
from dimos.testing.browser import click_visible, log_in_as, look
from dimos.testing.data import seed
from dimos.testing.eid import EID_APP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "identity"


def test_an_email_account_is_shown_every_way_to_get_verified(
    page: Page, live_server: Any, citizen: User, settings: Any
) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [EID_APP]}}
    settings.DIMOS_OIDC_VERIFIED_PROVIDERS = ["eid"]
    seed()
    seed_types()
    log_in_as(page.context, live_server, citizen)
    page.goto(live_server.url + "/certificates/")
    click_visible(page.get_by_role("link", name="Πιστοποιητικό οικογενειακής κατάστασης"))
    expect(page.get_by_role("heading", name="Πώς αποκτάτε επαληθευμένη ταυτότητα")).to_be_visible()
    expect(page.get_by_role("link", name="Σύνδεση μέσω gov.gr")).to_be_visible()
    call = page.get_by_role("link", name="+30 23213 50100").first
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:+302321350100")
    expect(page.get_by_role("link", name="info@serres.gr").first).to_be_visible()
    look(page, JOURNEY, "01-certificate-needs-identity")
    click_visible(page.get_by_role("link", name="Κλείστε ραντεβού σε ΚΕΠ"))
    expect(page).to_have_url(live_server.url + "/appointments/")
