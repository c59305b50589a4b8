"""Four eyes on issuance and the identity evidence of requests filed for someone (issue 9,
item 6; ADR 0019): no one member of staff can both vouch for a request and sign it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dimos.accounts.models import User
from dimos.certificates import services
from dimos.certificates.models import (
    CertificateRequest,
    IdentityCheck,
    IdentityDocument,
    IssuedDocument,
    Status,
)
from dimos.certificates.tests.conftest import make_request
from dimos.core.models import AuditEntry
from dimos.testing.personas import login, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_issuer(db: Any) -> User:
    return staff("second-issuer@example.org", "certificates_issuer")


def _en(user: User) -> Client:
    client = login(user)
    client.cookies["dimos_language"] = "en"
    return client


def _phone_form(residence: Any, **extra: str) -> dict[str, str]:
    data = {
        "type": residence.code,
        "requester": "self",
        "holder_name": "Kostas Georgiou",
        "holder_father_name": "Ioannis",
        "holder_address": "Ethnikis Antistaseos 5",
        "f_years": "60",
        "identity_check": IdentityCheck.CALLBACK,
        "identity_notes": "Called back on the registry number",
        "identity_document": IdentityDocument.ID_CARD,
        "identity_document_digits": "4821",
    }
    data.update(extra)
    return data


def _phone_url(residence: Any) -> str:
    return f"{reverse('certificates_staff:phone')}?type={residence.code}"


def test_the_clerk_who_filed_for_a_caller_cannot_issue_it(
    issuer: User, second_issuer: User, residence: Any, municipality: Any
) -> None:
    client = _en(issuer)
    assert client.post(_phone_url(residence), _phone_form(residence)).status_code == 302
    req = CertificateRequest.objects.get()
    assert req.filed_by == issuer
    page = client.get(reverse("certificates_staff:detail", args=[req.pk])).content.decode()
    assert "You filed this request on the person&#x27;s behalf" in page
    assert "Issue the signed certificate" not in page
    issue_url = reverse("certificates_staff:act", args=[req.pk, "issue"])
    refused = client.post(issue_url, {"language": "el"}, follow=True)
    assert "another member of staff must issue it" in refused.content.decode()
    with pytest.raises(services.CertificateError, match="on the person's behalf"):
        services.issue(req=req, actor=issuer)
    assert not IssuedDocument.objects.exists()
    assert _en(second_issuer).post(issue_url, {"language": "el"}).status_code == 302
    req.refresh_from_db()
    assert req.status == Status.ISSUED
    assert IssuedDocument.objects.get().issued_by == second_issuer


def test_the_approver_cannot_issue_it(
    issuer: User, second_issuer: User, residence: Any, resident: User, municipality: Any
) -> None:
    req = make_request(residence, resident)
    services.approve(req=req, actor=issuer)
    page = _en(issuer).get(reverse("certificates_staff:detail", args=[req.pk])).content.decode()
    assert "You approved this request: another member of staff must issue it." in page
    assert "Issue the signed certificate" not in page
    with pytest.raises(services.CertificateError, match="You approved"):
        services.issue(req=req, actor=issuer)
    other = _en(second_issuer).get(reverse("certificates_staff:detail", args=[req.pk]))
    assert "Issue the signed certificate" in other.content.decode()
    document = services.issue(req=req, actor=second_issuer)
    # Nor may the approver re-issue it later.
    with pytest.raises(services.CertificateError, match="You approved"):
        services.issue(req=req, actor=issuer)
    assert document.issued_by == second_issuer


def test_staff_need_a_verified_identity_for_the_residents_form_and_never_issue_their_own(
    issuer: User, second_issuer: User, residence: Any, municipality: Any
) -> None:
    url = reverse("certificates:new", args=[residence.code])
    assert _en(issuer).get(url).status_code == 403  # no eID: the back office's form instead
    with pytest.raises(services.CertificateError, match="verified identity"):
        make_request(residence, issuer)
    issuer.identity_verified = True
    issuer.save(update_fields=["identity_verified"])
    own = make_request(residence, issuer, holder_name="Someone Else")
    with pytest.raises(services.CertificateError, match="your own request"):
        services.issue(req=own, actor=issuer)
    assert services.issue(req=own, actor=second_issuer).issued_by == second_issuer


def test_filing_for_someone_requires_the_identity_document_checked(
    cert_clerk: User, residence: Any
) -> None:
    client = _en(cert_clerk)
    url = _phone_url(residence)
    missing = client.post(
        url, _phone_form(residence, identity_document="", identity_document_digits="")
    )
    assert missing.status_code == 400
    body = missing.content.decode()
    assert "Choose the identity document you checked." in body
    assert "Give the last four digits of the document&#x27;s number." in body
    for bad in ("48211", "48a1", "482"):
        response = client.post(url, _phone_form(residence, identity_document_digits=bad))
        assert response.status_code == 400, bad
    assert not CertificateRequest.objects.exists()
    with pytest.raises(services.CertificateError, match="identity document"):
        services.submit_request(
            certificate_type=residence,
            applicant=None,
            holder_name="X",
            identity_check=IdentityCheck.CALLBACK,
            filed_by=cert_clerk,
        )
    with pytest.raises(services.CertificateError, match="how the person"):
        services.submit_request(
            certificate_type=residence,
            applicant=None,
            holder_name="X",
            identity_document=IdentityDocument.PASSPORT,
            identity_document_digits="1234",
            filed_by=cert_clerk,
        )


def test_the_identity_evidence_shows_on_the_request_and_in_the_audit_log(
    cert_clerk: User, admin_user: User, residence: Any
) -> None:
    client = _en(cert_clerk)
    response = client.post(
        _phone_url(residence),
        _phone_form(residence, identity_document=IdentityDocument.RESIDENCE_PERMIT),
    )
    assert response.status_code == 302
    req = CertificateRequest.objects.get()
    assert req.identity_document == IdentityDocument.RESIDENCE_PERMIT
    assert req.identity_document_digits == "4821"
    assert req.identity_checked_by == cert_clerk and req.identity_checked_at is not None
    page = client.get(reverse("certificates_staff:detail", args=[req.pk])).content.decode()
    assert "Document checked: residence permit, number ending in 4821" in page
    assert f"checked by {cert_clerk}" in page
    entry = AuditEntry.objects.get(action="certificate_request.identity_checked.residence_permit")
    assert entry.actor == cert_clerk and entry.details["digits"] == "4821"
    log = _en(admin_user).get("/staff/audit/", {"target_id": str(req.pk)}).content.decode()
    assert (
        "checked the residence permit (number ending in 4821) of the person of certificate "
        f"request {req.pk}" in log
    )


def test_the_demo_issues_with_two_people(municipality: Any) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.certificates.demo import DEMO_CODE, seed_requests

    seed_accounts()
    seed_requests()
    document = IssuedDocument.objects.get(code=DEMO_CODE)
    approved_by = document.request.events.get(status=Status.APPROVED).actor
    assert approved_by is not None and document.issued_by is not None
    assert approved_by != document.issued_by
    assert document.issued_by.email == "issuer@demo.dimos.gr"
    phone = CertificateRequest.objects.get(channel="phone")
    assert phone.identity_document == IdentityDocument.ID_CARD and phone.identity_checked_by
