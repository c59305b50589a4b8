"""A resident who signed up by email learns every way to get a verified identity; the national
eID is offered (and promised) only where a gateway is configured."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount, SocialLogin
from allauth.socialaccount.signals import social_account_added
from django.test import Client
from django.urls import reverse

from dimos.accounts.models import User
from dimos.testing.eid import EID_APP


def _greek(client: Client, url: str) -> str:
    client.cookies["dimos_language"] = "el"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("name", ["account_login", "account_signup"])
def test_login_and_signup_show_the_eid_button_when_a_gateway_is_configured(
    client: Client, db: Any, eid: None, name: str
) -> None:
    page = _greek(client, reverse(name))
    assert "Σύνδεση μέσω gov.gr" in page
    assert reverse("openid_connect_login", args=["eid"]) in page


@pytest.mark.parametrize("name", ["account_login", "account_signup"])
def test_login_and_signup_promise_no_eid_without_a_gateway(
    client: Client, db: Any, name: str
) -> None:
    page = _greek(client, reverse(name))
    assert "gov.gr" not in page and "TaxisNet" not in page


def test_the_catalogue_promises_the_eid_only_when_configured(db: Any, settings: Any) -> None:
    from django.utils import translation

    from dimos.core.registry import registry

    entry = registry.catalogue["account"]
    with translation.override("en"):
        assert "eID" not in str(entry.summary)
        settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [EID_APP]}}
        settings.DIMOS_OIDC_VERIFIED_PROVIDERS = ["eid"]
        assert "national eID (gov.gr)" in str(entry.summary)


def test_without_a_gateway_the_page_offers_no_eid_but_the_other_ways(
    citizen_client: Client, municipality: Any
) -> None:
    citizen_client.cookies["dimos_language"] = "en"
    response = citizen_client.get(reverse("accounts:identity"))
    page = response.content.decode()
    assert "gov.gr" not in page
    assert "At a citizen service centre (KEP), with your identity card" in page
    assert "By phone, and we call you back" in page


def test_the_profile_links_to_the_ways_to_get_verified(citizen_client: Client) -> None:
    page = _greek(citizen_client, reverse("accounts:profile"))
    assert reverse("accounts:identity") in page


def test_linking_the_eid_to_an_email_account_verifies_the_identity(
    citizen: User, rf: Any, eid: None
) -> None:
    account = SocialAccount(provider="eid", uid="GR-9", user=citizen)
    account.save()
    sociallogin = SocialLogin(user=citizen, account=account)
    request = rf.get("/")
    request.user = citizen
    social_account_added.send(sender=SocialLogin, request=request, sociallogin=sociallogin)
    citizen.refresh_from_db()
    assert citizen.identity_verified and citizen.identity_provider == "eid"
