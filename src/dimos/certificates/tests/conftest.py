"""Fixtures of the certificates tests: private files in a temporary folder, types, people."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from dimos.accounts.models import User
from dimos.testing.personas import login, staff


@pytest.fixture(scope="session")
def demo_pem() -> bytes:
    """One demo key for the run: generating a 2048-bit key for every test would be slow."""
    from dimos.certificates.signing import generate_demo_pem

    return generate_demo_pem()


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Any, demo_pem: bytes) -> None:
    """Private files (and the demo key in them) in a folder of each test's own."""
    from dimos.certificates.signing import DEMO_NAME

    settings.DIMOS_PRIVATE_DIR = tmp_path / "private"
    key = settings.DIMOS_PRIVATE_DIR / DEMO_NAME
    key.parent.mkdir(parents=True)
    key.write_bytes(demo_pem)


@pytest.fixture
def types(db: Any) -> dict[str, Any]:
    from dimos.certificates.demo import seed_types

    return {t.code: t for t in seed_types()}


@pytest.fixture
def residence(types: dict[str, Any]) -> Any:
    return types["permanent-residence"]


@pytest.fixture
def resident(citizen: User) -> User:
    citizen.identity_verified = True
    citizen.preferred_language = "en"
    citizen.save()
    return citizen


@pytest.fixture
def resident_client(resident: User) -> Client:
    client = login(resident)
    client.cookies["dimos_language"] = "en"
    return client


@pytest.fixture
def other_client(other_citizen: User) -> Client:
    other_citizen.identity_verified = True
    other_citizen.save()
    return login(other_citizen)


@pytest.fixture
def cert_clerk(db: Any) -> User:
    return staff("certclerk@example.org", "certificates_clerk")


@pytest.fixture
def issuer(db: Any) -> User:
    return staff("issuer@example.org", "certificates_issuer", "delivery_staff")


@pytest.fixture
def clerk_c(cert_clerk: User) -> Client:
    client = login(cert_clerk)
    client.cookies["dimos_language"] = "en"
    return client


@pytest.fixture
def issuer_client(issuer: User) -> Client:
    client = login(issuer)
    client.cookies["dimos_language"] = "en"
    return client


@pytest.fixture
def municipality_(municipality: Any) -> Any:
    return municipality


def make_request(ctype: Any, applicant: User | None, **extra: Any) -> Any:
    from dimos.certificates import services

    kwargs: dict[str, Any] = {
        "holder_name": "Alice Resident",
        "holder_father_name": "Nikos",
        "holder_address": "Merarchias 12, Serres",
        "data": {"years": 12},
    }
    kwargs.update(extra)
    return services.submit_request(certificate_type=ctype, applicant=applicant, **kwargs)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, "PNG")
    return out.getvalue()


# A real picture: a photo of a paper is read and re-encoded, so a PNG signature alone is refused.
PNG_BYTES = _png()
