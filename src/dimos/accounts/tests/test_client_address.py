"""The client's address behind reverse proxies (DIMOS_TRUSTED_PROXIES).

Rate limits (allauth's logins, the API's throttles, core.ratelimit) and the audit log must all
read the same address, and only from X-Forwarded-For entries that a trusted proxy wrote.
"""

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from dimos.accounts.adapters import AccountAdapter
from dimos.core.audit import client_ip

SPOOFED = "198.51.100.66"  # what a client writes in its own X-Forwarded-For
CLIENT = "203.0.113.7"  # what the proxy appends: the address it saw
PROXY = "10.0.0.5"


def _request(xff: str | None):
    extra = {"REMOTE_ADDR": PROXY}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().post("/accounts/login/", **extra)


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        (0, f"{SPOOFED}, {CLIENT}", PROXY),  # no proxy: the header is the client's own
        (1, f"{SPOOFED}, {CLIENT}", CLIENT),  # the rightmost entry, written by our proxy
        (1, None, PROXY),  # a request that did not come through the proxy
        (2, CLIENT, PROXY),  # fewer entries than proxies: not trusted
        (1, f"{CLIENT}, not-an-address", PROXY),  # garbage never reaches the audit log
        (1, f"{CLIENT}, 2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, proxies, xff, expected):
    settings.DIMOS_TRUSTED_PROXIES = proxies
    request = _request(xff)
    assert client_ip(request) == expected
    assert AccountAdapter(request).get_client_ip(request) == expected


@pytest.mark.django_db
@override_settings(DIMOS_TRUSTED_PROXIES=2, ALLAUTH_TRUSTED_PROXY_COUNT=2)
def test_a_short_forwarded_header_does_not_break_the_login(client, citizen):
    response = client.post(
        reverse("account_login"),
        {"login": citizen.email, "password": "wrong password"},
        HTTP_X_FORWARDED_FOR=CLIENT,
        REMOTE_ADDR=PROXY,
    )
    assert response.status_code == 200


@pytest.mark.django_db
@override_settings(
    DIMOS_TRUSTED_PROXIES=1,
    ACCOUNT_RATE_LIMITS={"login_failed": "2/m/ip"},
)
def test_failed_login_limit_counts_each_client_behind_the_proxy(client, citizen):
    def attempt(address: str):
        return client.post(
            reverse("account_login"),
            {"login": citizen.email, "password": "wrong password"},
            HTTP_X_FORWARDED_FOR=f"{SPOOFED}, {address}",
            HTTP_ACCEPT_LANGUAGE="en",
            REMOTE_ADDR=PROXY,
        ).content.decode()

    throttled = "Too many failed login attempts"
    assert throttled not in attempt(CLIENT)
    assert throttled not in attempt(CLIENT)
    assert throttled in attempt(CLIENT)
    # Another visitor behind the same proxy is not locked out with them.
    assert throttled not in attempt("203.0.113.8")


def test_every_reader_of_the_address_follows_the_setting():
    """In a process started with DIMOS_TRUSTED_PROXIES=1, as the settings wire it."""
    code = (
        "from django.test import RequestFactory as F;"
        "from dimos.accounts.adapters import AccountAdapter as A;"
        "from dimos.core.audit import client_ip;"
        "from ninja.throttling import AnonRateThrottle as T;"
        f"r = F().get('/', REMOTE_ADDR='{PROXY}', HTTP_X_FORWARDED_FOR='{SPOOFED}, {CLIENT}');"
        "print(client_ip(r), A(r).get_client_ip(r), T('1/s').get_ident(r))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIMOS_")}
    env.update({"DIMOS_TRUSTED_PROXIES": "1", "DJANGO_SETTINGS_MODULE": "dimos.settings"})
    result = subprocess.run(
        [sys.executable, "-m", "dimos.cli", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [CLIENT, CLIENT, CLIENT]
