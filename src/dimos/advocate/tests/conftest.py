"""Fixtures of the Advocate's tests: services, the office, a liaison, complaints."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dimos.accounts.models import User
from dimos.testing.personas import login, staff

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Any) -> None:
    settings.DIMOS_PRIVATE_DIR = tmp_path / "private"


@pytest.fixture(autouse=True)
def _english() -> Any:
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def office(db: Any) -> User:
    return staff("office@example.org", "advocate_office")


@pytest.fixture
def liaison(db: Any) -> User:
    return staff("liaison@example.org", "advocate_liaison")


@pytest.fixture
def other_liaison(db: Any) -> User:
    return staff("other.liaison@example.org", "advocate_liaison")


@pytest.fixture
def head(db: Any) -> User:
    return staff("head@example.org")


@pytest.fixture
def bodies(db: Any, liaison: User, other_liaison: User, head: User) -> dict[str, Any]:
    from dimos.advocate.models import Body

    planning = Body.objects.create(
        code="planning", name_el="Διεύθυνση Πολεοδομίας", name_en="Urban Planning", head=head
    )
    planning.liaisons.add(liaison)
    water = Body.objects.create(code="water", name_el="ΔΕΥΑ", name_en="Water", kind="entity")
    water.liaisons.add(other_liaison)
    return {"planning": planning, "water": water}


def pdf_file(name: str = "request.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def file_complaint(
    bodies: dict[str, Any], *, user: Any = None, email: str | None = None, **changes: Any
) -> Any:
    from dimos.advocate import services

    person = {
        "kind": "business",
        "name": "Ελένη Μαυρίδου",
        "email": email if email is not None else ("" if user else "eleni@example.org"),
        "phone": "6944123456",
        "business_name": "Καφέ Ροτόντα Ο.Ε.",
        "tax_number": "094014201",
        "language": "en",
        "share_identity": False,
    }
    person.update({k: v for k, v in changes.items() if k in person})
    details = {
        "body": bodies["planning"],
        "category": "no_answer",
        "description": "I asked for a land-use certificate in March and got no answer.",
        "request": "Issue the certificate or tell me what is missing.",
        "earlier_protocol": "1432/2026",
    }
    details.update({k: v for k, v in changes.items() if k in details or k == "attachments"})
    return services.submit_complaint(
        person=services.Complainant(**person),
        details=services.Details(**details),
        user=user,
    ).complaint


@pytest.fixture
def complaint(bodies: dict[str, Any], citizen: User) -> Any:
    return file_complaint(bodies, user=citizen)


@pytest.fixture
def admitted(complaint: Any, office: User) -> Any:
    from dimos.advocate import services

    return services.admit(complaint=complaint, actor=office)


@pytest.fixture
def office_client(office: User) -> Client:
    client = login(office)
    client.cookies["dimos_language"] = "en"
    return client


@pytest.fixture
def liaison_client(liaison: User) -> Client:
    client = login(liaison)
    client.cookies["dimos_language"] = "en"
    return client
