"""The resident's journey and who may see what: every resident endpoint is owner-only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from dimos.certificates import services
from dimos.certificates.models import (
    Attachment,
    CertificateRequest,
    EventKind,
    Requester,
    Status,
)
from dimos.certificates.tests.conftest import PDF_BYTES, PNG_BYTES, make_request
from dimos.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _form(**extra: Any) -> dict[str, Any]:
    data = {
        "requester": "self",
        "holder_name": "Alice Resident",
        "holder_father_name": "Nikos",
        "holder_address": "Merarchias 12, Serres",
        "f_years": "12",
        "f_purpose": "school",
    }
    data.update(extra)
    return data


def test_start_page_lists_the_types_and_is_public(client: Client, residence: Any) -> None:
    client.cookies["dimos_language"] = "en"
    response = client.get(reverse("certificates:start"))
    assert response.status_code == 200
    assert "Certificate of permanent residence" in response.content.decode()


def test_the_form_needs_login_and_a_verified_identity(
    client: Client, citizen_client: Client, residence: Any
) -> None:
    url = reverse("certificates:new", args=[residence.code])
    assert client.get(url).status_code == 302
    response = citizen_client.get(url)  # the fixture's citizen has no verified identity
    assert response.status_code == 403
    assert citizen_client.get(reverse("certificates:new", args=["no-such-type"])).status_code == 404


def test_resident_submits_with_a_document_and_follows_the_request(
    resident_client: Client, resident: Any, residence: Any, django_capture_on_commit_callbacks: Any
) -> None:
    bill = SimpleUploadedFile("bill.pdf", PDF_BYTES, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = resident_client.post(
            reverse("certificates:new", args=[residence.code]), _form(doc_utility_bill=bill)
        )
    assert response.status_code == 302
    req = CertificateRequest.objects.get()
    assert req.applicant == resident and req.status == Status.NEW
    assert req.data == {"years": 12, "purpose": "school"}
    assert req.due_on is not None
    assert req.attachments.get().content_type == "application/pdf"
    page = resident_client.get(response["Location"])
    assert page.status_code == 200
    assert "Expected by" in page.content.decode()
    assert resident.notifications.filter(kind="certificates.received").exists()
    assert AuditEntry.objects.filter(action="certificate_request.submitted").exists()


def test_a_photo_of_a_document_is_kept_without_where_and_when_it_was_taken(
    resident_client: Client, residence: Any
) -> None:
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # the camera's maker; GPS tags go the same way
    Image.new("RGB", (60, 40), "white").save(photo, "JPEG", exif=exif)
    bill = SimpleUploadedFile("bill.jpg", photo.getvalue(), content_type="image/jpeg")
    response = resident_client.post(
        reverse("certificates:new", args=[residence.code]), _form(doc_utility_bill=bill)
    )
    assert response.status_code == 302
    attachment = CertificateRequest.objects.get().attachments.get()
    assert attachment.content_type == "image/jpeg"
    with attachment.file.open("rb") as kept:
        content = kept.read()
    assert b"PhoneMaker" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (60, 40) and not image.getexif()


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"MZ\x90\x00 executable", "cv.pdf"), (b"", "empty.pdf"), (b"<html>", "page.png")],
)
def test_uploads_are_checked_by_content(
    resident_client: Client, residence: Any, content: bytes, name: str
) -> None:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = resident_client.post(
        reverse("certificates:new", args=[residence.code]), _form(doc_utility_bill=upload)
    )
    assert response.status_code == 400
    assert not CertificateRequest.objects.exists()
    assert "not accepted" in response.content.decode() or "empty" in response.content.decode()


def test_uploads_over_the_size_limit_are_rejected(
    settings: Any, resident_client: Client, residence: Any
) -> None:
    settings.DIMOS_CERTIFICATES_UPLOAD_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 200)
    response = resident_client.post(
        reverse("certificates:new", args=[residence.code]), _form(doc_utility_bill=upload)
    )
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


@pytest.mark.parametrize(
    "bad",
    [
        {"holder_name": ""},
        {"f_years": "many"},
        {"f_years": "-4"},
        {"requester": "family"},  # not allowed for this type
        {"requester": "representative"},  # without an authorisation
        {"home_delivery": "on", "holder_birth_date": "1990-01-01"},
        {"holder_birth_date": "31/31/2020"},
    ],
)
def test_bad_input_is_a_form_error_not_a_500(
    resident_client: Client, residence: Any, bad: dict[str, str]
) -> None:
    response = resident_client.post(
        reverse("certificates:new", args=[residence.code]), _form(**bad)
    )
    assert response.status_code == 400
    assert not CertificateRequest.objects.exists()


def test_representative_with_authorisation_and_home_delivery_for_an_older_person(
    resident_client: Client, residence: Any
) -> None:
    authorisation = SimpleUploadedFile("auth.png", PNG_BYTES)
    response = resident_client.post(
        reverse("certificates:new", args=[residence.code]),
        _form(
            requester="representative",
            authorisation=authorisation,
            home_delivery="on",
            holder_birth_date="1940-05-01",
            contact_phone="+30 6900000001",
        ),
    )
    assert response.status_code == 302
    req = CertificateRequest.objects.get()
    assert req.requester == Requester.REPRESENTATIVE and req.home_delivery
    assert req.attachments.get().kind == "authorisation"


def test_answering_the_clerk_pauses_the_deadline(
    resident_client: Client, resident: Any, residence: Any, cert_clerk: Any
) -> None:
    req = make_request(residence, resident)
    services.ask_for_information(req=req, message="Send the lease.", actor=cert_clerk)
    detail = resident_client.get(reverse("certificates:detail", args=[req.pk]))
    assert "Send the lease." in detail.content.decode()
    lease = SimpleUploadedFile("lease.pdf", PDF_BYTES)
    response = resident_client.post(
        reverse("certificates:reply", args=[req.pk]), {"message": "Here", "document": lease}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.REVIEW and req.waiting_since is None
    assert req.events.filter(kind=EventKind.REPLY).exists()
    assert req.attachments.count() == 1


def test_an_empty_reply_is_refused(
    resident_client: Client, resident: Any, residence: Any, cert_clerk: Any
) -> None:
    req = make_request(residence, resident)
    services.ask_for_information(req=req, message="Send the lease.", actor=cert_clerk)
    response = resident_client.post(reverse("certificates:reply", args=[req.pk]), {"message": ""})
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.status == Status.WAITING


def test_residents_see_only_their_own_requests_and_documents(
    resident: Any,
    residence: Any,
    issuer: Any,
    other_client: Client,
    client: Client,
    municipality: Any,
) -> None:
    req = make_request(residence, resident)
    services._attach(
        req,
        "utility_bill",
        "Bill",
        services.CheckedUpload(PDF_BYTES, "application/pdf", ".pdf", "b.pdf"),
        resident,
    )
    attachment = Attachment.objects.get()
    document = services.issue(req=req, actor=issuer)
    urls = [
        reverse("certificates:detail", args=[req.pk]),
        reverse("certificates:attachment", args=[req.pk, attachment.pk]),
        reverse("certificates:download", args=[req.pk, document.code]),
    ]
    for url in urls:
        assert other_client.get(url).status_code == 404, url
        assert client.get(url).status_code == 302, url  # anonymous: to the login page
    assert (
        other_client.post(
            reverse("certificates:reply", args=[req.pk]), {"message": "x"}
        ).status_code
        == 404
    )
    mine = other_client.get(reverse("certificates:mine"))
    assert f"#{req.pk}" not in mine.content.decode()
    api = other_client.get(f"/api/v1/certificates/requests/{req.pk}")
    assert api.status_code == 404
    assert other_client.get("/api/v1/certificates/requests").json()["count"] == 0


def test_the_owner_downloads_the_pdf_and_the_download_is_audited(
    resident: Any, resident_client: Client, residence: Any, issuer: Any, municipality: Any
) -> None:
    req = make_request(residence, resident)
    document = services.issue(req=req, actor=issuer)
    response = resident_client.get(reverse("certificates:download", args=[req.pk, document.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action="certificate.downloaded", actor=resident).exists()
    wrong = resident_client.get(reverse("certificates:download", args=[req.pk, "WRONGCODE"]))
    assert wrong.status_code == 404


def test_my_account_panel_and_api_list_own_requests(
    resident: Any, resident_client: Client, residence: Any
) -> None:
    req = make_request(residence, resident)
    page = resident_client.get("/my/")
    assert f"#{req.pk}" in page.content.decode()
    data = resident_client.get("/api/v1/certificates/requests").json()
    assert data["count"] == 1 and data["items"][0]["id"] == req.pk
    detail = resident_client.get(f"/api/v1/certificates/requests/{req.pk}").json()
    assert detail["certificate_type"] == "permanent-residence"
    assert detail["events"][0]["status"] == "new"
    assert Client().get("/api/v1/certificates/requests").status_code == 401
