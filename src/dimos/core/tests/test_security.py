"""Security defaults: CSRF, CSP with nonces, cookies, headers, production refusals."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from dimos.testing.processes import STRONG_KEY, run_dimos


def test_csrf_is_enforced_on_forms(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post(reverse("accounts:profile"), {"first_name": "Eve"})
    assert response.status_code == 403
    citizen.refresh_from_db()
    assert citizen.first_name != "Eve"


def test_csp_header_has_a_nonce_used_by_every_script(client, municipality):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "script-src 'self' 'nonce-" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_nonce_changes_per_request(client, municipality):
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]
    assert first != second


def test_security_headers(client, db):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite(client, citizen):
    response = client.post(
        reverse("account_login"), {"login": citizen.email, "password": "correct-horse-battery-9"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_production_sets_secure_cookies_and_hsts():
    result = run_dimos(
        {
            "DIMOS_ENV": "production",
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "dimos.example.org",
            "EMAIL_URL": "smtp://mail.example.org",
            "DIMOS_VAR_DIR": "/tmp/dimos-sec-test",
        },
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "True", "True"]


def test_production_passes_check_deploy_without_warnings():
    result = run_dimos(
        {
            "DIMOS_ENV": "production",
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "dimos.example.org",
            "EMAIL_URL": "smtp://mail.example.org",
            "DIMOS_VAR_DIR": "/tmp/dimos-sec-test",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "x.org"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "x.org"}, "too short"),
        ({"SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS must be set"),
        ({"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "x.org", "DIMOS_DEBUG": "1"}, "DEBUG"),
        (
            {"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "x.org", "EMAIL_URL": "smpt://mail.x.org"},
            "EMAIL_URL must start with one of",
        ),
    ],
)
def test_production_refuses_insecure_defaults(env, message):
    result = run_dimos(
        {
            "DIMOS_ENV": "production",
            "DIMOS_VAR_DIR": "/tmp/dimos-sec-test",
            "EMAIL_URL": "smtp://mail.example.org",
            **env,
        },
        "check",
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_production_without_email_url_refuses_to_start():
    env = {
        "DIMOS_ENV": "production",
        "DIMOS_VAR_DIR": "/tmp/dimos-sec-test",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "x.org",
    }
    result = run_dimos(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: EMAIL_URL must be set in production" in result.stderr


def test_production_with_console_email_starts_but_warns():
    result = run_dimos(
        {
            "DIMOS_ENV": "production",
            "DIMOS_VAR_DIR": "/tmp/dimos-sec-test",
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "x.org",
            "EMAIL_URL": "console://",
        },
        "check",
    )
    assert result.returncode == 0, result.stderr
    assert "dimos.W002" in result.stderr + result.stdout


def test_audit_log_page_needs_the_auditor_role(clerk_client, admin_client_):
    assert clerk_client.get(reverse("core:audit_log")).status_code == 403
    assert admin_client_.get(reverse("core:audit_log")).status_code == 200


def test_viewing_the_audit_log_is_itself_audited(admin_client_, admin_user):
    from dimos.core.models import AuditEntry

    admin_client_.get(reverse("core:audit_log"), {"action": "account."})
    assert AuditEntry.objects.filter(action="audit.viewed", actor=admin_user).exists()


def test_audit_log_filters_reject_bad_dates(admin_client_):
    response = admin_client_.get(
        reverse("core:audit_log"), {"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "govgr-error-message" in response.content.decode()


def test_failed_deliveries_can_be_retried_by_operators(
    admin_client_, citizen, django_capture_on_commit_callbacks
):
    from dimos.core.models import Delivery
    from dimos.core.notifications import notify

    n = notify(kind="accounts.welcome", recipient=citizen)
    delivery = n.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, attempts=5)
    page = admin_client_.get(reverse("core:deliveries"))
    assert citizen.email in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(reverse("core:retry_delivery", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


def test_health_endpoints(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ok" and ready["checks"]["database"] == "ok"


def test_health_answers_any_host(client, db):
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200


def test_the_default_cache_is_shared_on_disk_and_unknown_caches_refused(tmp_path):
    shown = run_dimos(
        {"DIMOS_VAR_DIR": str(tmp_path)},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "dimos.core.cachebackends.DiskCache"
    assert oct((tmp_path / "cache").stat().st_mode & 0o777) == "0o700"
    refused = run_dimos(
        {"DIMOS_VAR_DIR": str(tmp_path), "CACHE_URL": "memcached://x:11211"}, "check"
    )
    assert refused.returncode != 0
    assert "CACHE_URL must start with" in refused.stderr
