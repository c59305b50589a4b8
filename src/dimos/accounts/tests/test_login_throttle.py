"""Failed logins lock out the attacker's address, not the owner (issue 9, item 19; ADR 0015)."""

from django.test import Client
from django.urls import reverse

RIGHT = "correct-horse-battery-9"


def _login(client, email, password, ip):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(citizen):
    attacker = Client()
    for _ in range(8):
        _login(attacker, citizen.email, "wrong", "203.0.113.9")
    # The attacker's address is locked out of the account, even with the right password…
    refused = _login(attacker, citizen.email, RIGHT, "203.0.113.9")
    assert refused.status_code == 200 and "_auth_user_id" not in attacker.session
    # …but the owner, from their own address, logs in.
    owner = Client()
    response = _login(owner, citizen.email, RIGHT, "198.51.100.7")
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(citizen.pk)


def test_guessing_from_many_addresses_meets_the_account_limit(citizen, settings):
    settings.DIMOS_RATE_LOGIN_FAILED_ACCOUNT = "6/h/key"
    for n in range(6):
        _login(Client(), citizen.email, "wrong", f"203.0.113.{n + 1}")
    fresh = Client()
    response = _login(fresh, citizen.email, "another-wrong", "203.0.113.200")
    assert response.status_code == 200
    assert "_auth_user_id" not in fresh.session
    assert "govgr-error-summary" in response.content.decode()


def test_right_passwords_do_not_count_against_the_account_limit(citizen, settings):
    settings.DIMOS_RATE_LOGIN_FAILED_ACCOUNT = "2/h/key"
    for n in range(4):
        client = Client()
        assert _login(client, citizen.email, RIGHT, f"198.51.100.{n + 1}").status_code == 302


def test_counters_are_kept_in_the_default_cache(citizen, settings):
    from django.core.cache import cache

    settings.DIMOS_RATE_LOGIN_FAILED_ACCOUNT = "1/h/key"
    _login(Client(), citizen.email, "wrong", "203.0.113.9")
    locked = Client()
    assert _login(locked, citizen.email, RIGHT, "198.51.100.7").status_code == 200
    # Shared by every process when CACHE_URL points at Redis or the database: the counters
    # are there and nowhere else, so emptying that cache lifts the lock.
    cache.clear()
    assert _login(locked, citizen.email, RIGHT, "198.51.100.7").status_code == 302
