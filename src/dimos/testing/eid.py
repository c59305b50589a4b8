"""A national-eID gateway (OpenID Connect) configured for a test, as the OIDC_* settings do.

``EID_APP`` is the provider; the ``eid`` fixture (loaded by the root conftest) configures it.
"""

from __future__ import annotations

from typing import Any

import pytest

EID_APP = {
    "provider_id": "eid",
    "name": "gov.gr",
    "client_id": "dimos-test",
    "secret": "s3cret",
    "settings": {"server_url": "https://eid.example.org", "oauth_pkce_enabled": True},
}


@pytest.fixture
def eid(settings: Any) -> None:
    """A national-eID gateway, configured as the OIDC_* settings do."""
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [EID_APP]}}
    settings.DIMOS_OIDC_VERIFIED_PROVIDERS = ["eid"]
