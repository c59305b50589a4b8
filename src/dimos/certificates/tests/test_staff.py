"""The back office: permissions on every staff endpoint, actions, phone intake, totals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dimos.certificates import services
from dimos.certificates.models import (
    CertificateRequest,
    Channel,
    DocumentStatus,
    IdentityCheck,
    IssuedDocument,
    Status,
)
from dimos.certificates.tests.conftest import PDF_BYTES, make_request
from dimos.core.models import AuditEntry
from dimos.core.workdays import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def req(residence: Any, resident: Any) -> CertificateRequest:
    request = make_request(residence, resident)
    services._attach(
        request,
        "utility_bill",
        "Bill",
        services.CheckedUpload(PDF_BYTES, "application/pdf", ".pdf", "b.pdf"),
        resident,
    )
    return request


def _staff_urls(req: CertificateRequest) -> list[tuple[str, str]]:
    attachment = req.attachments.get()
    return [
        ("get", reverse("certificates_staff:queue")),
        ("get", reverse("certificates_staff:detail", args=[req.pk])),
        ("get", reverse("certificates_staff:attachment", args=[req.pk, attachment.pk])),
        ("get", reverse("certificates_staff:totals")),
        ("get", reverse("certificates_staff:phone")),
        ("post", reverse("certificates_staff:act", args=[req.pk, "review"])),
        ("post", reverse("certificates_staff:act", args=[req.pk, "issue"])),
        ("post", reverse("certificates_staff:revoke", args=["NOSUCHCODE"])),
        ("post", reverse("certificates_staff:retry", args=["NOSUCHCODE"])),
        ("get", reverse("certificates_staff:document_pdf", args=["NOSUCHCODE"])),
    ]


def test_anonymous_people_and_residents_cannot_reach_the_back_office(
    client: Client, resident_client: Client, req: CertificateRequest
) -> None:
    for method, url in _staff_urls(req):
        assert getattr(client, method)(url).status_code == 302, url
        assert getattr(resident_client, method)(url).status_code == 403, url
    req.refresh_from_db()
    assert req.status == Status.NEW


def test_staff_without_the_role_get_403(clerk_client: Client, req: CertificateRequest) -> None:
    for method, url in _staff_urls(req):
        assert getattr(clerk_client, method)(url).status_code == 403, url


def test_a_clerk_works_but_only_an_issuer_issues_and_revokes(
    clerk_c: Client, issuer_client: Client, req: CertificateRequest, municipality: Any
) -> None:
    detail = clerk_c.get(reverse("certificates_staff:detail", args=[req.pk]))
    assert detail.status_code == 200
    assert AuditEntry.objects.filter(action="certificate_request.viewed").exists()
    attachment = clerk_c.get(
        reverse("certificates_staff:attachment", args=[req.pk, req.attachments.get().pk])
    )
    assert attachment.status_code == 200
    issue_url = reverse("certificates_staff:act", args=[req.pk, "issue"])
    assert clerk_c.post(issue_url, {"language": "el"}).status_code == 403
    assert issuer_client.post(issue_url, {"language": "el"}).status_code == 302
    document = IssuedDocument.objects.get()
    revoke_url = reverse("certificates_staff:revoke", args=[document.code])
    assert clerk_c.post(revoke_url, {"reason": "error"}).status_code == 403
    assert issuer_client.post(revoke_url, {"reason": ""}).status_code == 400
    assert issuer_client.post(revoke_url, {"reason": "Wrong address"}).status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.REVOKED
    pdf = issuer_client.get(reverse("certificates_staff:document_pdf", args=[document.code]))
    assert pdf.status_code == 200


def test_queue_filters_and_overdue(
    clerk_c: Client, cert_clerk: Any, residence: Any, resident: Any
) -> None:
    late = make_request(residence, resident)
    CertificateRequest.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    mine = make_request(residence, resident)
    services.assign(req=mine, assignee=cert_clerk, actor=cert_clerk)
    overdue = clerk_c.get(reverse("certificates_staff:queue"), {"status": "overdue"})
    assert f"#{late.pk} " in overdue.content.decode()
    assert f"#{mine.pk} " not in overdue.content.decode()
    assigned = clerk_c.get(reverse("certificates_staff:queue"), {"assigned": "me"})
    assert f"#{mine.pk} " in assigned.content.decode()
    assert f"#{late.pk} " not in assigned.content.decode()
    bad = clerk_c.get(reverse("certificates_staff:queue"), {"status": "nonsense", "page": "x"})
    assert bad.status_code == 200


@pytest.mark.parametrize(
    ("action", "data"),
    [("info", {"message": ""}), ("reject", {"reason": ""}), ("assign", {"assignee": "999999"})],
)
def test_bad_staff_input_is_400(
    clerk_c: Client, req: CertificateRequest, action: str, data: dict[str, str]
) -> None:
    response = clerk_c.post(reverse("certificates_staff:act", args=[req.pk, action]), data)
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.status == Status.NEW


def test_unknown_action_is_404_and_impossible_transition_is_a_message(
    clerk_c: Client, req: CertificateRequest
) -> None:
    assert (
        clerk_c.post(reverse("certificates_staff:act", args=[req.pk, "explode"])).status_code == 404
    )
    services.reject(req=req, reason="No", actor=req.applicant)  # type: ignore[arg-type]
    response = clerk_c.post(
        reverse("certificates_staff:act", args=[req.pk, "approve"]), follow=True
    )
    assert response.status_code == 200
    assert "not possible" in response.content.decode()


def test_the_state_machine_notifies_at_every_change(
    clerk_c: Client, req: CertificateRequest, resident: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        clerk_c.post(reverse("certificates_staff:act", args=[req.pk, "review"]))
        clerk_c.post(
            reverse("certificates_staff:act", args=[req.pk, "info"]), {"message": "Need the ID"}
        )
    req.refresh_from_db()
    assert req.status == Status.WAITING and req.waiting_since is not None
    kinds = list(resident.notifications.values_list("kind", flat=True))
    assert "certificates.updated" in kinds and "certificates.info_requested" in kinds
    clerk_c.post(
        reverse("certificates_staff:act", args=[req.pk, "reject"]), {"reason": "Not a resident"}
    )
    req.refresh_from_db()
    assert req.status == Status.REJECTED and req.rejection_reason == "Not a resident"


def test_the_deadline_clock_pauses_while_waiting(
    req: CertificateRequest, cert_clerk: Any, resident: Any
) -> None:
    due = req.due_on
    assert due is not None
    services.ask_for_information(req=req, message="ID please", actor=cert_clerk)
    # Ten calendar days pass while the request waits for the resident.
    CertificateRequest.objects.filter(pk=req.pk).update(
        waiting_since=timezone.now() - dt.timedelta(days=10)
    )
    req.refresh_from_db()
    assert not req.is_overdue  # waiting: never overdue
    services.answer_information(req=req, message="Attached", files=[], actor=resident)
    req.refresh_from_db()
    from dimos.core.workdays import working_days_between

    paused = working_days_between(
        timezone.localdate() - dt.timedelta(days=10), timezone.localdate()
    )
    assert req.due_on == add_working_days(due, paused)
    assert req.due_on > due


def test_reissue_supersedes_and_protocol_numbers_increase(
    req: CertificateRequest, issuer: Any, municipality: Any
) -> None:
    first = services.issue(req=req, actor=issuer)
    second = services.issue(req=req, actor=issuer, language="en")
    first.refresh_from_db()
    assert first.status == DocumentStatus.SUPERSEDED and first.superseded_by == second
    assert second.protocol_number > first.protocol_number
    assert first.code != second.code


def test_the_registry_is_append_only(
    req: CertificateRequest, issuer: Any, municipality: Any
) -> None:
    document = services.issue(req=req, actor=issuer)
    document.sha256 = "0" * 64
    with pytest.raises(ValueError, match="append-only"):
        document.save()
    with pytest.raises(ValueError, match="append-only"):
        document.save(update_fields=["sha256"])
    with pytest.raises(ValueError, match="never deleted"):
        document.delete()


def test_phone_intake_records_how_identity_was_checked(
    clerk_c: Client, residence: Any, cert_clerk: Any
) -> None:
    choose = clerk_c.get(reverse("certificates_staff:phone"), {"certificate_type": residence.pk})
    assert choose.status_code == 302
    url = f"{reverse('certificates_staff:phone')}?type={residence.code}"
    assert clerk_c.get(url).status_code == 200
    missing = clerk_c.post(url, {"type": residence.code, "requester": "self", "holder_name": "X"})
    assert missing.status_code == 400
    response = clerk_c.post(
        url,
        {
            "type": residence.code,
            "requester": "self",
            "holder_name": "Kostas Georgiou",
            "holder_father_name": "Ioannis",
            "holder_birth_date": "1938-07-02",
            "holder_address": "Ethnikis Antistaseos 5",
            "f_years": "60",
            "home_delivery": "on",
            "contact_phone": "+30 2321000000",
            "identity_check": IdentityCheck.CALLBACK,
            "identity_notes": "Called back on the registry number",
            "identity_document": "id_card",
            "identity_document_digits": "4821",
        },
    )
    assert response.status_code == 302
    req = CertificateRequest.objects.get()
    assert req.channel == Channel.PHONE and req.applicant is None and req.filed_by == cert_clerk
    assert req.identity_check == IdentityCheck.CALLBACK
    audit = AuditEntry.objects.get(action="certificate_request.submitted")
    assert audit.details["identity_check"] == "callback"


def test_running_totals_and_home_figure(
    clerk_c: Client, req: CertificateRequest, issuer: Any, municipality: Any, client: Client
) -> None:
    services.issue(req=req, actor=issuer)
    services.issue(req=req, actor=issuer)  # a re-issue counts once
    response = clerk_c.get(reverse("certificates_staff:totals"), {"year": "2026x"})
    assert response.status_code == 200
    assert "Certificate of permanent residence" in response.content.decode()
    from dimos.core.registry import home_figures

    assert [value for figure, value in home_figures() if figure.key == "certificates-issued"] == [1]
    client.cookies["dimos_language"] = "en"
    assert "Certificates issued online: <strong>1</strong>" in client.get("/").content.decode()


def test_staff_home_shows_the_queue(clerk_c: Client, req: CertificateRequest) -> None:
    response = clerk_c.get("/staff/")
    assert "Certificate requests" in response.content.decode()


def test_personal_data_export_and_erase(req: CertificateRequest, resident: Any) -> None:
    from dimos.certificates import personal_data

    exported = personal_data.export_for(resident)
    assert exported[0]["id"] == req.pk
    personal_data.erase_for(resident)
    req.refresh_from_db()
    assert req.applicant is None and req.status == Status.REJECTED
