"""Production signs with the municipality's own key: without one Dimos does not start."""

from __future__ import annotations

from pathlib import Path

import pytest

from dimos.testing.processes import STRONG_KEY, run_dimos, signing_p12

PRODUCTION = {
    "DIMOS_ENV": "production",
    "DIMOS_VAR_DIR": "/tmp/dimos-sec-test",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "x.org",
    "EMAIL_URL": "smtp://mail.example.org",
}


def test_production_refuses_to_start_without_a_signing_key() -> None:
    result = run_dimos({**PRODUCTION, "DIMOS_SIGNING_PKCS12": ""}, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DIMOS_SIGNING_PKCS12 must be set in production" in result.stderr


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"DIMOS_SIGNING_PKCS12_PASSWORD": "wrong"}, "wrong DIMOS_SIGNING_PKCS12_PASSWORD"),
        ({"DIMOS_SIGNING_PKCS12": "/nonexistent/signing.p12"}, "cannot be read"),
    ],
)
def test_a_signing_key_that_does_not_open_stops_start_up(env: dict[str, str], problem: str) -> None:
    result = run_dimos({**PRODUCTION, **env}, "check")
    assert result.returncode != 0
    assert "dimos.E020" in result.stderr
    assert problem in result.stderr


def test_production_starts_with_a_signing_key_that_opens() -> None:
    result = run_dimos(PRODUCTION, "check")
    assert result.returncode == 0, result.stderr
    assert Path(signing_p12()).is_file()


def test_development_starts_without_a_signing_key(tmp_path: Path) -> None:
    result = run_dimos({"DIMOS_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode == 0, result.stderr
